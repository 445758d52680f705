package org.cae4j.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cae4j.tensor.Rng;
import org.junit.jupiter.api.Test;

class PcaTest {
    @Test
    void recoversTheAxesOfAnElongatedCloud() {
        // std 10 along (1, 1, 0, 0)/√2, std 3 along (0, 0, 1, 0), std 0.5 elsewhere, centred at (5, 5, 5, 5)
        Rng rng = new Rng(1);
        int n = 4000, f = 4;
        float[] x = new float[n * f];
        double r2 = Math.sqrt(0.5);
        for (int i = 0; i < n; i++) {
            double a = 10 * rng.nextGaussian(), b = 3 * rng.nextGaussian();
            double[] e = {0.5 * rng.nextGaussian(), 0.5 * rng.nextGaussian(), 0.5 * rng.nextGaussian(), 0.5 * rng.nextGaussian()};
            x[i * f] = (float) (5 + a * r2 + e[0]);
            x[i * f + 1] = (float) (5 + a * r2 + e[1]);
            x[i * f + 2] = (float) (5 + b + e[2]);
            x[i * f + 3] = (float) (5 + e[3]);
        }
        Pca p = Pca.fit(x, n, f, 2, new Rng(9));
        double[] c0 = p.component(0), c1 = p.component(1);
        assertEquals(1, Math.abs(c0[0] * r2 + c0[1] * r2), 1e-3);
        assertEquals(1, Math.abs(c1[2]), 1e-3);
        assertTrue(c0[0] > 0 && c1[2] > 0, "largest entry positive");
        assertEquals(100.25, p.variance()[0], 100.25 * 0.08);
        assertEquals(9.25, p.variance()[1], 9.25 * 0.08);
        double[] ratio = p.explainedVarianceRatio();
        assertEquals(100.25 / 110.0, ratio[0], 0.02);
        // the same components from another random start
        double[] again = Pca.fit(x, n, f, 2, new Rng(123)).component(0);
        for (int j = 0; j < f; j++) assertEquals(c0[j], again[j], 1e-4);
        // the projection of the first sample, centred on the sample mean
        double[] z = p.transform(x, 1);
        double expect = 0;
        for (int j = 0; j < f; j++) {
            double mean = 0;
            for (int i = 0; i < n; i++) mean += x[i * f + j];
            expect += (x[j] - mean / n) * c0[j];
        }
        assertEquals(expect, z[0], 1e-3);
    }

    @Test
    void jacobiDiagonalisesASymmetricMatrix() {
        double[][] a = {{2, 1}, {1, 2}}, q = new double[2][2];
        double[] ev = Pca.jacobi(a, q);
        java.util.Arrays.sort(ev);
        assertEquals(1, ev[0], 1e-12);
        assertEquals(3, ev[1], 1e-12);
    }
}
