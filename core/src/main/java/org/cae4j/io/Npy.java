package org.cae4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Writing NumPy {@code .npy} files (format version 1.0): the magic {@code \x93NUMPY}, a little-endian header
 * length, a Python-dict header padded to 64 bytes, then the C-order data. {@code numpy.load} reads them.
 */
public final class Npy {
    private Npy() {}

    /** The header of an array of {@code dtype} ({@code <f4} float32, {@code |u1} uint8) and {@code shape}. */
    public static ByteBuffer header(String dtype, long... shape) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < shape.length; i++) s.append(i == 0 ? "" : ", ").append(shape[i]);
        if (shape.length == 1) s.append(',');
        String dict = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (" + s + "), }";
        int unpadded = 10 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        byte[] text = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(10 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) text.length).put(text);
        return b.flip();
    }

    /** Writes float32 values little-endian. */
    public static void writeFloats(FileChannel ch, float[] data, int from, int count) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * count).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data, from, count);
        AtomicFile.writeFully(ch, b);
    }
}
