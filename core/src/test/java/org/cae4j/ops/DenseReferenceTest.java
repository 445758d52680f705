package org.cae4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.cae4j.tensor.Rng;
import org.cae4j.testing.Check;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Dense} (split over threads when large) against loops in double precision, on random sizes below and
 * above the split threshold, plain and tied (transposed) weights, in training and in inference (split by rows).
 */
class DenseReferenceTest {
    private static final double RTOL = 1e-5;

    private static float[] uniform(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.uniform(-1, 1);
        return a;
    }

    @ParameterizedTest(name = "threads = {0}, split from {1} multiply-adds")
    @CsvSource({"1, 33554432", "2, 33554432", "2, 65536", "3, 65536"})
    void denseMatchesDoubleLoopsOnRandomSizes(int threads, long splitMin) {
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        Dense.splitMin = splitMin; // the default threshold is above these sizes: lowered, the split path runs too
        try {
            Rng rng = new Rng(23);
            for (int trial = 0; trial < 12; trial++) {
                int N = 1 + rng.nextInt(70), I = 1 + rng.nextInt(300), O = 1 + rng.nextInt(200);
                String what = "threads=" + threads + " N=" + N + " I=" + I + " O=" + O
                        + ((long) N * I * O >= splitMin ? " (split)" : "");
                float[] x = uniform(rng, N * I), w = uniform(rng, O * I), b = uniform(rng, O), dy = uniform(rng, N * O);
                // w (O,I): y = x·wᵀ + b, dx = dy·w, dw = dyᵀ·x; the same w read as (I,O) for the tied forms
                float[] yRef = new float[N * O], dxRef = new float[N * I], dwRef = new float[O * I];
                float[] yTRef = new float[N * I], dxTRef = new float[N * O], dwTRef = new float[O * I];
                for (int n = 0; n < N; n++)
                    for (int o = 0; o < O; o++) {
                        double s = b[o];
                        for (int i = 0; i < I; i++) s += (double) x[n * I + i] * w[o * I + i];
                        yRef[n * O + o] = (float) s;
                    }
                for (int n = 0; n < N; n++)
                    for (int i = 0; i < I; i++) {
                        double s = 0;
                        for (int o = 0; o < O; o++) s += (double) dy[n * O + o] * w[o * I + i];
                        dxRef[n * I + i] = (float) s;
                    }
                for (int o = 0; o < O; o++)
                    for (int i = 0; i < I; i++) {
                        double s = 0;
                        for (int n = 0; n < N; n++) s += (double) dy[n * O + o] * x[n * I + i];
                        dwRef[o * I + i] = (float) s;
                    }
                // tied: weight stored (I', O') = (O, I) here, input dy (N, O) as x', output (N, I)
                for (int n = 0; n < N; n++)
                    for (int i = 0; i < I; i++) {
                        double s = 0;
                        for (int o = 0; o < O; o++) s += (double) dy[n * O + o] * w[o * I + i];
                        yTRef[n * I + i] = (float) s;
                    }
                for (int n = 0; n < N; n++)
                    for (int o = 0; o < O; o++) {
                        double s = 0;
                        for (int i = 0; i < I; i++) s += (double) x[n * I + i] * w[o * I + i];
                        dxTRef[n * O + o] = (float) s;
                    }
                for (int o = 0; o < O; o++)
                    for (int i = 0; i < I; i++) {
                        double s = 0;
                        for (int n = 0; n < N; n++) s += (double) dy[n * O + o] * x[n * I + i];
                        dwTRef[o * I + i] = (float) s;
                    }
                float[] y = new float[N * O], dx = new float[N * I], dw = new float[O * I], db = new float[O];
                Dense.linearForward(y, x, w, b, N, I, O);
                Dense.linearBackward(dx, dw, db, dy, x, w, N, I, O);
                Check.assertClose(what + " y", yRef, y, RTOL);
                Check.assertClose(what + " dx", dxRef, dx, RTOL);
                Check.assertClose(what + " dw", dwRef, dw, RTOL);
                float[] yT = new float[N * I], dxT = new float[N * O], dwT = new float[O * I];
                Dense.linearTransposedForward(yT, dy, w, null, N, O, I);
                Dense.linearTransposedBackward(dxT, dwT, null, x, dy, w, N, O, I);
                Check.assertClose(what + " tied y", yTRef, yT, RTOL);
                Check.assertClose(what + " tied dx", dxTRef, dxT, RTOL);
                Check.assertClose(what + " tied dw", dwTRef, dwT, RTOL);
                // inference: split by batch rows from INFERENCE_ROWS per chunk on (N = 32..69 on 2 threads)
                float[] yInf = new float[N * O], yTInf = new float[N * I];
                java.util.Arrays.fill(yInf, Float.NaN);
                Dense.linearInference(yInf, x, w, b, N, I, O);
                Dense.linearTransposedInference(yTInf, dy, w, null, N, O, I);
                Check.assertClose(what + " inference y", yRef, yInf, RTOL);
                Check.assertClose(what + " tied inference y", yTRef, yTInf, RTOL);
            }
        } finally {
            Parallel.setThreads(saved);
            Dense.splitMin = Dense.SPLIT_MIN;
        }
    }

    /**
     * dx split by w's rows (N ≤ I ≤ O, above the split threshold): the partial sums of 2 and 3 chunks against double
     * loops, dx overwritten (it starts as NaN), and bit-identical when run again.
     */
    @ParameterizedTest(name = "threads = {0}, N = {1}, I = {2}, O = {3}")
    @CsvSource({"2, 5, 7, 300", "3, 9, 33, 50", "2, 64, 128, 784", "3, 1, 1, 2"})
    void dxSplitByWeightRowsSumsThePartialsInOrder(int threads, int N, int I, int O) {
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        Dense.splitMin = 1;
        try {
            Rng rng = new Rng(N * 1000 + O);
            float[] x = uniform(rng, N * I), w = uniform(rng, O * I), dy = uniform(rng, N * O);
            float[] dxRef = new float[N * I];
            for (int n = 0; n < N; n++)
                for (int i = 0; i < I; i++) {
                    double s = 0;
                    for (int o = 0; o < O; o++) s += (double) dy[n * O + o] * w[o * I + i];
                    dxRef[n * I + i] = (float) s;
                }
            float[] dx = new float[N * I], again = new float[N * I], dw = new float[O * I];
            java.util.Arrays.fill(dx, Float.NaN);
            Dense.linearBackward(dx, dw, null, dy, x, w, N, I, O);
            Dense.linearBackward(again, dw, null, dy, x, w, N, I, O);
            Check.assertClose("dx", dxRef, dx, RTOL);
            assertArrayEquals(dx, again, "the same dx on a second run");
        } finally {
            Parallel.setThreads(saved);
            Dense.splitMin = Dense.SPLIT_MIN;
        }
    }
}
