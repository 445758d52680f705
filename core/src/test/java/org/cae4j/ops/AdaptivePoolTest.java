package org.cae4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AdaptivePoolTest {
    @Test
    void fiveByFiveToTwoByTwoUsesOverlappingBinsLikePyTorch() {
        // bins: rows/cols {0,1,2} and {2,3,4}; x[h][w] = 5h + w
        float[] x = new float[25];
        for (int i = 0; i < 25; i++) x[i] = i;
        float[] avg = new float[4], max = new float[4];
        AdaptivePool.adaptivePool2dForward(avg, x, 1, 1, 5, 5, 2, 2, false);
        AdaptivePool.adaptivePool2dForward(max, x, 1, 1, 5, 5, 2, 2, true);
        // mean of rows 0..2 × cols 0..2 = 5·1 + 1 = 6; top-right: cols 2..4 → 5·1 + 3 = 8
        assertArrayEquals(new float[] {6, 8, 16, 18}, avg, 1e-6f);
        assertArrayEquals(new float[] {12, 14, 22, 24}, max);
    }

    @Test
    void gridLargerThanTheMapIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdaptivePool.adaptivePool2dForward(new float[1], new float[4], 1, 1, 2, 2, 3, 3, false));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("3x3"), e.getMessage());
    }
}
