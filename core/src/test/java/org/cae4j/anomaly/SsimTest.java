package org.cae4j.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cae4j.tensor.Rng;
import org.junit.jupiter.api.Test;

class SsimTest {
    static float[] random(int n, long seed) {
        Rng r = new Rng(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = r.nextFloat();
        return x;
    }

    @Test
    void identicalImagesHaveSsimOne() {
        float[] x = random(2 * 14 * 13, 1);
        for (Ssim.Window w : Ssim.Window.values()) assertEquals(1.0, Ssim.mean(x, 0, x, 0, 2, 14, 13, w), 1e-12);
    }

    @Test
    void constantImagesGiveTheLuminanceTermAlone() {
        // x ≡ a, y ≡ b: no variance, so SSIM = (2ab + C1) / (a² + b² + C1) · C2/C2
        float[] x = new float[12 * 12], y = new float[12 * 12];
        java.util.Arrays.fill(x, 0.25f);
        java.util.Arrays.fill(y, 0.75f);
        double expected = (2 * 0.25 * 0.75 + 1e-4) / (0.0625 + 0.5625 + 1e-4);
        assertEquals(expected, Ssim.mean(x, 0, y, 0, 1, 12, 12, Ssim.Window.GAUSSIAN), 1e-12);
        double[] map = new double[4];
        Ssim.map(x, 0, y, 0, 12, 12, Ssim.Window.UNIFORM, map);
        for (double v : map) assertEquals(expected, v, 1e-12);
    }

    @Test
    void uniformWindowMatchesAHandComputedPatch() {
        // 11×11: one window. x a checkerboard of 0/1, y = 1 − x: μ = 0.5 each (61 ones vs 60: μx = 61/121),
        // σx² = μx(1 − μx), σy² the same, σxy = −μx(1 − μx)
        float[] x = new float[121], y = new float[121];
        for (int i = 0; i < 121; i++) {
            x[i] = ((i / 11 + i % 11) % 2 == 0) ? 1 : 0;
            y[i] = 1 - x[i];
        }
        double mx = 61 / 121.0, my = 60 / 121.0, v = mx * (1 - mx);
        double expected = (2 * mx * my + Ssim.C1) * (-2 * v + Ssim.C2) / ((mx * mx + my * my + Ssim.C1) * (2 * v + Ssim.C2));
        assertEquals(expected, Ssim.mean(x, 0, y, 0, 1, 11, 11, Ssim.Window.UNIFORM), 1e-12);
        assertTrue(expected < -0.99);
    }

    @Test
    void noiseLowersSsimAndTheGaussianWindowSumsToOne() {
        float[] x = random(28 * 28, 2), y = x.clone();
        Rng r = new Rng(3);
        for (int i = 0; i < y.length; i++) y[i] += (float) (0.1 * r.nextGaussian());
        double s = Ssim.mean(x, 0, y, 0, 1, 28, 28, Ssim.Window.GAUSSIAN);
        assertTrue(s < 0.95 && s > 0.3, "ssim " + s);
        double sum = 0;
        for (double w : Ssim.weights(Ssim.Window.GAUSSIAN)) sum += w;
        assertEquals(1, sum, 1e-12);
        assertEquals(Math.exp(-25 / 4.5) / Math.exp(0), Ssim.weights(Ssim.Window.GAUSSIAN)[0] / Ssim.weights(Ssim.Window.GAUSSIAN)[5], 1e-12);
    }

    @Test
    void imagesSmallerThanTheWindowAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ssim.mean(new float[64], 0, new float[64], 0, 1, 8, 8, Ssim.Window.GAUSSIAN));
        assertTrue(e.getMessage().contains("8x8") && e.getMessage().contains("11x11"), e.getMessage());
    }

    @Test
    void quantileAndMeanPlusKAreHandComputed() {
        double[] s = {4, 1, 3, 2, 5};
        assertEquals(3, ReconstructionScores.quantile(s, 0.5));
        assertEquals(4.6, ReconstructionScores.quantile(s, 0.9), 1e-12); // 0.9·4 = 3.6 → 4 + 0.6·(5 − 4)
        assertEquals(5, ReconstructionScores.quantile(s, 1));
        assertEquals(3 + 2 * Math.sqrt(2), ReconstructionScores.meanPlusK(s, 2), 1e-12);
    }
}
