package org.cae4j.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reader for NumPy {@code .npy} arrays (format versions 1.0, 2.0 and 3.0) of the few element types image data
 * uses.
 *
 * <p>Layout: the magic {@code \x93NUMPY}, a major and a minor version byte, the header length (2 bytes
 * little-endian in 1.0, 4 bytes in 2.0 and 3.0), the header, then the data. The header is a Python dict literal
 * such as {@code {'descr': '<f4', 'fortran_order': False, 'shape': (60000, 28, 28), }}; it is parsed strictly as
 * the subset numpy writes (single-quoted strings without escapes, {@code True}/{@code False}, tuples of
 * non-negative integers), never evaluated, and must have exactly the keys {@code descr}, {@code fortran_order}
 * and {@code shape}. Element types: {@code |u1} (uint8), {@code <f4}/{@code >f4} (float32) and, for labels,
 * the integer types {@code i1 u1 i2 u2 i4 u4 i8 u8} in either byte order; anything else, Fortran order, a header
 * over {@value #MAX_HEADER_BYTES} bytes (numpy's own limit), more elements than a Java array holds, or data
 * whose length differs from what the shape declares is a {@link DataFileException} whose message starts with
 * the file name. Everything is checked before the data array is allocated.
 */
public final class NpyReader {
    /** Largest header accepted, in bytes: numpy's default {@code max_header_size}. */
    public static final int MAX_HEADER_BYTES = 10_000;
    /** Most elements one array may hold. */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int CHUNK = 1 << 16;

    private NpyReader() {}

    /** Element types read; {@code kind} is numpy's letter: u unsigned, i signed, f float. */
    public enum DType {
        U1('u', 1), I1('i', 1), U2('u', 2), I2('i', 2), U4('u', 4), I4('i', 4), U8('u', 8), I8('i', 8), F4('f', 4);

        final char kind;
        final int bytes;

        DType(char kind, int bytes) {
            this.kind = kind;
            this.bytes = bytes;
        }

        /** Whether this is an integer type. */
        public boolean isInteger() { return kind != 'f'; }
    }

    /**
     * One array: its shape and its data in C order, in exactly one of three forms: {@code bytes} for uint8,
     * {@code floats} for float32, {@code longs} for the other integer types (uint64 values above 2^63 − 1 are
     * rejected). The arrays are not copied.
     *
     * @param source the name used in messages, e.g. {@code data.npz:x_train.npy}
     * @param descr  the dtype string from the header, e.g. {@code |u1}
     */
    public record Array(String source, String descr, DType dtype, int[] shape, byte[] bytes, float[] floats, long[] longs) {
        /** Number of elements, the product of the shape. */
        public int size() {
            int n = 1;
            for (int d : shape) n *= d;
            return n;
        }

        /** The shape as numpy prints it, e.g. {@code (60000, 28, 28)} or {@code (5,)}. */
        public String shapeText() { return NpyReader.shapeText(shape); }
    }

    /** Reads a {@code .npy} file. */
    public static Array read(Path file) {
        String source = file.toString();
        if (Files.isDirectory(file)) throw new DataFileException(source + ": is a directory, expected a .npy file");
        if (!Files.exists(file)) throw new DataFileException("no such file: " + source);
        try {
            return read(Files.newInputStream(file), source, Files.size(file));
        } catch (NoSuchFileException e) {
            throw new DataFileException("no such file: " + source, e);
        } catch (IOException e) {
            throw new DataFileException(source + ": cannot read (" + e + ")", e);
        }
    }

    /**
     * Reads one array from {@code in}, naming it {@code source} in messages; reads to the end and closes {@code in}.
     *
     * @param knownSize the stream's length in bytes when known (a file, a zip entry), else -1
     */
    public static Array read(InputStream in, String source, long knownSize) {
        try (InputStream s = new BufferedInputStream(in, CHUNK)) {
            return readBody(s, source, knownSize);
        } catch (IOException e) {
            throw new DataFileException(source + ": cannot read (" + e + ")", e);
        }
    }

    private static Array readBody(InputStream s, String source, long knownSize) throws IOException {
        byte[] pre = s.readNBytes(8);
        if (pre.length < 8 || !Arrays.equals(pre, 0, 6, MAGIC, 0, 6)) {
            throw new DataFileException(source + ": not a .npy file (starts with " + hex(pre)
                    + ", expected 93 4E 55 4D 50 59 = \\x93NUMPY)");
        }
        int major = pre[6] & 0xff, minor = pre[7] & 0xff;
        if (major < 1 || major > 3 || minor != 0) {
            throw new DataFileException(source + ": .npy format version " + major + "." + minor
                    + " is not supported, expected 1.0, 2.0 or 3.0");
        }
        int lenBytes = major == 1 ? 2 : 4;
        byte[] lb = s.readNBytes(lenBytes);
        if (lb.length < lenBytes) throw new DataFileException(source + ": .npy header length is cut off (file too short)");
        long headerLen = 0;
        for (int i = lenBytes - 1; i >= 0; i--) headerLen = (headerLen << 8) | (lb[i] & 0xff);
        if (headerLen > MAX_HEADER_BYTES) {
            throw new DataFileException(source + ": .npy header declares " + headerLen + " bytes, more than the "
                    + MAX_HEADER_BYTES + " accepted");
        }
        byte[] hb = s.readNBytes((int) headerLen);
        if (hb.length < headerLen) {
            throw new DataFileException(source + ": .npy header ends early (declares " + headerLen + " bytes, found "
                    + hb.length + ")");
        }
        String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> dict = new HeaderParser(source, header).parse();
        String descr = (String) need(dict, "descr", String.class, source, header);
        boolean fortran = (Boolean) need(dict, "fortran_order", Boolean.class, source, header);
        int[] shape = (int[]) need(dict, "shape", int[].class, source, header);
        if (fortran) {
            throw new DataFileException(source + ": array " + shapeText(shape) + " is stored in Fortran order "
                    + "(fortran_order: True); only C order is supported (save np.ascontiguousarray(x) instead)");
        }
        DType dtype = dtype(descr, source);
        ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        long count = 1;
        for (int d : shape) {
            count *= d;
            if (count > MAX_ELEMENTS) {
                throw new DataFileException(source + ": shape " + shapeText(shape) + " has more than " + MAX_ELEMENTS
                        + " elements, the largest array Java can hold");
            }
        }
        int n = (int) count;
        long dataBytes = count * dtype.bytes;
        long headerTotal = 6 + 2 + lenBytes + headerLen;
        if (knownSize >= 0 && knownSize - headerTotal != dataBytes) {
            throw sizeMismatch(source, descr, shape, dataBytes, knownSize - headerTotal);
        }
        Array a;
        if (dtype == DType.U1) {
            byte[] b = readExactly(s, dataBytes, source, descr, shape, knownSize >= 0);
            a = new Array(source, descr, dtype, shape, b, null, null);
        } else if (dtype == DType.F4) {
            float[] f = new float[n];
            readChunks(s, n, 4, order, source, descr, shape, (buf, at, k) -> buf.asFloatBuffer().get(f, at, k));
            a = new Array(source, descr, dtype, shape, null, f, null);
        } else {
            long[] v = new long[n];
            readChunks(s, n, dtype.bytes, order, source, descr, shape, (buf, at, k) -> {
                for (int i = 0; i < k; i++) v[at + i] = integer(buf, dtype, source, at + i);
            });
            a = new Array(source, descr, dtype, shape, null, null, v);
        }
        long extra = 0;
        byte[] skip = new byte[8192];
        for (int r; extra <= CHUNK && (r = s.read(skip)) != -1; ) extra += r;
        if (extra > 0) throw sizeMismatch(source, descr, shape, dataBytes, dataBytes + extra);
        return a;
    }

    private static long integer(ByteBuffer b, DType t, String source, int index) {
        long v = switch (t) {
            case U1 -> b.get() & 0xffL;
            case I1 -> b.get();
            case U2 -> b.getShort() & 0xffffL;
            case I2 -> b.getShort();
            case U4 -> b.getInt() & 0xffff_ffffL;
            case I4 -> b.getInt();
            case U8, I8 -> b.getLong();
            default -> throw new IllegalStateException(t.name());
        };
        if (t == DType.U8 && v < 0) {
            throw new DataFileException(source + ": element " + index + " is " + Long.toUnsignedString(v)
                    + ", above the largest value read (2^63 - 1)");
        }
        return v;
    }

    private interface ChunkSink {
        void take(ByteBuffer buf, int at, int count);
    }

    /** Reads n elements of {@code size} bytes in chunks, so a lying header never forces one big byte buffer. */
    private static void readChunks(InputStream s, int n, int size, ByteOrder order, String source, String descr,
                                   int[] shape, ChunkSink sink) throws IOException {
        byte[] chunk = new byte[Math.max(size, CHUNK / size * size)];
        int done = 0;
        while (done < n) {
            int k = Math.min(n - done, chunk.length / size);
            int got = s.readNBytes(chunk, 0, k * size);
            if (got < k * size) throw sizeMismatch(source, descr, shape, (long) n * size, (long) done * size + got);
            sink.take(ByteBuffer.wrap(chunk, 0, got).order(order), done, k);
            done += k;
        }
    }

    private static byte[] readExactly(InputStream s, long n, String source, String descr, int[] shape,
                                      boolean sizeKnown) throws IOException {
        byte[] b;
        if (sizeKnown) {
            b = new byte[(int) n];
            int got = s.readNBytes(b, 0, (int) n);
            if (got < n) throw sizeMismatch(source, descr, shape, n, got);
        } else {
            b = s.readNBytes((int) n); // grows in steps, so a lying header cannot force a big allocation
            if (b.length < n) throw sizeMismatch(source, descr, shape, n, b.length);
        }
        return b;
    }

    private static DataFileException sizeMismatch(String source, String descr, int[] shape, long expected, long found) {
        String problem = found < expected ? "truncated" : "trailing data after the array";
        return new DataFileException(source + ": " + problem + ": header declares " + shapeText(shape) + " of '" + descr
                + "' = " + expected + " data bytes, found " + found);
    }

    private static DType dtype(String descr, String source) {
        if (descr.length() == 3) {
            char order = descr.charAt(0), kind = descr.charAt(1), size = descr.charAt(2);
            for (DType t : DType.values()) {
                if (t.kind != kind || t.bytes != size - '0') continue;
                boolean single = t.bytes == 1;
                if (order == '<' || order == '>' || (single && order == '|')) return t;
            }
        }
        throw new DataFileException(source + ": dtype '" + descr + "'" + describe(descr) + " is not supported, expected '|u1' "
                + "(uint8) or '<f4' (float32) for images, or an integer type such as '<i8' for labels");
    }

    private static String describe(String descr) {
        if (descr.length() != 3) return "";
        String name = switch (descr.substring(1)) {
            case "f8" -> "float64";
            case "f2" -> "float16";
            case "b1" -> "bool";
            case "c8", "c16" -> "complex";
            default -> null;
        };
        if (name == null && descr.charAt(0) == '=') name = "native byte order";
        return name == null ? "" : " (" + name + ")";
    }

    private static Object need(Map<String, Object> dict, String key, Class<?> type, String source, String header) {
        Object v = dict.get(key);
        if (v == null) {
            throw new DataFileException(source + ": .npy header lacks '" + key + "': " + quote(header));
        }
        if (!type.isInstance(v)) {
            String expected = type == String.class ? "a string" : type == Boolean.class ? "True or False" : "a tuple of integers";
            String got = v instanceof String ? "a string" : v instanceof Boolean ? "a boolean" : "a tuple";
            throw new DataFileException(source + ": .npy header '" + key + "' is " + got + ", expected " + expected);
        }
        return v;
    }

    static String shapeText(int[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) b.append(i == 0 ? "" : ", ").append(shape[i]);
        return b.append(shape.length == 1 ? ",)" : ")").toString();
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 8); i++) s.append(i == 0 ? "" : " ").append(String.format("%02X", b[i] & 0xff));
        return b.length == 0 ? "nothing (empty file)" : s.toString();
    }

    /** The header, printable and at most 120 characters, for messages. */
    static String quote(String header) {
        String t = header.strip();
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < Math.min(t.length(), 120); i++) {
            char ch = t.charAt(i);
            b.append(ch >= 32 && ch < 127 ? String.valueOf(ch) : String.format("\\x%02x", (int) ch & 0xff));
        }
        return b.append(t.length() > 120 ? "...\"" : "\"").toString();
    }

    /** A strict parser for the dict literal numpy writes; never evaluates anything. */
    private static final class HeaderParser {
        private final String source, text;
        private int pos;

        HeaderParser(String source, String text) {
            this.source = source;
            this.text = text;
        }

        Map<String, Object> parse() {
            Map<String, Object> out = new LinkedHashMap<>();
            ws();
            expect('{');
            while (true) {
                ws();
                if (peek() == '}') break;
                String key = string();
                if (!key.equals("descr") && !key.equals("fortran_order") && !key.equals("shape")) {
                    throw new DataFileException(source + ": .npy header has unexpected key '" + key
                            + "', expected exactly 'descr', 'fortran_order' and 'shape'");
                }
                ws();
                expect(':');
                ws();
                Object value = value(key);
                if (out.put(key, value) != null) throw error("key '" + key + "' appears twice");
                ws();
                if (peek() == ',') {
                    pos++;
                    continue;
                }
                if (peek() != '}') throw error("expected ',' or '}'");
            }
            pos++;
            ws();
            if (pos != text.length()) throw error("expected only spaces and a newline after '}'");
            return out;
        }

        private Object value(String key) {
            char c = peek();
            if (c == '\'') return string();
            if (c == '(') return tuple();
            if (c == '[' && key.equals("descr")) {
                throw new DataFileException(source + ": .npy header 'descr' is a list (a structured dtype), which is not "
                        + "supported; expected a plain dtype such as '|u1' or '<f4'");
            }
            if (text.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            throw error("expected a string, True, False or a tuple");
        }

        private String string() {
            expect('\'');
            int start = pos;
            while (pos < text.length() && text.charAt(pos) != '\'') {
                if (text.charAt(pos) == '\\') throw error("escape sequences are not accepted in strings");
                pos++;
            }
            if (pos >= text.length()) throw error("string is not closed");
            return text.substring(start, pos++);
        }

        private int[] tuple() {
            expect('(');
            int[] dims = new int[8];
            int n = 0;
            boolean comma = false;
            while (true) {
                ws();
                if (peek() == ')') break;
                if (n == dims.length) throw error("more than " + dims.length + " dimensions");
                dims[n++] = integer();
                ws();
                comma = peek() == ',';
                if (comma) pos++;
                else if (peek() != ')') throw error("expected ',' or ')' in the shape");
            }
            if (n == 1 && !comma) throw error("a one-element tuple needs a trailing comma, as in (5,)");
            pos++;
            return Arrays.copyOf(dims, n);
        }

        private int integer() {
            int start = pos;
            long v = 0;
            while (pos < text.length() && Character.isDigit(text.charAt(pos)) && text.charAt(pos) < 128) {
                v = v * 10 + (text.charAt(pos++) - '0');
                if (v > Integer.MAX_VALUE) throw error("dimension larger than " + Integer.MAX_VALUE);
            }
            if (pos == start) throw error("expected a non-negative integer");
            if (peek() == 'L') pos++; // Python 2 long suffix, as old numpy wrote it
            return (int) v;
        }

        private void ws() {
            while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\n' || text.charAt(pos) == '\t')) pos++;
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private void expect(char c) {
            if (peek() != c) throw error("expected '" + c + "'");
            pos++;
        }

        private DataFileException error(String what) {
            return new DataFileException(source + ": .npy header is not a dict as numpy writes it: " + what
                    + " at character " + pos + " of " + quote(text));
        }
    }
}
