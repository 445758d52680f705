package org.cae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NormalizationTest {
    /** Two 2x1x2 images: channel 0 holds 0, 255 | 0, 255; channel 1 holds 51, 51 | 102, 102. */
    private static ImageDataset twoChannel() {
        byte[] pixels = {0, (byte) 255, 51, 51, 0, (byte) 255, 102, 102};
        return new ImageDataset("two", pixels, null, 2, 2, 1, 2);
    }

    private static float[] batch(ImageDataset d) {
        float[] dst = new float[d.size() * d.imageSize()];
        int[] all = new int[d.size()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        d.copyBatch(all, 0, all.length, dst);
        return dst;
    }

    @Test
    void symmetricMapsBytesToMinusOneToOne() {
        float[] y = batch(twoChannel().withNormalization(Normalization.symmetric()));
        // (u - 0.5)/0.5 with u = 0, 1, 0.2, 0.4
        assertArrayEquals(new float[] {-1f, 1f, (0.2f - 0.5f) / 0.5f, (0.2f - 0.5f) / 0.5f,
                -1f, 1f, (0.4f - 0.5f) / 0.5f, (0.4f - 0.5f) / 0.5f}, y, 0f);
    }

    @Test
    void meanStdComputedOnTrainMatchesHandValues() {
        Normalization n = Normalization.meanStd(twoChannel());
        // channel 0: u = 0, 1, 0, 1 -> mean 0.5, std 0.5; channel 1: u = 0.2, 0.2, 0.4, 0.4 -> mean 0.3, std 0.1
        assertEquals(0.5f, n.mean(0), 1e-7f);
        assertEquals(0.5f, n.std(0), 1e-7f);
        assertEquals(0.3f, n.mean(1), 1e-6f);
        assertEquals(0.1f, n.std(1), 1e-6f);
        float[] y = batch(twoChannel().withNormalization(n));
        assertArrayEquals(new float[] {-1, 1, -1, -1, -1, 1, 1, 1}, y, 1e-5f);
    }

    @Test
    void floatBackedDatasetNormalisesTheSameWayAsBytes() {
        float[] u = {0f, 0.3f, 0.7f, 1f};
        ImageDataset f = ImageDataset.ofFloats("f", u, null, 1, 2, 1, 2);
        assertTrue(f.storesFloats());
        Normalization n = Normalization.meanStd(new float[] {0.5f, 0.25f}, new float[] {2f, 0.5f});
        float[] y = batch(f.withNormalization(n));
        assertArrayEquals(new float[] {-0.25f, (0.3f - 0.5f) / 2f, (0.7f - 0.25f) / 0.5f, 1.5f}, y, 0f);
        assertArrayEquals(u, batch(f), 0f);
    }

    @Test
    void metadataRoundTripsExactly() {
        Normalization n = Normalization.meanStd(new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.247f, 0.2435f, 0.2616f});
        Map<String, String> m = n.toMetadata();
        assertEquals("mean_std", m.get("normalization"));
        assertEquals("0.4914,0.4822,0.4465", m.get("normalization_mean"));
        assertEquals(n, Normalization.fromMetadata(m));
        assertSame(Normalization.symmetric(), Normalization.fromMetadata(Normalization.symmetric().toMetadata()));
        assertSame(Normalization.unit(), Normalization.fromMetadata(Map.of()), "old model files have no key");
        assertNull(Normalization.unit().toMetadata().get("normalization_mean"));
    }

    @Test
    void badMetadataAndSettingsNameTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Normalization.fromMetadata(Map.of("normalization", "zscore")));
        assertTrue(e.getMessage().contains("'zscore'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Normalization.fromMetadata(
                Map.of("normalization", "mean_std", "normalization_mean", "0.5,x", "normalization_std", "1,1")));
        assertTrue(e.getMessage().contains("normalization_mean = '0.5,x'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Normalization.meanStd(new float[] {0.5f}, new float[] {0f}));
        assertTrue(e.getMessage().contains("std of channel 0 is 0.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> twoChannel().withNormalization(
                Normalization.meanStd(new float[] {0, 0, 0}, new float[] {1, 1, 1})));
        assertTrue(e.getMessage().contains("is for 3 channels, the images have 2"), e.getMessage());
    }

    @Test
    void constantChannelCannotBeStandardised() {
        ImageDataset flat = new ImageDataset("flat", new byte[] {7, 7, 7, 7}, null, 2, 1, 1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Normalization.meanStd(flat));
        assertTrue(e.getMessage().startsWith("flat: channel 0 has standard deviation 0"), e.getMessage());
    }

    @Test
    void invertUndoesApply() {
        Normalization n = Normalization.meanStd(new float[] {0.3f}, new float[] {0.2f});
        for (float u : new float[] {0f, 0.25f, 1f}) assertEquals(u, n.invert(0, n.apply(0, u)), 1e-6f);
        assertEquals(List.of(), twoChannel().classNames());
    }

    @Test
    void invertInPlaceMapsABatchBackPerChannel() {
        ImageDataset d = twoChannel();
        Normalization n = Normalization.meanStd(new float[] {0.5f, 0.3f}, new float[] {0.5f, 0.1f});
        float[] y = batch(d.withNormalization(n));
        n.invertInPlace(y, 2, 2, 2);
        assertArrayEquals(batch(d), y, 1e-6f);
        float[] s = batch(d.withNormalization(Normalization.symmetric()));
        Normalization.symmetric().invertInPlace(s, 2, 2, 2);
        assertArrayEquals(batch(d), s, 1e-6f);
        float[] same = {-1f, 2f};
        Normalization.unit().invertInPlace(same, 1, 1, 2);
        assertArrayEquals(new float[] {-1f, 2f}, same, 0f);
    }
}
