package org.cae4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.cae4j.tensor.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Pool#maxPool2dForward} (with its branch-free 2×2 path) against a plain scan of every window, on random
 * sizes with floor and ceil mode, values drawn from a few levels (many ties) and some NaNs.
 */
class MaxPoolReferenceTest {

    /** The window scan of ATen's max_pool2d: the first maximum in row-major order, a NaN wins. */
    private static void reference(float[] y, int[] at, float[] x, int planes, PoolGeometry g) {
        for (int pl = 0; pl < planes; pl++)
            for (int p = 0; p < g.P(); p++)
                for (int q = 0; q < g.Q(); q++) {
                    float max = Float.NEGATIVE_INFINITY;
                    int arg = -1;
                    for (int h = p * g.strideH() - g.padH(); h < p * g.strideH() - g.padH() + g.R(); h++)
                        for (int w = q * g.strideW() - g.padW(); w < q * g.strideW() - g.padW() + g.S(); w++) {
                            if (h < 0 || h >= g.H() || w < 0 || w >= g.W()) continue;
                            float v = x[(pl * g.H() + h) * g.W() + w];
                            if (arg < 0 || v > max || v != v) { // as ATen: each NaN takes over, so the last one wins
                                max = v;
                                arg = h * g.W() + w;
                            }
                        }
                    int o = (pl * g.P() + p) * g.Q() + q;
                    y[o] = max;
                    at[o] = arg;
                }
    }

    @ParameterizedTest(name = "threads = {0}")
    @ValueSource(ints = {1, 2})
    void maxPoolMatchesTheWindowScanOnRandomSizesWithTiesAndNaNs(int threads) {
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            Rng rng = new Rng(17);
            for (int trial = 0; trial < 120; trial++) {
                // the second half: larger planes, signed zeros and rare NaNs and infinities, so that whole vectors of
                // 2x2 windows run on the vector kernel and now and then hand a vector back to the scalar loop
                boolean ceil = rng.nextInt(2) == 0, square = trial % 2 == 0, large = trial >= 60;
                int k = square ? 2 : 2 + rng.nextInt(2), s = square ? 2 : 1 + rng.nextInt(2);
                int N = 1 + rng.nextInt(3), C = 1 + rng.nextInt(4);
                int H = k + rng.nextInt(large ? 40 : 15), W = k + rng.nextInt(large ? 40 : 15);
                PoolGeometry g = PoolGeometry.of(C, H, W, k, k, s, s, 0, 0, ceil);
                float[] x = new float[N * C * H * W];
                for (int i = 0; i < x.length; i++) {
                    if (!large) {
                        x[i] = rng.nextInt(50) == 0 ? Float.NaN : rng.nextInt(4) - 1.5f;
                        continue;
                    }
                    int r = rng.nextInt(2000);
                    x[i] = r == 0 ? Float.NaN : r == 1 ? Float.POSITIVE_INFINITY : r == 2 ? Float.NEGATIVE_INFINITY
                            : r < 600 ? (r % 2 == 0 ? 0f : -0f) : rng.nextInt(5) - 2f;
                }
                float[] y = new float[N * C * g.P() * g.Q()], yRef = new float[y.length];
                int[] at = new int[y.length], atRef = new int[y.length];
                Pool.maxPool2dForward(y, at, x, N, g);
                reference(yRef, atRef, x, N * C, g);
                String what = "trial " + trial + " N=" + N + " " + g;
                assertArrayEquals(atRef, at, what + " argmax");
                for (int i = 0; i < y.length; i++) {
                    assertEquals(Float.floatToIntBits(yRef[i]), Float.floatToIntBits(y[i]), what + " y[" + i + "]");
                }
                // backward: dy (with signed zeros) routed to each argmax of a zeroed dx, in window order
                float[] dy = new float[y.length], dx = new float[x.length], dxRef = new float[x.length];
                for (int i = 0; i < dy.length; i++) dy[i] = rng.nextInt(5) == 0 ? -0f : rng.nextFloat() * 2 - 1;
                java.util.Arrays.fill(dx, Float.NaN); // every element must be written
                int hw = H * W, pq = g.P() * g.Q();
                for (int i = 0; i < dy.length; i++) dxRef[i / pq * hw + atRef[i]] += dy[i];
                Pool.maxPool2dBackward(dx, dy, at, N, g);
                for (int i = 0; i < dx.length; i++) {
                    assertEquals(Float.floatToIntBits(dxRef[i]), Float.floatToIntBits(dx[i]), what + " dx[" + i + "]");
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
