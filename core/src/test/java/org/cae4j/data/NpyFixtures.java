package org.cae4j.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.cae4j.io.Npy;

/** Builds small .npy and .npz files by hand for the data tests. */
final class NpyFixtures {
    private NpyFixtures() {}

    /** A .npy file written with the project's writer header: {@code dtype}, {@code shape}, then {@code data} as given. */
    static byte[] npy(String dtype, long[] shape, byte[] data) {
        ByteBuffer h = Npy.header(dtype, shape);
        byte[] out = new byte[h.remaining() + data.length];
        h.get(out, 0, h.remaining());
        System.arraycopy(data, 0, out, out.length - data.length, data.length);
        return out;
    }

    /** A version 1.0 .npy file with {@code dict} as the header text, unpadded, then {@code data}. */
    static byte[] npyRaw(String dict, byte[] data) {
        byte[] text = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + text.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) text.length).put(text).put(data);
        return b.array();
    }

    static byte[] floatsLE(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    static byte[] longsLE(long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) b.putLong(x);
        return b.array();
    }

    /** A zip of the given members (name without .npy -> .npy bytes), deflated like np.savez_compressed. */
    static byte[] npz(Map<String, byte[]> members) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ZipOutputStream z = new ZipOutputStream(out)) {
                for (Map.Entry<String, byte[]> m : members.entrySet()) {
                    z.putNextEntry(new ZipEntry(m.getKey() + ".npy"));
                    z.write(m.getValue());
                    z.closeEntry();
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
