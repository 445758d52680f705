package org.cae4j.data;

import static org.cae4j.data.IdxFixtures.gzip;
import static org.cae4j.data.IdxFixtures.idx;
import static org.cae4j.data.IdxFixtures.ramp;
import static org.cae4j.data.IdxFixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    /** Two 3x3 images with pixels 0..17, hand-checkable: image 1 starts at pixel 9. */
    private static final int[] DIMS = {2, 3, 3};
    private static final byte[] PIXELS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, (byte) 255};

    private static void assertMessage(DataFileException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "message lacks '" + p + "': " + e.getMessage());
        }
        assertTrue(e.getMessage().indexOf('\n') < 0, () -> "message is not one line: " + e.getMessage());
    }

    @Test
    void readsHandMadeRawImageFileExactly() {
        Path f = write(dir, "tiny-images-idx3-ubyte", idx(DIMS, PIXELS));
        Idx.Contents c = Idx.readImages(f);
        assertArrayEquals(DIMS, c.dims());
        assertArrayEquals(PIXELS, c.data());
        assertEquals(f.toString(), c.source());
    }

    @Test
    void detectsGzipByMagicNotByName() {
        Path plainName = write(dir, "tiny-images-idx3-ubyte", gzip(idx(DIMS, PIXELS)));
        Idx.Contents c = Idx.readImages(plainName);
        assertArrayEquals(DIMS, c.dims());
        assertArrayEquals(PIXELS, c.data());

        Path gzName = write(dir, "raw-but-named.gz", idx(DIMS, PIXELS));
        assertArrayEquals(PIXELS, Idx.readImages(gzName).data());
    }

    @Test
    void readsLabelsAndGenericDimsFromStreams() {
        byte[] labels = {3, 1, 4, 1, 5};
        Idx.Contents l = Idx.readLabels(new ByteArrayInputStream(gzip(idx(new int[] {5}, labels))), "labels.gz");
        assertArrayEquals(new int[] {5}, l.dims());
        assertArrayEquals(labels, l.data());

        Idx.Contents four = Idx.read(new ByteArrayInputStream(idx(new int[] {2, 1, 2, 3}, ramp(12))), "four");
        assertArrayEquals(new int[] {2, 1, 2, 3}, four.dims());
        assertArrayEquals(ramp(12), four.data());
    }

    @Test
    void labelFileGivenAsImagesIsRejectedWithBothMagics() {
        Path f = write(dir, "train-labels-idx1-ubyte", idx(new int[] {5}, ramp(5)));
        DataFileException e = assertThrows(DataFileException.class, () -> Idx.readImages(f));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertMessage(e, "not an IDX image file", "magic 0x00000801", "expected 0x00000803");
    }

    @Test
    void imageFileGivenAsLabelsIsRejected() {
        Path f = write(dir, "imgs", idx(DIMS, PIXELS));
        DataFileException e = assertThrows(DataFileException.class, () -> Idx.readLabels(f));
        assertMessage(e, f.toString(), "not an IDX label file", "magic 0x00000803", "expected 0x00000801");
    }

    @Test
    void nonIdxFileIsRejectedWithItsMagic() {
        Path f = write(dir, "picture.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        DataFileException e = assertThrows(DataFileException.class, () -> Idx.read(f));
        assertMessage(e, f.toString(), "not an IDX file", "magic 0x89504E47", "expected 0x00000801..0x00000804");
    }

    @Test
    void floatElementTypeIsRejectedByName() {
        Path f = write(dir, "floats", idx(0x0D, new int[] {1, 1, 1}, new byte[4]));
        DataFileException e = assertThrows(DataFileException.class, () -> Idx.readImages(f));
        assertMessage(e, f.toString(), "0x0D (float) is not supported", "expected 0x08 (unsigned byte)");
    }

    @Test
    void truncatedRawFileReportsExpectedAndFoundBytes() {
        Path f = write(dir, "short", idx(DIMS, Arrays.copyOf(PIXELS, 17)));
        DataFileException e = assertThrows(DataFileException.class, () -> Idx.readImages(f));
        assertMessage(e, f.toString(), "truncated", "2 x 3 x 3 = 18 payload bytes", "found 17");
    }

    @Test
    void trailingBytesInRawFileAreRejected() {
        Path f = write(dir, "long", idx(DIMS, Arrays.copyOf(PIXELS, 20)));
        DataFileException e = assertThrows(DataFileException.class, () -> Idx.readImages(f));
        assertMessage(e, f.toString(), "trailing data", "18 payload bytes", "found 20");
    }

    @Test
    void zeroDimensionIsRejected() {
        Path f = write(dir, "empty-rows", idx(new int[] {2, 0, 3}, new byte[0]));
        DataFileException e = assertThrows(DataFileException.class, () -> Idx.readImages(f));
        assertMessage(e, f.toString(), "dimension 2 of 3 is 0", "expected a size in 1..");
    }

    @Test
    void dimensionAboveIntRangeIsRejected() {
        Path f = write(dir, "huge-dim", idx(new int[] {0x8000_0000}, new byte[0]));
        DataFileException e = assertThrows(DataFileException.class, () -> Idx.readLabels(f));
        assertMessage(e, f.toString(), "dimension 1 of 1 is 2147483648");
    }

    @Test
    void declaredSizeBeyondArrayLimitIsRejectedBeforeAllocating() {
        // 65536 x 65536 x 1 = 2^32 bytes declared by a 16-byte file.
        Path f = write(dir, "liar", idx(new int[] {65536, 65536, 1}, new byte[0]));
        DataFileException e = assertThrows(DataFileException.class, () -> Idx.readImages(f));
        assertMessage(e, f.toString(), "65536 x 65536", "more than " + Idx.MAX_BYTES);
    }

    @Test
    void headerCutShortIsRejected() {
        Path empty = write(dir, "empty", new byte[0]);
        assertMessage(assertThrows(DataFileException.class, () -> Idx.read(empty)),
                empty.toString(), "too short for an IDX header", "found 0");
        Path half = write(dir, "half-header", Arrays.copyOf(idx(DIMS, PIXELS), 10));
        assertMessage(assertThrows(DataFileException.class, () -> Idx.readImages(half)),
                half.toString(), "header ends early", "expected 16 bytes", "found 10");
    }

    @Test
    void truncatedGzipStreamIsRejected() {
        byte[] z = gzip(idx(new int[] {50, 28, 28}, ramp(50 * 28 * 28)));
        Path f = write(dir, "cut.gz", Arrays.copyOf(z, z.length / 2));
        DataFileException e = assertThrows(DataFileException.class, () -> Idx.readImages(f));
        assertMessage(e, f.toString(), "gzip data ends early", "truncated");
    }

    @Test
    void gzipWithShortPayloadReportsExpectedAndFoundBytes() {
        Path f = write(dir, "short.gz", gzip(idx(DIMS, Arrays.copyOf(PIXELS, 11))));
        DataFileException e = assertThrows(DataFileException.class, () -> Idx.readImages(f));
        assertMessage(e, f.toString(), "truncated", "18 payload bytes", "found 11 after decompression");
    }

    @Test
    void gzipWithTrailingBytesIsRejected() {
        Path f = write(dir, "long.gz", gzip(idx(DIMS, Arrays.copyOf(PIXELS, 19))));
        DataFileException e = assertThrows(DataFileException.class, () -> Idx.readImages(f));
        assertMessage(e, f.toString(), "trailing data", "found 19 after decompression");
    }

    @Test
    void missingFileSaysNoSuchFile() {
        Path f = dir.resolve("nope-idx3-ubyte.gz");
        DataFileException e = assertThrows(DataFileException.class, () -> Idx.readImages(f));
        assertEquals("no such file: " + f, e.getMessage());
    }
}
