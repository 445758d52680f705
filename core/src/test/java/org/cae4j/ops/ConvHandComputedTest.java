package org.cae4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Convolutions small enough to work out by hand, and the output-size arithmetic of {@link ConvGeometry}. */
class ConvHandComputedTest {

    /** The 4×4 image 1..16, row by row. */
    private static final float[] X4 = {
            1, 2, 3, 4,
            5, 6, 7, 8,
            9, 10, 11, 12,
            13, 14, 15, 16};
    private static final float[] ONES_2X2 = {1, 1, 1, 1};

    private static float[] forward(float[] x, float[] w, float[] b, int N, ConvGeometry g) {
        float[] y = new float[N * g.outSize()];
        Arrays.fill(y, Float.NaN); // forward must overwrite every element
        Conv.conv2dForward(y, x, w, b, N, g, new Workspace());
        return y;
    }

    @Test
    void conv2dMatchesHandComputed4x4Valid() {
        ConvGeometry g = ConvGeometry.of(1, 4, 4, 1, 2, 1, Padding.valid());
        assertEquals(3, g.P());
        assertEquals(3, g.Q());
        // each output is the sum of a 2x2 window, e.g. top-left 1+2+5+6 = 14; moving right adds 2, down adds 8
        float[] expected = {
                14, 18, 22,
                30, 34, 38,
                46, 50, 54};
        assertArrayEquals(expected, forward(X4, ONES_2X2, null, 1, g));
    }

    @Test
    void conv2dIsCrossCorrelationNotFlipped() {
        // a kernel with a single 1 at its top-left picks the top-left pixel of every window: y = x[0..2, 0..2]
        ConvGeometry g = ConvGeometry.of(1, 4, 4, 1, 2, 1, Padding.valid());
        float[] expected = {
                1, 2, 3,
                5, 6, 7,
                9, 10, 11};
        assertArrayEquals(expected, forward(X4, new float[] {1, 0, 0, 0}, null, 1, g));
    }

    @Test
    void conv2dStride2SkipsEveryOtherWindow() {
        ConvGeometry g = ConvGeometry.of(1, 4, 4, 1, 2, 2, Padding.valid());
        // windows at rows/cols 0 and 2: 1+2+5+6, 3+4+7+8, 9+10+13+14, 11+12+15+16
        assertArrayEquals(new float[] {14, 22, 46, 54}, forward(X4, ONES_2X2, null, 1, g));
    }

    @Test
    void conv2dFullPaddingSumsEveryOverlappingWindow() {
        // 2x2 input [[1,2],[3,4]], one zero on each side, 2x2 ones: a window overlapping 1, 2 or 4 pixels
        ConvGeometry g = ConvGeometry.of(1, 2, 2, 1, 2, 1, Padding.full());
        float[] expected = {
                1, 1 + 2, 2,
                1 + 3, 1 + 2 + 3 + 4, 2 + 4,
                3, 3 + 4, 4};
        assertArrayEquals(expected, forward(new float[] {1, 2, 3, 4}, ONES_2X2, null, 1, g));
    }

    @Test
    void conv2dAddsBiasPerFilter() {
        // two filters: ones (+ bias 0.5) and -ones (+ bias -1), stacked as (K=2, C=1, 2, 2)
        ConvGeometry g = ConvGeometry.of(1, 4, 4, 2, 2, 2, Padding.valid());
        float[] w = {1, 1, 1, 1, -1, -1, -1, -1};
        float[] expected = {14.5f, 22.5f, 46.5f, 54.5f, -15, -23, -47, -55};
        assertArrayEquals(expected, forward(X4, w, new float[] {0.5f, -1f}, 1, g));
    }

    @Test
    void conv2dSumsOverInputChannelsAndBatch() {
        // C=2: channel 0 is X4, channel 1 is 10·X4; one ones kernel over both; second image is -x
        ConvGeometry g = ConvGeometry.of(2, 4, 4, 1, 2, 2, Padding.valid());
        float[] x = new float[2 * 2 * 16];
        for (int i = 0; i < 16; i++) {
            x[i] = X4[i];
            x[16 + i] = 10 * X4[i];
            x[32 + i] = -X4[i];
            x[48 + i] = -10 * X4[i];
        }
        float[] w = {1, 1, 1, 1, 1, 1, 1, 1};
        float[] expected = {154, 242, 506, 594, -154, -242, -506, -594};
        assertArrayEquals(expected, forward(x, w, null, 2, g));
    }

    @Test
    void conv2dBackwardMatchesHandComputed4x4() {
        ConvGeometry g = ConvGeometry.of(1, 4, 4, 1, 2, 1, Padding.valid());
        float[] dy = new float[9];
        Arrays.fill(dy, 1f);
        float[] dx = new float[16], dw = new float[4], db = new float[1];
        Arrays.fill(dx, Float.NaN); // dx is written, not added into
        Conv.conv2dBackward(dx, dw, db, dy, X4, ONES_2X2, 1, g, new Workspace());
        // dx[h,w] = number of 2x2 windows covering pixel (h,w): 1 at corners, 2 on edges, 4 inside
        float[] expectedDx = {
                1, 2, 2, 1,
                2, 4, 4, 2,
                2, 4, 4, 2,
                1, 2, 2, 1};
        // dw[r,s] = sum of the 3x3 block of x starting at (r,s):
        // (0,0) 1+2+3+5+6+7+9+10+11 = 54, (0,1) 63, (1,0) 90, (1,1) 99
        float[] expectedDw = {54, 63, 90, 99};
        assertArrayEquals(expectedDx, dx);
        assertArrayEquals(expectedDw, dw);
        assertArrayEquals(new float[] {9}, db); // nine outputs, each with dy = 1
    }

    @Test
    void conv2dBackwardStride2AndFullByHand() {
        // stride 2 on 4x4 with 2x2 windows: each pixel in exactly one window, so dx = w laid out per window
        ConvGeometry g = ConvGeometry.of(1, 4, 4, 1, 2, 2, Padding.valid());
        float[] w = {1, 2, 3, 4};
        float[] dy = {1, 10, 100, 1000};
        float[] dx = new float[16], dw = new float[4], db = new float[1];
        Conv.conv2dBackward(dx, dw, db, dy, X4, w, 1, g, new Workspace());
        float[] expectedDx = {
                1, 2, 10, 20,
                3, 4, 30, 40,
                100, 200, 1000, 2000,
                300, 400, 3000, 4000};
        // dw[r,s] = Σ_pq dy[p,q]·x[2p+r, 2q+s]
        float[] expectedDw = {
                1 * 1 + 10 * 3 + 100 * 9 + 1000 * 11,
                1 * 2 + 10 * 4 + 100 * 10 + 1000 * 12,
                1 * 5 + 10 * 7 + 100 * 13 + 1000 * 15,
                1 * 6 + 10 * 8 + 100 * 14 + 1000 * 16};
        assertArrayEquals(expectedDx, dx);
        assertArrayEquals(expectedDw, dw);
        assertArrayEquals(new float[] {1111}, db);

        // full padding, 2x2 input, ones kernel, dy = ones (3x3): every input pixel is covered by all 4 kernel taps
        ConvGeometry f = ConvGeometry.of(1, 2, 2, 1, 2, 1, Padding.full());
        float[] dy9 = new float[9];
        Arrays.fill(dy9, 1f);
        float[] dx4 = new float[4], dw4 = new float[4];
        Conv.conv2dBackward(dx4, dw4, null, dy9, new float[] {1, 2, 3, 4}, ONES_2X2, 1, f, new Workspace());
        assertArrayEquals(new float[] {4, 4, 4, 4}, dx4);
        // each tap meets every input pixel exactly once: 1+2+3+4
        assertArrayEquals(new float[] {10, 10, 10, 10}, dw4);
    }

    @Test
    void geometrySeedCaseFullThenValid() {
        ConvGeometry enc = ConvGeometry.of(1, 28, 28, 16, 5, 1, Padding.full());
        assertEquals(32, enc.P());
        assertEquals(32, enc.Q());
        assertEquals(4, enc.padTop());
        assertEquals(4, enc.padRight());
        ConvGeometry dec = ConvGeometry.of(16, 32, 32, 1, 5, 1, Padding.valid());
        assertEquals(28, dec.P());
        assertEquals(28, dec.Q());
    }

    @Test
    void geometryOutputSizes() {
        // valid, stride 3, leftover rows ignored: (11 - 3)/3 + 1 = 3, (9 - 3)/3 + 1 = 3
        ConvGeometry v = ConvGeometry.of(5, 11, 9, 3, 3, 3, Padding.valid());
        assertEquals(3, v.P());
        assertEquals(3, v.Q());
        // same, stride 2: ceil(7/2) = 4 with total padding 2 (1,1); ceil(10/2) = 5 with total 1 (0 left, 1 right)
        ConvGeometry s = ConvGeometry.of(1, 7, 10, 3, 3, 2, Padding.same());
        assertEquals(4, s.P());
        assertEquals(5, s.Q());
        assertArrayEquals(new int[] {1, 1, 0, 1}, new int[] {s.padTop(), s.padBottom(), s.padLeft(), s.padRight()});
        // same, stride 1, even kernel 4: total 3, the smaller half (1) on top
        ConvGeometry e = ConvGeometry.of(1, 9, 7, 1, 4, 3, 1, 1, Padding.same());
        assertArrayEquals(new int[] {1, 2, 1, 1}, new int[] {e.padTop(), e.padBottom(), e.padLeft(), e.padRight()});
        assertEquals(9, e.P());
        assertEquals(7, e.Q());
        // explicit per side, strides 2 and 3: (10+1+2-3)/2 + 1 = 6, (11+0+1-3)/3 + 1 = 4
        ConvGeometry x = ConvGeometry.of(3, 10, 11, 2, 3, 3, 2, 3, Padding.of(1, 2, 0, 1));
        assertEquals(6, x.P());
        assertEquals(4, x.Q());
        // full, non-square kernel 2x4: 1 row above and below, 3 columns left and right: 5+2-2+1 = 6, 6+6-4+1 = 9
        ConvGeometry f = ConvGeometry.of(1, 5, 6, 1, 2, 4, 1, 1, Padding.full());
        assertArrayEquals(new int[] {1, 1, 3, 3}, new int[] {f.padTop(), f.padBottom(), f.padLeft(), f.padRight()});
        assertEquals(6, f.P());
        assertEquals(9, f.Q());
        // full, stride 3: (8 + 4 - 3)/3 + 1 = 4
        assertEquals(4, ConvGeometry.of(3, 8, 7, 2, 3, 3, Padding.full()).P());
    }

    @Test
    void geometryRejectsKernelLargerThanPaddedInputNamingTheSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvGeometry.of(1, 3, 3, 1, 5, 1, Padding.valid()));
        assertTrue(e.getMessage().contains("5x5") && e.getMessage().contains("3x3"), e.getMessage());
        // with padding 1 the padded input is 5x4 against a 5x5 kernel
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
                () -> ConvGeometry.of(1, 3, 2, 1, 5, 5, 1, 1, Padding.of(1)));
        assertTrue(p.getMessage().contains("5x5") && p.getMessage().contains("5x4"), p.getMessage());
    }

    @Test
    void geometryRejectsZeroStrideNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvGeometry.of(1, 8, 8, 1, 3, 3, 0, 1, Padding.valid()));
        assertTrue(e.getMessage().contains("stride (0, 1)"), e.getMessage());
        IllegalArgumentException same = assertThrows(IllegalArgumentException.class,
                () -> ConvGeometry.of(1, 8, 8, 1, 3, 0, Padding.same()));
        assertTrue(same.getMessage().contains("stride (0, 0)"), same.getMessage());
    }

    @Test
    void geometryRejectsNonPositiveSizesAndNegativePaddingNamingThem() {
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
                () -> ConvGeometry.of(0, 8, 8, 1, 3, 1, Padding.valid()));
        assertTrue(c.getMessage().contains("C=0"), c.getMessage());
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> Padding.of(0, -1, 0, 0));
        assertTrue(p.getMessage().contains("bottom=-1"), p.getMessage());
        // the record's own constructor is public too: a negative amount there would silently crop the input
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class,
                () -> new ConvGeometry(1, 4, 4, 1, 2, 2, 1, 1, -1, 1, 0, 0, 3, 3));
        assertTrue(r.getMessage().contains("top=-1"), r.getMessage());
    }
}
