package org.counterweight.data;

/**
 * Bad input found by Counterweight: the message is one readable line that names the file, row,
 * column or parameter at fault. The CLI prints it without a stack trace.
 */
public class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
