package org.cae4j.io;

import org.cae4j.tensor.Tensor;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Reads and writes named float32 tensors in the safetensors format (https://huggingface.co/docs/safetensors).
 *
 * <p>Layout: bytes [0, 8) hold N, the header length, as a little-endian unsigned 64-bit integer; bytes [8, 8+N)
 * hold a UTF-8 JSON object; the rest of the file is the data buffer. The header maps each tensor name to
 * {@code {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}} with offsets relative to the start of the
 * data buffer, plus an optional {@code "__metadata__"} object of string to string. Tensor data is little-endian
 * and row-major; the tensors tile the buffer without gaps or overlaps. The writer pads the header with spaces
 * so that the data buffer starts at a multiple of 8 bytes, as the reference implementation does.
 *
 * <p>{@link #write} replaces the file atomically; {@link #read} checks the whole header against the file size
 * before it allocates any tensor, so a corrupt or hostile file costs at most {@value #MAX_HEADER_BYTES} bytes
 * of header and fails with a one-line {@link ModelFormatException}.
 */
public final class ModelFile {
    /** The header key that holds string metadata rather than a tensor. */
    public static final String METADATA_KEY = "__metadata__";

    /** Largest header accepted, 100 MiB, the same limit as the reference implementation. */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    /** Largest Java array, and so the largest tensor that can be read. */
    private static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private static final int CHUNK_BYTES = 1 << 16;

    private ModelFile() {}

    /** Tensors and metadata of one model file, both in file order. */
    public record Loaded(Map<String, Tensor> tensors, Map<String, String> metadata) {
        public Loaded {
            Objects.requireNonNull(tensors, "tensors");
            Objects.requireNonNull(metadata, "metadata");
        }
    }

    /** Element types the reader accepts; every one is converted to float32 on reading. */
    private enum DType {
        F32(4), F64(8), F16(2), BF16(2);

        final int bytes;

        DType(int bytes) { this.bytes = bytes; }

        static DType of(String name) {
            for (DType d : values()) if (d.name().equals(name)) return d;
            return null;
        }
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes {@code tensors} (as F32, in the map's iteration order) and {@code metadata} to {@code file},
     * atomically: the data goes to a hidden temp file in the same directory, is forced to disk, then renamed over
     * {@code file}; on any failure the temp file is deleted and an existing {@code file} is left untouched.
     *
     * @throws IllegalArgumentException for a null or reserved ({@value #METADATA_KEY}) name or a null value
     * @throws UncheckedIOException     when the file cannot be written
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(metadata, "metadata");

        // Snapshot once, so the header and the data are written from the same entries.
        List<Map.Entry<String, Tensor>> entries = new ArrayList<>(tensors.size());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey() == null) throw new IllegalArgumentException("tensor name is null; expected a string");
            if (e.getKey().equals(METADATA_KEY)) {
                throw new IllegalArgumentException("tensor name \"" + METADATA_KEY + "\" is reserved for metadata");
            }
            if (e.getValue() == null) throw new IllegalArgumentException("tensor '" + e.getKey() + "' is null");
            entries.add(Map.entry(e.getKey(), e.getValue()));
        }
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            Map<String, String> meta = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    throw new IllegalArgumentException("metadata must map strings to strings, got "
                            + e.getKey() + " -> " + e.getValue());
                }
                meta.put(e.getKey(), e.getValue());
            }
            header.put(METADATA_KEY, meta);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : entries) {
            Tensor t = e.getValue();
            long end = offset + 4L * t.data.length;
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("dtype", "F32");
            spec.put("shape", t.shape());
            spec.put("data_offsets", new long[] {offset, end});
            header.put(e.getKey(), spec);
            offset = end;
        }

        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int headerLength = json.length + (8 - json.length % 8) % 8;   // 8 + N is then a multiple of 8
        if (headerLength > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException(file.getFileName() + ": header would be " + headerLength
                    + " bytes, more than the " + MAX_HEADER_BYTES + " a reader accepts");
        }
        ByteBuffer head = ByteBuffer.allocate(8 + headerLength).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(headerLength).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();

        try {
            AtomicFile.write(file, ch -> {
                AtomicFile.writeFully(ch, head);
                ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                for (Map.Entry<String, Tensor> e : entries) {
                    float[] data = e.getValue().data;
                    for (int from = 0; from < data.length; ) {
                        int n = Math.min(data.length - from, CHUNK_BYTES / 4);
                        chunk.clear();
                        chunk.asFloatBuffer().put(data, from, n);
                        chunk.limit(4 * n);
                        AtomicFile.writeFully(ch, chunk);
                        from += n;
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(file.getFileName() + ": could not write model file: " + e, e);
        }
    }




    // ------------------------------------------------------------------ reading

    /** One validated header entry. */
    private record Spec(String name, DType dtype, int[] shape, long begin, long end) {}

    /**
     * Reads every tensor (converted to float32) and the metadata of {@code file}.
     *
     * @throws ModelFormatException  when the file is missing ({@code no such file: PATH}) or is not a valid
     *                               safetensors file; the message starts with the file name and names the problem
     * @throws UncheckedIOException  when reading fails for another reason
     */
    public static Loaded read(Path file) {
        Objects.requireNonNull(file, "file");
        String name = String.valueOf(file.getFileName());
        if (Files.isDirectory(file)) throw new ModelFormatException(name + ": is a directory, expected a model file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch, name);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException("no such file: " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": could not read model file: " + e, e);
        }
    }

    private static Loaded read(FileChannel ch, String name) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw fail(name, "file is " + size + " bytes, too short for the 8-byte header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lengthBytes, 0);
        long n = lengthBytes.flip().getLong();
        if (n < 0 || n > size - 8) {   // n < 0: the unsigned length is at least 2^63
            throw fail(name, "header length " + Long.toUnsignedString(n) + " exceeds the " + (size - 8)
                    + " bytes after the length field");
        }
        if (n > MAX_HEADER_BYTES) {
            throw fail(name, "header length " + n + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes (100 MiB)");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) n);
        readFully(ch, headerBytes, 8);
        Object parsed;
        try {
            parsed = Json.parse(headerBytes.array());
        } catch (JsonException e) {
            throw fail(name, "header is not valid JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> header)) {
            throw fail(name, "header is a JSON " + kind(parsed) + ", expected an object");
        }

        long dataStart = 8 + n;
        long bufferSize = size - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Spec> specs = new ArrayList<>();
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String key = (String) e.getKey();
            if (key.equals(METADATA_KEY)) {
                readMetadata(name, e.getValue(), metadata);
            } else {
                specs.add(readSpec(name, key, e.getValue(), bufferSize));
            }
        }
        checkTiling(name, specs, bufferSize);

        // Everything is consistent with the file size: only now allocate and read tensor data.
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Spec s : specs) {
            float[] data = new float[Math.toIntExact((s.end - s.begin) / s.dtype.bytes)];
            readData(ch, dataStart + s.begin, s.dtype, data);
            tensors.put(s.name, new Tensor(data, s.shape));
        }
        return new Loaded(tensors, metadata);
    }

    private static void readMetadata(String name, Object value, Map<String, String> metadata) {
        if (!(value instanceof Map<?, ?> map)) {
            throw fail(name, METADATA_KEY + " is a JSON " + kind(value) + ", expected an object of strings");
        }
        for (Map.Entry<?, ?> m : map.entrySet()) {
            if (!(m.getValue() instanceof String s)) {
                throw fail(name, METADATA_KEY + " must map strings to strings, but key " + quote((String) m.getKey())
                        + " holds a JSON " + kind(m.getValue()));
            }
            metadata.put((String) m.getKey(), s);
        }
    }

    private static final Set<String> SPEC_FIELDS = Set.of("dtype", "shape", "data_offsets");

    private static Spec readSpec(String name, String tensor, Object value, long bufferSize) {
        String t = "tensor " + quote(tensor);
        if (!(value instanceof Map<?, ?> map)) {
            throw fail(name, t + " is described by a JSON " + kind(value)
                    + ", expected an object with dtype, shape and data_offsets");
        }
        for (Object field : map.keySet()) {
            if (!SPEC_FIELDS.contains(field)) {
                throw fail(name, t + " has unknown field " + quote((String) field)
                        + "; expected only dtype, shape, data_offsets");
            }
        }
        for (String field : List.of("dtype", "shape", "data_offsets")) {
            if (!map.containsKey(field)) throw fail(name, t + " has no '" + field + "'");
        }

        Object dtypeValue = map.get("dtype");
        DType dtype = dtypeValue instanceof String s ? DType.of(s) : null;
        if (dtype == null) {
            throw fail(name, t + " has dtype " + brief(dtypeValue)
                    + "; cae4j reads F32 (and converts F64, F16, BF16 to F32)");
        }

        Object shapeValue = map.get("shape");
        if (!(shapeValue instanceof List<?> dims)) {
            throw fail(name, t + " has shape " + brief(shapeValue) + "; expected a list of non-negative integers");
        }
        int[] shape = new int[dims.size()];
        for (int k = 0; k < shape.length; k++) {
            if (!(dims.get(k) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
                throw fail(name, t + " has shape " + brief(dims) + "; expected a list of integers in [0, "
                        + Integer.MAX_VALUE + "]");
            }
            shape[k] = (int) (long) d;
        }
        long elements;
        long bytes;
        try {
            elements = 1;
            for (int d : shape) elements = Math.multiplyExact(elements, d);
            bytes = Math.multiplyExact(elements, dtype.bytes);
        } catch (ArithmeticException overflow) {
            throw fail(name, t + " has shape " + brief(dims) + ", whose size in bytes overflows 64 bits");
        }

        Object offsetsValue = map.get("data_offsets");
        if (!(offsetsValue instanceof List<?> offsets) || offsets.size() != 2
                || !(offsets.get(0) instanceof Long) || !(offsets.get(1) instanceof Long)) {
            throw fail(name, t + " has data_offsets " + brief(offsetsValue)
                    + "; expected [begin, end], two integers");
        }
        long begin = (Long) offsets.get(0);
        long end = (Long) offsets.get(1);
        if (begin < 0 || begin > end || end > bufferSize) {
            throw fail(name, t + " data_offsets [" + begin + ", " + end + "] are outside the data buffer; expected"
                    + " 0 <= begin <= end <= " + bufferSize + " (the bytes after the header)");
        }
        if (end - begin != bytes) {
            throw fail(name, t + " data_offsets [" + begin + ", " + end + "] hold " + (end - begin)
                    + " bytes but shape " + brief(dims) + " of " + dtype + " needs " + bytes + " ("
                    + elements + " elements of " + dtype.bytes + " bytes)");
        }
        if (elements > MAX_ELEMENTS) {
            throw fail(name, t + " has " + elements + " elements; a Java array holds at most " + MAX_ELEMENTS);
        }
        return new Spec(tensor, dtype, shape, begin, end);
    }

    /** Checks that the tensors cover [0, bufferSize) exactly once, as the reference implementation requires. */
    private static void checkTiling(String name, List<Spec> specs, long bufferSize) {
        List<Spec> sorted = new ArrayList<>(specs);
        sorted.sort(Comparator.comparingLong(Spec::begin).thenComparingLong(Spec::end));
        long covered = 0;
        Spec previous = null;
        for (Spec s : sorted) {
            if (s.begin < covered) {
                throw fail(name, "tensors " + quote(previous.name) + " [" + previous.begin + ", " + previous.end
                        + "] and " + quote(s.name) + " [" + s.begin + ", " + s.end + "] overlap in the data buffer");
            }
            if (s.begin > covered) {
                throw fail(name, "bytes [" + covered + ", " + s.begin + ") of the data buffer belong to no tensor;"
                        + " expected tensors to cover it without gaps");
            }
            covered = s.end;
            previous = s;
        }
        if (covered != bufferSize) {
            throw fail(name, "bytes [" + covered + ", " + bufferSize + ") at the end of the data buffer belong to"
                    + " no tensor; expected the file to end at the last tensor");
        }
    }

    private static void readData(FileChannel ch, long position, DType dtype, float[] dst) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        int per = CHUNK_BYTES / dtype.bytes;
        for (int from = 0; from < dst.length; ) {
            int n = Math.min(dst.length - from, per);
            chunk.clear().limit(n * dtype.bytes);
            readFully(ch, chunk, position);
            chunk.flip();
            switch (dtype) {
                case F32 -> chunk.asFloatBuffer().get(dst, from, n);
                case F64 -> { for (int k = 0; k < n; k++) dst[from + k] = (float) chunk.getDouble(); }
                case F16 -> { for (int k = 0; k < n; k++) dst[from + k] = halfToFloat(chunk.getShort()); }
                case BF16 -> { for (int k = 0; k < n; k++) dst[from + k] = Float.intBitsToFloat(chunk.getShort() << 16); }
            }
            position += (long) n * dtype.bytes;
            from += n;
        }
    }

    /** IEEE 754 binary16 to float: sign, 5-bit exponent (bias 15), 10-bit mantissa. */
    static float halfToFloat(short h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0x1F) return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));   // inf, NaN
        if (exp == 0) {                                                                      // zero, subnormal
            float f = mant * 0x1p-24f;
            return sign != 0 ? -f : f;
        }
        return Float.intBitsToFloat(sign | ((exp + 127 - 15) << 23) | (mant << 13));
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, position);
            if (r < 0) throw new EOFException("file ended at byte " + position + " while reading (did it shrink?)");
            position += r;
        }
    }

    private static String kind(Object v) {
        if (v == null) return "null";
        if (v instanceof Map) return "object";
        if (v instanceof List) return "array";
        if (v instanceof String) return "string";
        if (v instanceof Boolean) return "boolean";
        return "number";
    }

    /** A JSON value as {@code [16, 1, 5, 5]}, cut at 80 characters so that messages stay one short line. */
    private static String brief(Object v) {
        String text;
        if (v instanceof List<?> list) {
            StringJoiner j = new StringJoiner(", ", "[", "]");
            for (Object o : list) j.add(Json.write(o));
            text = j.toString();
        } else {
            text = Json.write(v);
        }
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    /** A name in single quotes with control characters escaped, so that it cannot break the message line. */
    private static String quote(String s) {
        String escaped = Json.write(s);
        escaped = escaped.substring(1, escaped.length() - 1);
        return "'" + (escaped.length() > 80 ? escaped.substring(0, 77) + "..." : escaped) + "'";
    }

    private static ModelFormatException fail(String name, String problem) {
        return new ModelFormatException(name + ": " + problem);
    }

    private static ModelFormatException fail(String name, String problem, Throwable cause) {
        return new ModelFormatException(name + ": " + problem, cause);
    }
}
