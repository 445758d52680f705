package org.cae4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cae4j.ops.Padding;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LayerTest {

    @Test
    void activationsMatchHandComputedValues() {
        float[] x = {-2f, -0.5f, 0f, 0.5f, 2f};
        assertValues(Activation.relu(), x, new float[] {0, 0, 0, 0.5f, 2});
        assertValues(Activation.leakyRelu(0.1f), x, new float[] {-0.2f, -0.05f, 0, 0.5f, 2});
        assertValues(Activation.sigmoid(), x, new float[] {0.11920292f, 0.37754067f, 0.5f, 0.62245933f, 0.88079708f});
        assertValues(Activation.tanh(), x, new float[] {-0.96402758f, -0.46211716f, 0, 0.46211716f, 0.96402758f});
        assertValues(Activation.elu(1f), x, new float[] {-0.86466472f, -0.39346934f, 0, 0.5f, 2});
        assertValues(Activation.softplus(1f, 20f), x, new float[] {0.12692801f, 0.47407698f, 0.69314718f, 0.97407698f, 2.12692801f});
        assertValues(Activation.identity(), x, x);
    }

    @Test
    void sigmoidAndSoftplusStayFiniteAtExtremeInputs() {
        float[] x = {-1000f, 1000f};
        assertValues(Activation.sigmoid(), x, new float[] {0f, 1f});
        assertValues(Activation.softplus(1f, 20f), x, new float[] {0f, 1000f});
    }

    private static void assertValues(Activation a, float[] x, float[] expected) {
        Tensor y = a.forward(new Tensor(x.clone(), x.length));
        assertArrayEquals(expected, y.data, 1e-6f, a.toString());
    }

    @Test
    void backwardBeforeForwardIsAnError() {
        Conv2d c = new Conv2d(1, 2, 3, 1, Padding.valid(), new Rng(0));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.backward(new Tensor(1, 2, 1, 1)));
        assertTrue(e.getMessage().contains("before forward"), e.getMessage());
    }

    @Test
    void conv2dRejectsWrongChannelsNamingBothShapes() {
        Conv2d c = new Conv2d(3, 16, 5, 1, Padding.full(), new Rng(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.forward(new Tensor(64, 1, 28, 28)));
        assertEquals("Conv2d(3->16, k=5, s=1, p=full): expected input (N, 3, H, W), got [N, 1, 28, 28]", e.getMessage());
    }

    @Test
    void conv2dRejectsKernelLargerThanPaddedInput() {
        Conv2d c = new Conv2d(1, 2, 5, 1, Padding.valid(), new Rng(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.forward(new Tensor(1, 1, 4, 4)));
        assertTrue(e.getMessage().contains("kernel 5x5 is larger than the padded input 4x4"), e.getMessage());
    }

    @Test
    void pytorchInitDrawsWithinOneOverRootFanIn() {
        Conv2d c = new Conv2d(16, 8, 5, 1, Padding.valid(), new Rng(1));
        double bound = 1 / Math.sqrt(16 * 25);
        double max = 0, sq = 0;
        for (float w : c.weight().value.data) {
            max = Math.max(max, Math.abs(w));
            sq += w * w;
        }
        int n = c.weight().value.size();
        assertTrue(max <= bound && max > 0.95 * bound, "max |w| " + max + " vs bound " + bound);
        // U(-b, b) has variance b²/3
        double var = sq / n;
        assertEquals(bound * bound / 3, var, 0.1 * bound * bound / 3);
        for (float b : c.bias().value.data) assertTrue(Math.abs(b) <= bound);
    }

    @Test
    void heAndXavierInitHaveTheirVariances() {
        Rng rng = new Rng(2);
        float[] w = new float[20000];
        Init.HE_NORMAL.apply(w, null, 50, 10, rng);
        assertEquals(2.0 / 50, variance(w), 0.05 * 2.0 / 50);
        Init.XAVIER_UNIFORM.apply(w, null, 50, 10, rng);
        assertEquals(2.0 / 60, variance(w), 0.05 * 2.0 / 60);
        float[] b = {1, 1};
        Init.HE_UNIFORM.apply(w, b, 50, 10, rng);
        assertArrayEquals(new float[] {0, 0}, b);
        assertEquals(2.0 / 50, variance(w), 0.05 * 2.0 / 50);
    }

    private static double variance(float[] w) {
        double s = 0, sq = 0;
        for (float v : w) {
            s += v;
            sq += v * v;
        }
        double m = s / w.length;
        return sq / w.length - m * m;
    }

    @Test
    void convTranspose2dGivesPyTorchOutputSize() {
        ConvTranspose2d ct = new ConvTranspose2d(32, 16, 3, 2, 1, 1, new Rng(0));
        assertArrayEquals(new int[] {16, 14, 14}, ct.outputShape(new int[] {32, 7, 7}));
        assertThrows(IllegalArgumentException.class, () -> new ConvTranspose2d(1, 1, 3, 2, 1, 2, new Rng(0)));
    }

    @Test
    void layersReuseTheirOutputBufferForTheSameBatchShape() {
        Conv2d c = new Conv2d(1, 2, 3, 1, Padding.same(), new Rng(0));
        Tensor x = new Tensor(4, 1, 6, 6);
        Tensor y1 = c.forward(x);
        Tensor y2 = c.forward(x);
        assertSame(y1, y2);
    }

    @Test
    void sequentialNamesParametersLikePyTorch() {
        Rng rng = new Rng(0);
        Sequential s = new Sequential(new Conv2d(1, 4, 3, 1, Padding.of(1), rng), Activation.relu(),
                new Conv2d(4, 1, 3, 1, Padding.of(1), rng));
        assertEquals("[0.weight, 0.bias, 2.weight, 2.bias]", s.namedParameters("").keySet().toString());
        assertArrayEquals(new int[] {1, 5, 5}, s.outputShape(new int[] {1, 5, 5}));
    }

    @Test
    void convBackwardUsesTheForwardShapeEvenAfterOutputShapeOfAnother() {
        // outputShape caches a geometry; backward must still use the one of the last forward
        Rng rng = new Rng(0);
        Conv2d c = new Conv2d(1, 2, 3, 1, Padding.valid(), rng);
        c.forward(new Tensor(1, 1, 6, 6));
        c.outputShape(new int[] {1, 9, 9});
        assertArrayEquals(new int[] {1, 1, 6, 6}, c.backward(new Tensor(1, 2, 4, 4)).shape());
        ConvTranspose2d ct = new ConvTranspose2d(2, 1, 3, 2, 1, 1, rng);
        ct.forward(new Tensor(1, 2, 4, 4));
        ct.outputShape(new int[] {2, 7, 7});
        assertArrayEquals(new int[] {1, 2, 4, 4}, ct.backward(new Tensor(1, 1, 8, 8)).shape());
    }

    @Test
    void activationRangesHoldEveryOutput() {
        Tensor x = new Tensor(new float[] {-50f, -3f, -0.5f, 0f, 0.5f, 3f, 50f}, 1, 7);
        for (Activation.Kind k : Activation.Kind.values()) {
            Activation a = Activation.of(k);
            double[] r = a.range();
            Tensor y = a.forward(x);
            for (float v : y.data) assertTrue(v >= r[0] && v <= r[1], k + ": " + v + " outside " + java.util.Arrays.toString(r));
        }
        assertArrayEquals(new double[] {0, 1}, Activation.sigmoid().range());
        assertArrayEquals(new double[] {-1, Double.POSITIVE_INFINITY}, Activation.elu(1f).range());
        assertArrayEquals(new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY}, Activation.identity().range());
    }
}
