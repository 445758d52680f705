package org.cae4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cae4j.ops.PoolGeometry;
import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Max and average pooling worked out by hand, PyTorch's output-size rule, and the errors. */
class PoolingTest {

    /** One image (1,1,h,w) holding 1, 2, 3, … row by row. */
    private static Tensor counting(int h, int w) {
        Tensor t = new Tensor(1, 1, h, w);
        for (int i = 0; i < t.size(); i++) t.data[i] = i + 1;
        return t;
    }

    private static Tensor of(float[] data, int... shape) { return new Tensor(data, shape); }

    @Test
    void maxPoolMatchesHandComputed4x4() {
        MaxPool2d pool = new MaxPool2d(2);
        // windows {1,2,5,6}, {3,4,7,8}, {9,10,13,14}, {11,12,15,16}
        assertArrayEquals(new float[] {6, 8, 14, 16}, pool.forward(counting(4, 4)).data);
        Tensor dx = pool.backward(of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2));
        assertArrayEquals(new float[] {
                0, 0, 0, 0,
                0, 1, 0, 2,
                0, 0, 0, 0,
                0, 3, 0, 4}, dx.data);
    }

    @Test
    void maxPoolCeilModeTakes7x7To4x4() {
        MaxPool2d pool = new MaxPool2d(2, 2, 0, true);
        assertArrayEquals(new int[] {8, 4, 4}, pool.outputShape(new int[] {8, 7, 7}));
        // x[h][w] = 7h + w; windows cover rows {0,1}, {2,3}, {4,5} and {6} alone, so each max is the window's
        // bottom-right pixel, at rows 1, 3, 5, 6 and columns 1, 3, 5, 6
        Tensor x = new Tensor(1, 1, 7, 7);
        for (int i = 0; i < 49; i++) x.data[i] = i;
        assertArrayEquals(new float[] {
                8, 10, 12, 13,
                22, 24, 26, 27,
                36, 38, 40, 41,
                43, 45, 47, 48}, pool.forward(x).data);
        assertArrayEquals(new int[] {1, 1, 3, 3}, new MaxPool2d(2).forward(x).shape(), "floor mode drops row 6");
    }

    @Test
    void outputSizeFollowsPyTorchsPoolingOutputShape() {
        assertEquals(14, PoolGeometry.outputSize(28, 2, 0, 2, false));
        assertEquals(3, PoolGeometry.outputSize(7, 2, 0, 2, false));
        assertEquals(4, PoolGeometry.outputSize(7, 2, 0, 2, true));
        assertEquals(5, PoolGeometry.outputSize(9, 3, 1, 2, false));
        assertEquals(3, PoolGeometry.outputSize(8, 3, 0, 3, true));
        // ceil gives ⌈(5 + 2 − 2)/2⌉ + 1 = 4, but that window would start at 6 ≥ 5 + 1, past the left padding and
        // the input: PyTorch drops it
        assertEquals(3, PoolGeometry.outputSize(5, 2, 1, 2, true));
        assertEquals(3, PoolGeometry.outputSize(4, 3, 1, 2, true));
    }

    @Test
    void maxPoolTiesGoToTheFirstMaximumAndNaNPropagates() {
        MaxPool2d pool = new MaxPool2d(2);
        Tensor x = of(new float[] {5, 5, 5, 5}, 1, 1, 2, 2);
        pool.forward(x);
        assertArrayEquals(new float[] {1, 0, 0, 0}, pool.backward(of(new float[] {1}, 1, 1, 1, 1)).data);
        Tensor y = pool.forward(of(new float[] {1, Float.NaN, 3, 2}, 1, 1, 2, 2));
        assertTrue(Float.isNaN(y.data[0]), "NaN must win the window, got " + y.data[0]);
    }

    @Test
    void maxPoolPaddingIsMinusInfinity() {
        // a 3×3 window with padding 1 over an all-negative 2×2 image: the padding must never win
        MaxPool2d pool = new MaxPool2d(3, 1, 1, false);
        Tensor y = pool.forward(of(new float[] {-4, -3, -2, -1}, 1, 1, 2, 2));
        assertArrayEquals(new float[] {-1, -1, -1, -1}, y.data);
    }

    @Test
    void avgPoolDivisorCountsPaddingOnlyWhenAsked() {
        Tensor x = counting(3, 3);
        // 3×3 windows, stride 1, padding 1: top-left covers 1+2+4+5 = 12 of 9 slots (4 of them real)
        float[] withPad = {12 / 9f, 21 / 9f, 16 / 9f, 27 / 9f, 45 / 9f, 33 / 9f, 24 / 9f, 39 / 9f, 28 / 9f};
        float[] realOnly = {12 / 4f, 21 / 6f, 16 / 4f, 27 / 6f, 45 / 9f, 33 / 6f, 24 / 4f, 39 / 6f, 28 / 4f};
        assertArrayEquals(withPad, new AvgPool2d(3, 1, 1, false, true).forward(x).data, 1e-6f);
        assertArrayEquals(realOnly, new AvgPool2d(3, 1, 1, false, false).forward(x).data, 1e-6f);
    }

    @Test
    void avgPoolCeilModeWindowPastThePaddingIsDividedByItsPartInside() {
        // 3×3 input, 2×2 windows, stride 2, ceil mode, no padding: the last row/column windows hold 2 and 1 pixels
        // and, with nothing padded, are divided by exactly that even though count_include_pad is true
        AvgPool2d pool = new AvgPool2d(2, 2, 0, true, true);
        assertArrayEquals(new float[] {3, 4.5f, 7.5f, 9}, pool.forward(counting(3, 3)).data, 1e-6f);
        // backward spreads each dy over the same pixels with the same divisor
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.5f, 0.25f, 0.25f, 0.5f, 0.5f, 0.5f, 1f},
                pool.backward(of(new float[] {1, 1, 1, 1}, 1, 1, 2, 2)).data, 1e-6f);
        // 4×4, 3×3 windows, stride 2, padding 1, ceil: the last window spans rows 3..5 and the padded input ends at
        // row 4, so it counts 2×2 = 4 slots, one of them real (16); the first counts all 9 (14 real)
        AvgPool2d padded = new AvgPool2d(3, 2, 1, true, true);
        Tensor y = padded.forward(counting(4, 4));
        assertArrayEquals(new int[] {1, 1, 3, 3}, y.shape());
        assertEquals(14 / 9f, y.data[0], 1e-6f);
        assertEquals(16 / 4f, y.data[8], 1e-6f);
        assertEquals(16f, new AvgPool2d(3, 2, 1, true, false).forward(counting(4, 4)).data[8], 1e-6f);
    }

    @Test
    void poolingNamesItsSettings() {
        assertEquals("MaxPool2d(k=2, s=2, ceil_mode=true)", new MaxPool2d(2, 2, 0, true).toString());
        assertEquals("MaxPool2d(k=3, s=2, p=1)", new MaxPool2d(3, 2, 1, false).toString());
        assertEquals("MaxPool2d(k=3x2, s=2x1, p=1x0)", new MaxPool2d(3, 2, 2, 1, 1, 0, false).toString());
        assertEquals("AvgPool2d(k=2, s=2)", new AvgPool2d(2).toString());
        assertEquals("AvgPool2d(k=3, s=2, p=1, ceil_mode=true, count_include_pad=false)",
                new AvgPool2d(3, 2, 1, true, false).toString());
    }

    @Test
    void poolingRejectsPaddingOverHalfTheWindowNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2, 2, 2, false));
        assertTrue(e.getMessage().contains("MaxPool2d") && e.getMessage().contains("padding=(2, 2)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AvgPool2d(0));
    }

    @Test
    void poolingRejectsTooSmallAndWrongRankInputsNamingLayerAndShape() {
        MaxPool2d pool = new MaxPool2d(3);
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> pool.forward(new Tensor(2, 1, 2, 2)));
        assertTrue(small.getMessage().startsWith("MaxPool2d(k=3, s=3): input [N, 1, 2, 2]"), small.getMessage());
        assertTrue(small.getMessage().contains("0x0"), small.getMessage());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> new AvgPool2d(2).forward(new Tensor(4, 16)));
        assertEquals("AvgPool2d(k=2, s=2): expected input (N, C, H, W), got [4, 16]", rank.getMessage());
    }

    @Test
    void poolingBackwardBeforeForwardIsAnError() {
        assertThrows(IllegalStateException.class, () -> new MaxPool2d(2).backward(new Tensor(1, 1, 1, 1)));
        assertThrows(IllegalStateException.class, () -> new AvgPool2d(2).backward(new Tensor(1, 1, 1, 1)));
    }

    @Test
    void poolingBackwardRejectsAGradientOfTheWrongShape() {
        MaxPool2d pool = new MaxPool2d(2);
        pool.forward(new Tensor(2, 3, 4, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.backward(new Tensor(2, 3, 4, 4)));
        assertEquals("MaxPool2d(k=2, s=2): expected gradient [2, 3, 2, 2], got [2, 3, 4, 4]", e.getMessage());
    }

    @Test
    void poolingBackwardUsesTheForwardShapeEvenAfterOutputShapeOfAnother() {
        MaxPool2d pool = new MaxPool2d(2);
        pool.forward(counting(4, 4));
        pool.outputShape(new int[] {3, 8, 8});
        assertArrayEquals(new int[] {1, 1, 4, 4}, pool.backward(new Tensor(1, 1, 2, 2)).shape());
    }
}
