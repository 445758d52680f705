package org.cae4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Input corruption for denoising: the noise's statistics, its masks in backward, seeding and evaluation mode. */
class InputNoiseTest {

    private static Tensor filled(float v, int... shape) {
        Tensor t = new Tensor(shape);
        Arrays.fill(t.data, v);
        return t;
    }

    @Test
    void gaussianNoiseHasMeanZeroAndTheGivenStandardDeviation() {
        GaussianNoise g = new GaussianNoise(0.3, new Rng(5));
        Tensor x = filled(0.5f, 100, 200);
        Tensor y = g.forward(x);
        double s = 0, s2 = 0;
        for (float v : y.data) {
            s += v - 0.5;
            s2 += (v - 0.5) * (v - 0.5);
        }
        int n = y.size();
        double mean = s / n, std = Math.sqrt(s2 / n - mean * mean);
        // 20000 draws: the mean's standard error is 0.3/√20000 = 0.0021, the std's about 0.0015
        assertEquals(0, mean, 0.01);
        assertEquals(0.3, std, 0.008);
        assertNull(g.lastMask(), "unclipped noise lets every gradient through");
    }

    @Test
    void clippedGaussianNoiseStaysInTheUnitRangeAndBlocksTheGradientWhereItClipped() {
        GaussianNoise g = new GaussianNoise(0.5, true, new Rng(6));
        Tensor x = filled(0.9f, 1, 1000);
        Tensor y = g.forward(x).copy();
        Tensor dx = g.backward(filled(1f, 1, 1000));
        int clipped = 0;
        for (int i = 0; i < y.size(); i++) {
            assertTrue(y.data[i] >= 0 && y.data[i] <= 1, "y[" + i + "] = " + y.data[i]);
            boolean atEnd = y.data[i] == 0f || y.data[i] == 1f;
            assertEquals(atEnd ? 0f : 1f, dx.data[i], "dx[" + i + "] for y = " + y.data[i]);
            if (atEnd) clipped++;
        }
        // P(0.9 + 0.5ε > 1) = P(ε > 0.2) = 0.42; binomial(1000, 0.42) has σ = 16
        assertEquals(420, clipped, 80);
    }

    @Test
    void maskingNoiseZeroesExactlyTheFractionOfEachSampleAtUniformPositions() {
        MaskingNoise m = new MaskingNoise(0.25, new Rng(7));
        int n = 400, d = 28 * 28;
        Tensor y = m.forward(filled(1f, n, 1, 28, 28));
        int[] perPosition = new int[d];
        for (int s = 0; s < n; s++) {
            int zeros = 0;
            for (int i = 0; i < d; i++) {
                float v = y.data[s * d + i];
                assertTrue(v == 0f || v == 1f, "kept values are not scaled (no 1/(1 − ν) as in dropout), got " + v);
                if (v == 0f) {
                    zeros++;
                    perPosition[i]++;
                }
            }
            assertEquals(196, zeros, "sample " + s + ": round(0.25·784) = 196 pixels masked");
        }
        // each position masked in about a quarter of 400 samples: binomial σ = 8.7, so ±45 is about 5σ
        int min = Arrays.stream(perPosition).min().getAsInt(), max = Arrays.stream(perPosition).max().getAsInt();
        assertTrue(min > 55 && max < 145, "per-position mask counts " + min + ".." + max + " around 100");
    }

    @Test
    void maskingBackwardZeroesTheGradientOfMaskedInputs() {
        MaskingNoise m = new MaskingNoise(0.5, new Rng(8));
        Tensor x = new Tensor(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4);
        Tensor y = m.forward(x).copy();
        Tensor dx = m.backward(new Tensor(new float[] {10, 20, 30, 40, 50, 60, 70, 80}, 2, 4));
        for (int i = 0; i < 8; i++) {
            boolean kept = y.data[i] != 0f;
            assertEquals(kept ? x.data[i] : 0f, y.data[i]);
            assertEquals(kept ? 10f * (i + 1) : 0f, dx.data[i], "dx[" + i + "]");
        }
    }

    @Test
    void saltAndPepperSetsTheFractionToZeroOrOneByAFairCoin() {
        SaltAndPepper sp = new SaltAndPepper(0.1, new Rng(9));
        int n = 200, d = 500;
        Tensor y = sp.forward(filled(0.5f, n, d)).copy();
        Tensor dx = sp.backward(filled(1f, n, d));
        int salt = 0, pepper = 0;
        for (int s = 0; s < n; s++) {
            int replaced = 0;
            for (int i = 0; i < d; i++) {
                float v = y.data[s * d + i];
                if (v == 0.5f) {
                    assertEquals(1f, dx.data[s * d + i]);
                    continue;
                }
                replaced++;
                assertEquals(0f, dx.data[s * d + i]);
                if (v == 1f) salt++;
                else if (v == 0f) pepper++;
                else throw new AssertionError("replaced value " + v + " is neither 0 nor 1");
            }
            assertEquals(50, replaced, "sample " + s);
        }
        // 10000 coin flips: σ = 50
        assertEquals(5000, salt, 250);
        assertEquals(10000, salt + pepper);
    }

    @Test
    void aSeedFixesTheNoiseAndEvaluationIsTheIdentity() {
        Tensor x = filled(0.5f, 2, 50);
        for (java.util.function.Function<Rng, InputNoise> make : java.util.List.<java.util.function.Function<Rng, InputNoise>>of(
                r -> new GaussianNoise(0.2, r), r -> new MaskingNoise(0.3, r), r -> new SaltAndPepper(0.3, r))) {
            float[] a = make.apply(new Rng(1)).forward(x).data.clone();
            float[] b = make.apply(new Rng(1)).forward(x).data.clone();
            float[] c = make.apply(new Rng(2)).forward(x).data.clone();
            assertArrayEquals(a, b);
            assertTrue(!Arrays.equals(a, c));
            InputNoise n = make.apply(new Rng(1));
            n.train(false);
            assertSame(x, n.forward(x), n + " in evaluation");
            Tensor dy = filled(3f, 2, 50);
            assertSame(dy, n.backward(dy));
        }
    }

    @Test
    void noiseLayersCheckTheirArguments() {
        assertEquals("GaussianNoise: std must be finite and >= 0, got -0.1",
                assertThrows(IllegalArgumentException.class, () -> new GaussianNoise(-0.1, new Rng(0))).getMessage());
        assertEquals("MaskingNoise: fraction must be between 0 and 1, got 1.5",
                assertThrows(IllegalArgumentException.class, () -> new MaskingNoise(1.5, new Rng(0))).getMessage());
        assertEquals("SaltAndPepper: fraction must be between 0 and 1, got NaN",
                assertThrows(IllegalArgumentException.class, () -> new SaltAndPepper(Double.NaN, new Rng(0))).getMessage());
        assertThrows(IllegalStateException.class, () -> new MaskingNoise(0.1, new Rng(0)).backward(new Tensor(1, 1)));
        assertEquals("GaussianNoise(std=0.5, clip=[0, 1])", new GaussianNoise(0.5, true, new Rng(0)).toString());
        assertEquals("MaskingNoise(fraction=0.25)", new MaskingNoise(0.25, new Rng(0)).toString());
        assertEquals("SaltAndPepper(fraction=0.1)", new SaltAndPepper(0.1, new Rng(0)).toString());
    }
}
