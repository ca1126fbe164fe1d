package org.counterweight.cli;

import java.io.PrintWriter;
import org.counterweight.data.DataException;
import org.counterweight.spec.SpecException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception from a command into one line on stderr and an exit code: 2 for bad input
 * ({@link DataException}, {@link SpecException}, {@link IllegalArgumentException}), 1 otherwise.
 * A {@link DataException} that an option fixes gets its advice when the command has that option.
 * The stack trace is printed only when {@code --verbose} was given.
 */
final class ErrorReporter implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        Throwable reason = rootUserError(ex);
        boolean userError = reason != null;
        String msg = asOption(describe(ex), cmd);
        if (reason instanceof DataException de && de.option() != null && cmd.getCommandSpec().findOption(de.option()) != null) {
            msg += "; " + de.advice();
        }
        err.println("error: " + msg);
        if (isVerbose(parsed)) {
            ex.printStackTrace(err);
        } else if (!userError) {
            err.println("(run with --verbose for the stack trace)");
        }
        err.flush();
        return userError ? 2 : 1;
    }

    /**
     * One line for {@code t}: the message of the first user-facing error in its cause chain, else
     * the exception's type and message.
     */
    static String describe(Throwable t) {
        Throwable reason = rootUserError(t);
        Throwable shown = reason != null ? reason : t;
        String msg = shown.getMessage() == null ? shown.getClass().getSimpleName() : shown.getMessage();
        return firstLine(reason != null ? msg : shown.getClass().getSimpleName() + ": " + msg);
    }

    /**
     * A setting's error starts with its key ({@code epochs: must be >= 1}); on the command line
     * the user typed the option, so name that: {@code --epochs: must be >= 1}.
     */
    private static String asOption(String msg, CommandLine cmd) {
        int colon = msg.indexOf(": ");
        if (colon > 0 && SettingOptions.BY_KEY.containsKey(msg.substring(0, colon))
                && cmd.getCommandSpec().findOption("--" + msg.substring(0, colon)) != null) {
            return "--" + msg;
        }
        return msg;
    }

    /** The first user-facing error in the cause chain (Spark wraps driver-side exceptions). */
    private static Throwable rootUserError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof DataException || c instanceof IllegalArgumentException) {
                return c;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static boolean isVerbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
