package org.cae4j.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reader for IDX files (the MNIST, Fashion-MNIST and EMNIST layout), raw or gzipped, unsigned bytes only.
 *
 * <p>Layout: a magic number {@code 0x0000TTDD} (TT element type, DD number of dimensions), DD big-endian int32
 * sizes, then the payload in row-major order. Images are {@code 0x00000803} (N, H, W), labels {@code 0x00000801}
 * (N). Gzip is recognised by its magic bytes {@code 1f 8b}, not by the file name. Everything is checked before
 * the payload is allocated: magic, element type, number of dimensions, each size positive, and the product
 * of the sizes at most {@link #MAX_BYTES}; afterwards the payload must be exactly that long, with nothing after it.
 * Every failure is a {@link DataFileException} whose message starts with the file name.
 */
public final class Idx {
    /** Largest payload accepted, in bytes: the largest {@code byte[]} a JVM reliably allocates. */
    public static final int MAX_BYTES = Integer.MAX_VALUE - 8;

    private static final int UNSIGNED_BYTE = 0x08;
    /** Trailing bytes counted after a gzip payload before giving up and reporting "more than". */
    private static final int TRAILING_COUNT_LIMIT = 1 << 16;

    private Idx() {}

    /**
     * The sizes and payload of one IDX file; the arrays are not copied.
     *
     * @param source the file name used in messages
     * @param dims   the sizes from the header, e.g. (N, H, W) for images
     * @param data   the payload, row-major, unsigned bytes stored in {@code byte}
     */
    public record Contents(String source, int[] dims, byte[] data) {}

    /** Reads an IDX image file; dims (N, H, W). */
    public static Contents readImages(Path file) {
        return read(file, 3, 3);
    }

    /** Reads an IDX label file; dims (N). */
    public static Contents readLabels(Path file) {
        return read(file, 1, 1);
    }

    /** Reads an unsigned-byte IDX file of 1 to 4 dimensions. */
    public static Contents read(Path file) {
        return read(file, 1, 4);
    }

    /** Reads an IDX image file from {@code in}, naming it {@code source} in messages; reads to the end and closes {@code in}. */
    public static Contents readImages(InputStream in, String source) {
        return read(in, source, 3, 3);
    }

    /** Reads an IDX label file from {@code in}, naming it {@code source} in messages; reads to the end and closes {@code in}. */
    public static Contents readLabels(InputStream in, String source) {
        return read(in, source, 1, 1);
    }

    /** Reads a 1- to 4-dimensional IDX file from {@code in}; reads to the end and closes {@code in}. */
    public static Contents read(InputStream in, String source) {
        return read(in, source, 1, 4);
    }

    private static Contents read(Path file, int minDims, int maxDims) {
        String source = file.toString();
        if (Files.isDirectory(file)) throw new DataFileException(source + ": is a directory, expected an IDX file");
        if (!Files.exists(file)) throw new DataFileException("no such file: " + source);
        try {
            long size = Files.size(file);
            return read(Files.newInputStream(file), source, size, minDims, maxDims);
        } catch (NoSuchFileException e) {
            throw new DataFileException("no such file: " + source, e);
        } catch (IOException e) {
            throw new DataFileException(source + ": cannot read (" + e + ")", e);
        }
    }

    private static Contents read(InputStream in, String source, int minDims, int maxDims) {
        return read(in, source, -1, minDims, maxDims);
    }

    /** {@code rawSize} is the stream's length in bytes when known (a file on disk), else -1. */
    private static Contents read(InputStream in, String source, long rawSize, int minDims, int maxDims) {
        try (InputStream buffered = new BufferedInputStream(in, 1 << 16)) {
            buffered.mark(2);
            boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
            buffered.reset();
            try (InputStream s = gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered) {
                return readBody(s, source, gzip ? -1 : rawSize, gzip, minDims, maxDims);
            }
        } catch (EOFException e) {
            throw new DataFileException(source + ": gzip data ends early, the file is truncated or corrupt ("
                    + e.getMessage() + ")", e);
        } catch (ZipException e) {
            throw new DataFileException(source + ": corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new DataFileException(source + ": cannot read (" + e + ")", e);
        }
    }

    private static Contents readBody(InputStream s, String source, long knownSize, boolean gzip,
                                     int minDims, int maxDims) throws IOException {
        byte[] head = s.readNBytes(4);
        if (head.length < 4) {
            throw new DataFileException(source + ": too short for an IDX header (expected at least 4 bytes, found "
                    + head.length + ")");
        }
        int magic = ((head[0] & 0xff) << 24) | ((head[1] & 0xff) << 16) | ((head[2] & 0xff) << 8) | (head[3] & 0xff);
        int type = head[2] & 0xff, nd = head[3] & 0xff;
        checkMagic(source, magic, type, nd, minDims, maxDims);

        byte[] dimBytes = s.readNBytes(4 * nd);
        if (dimBytes.length < 4 * nd) {
            throw new DataFileException(source + ": header ends early (expected " + (4 + 4 * nd) + " bytes for "
                    + nd + " dimensions, found " + (4 + dimBytes.length) + ")");
        }
        int[] dims = new int[nd];
        long count = 1;
        for (int i = 0; i < nd; i++) {
            int o = 4 * i;
            long d = ((dimBytes[o] & 0xffL) << 24) | ((dimBytes[o + 1] & 0xff) << 16)
                    | ((dimBytes[o + 2] & 0xff) << 8) | (dimBytes[o + 3] & 0xff);
            if (d == 0 || d > Integer.MAX_VALUE) {
                throw new DataFileException(source + ": dimension " + (i + 1) + " of " + nd + " is " + d
                        + ", expected a size in 1.." + Integer.MAX_VALUE);
            }
            dims[i] = (int) d;
            count *= d; // stays below 2^62: count <= MAX_BYTES before each step, d < 2^31
            if (count > MAX_BYTES) {
                throw new DataFileException(source + ": header declares " + shape(dims, i + 1) + " = more than "
                        + MAX_BYTES + " payload bytes, the largest array Java can hold");
            }
        }
        int n = (int) count;
        long headerBytes = 4 + 4L * nd;
        if (knownSize >= 0 && knownSize - headerBytes != n) {
            throw sizeMismatch(source, dims, n, knownSize - headerBytes, false);
        }
        byte[] data;
        if (knownSize >= 0) {
            data = new byte[n];
            int got = s.readNBytes(data, 0, n);
            if (got < n) throw sizeMismatch(source, dims, n, got, gzip);
        } else {
            // Unknown length (gzip or a plain stream): read in chunks, so a lying header cannot force a big allocation.
            data = s.readNBytes(n);
            if (data.length < n) throw sizeMismatch(source, dims, n, data.length, gzip);
        }
        long extra = 0;
        byte[] skip = new byte[8192];
        for (int r; extra <= TRAILING_COUNT_LIMIT && (r = s.read(skip)) != -1; ) extra += r;
        if (extra > 0) throw sizeMismatch(source, dims, n, n + extra, gzip);
        return new Contents(source, dims, data);
    }

    private static void checkMagic(String source, int magic, int type, int nd, int minDims, int maxDims) {
        boolean idx = (magic >>> 16) == 0 && nd >= 1 && nd <= 4;
        if (idx && type != UNSIGNED_BYTE) {
            throw new DataFileException(source + ": IDX element type " + hex2(type) + " (" + typeName(type)
                    + ") is not supported, expected 0x08 (unsigned byte) (magic " + hex8(magic) + ")");
        }
        if (idx && nd >= minDims && nd <= maxDims) return;
        String expected = minDims == maxDims
                ? hex8(0x0800 | minDims)
                : hex8(0x0800 | minDims) + ".." + hex8(0x0800 | maxDims);
        String what = minDims == 3 && maxDims == 3 ? "an IDX image file"
                : minDims == 1 && maxDims == 1 ? "an IDX label file" : "an IDX file";
        throw new DataFileException(source + ": not " + what + " (magic " + hex8(magic) + ", expected " + expected + ")");
    }

    private static DataFileException sizeMismatch(String source, int[] dims, int expected, long found, boolean gzip) {
        String problem = found < expected ? "truncated" : "trailing data after the payload";
        String foundText = gzip && found > expected + TRAILING_COUNT_LIMIT
                ? "more than " + (expected + TRAILING_COUNT_LIMIT) : Long.toString(found);
        return new DataFileException(source + ": " + problem + ": header declares " + shape(dims, dims.length) + " = "
                + expected + " payload bytes, found " + foundText + (gzip ? " after decompression" : ""));
    }

    private static String shape(int[] dims, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : " x ").append(dims[i]);
        return b.toString();
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x08 -> "unsigned byte";
            case 0x09 -> "signed byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> "unknown";
        };
    }

    private static String hex8(int v) {
        return String.format("0x%08X", v);
    }

    private static String hex2(int v) {
        return String.format("0x%02X", v);
    }
}
