package org.cae4j.io;

/**
 * A model file that is missing or not a valid cae4j safetensors file; the one-line message starts with the file name
 * (control characters from the file, such as a newline in a metadata value, are escaped).
 */
public final class ModelFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** An error whose whole message is {@code message}, e.g. {@code model.safetensors: tensor 'w' has dtype I64 ...}. */
    public ModelFormatException(String message) {
        super(Json.printable(message));
    }

    /** As {@link #ModelFormatException(String)}, keeping the parse error or I/O error that caused it. */
    public ModelFormatException(String message, Throwable cause) {
        super(Json.printable(message), cause);
    }
}
