package org.counterweight.data;

/**
 * Bad input found by Counterweight: the message is one readable line that names the file, row,
 * column or parameter at fault. The CLI prints it without a stack trace.
 *
 * <p>Some errors can be fixed with a command-line option ({@code --label-col}, ...), but the
 * data layer does not know whether its caller offers one: such an error carries the option and
 * advice naming it, and the CLI adds the advice only for commands that have the option.
 */
public class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String option;
    private final String advice;

    public DataException(String message) {
        this(message, null, null);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
        this.option = null;
        this.advice = null;
    }

    /** An error that {@code option} fixes; {@code advice} (e.g. "choose one with --label-col") says how. */
    public DataException(String message, String option, String advice) {
        super(message);
        this.option = option;
        this.advice = advice;
    }

    /** The command-line option that fixes this error, or null. */
    public String option() {
        return option;
    }

    /** How to fix it with {@link #option()}, or null. */
    public String advice() {
        return advice;
    }
}
