package org.cae4j.data;

import static org.cae4j.data.IdxFixtures.gzip;
import static org.cae4j.data.IdxFixtures.idx;
import static org.cae4j.data.IdxFixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDatasetTest {
    @TempDir
    Path dir;

    /** Three 1x2x2 images: image i holds bytes 4i..4i+3, except image 2 which holds 0, 51, 204, 255. */
    private static ImageDataset threeImages() {
        byte[] pixels = {0, 1, 2, 3, 4, 5, 6, 7, 0, 51, (byte) 204, (byte) 255};
        return new ImageDataset("three", pixels, new byte[] {7, 0, (byte) 200}, 3, 1, 2, 2);
    }

    @Test
    void copyBatchConvertsBytesToUnitIntervalInIndexOrder() {
        float[] dst = new float[9];
        dst[8] = -1;
        threeImages().copyBatch(new int[] {9, 2, 1, 9}, 1, 2, dst);
        // image 2 then image 1; 51/255f and 204/255f round to the same floats as 0.2f and 0.8f.
        float[] expected = {0f, 0.2f, 0.8f, 1f, 4 / 255f, 5 / 255f, 6 / 255f, 7 / 255f, -1};
        assertArrayEquals(expected, dst, 0f);
    }

    @Test
    void aLargeBatchSplitOverThreadsCopiesEachImageAsAloneAndChecksIndicesFirst() {
        // 40 images of 3x20x20 bytes: 48,000 pixels, above the split threshold
        int n = 40, size = 3 * 20 * 20;
        byte[] pixels = new byte[n * size];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (i * 31 + i / 7);
        ImageDataset d = new ImageDataset("forty", pixels, null, n, 3, 20, 20)
                .withNormalization(Normalization.meanStd(new float[] {0.5f, 0.4f, 0.3f}, new float[] {0.2f, 0.25f, 0.3f}));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = (i * 17) % n;
        int threads = org.cae4j.ops.Parallel.threads();
        org.cae4j.ops.Parallel.setThreads(2);
        try {
            float[] batch = new float[n * size], one = new float[size];
            d.copyBatch(order, 0, n, batch);
            for (int b = 0; b < n; b++) {
                d.copyBatch(order, b, 1, one);
                assertArrayEquals(one, java.util.Arrays.copyOfRange(batch, b * size, (b + 1) * size), 0f, "image " + b);
            }
            // a bad index late in the batch is reported before anything is written
            order[n - 1] = n;
            float[] untouched = new float[n * size];
            assertThrows(IndexOutOfBoundsException.class, () -> d.copyBatch(order, 0, n, untouched));
            assertArrayEquals(new float[n * size], untouched, 0f);
        } finally {
            org.cae4j.ops.Parallel.setThreads(threads);
        }
    }

    @Test
    void copyBatchRejectsBadIndexAndShortDestination() {
        ImageDataset d = threeImages();
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> d.copyBatch(new int[] {0, 3}, 0, 2, new float[8]));
        assertTrue(e.getMessage().contains("image index 3 is outside 0..2"), e.getMessage());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> d.copyBatch(new int[] {0, 1}, 0, 2, new float[7]));
        assertTrue(s.getMessage().contains("needs 8 floats, dst holds 7"), s.getMessage());
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class,
                () -> d.copyBatch(new int[] {0, 1}, 1, 2, new float[8]));
        assertTrue(r.getMessage().contains("batch [1, 1 + 2) is outside the 2 indices"), r.getMessage());
    }

    @Test
    void labelsAreUnsignedBytes() {
        ImageDataset d = threeImages();
        assertTrue(d.hasLabels());
        assertEquals(7, d.label(0));
        assertEquals(200, d.label(2));
    }

    @Test
    void subsetKeepsTheFirstImagesAndLabels() {
        ImageDataset s = threeImages().subset(2);
        assertEquals(2, s.size());
        assertEquals(0, s.label(1));
        float[] dst = new float[8];
        s.copyBatch(new int[] {0, 1}, 0, 2, dst);
        for (int k = 0; k < 8; k++) assertEquals(k / 255f, dst[k]);
        assertThrows(IllegalArgumentException.class, () -> threeImages().subset(4));
    }

    @Test
    void constructorRejectsPixelCountThatDoesNotMatchShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImageDataset("bad", new byte[11], null, 3, 1, 2, 2));
        assertTrue(e.getMessage().contains("expected N·C·H·W = 3·1·2·2 = 12 pixel bytes, got 11"), e.getMessage());
    }

    @Test
    void fromIdxPairsImagesWithLabels() {
        Path images = write(dir, "train-images-idx3-ubyte.gz", gzip(idx(new int[] {3, 2, 2}, IdxFixtures.ramp(12))));
        Path labels = write(dir, "train-labels-idx1-ubyte", idx(new int[] {3}, new byte[] {4, 5, 9}));
        ImageDataset d = ImageDataset.fromIdx(images, labels);
        assertEquals(3, d.size());
        assertEquals(1, d.channels());
        assertEquals(2, d.height());
        assertEquals(2, d.width());
        assertEquals(9, d.label(2));
        assertArrayEquals(IdxFixtures.ramp(12), d.pixels());

        ImageDataset unlabelled = ImageDataset.fromIdx(images, null);
        assertFalse(unlabelled.hasLabels());
        assertThrows(IllegalStateException.class, () -> unlabelled.label(0));
    }

    @Test
    void fromIdxRejectsMismatchedCountsNamingBothFiles() {
        Path images = write(dir, "imgs-idx3-ubyte", idx(new int[] {3, 2, 2}, IdxFixtures.ramp(12)));
        Path labels = write(dir, "lbls-idx1-ubyte", idx(new int[] {2}, new byte[] {1, 2}));
        DataFileException e = assertThrows(DataFileException.class, () -> ImageDataset.fromIdx(images, labels));
        assertEquals(images + " holds 3 images but " + labels + " holds 2 labels; expected one label per image",
                e.getMessage());
    }

    @Test
    void floatsThatAreExactlyBytesOver255AreStoredAsBytes() {
        float[] u = {0f, 51 / 255f, 204 / 255f, 1f};
        ImageDataset d = ImageDataset.ofFloats("exact", u, null, 1, 1, 2, 2);
        assertFalse(d.storesFloats());
        assertArrayEquals(new byte[] {0, 51, (byte) 204, (byte) 255}, d.pixels());
        float[] dst = new float[4];
        d.copyBatch(new int[] {0}, 0, 1, dst);
        assertArrayEquals(u, dst, 0f);

        ImageDataset f = ImageDataset.ofFloats("inexact", new float[] {0f, 0.3f, 0.5f, 1f}, null, 1, 1, 2, 2);
        assertTrue(f.storesFloats());
        f.copyBatch(new int[] {0}, 0, 1, dst);
        assertArrayEquals(new float[] {0f, 0.3f, 0.5f, 1f}, dst, 0f);
        assertEquals(2, f.slice(0, 1).withClassNames(java.util.List.of("a")).imageSize() / 2);
    }

    @Test
    void floatsOutsideUnitIntervalAreRejectedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageDataset.ofFloats("big", new float[] {0f, 0.5f, 255f, 1f}, null, 2, 1, 1, 2));
        assertTrue(e.getMessage().contains("value 255.0 of image 1 (flat index 2) is outside [0, 1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ImageDataset.ofFloats("nan", new float[] {Float.NaN}, null, 1, 1, 1, 1));
    }

    @Test
    void classNamesMustCoverEveryLabel() {
        ImageDataset d = threeImages();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> d.withClassNames(java.util.List.of("a", "b")));
        assertTrue(e.getMessage().contains("label 7 of image 0 has no class name; 2 names given"), e.getMessage());
    }

    @Test
    void withLabelKeepsTheImagesOfOneClassInOrder() {
        // four 1×1×2 images: pixels (0,1) (2,3) (4,5) (6,7), labels 1 0 1 2
        ImageDataset d = new ImageDataset("t", new byte[] {0, 1, 2, 3, 4, 5, 6, 7}, new byte[] {1, 0, 1, 2}, 4, 1, 1, 2);
        ImageDataset ones = d.withLabel(1);
        assertEquals(2, ones.size());
        assertEquals("t[class 1]", ones.name());
        float[] px = new float[4];
        ones.copyBatch(new int[] {0, 1}, 0, 2, px);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {0, 1 / 255f, 4 / 255f, 5 / 255f}, px);
        assertEquals(1, ones.label(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.withLabel(7));
        assertEquals("t: no images of class 7", e.getMessage());
    }

    @Test
    void greyBecomesRgbByRepeatingAndRgbBecomesGreyByLuma() {
        ImageDataset rgb = threeImages().withChannels(3);
        assertEquals(3, rgb.channels());
        assertArrayEquals(new byte[] {0, 51, (byte) 204, (byte) 255, 0, 51, (byte) 204, (byte) 255, 0, 51, (byte) 204, (byte) 255},
                java.util.Arrays.copyOfRange(rgb.pixels(), 24, 36));
        assertEquals(200, rgb.label(2));
        assertArrayEquals(threeImages().pixels(), rgb.withChannels(1).pixels(), "grey -> RGB -> grey is lossless");
        // one 3x1x2 image: pure red and pure green; L = (19595·255 + 2^15) >> 16 = 76, (38470·255 + 2^15) >> 16 = 150
        byte[] rg = {(byte) 255, 0, 0, (byte) 255, 0, 0};
        assertArrayEquals(new byte[] {76, (byte) 150}, new ImageDataset("rg", rg, null, 1, 3, 1, 2).withChannels(1).pixels());
        ImageDataset f = ImageDataset.ofFloats("f", new float[] {0.3f, 0.6f, 0.9f}, null, 1, 3, 1, 1).withChannels(1);
        assertEquals((19595 * 0.3f + 38470 * 0.6f + 7471 * 0.9f) / 65536f, f.values()[0], 0f);
        assertTrue(rgb == rgb.withChannels(3), "already RGB: the same data set");
    }

    @Test
    void channelsOtherThanGreyAndRgbCannotBeConverted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> threeImages().withChannels(2));
        assertEquals("three: channels must be 1 (grey) or 3 (RGB), got 2", e.getMessage());
        ImageDataset four = new ImageDataset("four", new byte[4], null, 1, 4, 1, 1);
        e = assertThrows(IllegalArgumentException.class, () -> four.withChannels(3));
        assertEquals("four: images have 4 channels; only grey (1) and RGB (3) images can be converted to 3", e.getMessage());
    }

    @Test
    void resizedMatchesTheImageFolderResizeForBytesAndFloats() {
        // 3x3 [0 1 2; 10 11 12; 20 21 22] to 1x4 (as ImageFolderTest): 10, 10.625, 11.375, 12 -> bytes 10, 11, 11, 12
        byte[] b = {0, 1, 2, 10, 11, 12, 20, 21, 22};
        ImageDataset d = new ImageDataset("d", b, new byte[] {4}, 1, 1, 3, 3);
        ImageDataset r = d.resized(1, 4, false);
        assertEquals(1, r.height());
        assertEquals(4, r.width());
        assertArrayEquals(new byte[] {10, 11, 11, 12}, r.pixels());
        assertEquals(4, r.label(0));
        float[] u = new float[9];
        for (int i = 0; i < 9; i++) u[i] = b[i] / 100f;
        ImageDataset f = ImageDataset.ofFloats("f", u, null, 1, 1, 3, 3);
        assertArrayEquals(new float[] {0.10f, 0.10625f, 0.11375f, 0.12f}, f.resized(1, 4, false).values(), 1e-6f);
        // crop: 3x3 to 1x1 covers at scale 1/3 and keeps the centre; a 2x4 image cropped to 2x2 keeps columns 1, 2
        ImageDataset wide = new ImageDataset("w", new byte[] {0, 1, 2, 3, 10, 11, 12, 13}, null, 1, 1, 2, 4);
        assertArrayEquals(new byte[] {1, 2, 11, 12}, wide.resized(2, 2, true).pixels());
        assertTrue(d == d.resized(3, 3, true), "already that size: the same data set");
    }
}
