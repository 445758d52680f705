package org.cae4j.io;

/** A model file that is missing or not a valid cae4j safetensors file; the one-line message starts with the file name. */
public final class ModelFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** An error whose whole message is {@code message}, e.g. {@code model.safetensors: tensor 'w' has dtype I64 ...}. */
    public ModelFormatException(String message) {
        super(message);
    }

    /** As {@link #ModelFormatException(String)}, keeping the parse error or I/O error that caused it. */
    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
