package org.cae4j.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cae4j.tensor.Tensor;

/**
 * Reads the golden files that {@code scripts/golden/make_golden.py} writes with PyTorch.
 *
 * <p>Format, all numbers little-endian:
 * <pre>
 *   8 bytes   magic "C4JGOLD1"
 *   uint32    format version = 1
 *   uint16    n, then n bytes UTF-8: the producer, e.g. "torch 1.13.1"
 *   uint32    tensor count T
 *   T times:  uint16 n, n bytes UTF-8 name;  uint8 ndim;  int32 dims[ndim];  float32 data[prod(dims)] (row-major)
 * </pre>
 * A wrong magic number, an unknown version, a duplicate name, a truncated file or trailing bytes are errors
 * that name the resource and what was found.
 */
public final class Golden {
    /** The eight bytes every golden file starts with. */
    public static final byte[] MAGIC = "C4JGOLD1".getBytes(StandardCharsets.US_ASCII);
    /** The only format version this reader understands. */
    public static final int VERSION = 1;

    private Golden() {}

    /** A golden file's producer (e.g. "torch 1.13.1") and its tensors in file order. */
    public record Contents(String producer, Map<String, Tensor> tensors) {}

    /** The tensors of classpath resource {@code resourceName} (e.g. "golden/conv2d.golden"), by name, in file order. */
    public static Map<String, Tensor> read(String resourceName) {
        return load(resourceName).tensors();
    }

    /** The producer and tensors of classpath resource {@code resourceName}. */
    public static Contents load(String resourceName) {
        String path = resourceName.startsWith("/") ? resourceName : "/" + resourceName;
        try (InputStream in = Golden.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalArgumentException(resourceName + ": no such resource on the test classpath");
            return parse(resourceName, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(resourceName + ": cannot read", e);
        }
    }

    /** Parses the bytes of a golden file; {@code source} names it in error messages. */
    public static Contents parse(String source, byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            byte[] magic = new byte[MAGIC.length];
            buf.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IllegalArgumentException(source + ": not a golden file (magic "
                        + printable(magic) + ", expected " + printable(MAGIC) + ")");
            }
            int version = buf.getInt();
            if (version != VERSION) {
                throw new IllegalArgumentException(source + ": golden format version " + Integer.toUnsignedString(version)
                        + ", this reader understands version " + VERSION);
            }
            String producer = string(buf);
            long count = Integer.toUnsignedLong(buf.getInt());
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (long t = 0; t < count; t++) {
                String name = string(buf);
                int ndim = Byte.toUnsignedInt(buf.get());
                int[] dims = new int[ndim];
                for (int i = 0; i < ndim; i++) {
                    dims[i] = buf.getInt();
                    if (dims[i] < 0) {
                        throw new IllegalArgumentException(source + ": tensor '" + name + "' has a negative dimension "
                                + Arrays.toString(Arrays.copyOf(dims, i + 1)));
                    }
                }
                long n = Tensor.numel(dims);
                if (n * 4 > buf.remaining()) {
                    throw new IllegalArgumentException(source + ": tensor '" + name + "' of shape "
                            + Arrays.toString(dims) + " needs " + n * 4 + " bytes, only " + buf.remaining() + " left");
                }
                float[] data = new float[(int) n];
                buf.asFloatBuffer().get(data);
                buf.position(buf.position() + 4 * (int) n);
                if (tensors.put(name, new Tensor(data, dims)) != null) {
                    throw new IllegalArgumentException(source + ": duplicate tensor name '" + name + "'");
                }
            }
            if (buf.hasRemaining()) {
                throw new IllegalArgumentException(source + ": " + buf.remaining() + " bytes after the last of "
                        + count + " tensors");
            }
            return new Contents(producer, Collections.unmodifiableMap(tensors));
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException(source + ": truncated at byte " + buf.position() + " of " + bytes.length, e);
        }
    }

    private static String string(ByteBuffer buf) {
        int n = Short.toUnsignedInt(buf.getShort());
        byte[] b = new byte[n];
        buf.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String printable(byte[] b) {
        StringBuilder s = new StringBuilder("\"");
        for (byte x : b) {
            if (x >= 0x20 && x < 0x7f) s.append((char) x);
            else s.append(String.format("\\x%02x", x & 0xff));
        }
        return s.append('"').toString();
    }
}
