package org.cae4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Upsampling of a 2×2 image [[1, 2], [3, 4]] worked out by hand, in every mode. */
class UpsampleTest {
    private static Tensor x() { return new Tensor(new float[] {1, 2, 3, 4}, 1, 1, 2, 2); }

    @Test
    void nearestRepeatsEachPixel2x2To4x4() {
        Upsample up = new Upsample(2);
        assertArrayEquals(new float[] {
                1, 1, 2, 2,
                1, 1, 2, 2,
                3, 3, 4, 4,
                3, 3, 4, 4}, up.forward(x()).data);
        // backward sums each pixel's four copies
        Tensor dy = new Tensor(16);
        for (int i = 0; i < 16; i++) dy.data[i] = i;
        assertArrayEquals(new float[] {0 + 1 + 4 + 5, 2 + 3 + 6 + 7, 8 + 9 + 12 + 13, 10 + 11 + 14 + 15},
                up.backward(dy.reshape(1, 1, 4, 4)).data);
    }

    @Test
    void nearestByThreeRepeatsEachPixelThreeTimes() {
        Tensor y = new Upsample(3).forward(new Tensor(new float[] {1, 2, 3}, 1, 1, 1, 3));
        float[] row = {1, 1, 1, 2, 2, 2, 3, 3, 3};
        assertArrayEquals(new int[] {1, 1, 3, 9}, y.shape());
        for (int r = 0; r < 3; r++) {
            assertArrayEquals(row, java.util.Arrays.copyOfRange(y.data, 9 * r, 9 * r + 9), 0f, "row " + r);
        }
    }

    @Test
    void bilinearWithoutAlignCornersMatchesHandComputed() {
        // source rows/cols (o + ½)/2 − ½ = −¼ (clamped to 0), ¼, ¾, 1¼ (past the last pixel: the last pixel):
        // along a row of [1, 2] that is 1, 1.25, 1.75, 2; y = 1 + u + 2v for those u, v
        float[] expected = {
                1.0f, 1.25f, 1.75f, 2.0f,
                1.5f, 1.75f, 2.25f, 2.5f,
                2.5f, 2.75f, 3.25f, 3.5f,
                3.0f, 3.25f, 3.75f, 4.0f};
        assertArrayEquals(expected, new Upsample(2, Upsample.Mode.BILINEAR).forward(x()).data, 1e-6f);
    }

    @Test
    void bilinearWithAlignCornersMatchesHandComputed() {
        // source positions o·(2 − 1)/(4 − 1) = 0, ⅓, ⅔, 1: the corners are the input's corners
        float t = 1f / 3;
        float[] expected = {
                1, 1 + t, 1 + 2 * t, 2,
                1 + 2 * t, 2, 2 + t, 2 + 2 * t,
                2 + t, 2 + 2 * t, 3, 3 + t,
                3, 3 + t, 3 + 2 * t, 4};
        Upsample up = new Upsample(2, Upsample.Mode.BILINEAR, true);
        assertArrayEquals(expected, up.forward(x()).data, 1e-6f);
        // the weights of each output sum to 1, so backward of an all-ones gradient gives the total weight per pixel,
        // and those add up to the 16 outputs
        Tensor ones = new Tensor(1, 1, 4, 4);
        java.util.Arrays.fill(ones.data, 1f);
        float sum = 0;
        for (float v : up.backward(ones).data) sum += v;
        assertEquals(16f, sum, 1e-5f);
    }

    @Test
    void upsampleNamesItsSettingsAndRejectsAlignCornersWithNearest() {
        assertEquals("Upsample(scale_factor=2, mode=nearest)", new Upsample(2).toString());
        assertEquals("Upsample(scale_factor=3, mode=bilinear, align_corners=true)",
                new Upsample(3, Upsample.Mode.BILINEAR, true).toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Upsample(2, Upsample.Mode.NEAREST, true));
        assertTrue(e.getMessage().contains("align_corners"), e.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> new Upsample(0));
        assertTrue(zero.getMessage().contains("got 0"), zero.getMessage());
    }

    @Test
    void upsampleChecksShapes() {
        Upsample up = new Upsample(2);
        assertArrayEquals(new int[] {32, 14, 14}, up.outputShape(new int[] {32, 7, 7}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> up.forward(new Tensor(2, 8)));
        assertEquals("Upsample(scale_factor=2, mode=nearest): expected input (N, C, H, W), got [2, 8]", e.getMessage());
        assertThrows(IllegalStateException.class, () -> new Upsample(2).backward(new Tensor(1, 1, 2, 2)));
        up.forward(x());
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class, () -> up.backward(new Tensor(1, 1, 2, 2)));
        assertTrue(g.getMessage().contains("[1, 1, 4, 4]") && g.getMessage().contains("[1, 1, 2, 2]"), g.getMessage());
    }
}
