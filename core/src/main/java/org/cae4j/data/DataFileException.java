package org.cae4j.data;

/**
 * A data file or directory that cannot be used: missing, malformed, truncated, or inconsistent with its partner.
 *
 * <p>The message is one line that starts with the offending path (or says {@code no such file: PATH}), says what
 * was expected and what was found, so a command-line tool can print it alone (control characters in a file name
 * are escaped). Named to avoid the checked
 * {@code java.util.zip.DataFormatException}.
 */
public class DataFileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** An error whose one-line {@code message} starts with the file name. */
    public DataFileException(String message) {
        super(org.cae4j.io.Json.printable(message));
    }

    /** As {@link #DataFileException(String)}, keeping the I/O error that caused it. */
    public DataFileException(String message, Throwable cause) {
        super(org.cae4j.io.Json.printable(message), cause);
    }
}
