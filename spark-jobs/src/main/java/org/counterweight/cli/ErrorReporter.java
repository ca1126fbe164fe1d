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
 * The stack trace is printed only when {@code --verbose} was given.
 */
final class ErrorReporter implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        Throwable reason = rootUserError(ex);
        boolean userError = reason != null;
        Throwable shown = userError ? reason : ex;
        String msg = shown.getMessage() == null ? shown.getClass().getSimpleName() : shown.getMessage();
        err.println("error: " + firstLine(userError ? msg : shown.getClass().getSimpleName() + ": " + msg));
        if (isVerbose(parsed)) {
            ex.printStackTrace(err);
        } else if (!userError) {
            err.println("(run with --verbose for the stack trace)");
        }
        err.flush();
        return userError ? 2 : 1;
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
