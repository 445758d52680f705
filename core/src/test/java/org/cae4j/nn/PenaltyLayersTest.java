package org.cae4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** KL sparsity, L1 activity and the VAE's sampling layer worked out by hand, and the penalties summed by Sequential. */
class PenaltyLayersTest {

    @Test
    void klSparsityMatchesHandComputedPenaltyAndGradient() {
        KlSparsity kl = new KlSparsity(0.2, 2);
        // unit 0 sees 0.1 and 0.3 (ρ̂ = 0.2 = ρ: no penalty, no push); unit 1 sees 0.5 and 0.5 (ρ̂ = 0.5)
        Tensor x = new Tensor(new float[] {0.1f, 0.5f, 0.3f, 0.5f}, 2, 2);
        assertSame(x, kl.forward(x), "an identity layer");
        assertArrayEquals(new double[] {0.2, 0.5}, kl.meanActivation(), 1e-7);
        // KL(0.2 ‖ 0.5) = 0.2·ln 0.4 + 0.8·ln 1.6 = 0.1927448; times β = 2
        assertEquals(2 * (0.2 * Math.log(0.4) + 0.8 * Math.log(1.6)), kl.regularizationLoss(), 1e-7);
        assertEquals(0.3854897, kl.regularizationLoss(), 1e-6);
        // unit 1: β·(−0.2/0.5 + 0.8/0.5)/2 = 1.2 added to dy; unit 0: 0
        Tensor dx = kl.backward(new Tensor(new float[] {1, 1, 1, 1}, 2, 2));
        assertArrayEquals(new float[] {1, 2.2f, 1, 2.2f}, dx.data, 1e-6f);
    }

    @Test
    void klSparsityAveragesFeatureMapsOverBatchAndPositions() {
        KlSparsity kl = new KlSparsity(0.5, 1);
        Tensor x = new Tensor(2, 2, 1, 2); // (N, C, H, W): channel 0 all 0.5, channel 1 all 0.25
        for (int n = 0; n < 2; n++) {
            for (int p = 0; p < 2; p++) {
                x.data[(n * 2) * 2 + p] = 0.5f;
                x.data[(n * 2 + 1) * 2 + p] = 0.25f;
            }
        }
        kl.forward(x);
        assertArrayEquals(new double[] {0.5, 0.25}, kl.meanActivation(), 1e-7);
        // KL(0.5 ‖ 0.25) = 0.5·ln 2 + 0.5·ln(2/3)
        assertEquals(0.5 * Math.log(2) + 0.5 * Math.log(2.0 / 3), kl.regularizationLoss(), 1e-7);
        // channel 1's push (−0.5/0.25 + 0.5/0.75)/4 over its N·H·W = 4 activations
        Tensor dx = kl.backward(new Tensor(2, 2, 1, 2));
        assertEquals((-2 + 2.0 / 3) / 4, dx.data[2], 1e-6);
        assertEquals(0, dx.data[0], 1e-7);
    }

    @Test
    void klSparsityClampsDeadUnitsAndRejectsActivationsOutsideTheUnitRange() {
        KlSparsity kl = new KlSparsity(0.05, 3);
        kl.forward(new Tensor(new float[] {0, 0, 0, 0}, 4, 1));
        assertEquals(1e-6, kl.meanActivation()[0]);
        assertTrue(Double.isFinite(kl.regularizationLoss()) && kl.regularizationLoss() > 1, "" + kl.regularizationLoss());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> kl.forward(new Tensor(new float[] {-1, -2}, 2, 1)));
        assertEquals("KlSparsity(rho=0.05, beta=3.0): mean activation of unit 0 is -1.5, expected activations in "
                + "[0, 1] (place KlSparsity after a sigmoid)", e.getMessage());
        assertEquals("KlSparsity: rho must be in (0, 1), got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new KlSparsity(0, 1)).getMessage());
    }

    @Test
    void l1ActivityIsLambdaTimesThePerSampleSumAveragedOverTheBatch() {
        L1Activity l1 = new L1Activity(0.5);
        Tensor x = new Tensor(new float[] {1, -2, 0, 3}, 2, 2);
        assertSame(x, l1.forward(x));
        assertEquals(0.5 * 6 / 2, l1.regularizationLoss(), 1e-12);
        // subgradient λ·sign(a)/N = ±0.25, 0 at a = 0
        Tensor dx = l1.backward(new Tensor(new float[] {1, 1, 1, 1}, 2, 2));
        assertArrayEquals(new float[] {1.25f, 0.75f, 1, 1.25f}, dx.data);
    }

    @Test
    void reparameterizeKlIsZeroAtTheStandardNormalAndHalfPerUnitMean() {
        Reparameterize r = new Reparameterize(2, 1, new Rng(0));
        // μ = 0, log σ² = 0: q is the prior, KL 0, and the KL term adds nothing to the gradient
        r.train(false);
        Tensor z = r.forward(new Tensor(new float[] {0, 0, 0, 0}, 1, 4));
        assertEquals(0, r.regularizationLoss(), 0);
        assertArrayEquals(new float[] {0, 0}, z.data);
        assertArrayEquals(new float[] {0, 0, 0, 0}, r.backward(new Tensor(1, 2)).data);
        // μ = (1, 0), log σ² = 0: −½(1 + 0 − 1 − 1) = 0.5 for the first unit; two samples, so still 0.5 per sample
        r.forward(new Tensor(new float[] {1, 0, 0, 0, 1, 0, 0, 0}, 2, 4));
        assertEquals(0.5, r.regularizationLoss(), 1e-12);
        // μ = 0, log σ² = ln 2: −½(1 + ln 2 − 2) = (1 − ln 2)/2, with β = 3
        Reparameterize b3 = new Reparameterize(1, 3, new Rng(0));
        b3.forward(new Tensor(new float[] {0, (float) Math.log(2)}, 1, 2));
        assertEquals(3 * (1 - Math.log(2)) / 2, b3.regularizationLoss(), 1e-6);
    }

    @Test
    void reparameterizeSamplesMuPlusSigmaTimesEpsilonInTrainingAndMuInEvaluation() {
        Reparameterize r = new Reparameterize(2, 1, new Rng(0));
        r.fixNoise(new Tensor(new float[] {1, -2}, 1, 2));
        Tensor x = new Tensor(new float[] {0.5f, -1, (float) Math.log(4), 0}, 1, 4); // σ = (2, 1)
        assertArrayEquals(new float[] {0.5f + 2, -1 - 2}, r.forward(x).data, 1e-6f);
        // dz = (1, 1): dμ = 1 + μ, dlog σ² = ε·σ/2 + (σ² − 1)/2
        Tensor dx = r.backward(new Tensor(new float[] {1, 1}, 1, 2));
        assertArrayEquals(new float[] {1.5f, 0, 1 + 1.5f, -1 + 0}, dx.data, 1e-6f);
        r.train(false);
        assertArrayEquals(new float[] {0.5f, -1}, r.forward(x).data);
        // drawn noise: a seed fixes it, and about N(0, 1)
        Reparameterize a = new Reparameterize(1, 1, new Rng(11)), b = new Reparameterize(1, 1, new Rng(11));
        Tensor zeros = new Tensor(5000, 2);
        float[] za = a.forward(zeros).data.clone();
        assertArrayEquals(za, b.forward(zeros).data);
        double s2 = 0;
        for (float v : za) s2 += v * v;
        assertEquals(1, s2 / za.length, 0.06);
        assertEquals("Reparameterize(latent=2, beta=1.0): expected input (N, 4) = [mu, logvar], got [3, 5]",
                assertThrows(IllegalArgumentException.class, () -> r.forward(new Tensor(3, 5))).getMessage());
    }

    @Test
    void sequentialSumsItsLayersPenalties() {
        Sequential s = new Sequential(new L1Activity(1), Activation.sigmoid(), new KlSparsity(0.5, 2), new L1Activity(0.5));
        Tensor x = new Tensor(new float[] {0, 0}, 1, 2);
        s.forward(x);
        // L1 of zeros 0; sigmoid(0) = 0.5 = ρ: KL 0; L1 0.5·(0.5 + 0.5)
        assertEquals(0.5, s.regularizationLoss(), 1e-12);
        assertEquals(0, new Linear(2, 2, new Rng(0)).regularizationLoss());
    }
}
