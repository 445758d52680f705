package org.cae4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.cae4j.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * {@link Pointwise}: Adam's vector kernel against the plain loop bit for bit, with and without weight decay and
 * AMSGrad, on ranges that start and end off the lanes; the squared error by hand and against the plain loop.
 */
class PointwiseTest {
    private static final ElementwiseVector VECTOR = new ElementwiseVector();

    private static float[] random(Rng rng, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (rng.nextFloat() - 0.5f) * scale;
        return a;
    }

    private static float[] abs(float[] a) {
        float[] b = a.clone();
        for (int i = 0; i < b.length; i++) b[i] = Math.abs(b[i]);
        return b;
    }

    @Test
    void adamVectorKernelGivesThePlainLoopsBits() {
        Rng rng = new Rng(7);
        int n = 1000;
        // {l2Decay, decoupledDecay, amsgrad}
        boolean[][] cases = {{false, false, false}, {true, false, false}, {false, true, false}, {false, false, true},
                {true, false, true}};
        int[][] ranges = {{0, n}, {3, 997}, {5, 20}, {0, 7}};
        for (boolean[] c : cases) {
            for (int[] r : ranges) {
                float[] w = random(rng, n, 2), g = random(rng, n, 1e-2f), m = random(rng, n, 1e-3f);
                float[] v = abs(random(rng, n, 1e-5f)), vmax = c[2] ? abs(random(rng, n, 1e-5f)) : null;
                g[11] = 0f; v[11] = 0f; // 0 / (0 + eps)
                float[] w2 = w.clone(), m2 = m.clone(), v2 = v.clone(), vmax2 = vmax == null ? null : vmax.clone();
                VECTOR.adam(w, g, m, v, vmax, r[0], r[1], 0.9f, 0.1f, 0.999f, 0.001f, 5.2e-3f, 0.0447f, 1e-8f,
                        c[0], 0.01f, c[1], 0.99999f);
                Pointwise.adamPlain(w2, g, m2, v2, vmax2, r[0], r[1], 0.9f, 0.1f, 0.999f, 0.001f, 5.2e-3f, 0.0447f,
                        1e-8f, c[0], 0.01f, c[1], 0.99999f);
                String what = "l2 " + c[0] + ", decoupled " + c[1] + ", amsgrad " + c[2] + ", range " + r[0] + ".." + r[1];
                assertArrayEquals(w2, w, 0f, "w, " + what);
                assertArrayEquals(m2, m, 0f, "m, " + what);
                assertArrayEquals(v2, v, 0f, "v, " + what);
                if (vmax != null) assertArrayEquals(vmax2, vmax, 0f, "vmax, " + what);
            }
        }
    }

    @Test
    void adamByHand() {
        // one element, first step: m = 0.1·g, v = 0.001·g², step size lr/(1 − 0.9), bc2Sqrt = √0.001
        float g = 0.5f, lr = 0.01f;
        float[] w = {1f}, m = {0f}, v = {0f};
        float stepSize = (float) (lr / 0.1), bc2 = (float) Math.sqrt(0.001);
        Pointwise.adam(w, new float[] {g}, m, v, null, 0, 1, 0.9f, 0.1f, 0.999f, 0.001f, stepSize, bc2, 1e-8f,
                false, 0f, false, 1f);
        assertEquals(0.05f, m[0], 1e-9f);
        assertEquals(0.00025f, v[0], 1e-10f);
        // m̂ / √v̂ = (0.05/0.1) / √(0.00025/0.001) = 0.5 / 0.5 = 1, so w moves by lr
        assertEquals(1f - lr, w[0], 1e-6f);
    }

    @Test
    void squaredErrorByHand() {
        float[] x = {1f, 2f, 3f}, t = {0f, 0f, 1f}, d = new float[3];
        assertEquals(9.0, Pointwise.squaredError(d, x, t, 0.5f, 3), 0.0);
        assertArrayEquals(new float[] {0.5f, 1f, 1f}, d, 0f);
    }

    @Test
    void squaredErrorVectorKernelMatchesThePlainLoop() {
        Rng rng = new Rng(3);
        for (int n : new int[] {1, 15, 16, 17, 100, 50_176}) {
            float[] x = random(rng, n, 1), t = random(rng, n, 1), d1 = new float[n], d2 = new float[n];
            // exact: the squares are exact in double, and Neumaier's compensated sum loses nothing at this size
            double exact = 0, comp = 0;
            for (int i = 0; i < n; i++) {
                double sq = (double) (x[i] - t[i]) * (x[i] - t[i]), s = exact + sq;
                comp += Math.abs(exact) >= sq ? (exact - s) + sq : (sq - s) + exact;
                exact = s;
            }
            exact += comp;
            double vec = VECTOR.squaredError(d1, x, t, 2f / n, 0, n);
            double plain = Pointwise.squaredErrorPlain(d2, x, t, 2f / n, 0, n);
            assertArrayEquals(d2, d1, 0f, "d, n = " + n);
            assertEquals(exact, vec, exact * 1e-12, "vector sum, n = " + n);
            assertEquals(exact, plain, exact * 1e-12, "plain sum, n = " + n);
            assertEquals(vec, VECTOR.squaredError(d1, x, t, 2f / n, 0, n), 0.0, "repeatable, n = " + n);
        }
    }
}
