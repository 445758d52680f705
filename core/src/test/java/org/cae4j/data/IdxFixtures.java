package org.cae4j.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Builds small IDX files by hand for the data tests. */
final class IdxFixtures {
    private IdxFixtures() {}

    /** IDX bytes: magic 0x0000TTDD, the dims big-endian, then {@code payload} as given (lengths not checked). */
    static byte[] idx(int type, int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length); // big-endian by default
        b.putInt((type << 8) | dims.length);
        for (int d : dims) b.putInt(d);
        b.put(payload);
        return b.array();
    }

    /** Unsigned-byte IDX bytes. */
    static byte[] idx(int[] dims, byte[] payload) {
        return idx(0x08, dims, payload);
    }

    /** Payload 0, 1, 2, ... (mod 256) of length n. */
    static byte[] ramp(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) p[i] = (byte) i;
        return p;
    }

    static byte[] gzip(byte[] raw) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(out)) {
                z.write(raw);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
