package org.cae4j.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cae4j.ops.Parallel;
import org.cae4j.tensor.Rng;
import org.junit.jupiter.api.Test;

class LogisticRegressionTest {
    /** Gaussian blobs around K class centres in F dimensions, n per class; separable when spread is small. */
    static float[] blobs(int k, int f, int perClass, double spread, int[] labels, Rng rng) {
        float[][] centre = new float[k][f];
        for (float[] c : centre) for (int j = 0; j < f; j++) c[j] = (float) (3 * rng.nextGaussian());
        float[] x = new float[k * perClass * f];
        for (int i = 0; i < k * perClass; i++) {
            labels[i] = i % k;
            for (int j = 0; j < f; j++) x[i * f + j] = centre[i % k][j] + (float) (spread * rng.nextGaussian());
        }
        return x;
    }

    @Test
    void gradientMatchesCentralDifferences() {
        Rng rng = new Rng(7);
        int n = 40, f = 6, k = 4;
        int[] y = new int[n];
        float[] x = blobs(k, f, 10, 1.0, y, rng);
        double[] theta = new double[k * f + k], grad = new double[theta.length], g2 = new double[theta.length];
        for (int i = 0; i < theta.length; i++) theta[i] = 0.3 * rng.nextGaussian();
        double l2 = 0.05;
        LogisticRegression.objective(x, y, n, f, k, l2, theta, grad);
        double eps = 1e-3, worst = 0;
        int at = -1;
        for (int i = 0; i < theta.length; i++) {
            double t = theta[i];
            theta[i] = t + eps;
            double up = LogisticRegression.objective(x, y, n, f, k, l2, theta, g2);
            theta[i] = t - eps;
            double down = LogisticRegression.objective(x, y, n, f, k, l2, theta, g2);
            theta[i] = t;
            double num = (up - down) / (2 * eps);
            double err = Math.abs(num - grad[i]) / Math.max(1e-3, Math.max(Math.abs(num), Math.abs(grad[i])));
            if (err > worst) {
                worst = err;
                at = i;
            }
        }
        assertTrue(worst < 1e-3, "relative error " + worst + " at index " + at);
    }

    @Test
    void zeroWeightsGiveLogKAndTheHandComputedGradient() {
        // two rows, F = 1, K = 2: z = 0 so p = (1/2, 1/2); L = log 2; dL/dW = (1/N) Σ (p − y) x
        float[] x = {2, -4};
        int[] y = {0, 1};
        double[] theta = new double[4], g = new double[4];
        double l = LogisticRegression.objective(x, y, 2, 1, 2, 0, theta, g);
        assertEquals(Math.log(2), l, 1e-12);
        // class 0: ((0.5 − 1)·2 + 0.5·(−4)) / 2 = −1.5; class 1: (0.5·2 + (0.5 − 1)·(−4)) / 2 = 1.5; biases 0
        assertArrayEquals(new double[] {-1.5, 1.5, 0, 0}, g, 1e-7);
    }

    @Test
    void separableBlobsAreFittedPerfectlyAndIdenticallyRunToRun() {
        Rng rng = new Rng(11);
        int k = 5, f = 20, per = 60;
        int[] y = new int[k * per];
        float[] x = blobs(k, f, per, 0.5, y, rng);
        Standardizer s = Standardizer.fit(x, k * per, f);
        s.apply(x, k * per);
        LogisticRegression a = LogisticRegression.fit(x, y, k * per, f, k, 1e-3, Lbfgs.Config.defaults(), null);
        assertEquals(1.0, LogisticRegression.accuracy(a.predict(x, k * per), y));
        // fresh points from the same blobs
        int[] yt = new int[k * 20];
        float[] xt = blobs(k, f, 20, 0.5, yt, new Rng(11));
        s.apply(xt, k * 20);
        assertTrue(LogisticRegression.accuracy(a.predict(xt, k * 20), yt) > 0.99);
        LogisticRegression b = LogisticRegression.fit(x, y, k * per, f, k, 1e-3, Lbfgs.Config.defaults(), null);
        assertArrayEquals(a.weights(), b.weights(), "deterministic");
        int[][] cm = LogisticRegression.confusion(y, a.predict(x, k * per), k);
        for (int i = 0; i < k; i++) assertEquals(per, cm[i][i]);
    }

    @Test
    void oneAndTwoThreadsAgreeClosely() {
        Rng rng = new Rng(5);
        int[] y = new int[3 * 400];
        float[] x = blobs(3, 8, 400, 2.0, y, rng);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            // converged tightly, the two sums of rounding differences lead to the same unique minimum
            Lbfgs.Config tight = new Lbfgs.Config(2000, 1e-7, 0, 10);
            LogisticRegression one = LogisticRegression.fit(x, y, y.length, 8, 3, 1e-2, tight, null);
            Parallel.setThreads(2);
            LogisticRegression two = LogisticRegression.fit(x, y, y.length, 8, 3, 1e-2, tight, null);
            assertArrayEquals(one.weights(), two.weights(), 1e-3f);
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void strongerL2GivesSmallerWeights() {
        Rng rng = new Rng(2);
        int[] y = new int[200];
        float[] x = blobs(2, 4, 100, 1.0, y, rng);
        double weak = norm(LogisticRegression.fit(x, y, 200, 4, 2, 1e-4, Lbfgs.Config.defaults(), null).weights());
        double strong = norm(LogisticRegression.fit(x, y, 200, 4, 2, 1.0, Lbfgs.Config.defaults(), null).weights());
        assertTrue(strong < weak / 3, strong + " vs " + weak);
    }

    private static double norm(float[] w) {
        double s = 0;
        for (float v : w) s += v * v;
        return Math.sqrt(s);
    }

    @Test
    void badInputsNameTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogisticRegression.fit(new float[4], new int[] {0, 3}, 2, 2, 3, 0, Lbfgs.Config.defaults(), null));
        assertTrue(e.getMessage().contains("label 3") && e.getMessage().contains("0..2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LogisticRegression.fit(new float[4], new int[] {0, 1}, 2, 2, 2, -1, Lbfgs.Config.defaults(), null));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void lbfgsFindsTheMinimumOfRosenbrock() {
        double[] x = {-1.2, 1};
        Lbfgs.Result r = Lbfgs.minimize((p, g) -> {
            double a = 1 - p[0], b = p[1] - p[0] * p[0];
            g[0] = -2 * a - 400 * p[0] * b;
            g[1] = 200 * b;
            return a * a + 100 * b * b;
        }, x, new Lbfgs.Config(1000, 1e-9, 0, 5), null);
        assertEquals(1, x[0], 1e-5, r.toString());
        assertEquals(1, x[1], 1e-5, r.toString());
    }

    @Test
    void standardizedColumnsHaveMeanZeroAndUnitVarianceAndConstantsBecomeZero() {
        float[] x = {1, 5, 3, 5, 5, 5}; // columns (1, 3, 5) and (5, 5, 5)
        Standardizer.fit(x, 3, 2).apply(x, 3);
        double sd = Math.sqrt(8 / 3.0);
        assertArrayEquals(new float[] {(float) (-2 / sd), 0, 0, 0, (float) (2 / sd), 0}, x, 1e-6f);
    }
}
