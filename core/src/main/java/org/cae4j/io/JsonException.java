package org.cae4j.io;

/** Malformed JSON text, with the byte offset (into the UTF-8 text) where parsing stopped. */
public final class JsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final long position;

    /** A parse error at byte {@code position}; the message reads {@code JSON error at byte 12: <detail>}. */
    public JsonException(long position, String detail) {
        super("JSON error at byte " + position + ": " + detail);
        this.position = position;
    }

    /** Byte offset into the UTF-8 encoded input at which the error was found. */
    public long position() { return position; }
}
