package org.cae4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cae4j.ops.Dense;
import org.cae4j.ops.Parallel;
import org.cae4j.optim.Adam;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** {@link Linear} worked out by hand, its PyTorch init and its shape errors. */
class LinearTest {

    @Test
    void linearMatchesHandComputed() {
        Linear l = new Linear(3, 2, new Rng(0));
        System.arraycopy(new float[] {1, 2, 3, 4, 5, 6}, 0, l.weight().value.data, 0, 6);
        System.arraycopy(new float[] {0.5f, -1}, 0, l.bias().value.data, 0, 2);
        // y = x·Wᵀ + b: row (1, 0, −1) gives 1 − 3 + 0.5 = −1.5 and 4 − 6 − 1 = −3
        Tensor y = l.forward(new Tensor(new float[] {1, 0, -1, 2, 1, 0}, 2, 3));
        assertArrayEquals(new float[] {-1.5f, -3, 4.5f, 12}, y.data);
        // with dy = I: dx = W, dW = x, db = (1, 1)
        Tensor dx = l.backward(new Tensor(new float[] {1, 0, 0, 1}, 2, 2));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, dx.data);
        assertArrayEquals(new float[] {1, 0, -1, 2, 1, 0}, l.weight().grad.data);
        assertArrayEquals(new float[] {1, 1}, l.bias().grad.data);
        // backward adds into the parameter gradients
        l.backward(new Tensor(new float[] {1, 0, 0, 1}, 2, 2));
        assertArrayEquals(new float[] {2, 2}, l.bias().grad.data);
    }

    @Test
    void pytorchInitDrawsWeightAndBiasWithinOneOverRootInFeatures() {
        Linear l = new Linear(100, 50, new Rng(3));
        assertArrayEquals(new int[] {50, 100}, l.weight().value.shape(), "weight is (out, in), as PyTorch");
        double bound = 1 / Math.sqrt(100), max = 0;
        for (float w : l.weight().value.data) max = Math.max(max, Math.abs(w));
        assertTrue(max <= bound && max > 0.95 * bound, "max |w| " + max + " vs bound " + bound);
        double maxB = 0;
        for (float b : l.bias().value.data) maxB = Math.max(maxB, Math.abs(b));
        assertTrue(maxB <= bound && maxB > 0.5 * bound, "max |b| " + maxB + " vs bound " + bound);
        assertNull(new Linear(4, 2, false, new Rng(0)).bias());
        assertEquals(1, new Linear(4, 2, false, new Rng(0)).parameters().size());
    }

    @Test
    void linearRejectsWrongInputNamingBothShapes() {
        Linear l = new Linear(784, 32, new Rng(0));
        assertEquals("Linear(784->32)", l.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.forward(new Tensor(64, 1, 28, 28)));
        assertEquals("Linear(784->32): expected input (N, 784), got [64, 1, 28, 28]", e.getMessage());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class, () -> l.outputShape(new int[] {100}));
        assertEquals("Linear(784->32): expected input (N, 784), got [N, 100]", s.getMessage());
        assertThrows(IllegalStateException.class, () -> new Linear(2, 2, new Rng(0)).backward(new Tensor(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> new Linear(0, 2, new Rng(0)));
    }

    /**
     * Evaluation mode splits the product by batch rows (64 rows, 200 out-features: training splits these by
     * out-features on 2 threads); the output is the training one up to rounding, plain and tied, and the same bits
     * on a second call.
     */
    @Test
    void evaluationForwardMatchesTrainingForwardOnTwoThreads() {
        int saved = Parallel.threads();
        Parallel.setThreads(2);
        try {
            Rng rng = new Rng(5);
            Linear enc = new Linear(100, 200, rng);
            Linear dec = Linear.tiedTo(enc, true, rng);
            Linear narrow = new Linear(300, 20, rng);
            assertTrue(Dense.transposedFaster(100, 200) && !Dense.transposedFaster(300, 20), "both inference forms tested");
            Tensor x = new Tensor(64, 100), h = new Tensor(64, 200), wide = new Tensor(64, 300);
            for (int i = 0; i < x.size(); i++) x.data[i] = (float) rng.uniform(-1, 1);
            for (int i = 0; i < h.size(); i++) h.data[i] = (float) rng.uniform(-1, 1);
            for (int i = 0; i < wide.size(); i++) wide.data[i] = (float) rng.uniform(-1, 1);
            for (Linear l : new Linear[] {enc, dec, narrow}) {
                Tensor in = l == enc ? x : l == dec ? h : wide;
                float[] train = l.forward(in).data.clone();
                l.train(false);
                float[] eval = l.forward(in).data.clone(), again = l.forward(in).data.clone();
                l.train(true);
                for (int i = 0; i < train.length; i++) {
                    assertEquals(train[i], eval[i], 1e-5 * Math.max(1, Math.abs(train[i])), l + " element " + i);
                }
                assertArrayEquals(eval, again, l + ": the same output on a second call");
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /**
     * In evaluation mode the layer multiplies by a transposed copy of its weight: the copy follows every change of
     * the weight made through the library (an optimizer step taken in evaluation mode, a re-initialisation) or
     * announced by {@link Parameter#markChanged}, and is rebuilt by {@code train(false)}. Each output is checked
     * against plain loops over the weight as it is at that moment.
     */
    @Test
    void evaluationForwardFollowsEveryChangeOfTheWeight() {
        Rng rng = new Rng(8);
        Linear l = new Linear(40, 64, rng);
        assertTrue(Dense.transposedFaster(40, 64));
        Tensor x = new Tensor(5, 40);
        for (int i = 0; i < x.size(); i++) x.data[i] = (float) rng.uniform(-1, 1);
        l.train(false);
        assertForwardIsPlain(l, x, "first evaluation forward");

        Tensor dy = new Tensor(5, 64);
        for (int i = 0; i < dy.size(); i++) dy.data[i] = (float) rng.uniform(-1, 1);
        l.backward(dy);
        Adam.adam(l.parameters(), 0.1).step();
        assertForwardIsPlain(l, x, "after an optimizer step in evaluation mode");

        l.reset(Init.PYTORCH, new Rng(9));
        assertForwardIsPlain(l, x, "after reset");

        l.weight().value.data[7] += 3f;
        l.weight().markChanged();
        assertForwardIsPlain(l, x, "after a direct write and markChanged");

        l.weight().value.data[70] -= 2f;
        l.train(false);
        assertForwardIsPlain(l, x, "after a direct write and train(false)");
    }

    /** l.forward(x) against y = x · wᵀ + b in plain loops over l's current weight and bias. */
    private static void assertForwardIsPlain(Linear l, Tensor x, String when) {
        int n = x.dim(0), in = l.inFeatures(), out = l.outFeatures();
        float[] w = l.weight().value.data, b = l.bias().value.data, y = l.forward(x).data;
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int i = 0; i < in; i++) s += (double) x.data[r * in + i] * w[o * in + i];
                assertEquals(s, y[r * out + o], 1e-5 * Math.max(1, Math.abs(s)), when + ": element (" + r + ", " + o + ")");
            }
        }
    }
}
