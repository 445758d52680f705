package org.cae4j.io;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON (RFC 8259) reader and compact writer, used for model file headers and architecture metadata.
 *
 * <p>Values map to Java as: object → {@code LinkedHashMap<String, Object>} in document order, array →
 * {@code ArrayList<Object>}, string → {@code String}, number → {@code Long} when written as an integer that fits
 * in 64 bits, otherwise {@code Double}, {@code true}/{@code false} → {@code Boolean}, {@code null} → {@code null}.
 *
 * <p>The reader accepts exactly the RFC grammar and nothing more: no comments, trailing commas, single quotes,
 * leading zeros, {@code NaN}, raw control characters in strings, unpaired surrogates, duplicate object keys,
 * integers beyond 64 bits, numbers beyond the double range, nesting deeper than {@value #MAX_DEPTH} levels, or
 * anything after the top-level value except whitespace. Every error is a {@link JsonException} whose message
 * gives the byte offset into the UTF-8 text: {@code JSON error at byte 17: expected ',' or '}', got ']'}.
 */
public final class Json {
    /** Deepest allowed nesting of arrays and objects, for both reading and writing. */
    public static final int MAX_DEPTH = 64;

    private Json() {}

    /** Parses one JSON value from {@code text}; see the class comment for the Java types produced. */
    public static Object parse(String text) {
        if (text == null) throw new NullPointerException("JSON text is null");
        return new Parser(text).parseDocument();
    }

    /** Parses one JSON value from strict UTF-8 bytes (no byte order mark, no overlong or surrogate encodings). */
    public static Object parse(byte[] utf8) {
        if (utf8 == null) throw new NullPointerException("JSON bytes are null");
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(utf8);
        CharBuffer out = CharBuffer.allocate(utf8.length);   // UTF-8 never yields more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) result = decoder.flush(out);
        if (result.isError()) {
            throw new JsonException(in.position(), "invalid UTF-8 byte sequence (first byte 0x"
                    + String.format("%02X", utf8[in.position()] & 0xFF) + ")");
        }
        out.flip();
        return new Parser(out.toString()).parseDocument();
    }

    /**
     * Compact JSON for {@code value}: maps with string keys, lists and other collections, object and primitive
     * arrays, strings, booleans, null, and finite numbers ({@code Long}, {@code Integer}, {@code Short},
     * {@code Byte}, {@code Double}, {@code Float}, {@code BigInteger}, {@code BigDecimal}).
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        writeValue(sb, value, 0);
        return sb.toString();
    }

    // ------------------------------------------------------------------ writer

    private static void writeValue(StringBuilder sb, Object v, int depth) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            writeString(sb, s);
        } else if (v instanceof Boolean b) {
            sb.append(b.booleanValue());
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger) {
            sb.append(v);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("JSON has no number for " + v + "; expected a finite value");
            }
            sb.append(v);   // Double/Float.toString produce valid JSON numbers such as 1.0E-5
        } else if (v instanceof BigDecimal bd) {
            sb.append(bd.toString());
        } else if (v instanceof Map<?, ?> map) {
            enter(depth);
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("JSON object keys must be strings, got "
                            + (e.getKey() == null ? "null" : e.getKey().getClass().getSimpleName() + " " + e.getKey()));
                }
                if (!first) sb.append(',');
                first = false;
                writeString(sb, key);
                sb.append(':');
                writeValue(sb, e.getValue(), depth + 1);
            }
            sb.append('}');
        } else if (v instanceof Collection<?> list) {
            enter(depth);
            sb.append('[');
            boolean first = true;
            for (Object item : list) {
                if (!first) sb.append(',');
                first = false;
                writeValue(sb, item, depth + 1);
            }
            sb.append(']');
        } else if (v instanceof Object[] arr) {
            writeValue(sb, List.of(arr), depth);
        } else if (v instanceof int[] arr) {
            enter(depth);
            sb.append('[');
            for (int i = 0; i < arr.length; i++) sb.append(i == 0 ? "" : ",").append(arr[i]);
            sb.append(']');
        } else if (v instanceof long[] arr) {
            enter(depth);
            sb.append('[');
            for (int i = 0; i < arr.length; i++) sb.append(i == 0 ? "" : ",").append(arr[i]);
            sb.append(']');
        } else if (v instanceof float[] arr) {
            List<Object> boxed = new ArrayList<>(arr.length);
            for (float f : arr) boxed.add(f);
            writeValue(sb, boxed, depth);
        } else if (v instanceof double[] arr) {
            List<Object> boxed = new ArrayList<>(arr.length);
            for (double d : arr) boxed.add(d);
            writeValue(sb, boxed, depth);
        } else {
            throw new IllegalArgumentException("cannot write " + v.getClass().getName()
                    + " as JSON; expected a map, collection, array, string, number, boolean or null");
        }
    }

    private static void enter(int depth) {
        if (depth >= MAX_DEPTH) {
            throw new IllegalArgumentException("JSON value nests deeper than " + MAX_DEPTH
                    + " levels (is a collection inside itself?)");
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * {@code s} made safe for a one-line message: control characters and unpaired surrogates escaped as JSON
     * escapes them ({@code \n}, {@code \u0007}, {@code \udb7a}), everything else, quotes included, unchanged.
     */
    public static String printable(String s) {
        if (s == null) return "null";
        boolean clean = true;
        for (int i = 0; i < s.length() && clean; i++) {
            char c = s.charAt(i);
            clean = c >= 0x20 && !Character.isSurrogate(c);
        }
        if (clean) return s;
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                switch (c) {
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> sb.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF])
                            .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static void writeString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("string has an unpaired surrogate U+"
                        + Integer.toHexString(c).toUpperCase() + " at index " + i + "; expected valid UTF-16 text");
            } else {
                appendEscaped(sb, c);
            }
        }
        sb.append('"');
    }

    /** One char (not a surrogate) as it appears inside a JSON string. */
    private static void appendEscaped(StringBuilder sb, char c) {
        switch (c) {
            case '"' -> sb.append("\\\"");
            case '\\' -> sb.append("\\\\");
            case '\b' -> sb.append("\\b");
            case '\f' -> sb.append("\\f");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            default -> {
                if (c < 0x20) sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                else sb.append(c);
            }
        }
    }

    // ------------------------------------------------------------------ reader

    private static final class Parser {
        private final String s;
        private int i;
        private int depth;

        Parser(String s) { this.s = s; }

        Object parseDocument() {
            skipWhitespace();
            Object v = parseValue();
            skipWhitespace();
            if (i < s.length()) throw error(i, "expected end of input after the JSON value, got " + describe(i));
            return v;
        }

        private Object parseValue() {
            if (i >= s.length()) throw error(i, "expected a value, got end of input");
            char c = s.charAt(i);
            return switch (c) {
                case '{' -> parseObject();
                case '[' -> parseArray();
                case '"' -> parseString();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) yield parseNumber();
                    throw error(i, "expected a value, got " + describe(i));
                }
            };
        }

        private Map<String, Object> parseObject() {
            int start = i;
            descend(start);
            i++;   // '{'
            Map<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                i++;
                depth--;
                return map;
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw error(i, (map.isEmpty() ? "expected a string key or '}', got " : "expected a string key, got ")
                            + describe(i));
                }
                int keyAt = i;
                String key = parseString();
                skipWhitespace();
                if (peek() != ':') throw error(i, "expected ':' after object key, got " + describe(i));
                i++;
                skipWhitespace();
                Object value = parseValue();
                if (map.containsKey(key)) throw error(keyAt, "duplicate object key " + quote(key));
                map.put(key, value);
                skipWhitespace();
                char c = peek();
                if (c == ',') {
                    i++;
                } else if (c == '}') {
                    i++;
                    depth--;
                    return map;
                } else {
                    throw error(i, "expected ',' or '}', got " + describe(i));
                }
            }
        }

        private List<Object> parseArray() {
            descend(i);
            i++;   // '['
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                i++;
                depth--;
                return list;
            }
            while (true) {
                skipWhitespace();
                list.add(parseValue());
                skipWhitespace();
                char c = peek();
                if (c == ',') {
                    i++;
                } else if (c == ']') {
                    i++;
                    depth--;
                    return list;
                } else {
                    throw error(i, "expected ',' or ']', got " + describe(i));
                }
            }
        }

        private void descend(int at) {
            if (++depth > MAX_DEPTH) throw error(at, "nesting deeper than " + MAX_DEPTH + " levels");
        }

        private String parseString() {
            int start = i;
            i++;   // opening quote
            StringBuilder sb = null;
            int runStart = i;
            while (true) {
                if (i >= s.length()) throw error(start, "unterminated string");
                char c = s.charAt(i);
                if (c == '"') {
                    String result = sb == null ? s.substring(runStart, i) : sb.append(s, runStart, i).toString();
                    i++;
                    return result;
                }
                if (c < 0x20) {
                    throw error(i, "control character " + describe(i) + " in string must be escaped");
                }
                if (Character.isSurrogate(c)) {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        i += 2;
                        continue;
                    }
                    throw error(i, "unpaired surrogate " + describe(i) + " in string");
                }
                if (c != '\\') {
                    i++;
                    continue;
                }
                if (sb == null) sb = new StringBuilder();
                sb.append(s, runStart, i);
                int escAt = i;
                i++;
                if (i >= s.length()) throw error(start, "unterminated string");
                char e = s.charAt(i++);
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        char u = hex4(escAt);
                        if (Character.isHighSurrogate(u)) {
                            int lowAt = i;
                            if (!s.startsWith("\\u", i)) {
                                throw error(escAt, "high surrogate \\u" + hex(u) + " is not followed by a \\u low surrogate");
                            }
                            i += 2;
                            char low = hex4(lowAt);
                            if (!Character.isLowSurrogate(low)) {
                                throw error(lowAt, "high surrogate \\u" + hex(u) + " is followed by \\u" + hex(low)
                                        + ", expected a low surrogate \\uDC00..\\uDFFF");
                            }
                            sb.append(u).append(low);
                        } else if (Character.isLowSurrogate(u)) {
                            throw error(escAt, "low surrogate \\u" + hex(u) + " without a preceding high surrogate");
                        } else {
                            sb.append(u);
                        }
                    }
                    default -> throw error(escAt, "invalid escape \\" + (e < 0x20 ? describe(i - 1) : String.valueOf(e))
                            + "; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
                }
                runStart = i;
            }
        }

        /** Reads the four hex digits after {@code \\u}; {@code escAt} is where the escape began. */
        private char hex4(int escAt) {
            if (i + 4 > s.length()) throw error(escAt, "\\u escape needs 4 hex digits, got end of input");
            int v = 0;
            for (int k = 0; k < 4; k++) {
                char h = s.charAt(i + k);
                int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                        : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                if (d < 0) {
                    throw error(escAt, "\\u escape needs 4 hex digits, got " + quote(s.substring(i, i + 4)));
                }
                v = v * 16 + d;
            }
            i += 4;
            return (char) v;
        }

        private Object parseNumber() {
            int start = i;
            boolean integer = true;
            if (peek() == '-') i++;
            char c = peek();
            if (c == '0') {
                i++;
            } else if (c >= '1' && c <= '9') {
                digits();
            } else {
                throw error(i, "expected a digit, got " + describe(i));
            }
            if (peek() == '.') {
                integer = false;
                i++;
                if (!isDigit(peek())) throw error(i, "expected a digit after '.', got " + describe(i));
                digits();
            }
            if (peek() == 'e' || peek() == 'E') {
                integer = false;
                i++;
                if (peek() == '+' || peek() == '-') i++;
                if (!isDigit(peek())) throw error(i, "expected a digit in the exponent, got " + describe(i));
                digits();
            }
            String text = s.substring(start, i);
            if (integer) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException ex) {
                    throw error(start, "integer " + text + " does not fit in 64 bits (expected "
                            + Long.MIN_VALUE + ".." + Long.MAX_VALUE + ")");
                }
            }
            double d = Double.parseDouble(text);
            if (Double.isInfinite(d)) throw error(start, "number " + text + " is beyond the range of a double");
            return d;
        }

        private void digits() {
            while (isDigit(peek())) i++;
        }

        private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

        private Object literal(String word, Object value) {
            if (!s.startsWith(word, i)) throw error(i, "expected a value, got " + describe(i));
            i += word.length();
            return value;
        }

        private void skipWhitespace() {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
                i++;
            }
        }

        /** The char at the cursor, or U+0000 at end of input (never valid where peek is used). */
        private char peek() { return i < s.length() ? s.charAt(i) : '\0'; }

        private String describe(int at) {
            if (at >= s.length()) return "end of input";
            char c = s.charAt(at);
            if (Character.isHighSurrogate(c) && at + 1 < s.length() && Character.isLowSurrogate(s.charAt(at + 1))) {
                return "'" + s.substring(at, at + 2) + "'";
            }
            if (c < 0x20 || c == 0x7F || Character.isSurrogate(c)) return "U+" + hex(c);
            return "'" + c + "'";
        }

        private JsonException error(int charIndex, String detail) {
            return new JsonException(utf8Length(s, charIndex), detail);
        }
    }

    private static String hex(char c) { return String.format("%04X", (int) c); }

    /**
     * {@code s} as a JSON string, cut at 40 characters, for error messages; unlike the writer it escapes an
     * unpaired surrogate (as a cut or a bad \\u escape may leave) as {@code \\udb7a} instead of refusing it.
     */
    private static String quote(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) : s;
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < cut.length() && Character.isLowSurrogate(cut.charAt(i + 1))) {
                sb.append(c).append(cut.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                sb.append("\\u").append(hex(c).toLowerCase(java.util.Locale.ROOT));
            } else {
                appendEscaped(sb, c);
            }
        }
        return sb.append(s.length() > 40 ? "...\"" : "\"").toString();
    }

    /** Number of UTF-8 bytes encoding {@code s[0, end)}. */
    private static long utf8Length(String s, int end) {
        long n = 0;
        for (int k = 0; k < end && k < s.length(); k++) {
            char c = s.charAt(k);
            if (c < 0x80) n += 1;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && k + 1 < s.length() && Character.isLowSurrogate(s.charAt(k + 1))) {
                n += 4;
                k++;
            } else n += 3;
        }
        return n;
    }
}
