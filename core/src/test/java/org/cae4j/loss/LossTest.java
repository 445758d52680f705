package org.cae4j.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cae4j.ops.Parallel;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.cae4j.testing.GradCheck;
import org.junit.jupiter.api.Test;

class LossTest {
    private static Tensor t(float... v) { return new Tensor(v, v.length); }

    @Test
    void mseMatchesHandComputedValueAndGradient() {
        LossAndGrad lg = new MseLoss().forward(t(1, 2, 3, 4), t(1, 0, 3, 2));
        assertEquals((0 + 4 + 0 + 4) / 4.0, lg.value(), 1e-12);
        assertArrayEquals(new float[] {0, 1, 0, 1}, lg.grad().data, 1e-7f); // 2(x−t)/4
    }

    /**
     * A large batch (100,003 elements, not a multiple of any vector length): the loss agrees with a plain double sum
     * and is the same bits on 1, 2 and 3 threads; every gradient element is 2(x − t)/n.
     */
    @Test
    void mseOfALargeBatchIsTheSameOnAnyThreadCount() {
        int n = 100_003;
        Rng rng = new Rng(11);
        Tensor x = new Tensor(n), y = new Tensor(n);
        for (int i = 0; i < n; i++) {
            x.data[i] = (float) rng.uniform(-1, 1);
            y.data[i] = (float) rng.uniform(-1, 1);
        }
        double plain = 0;
        for (int i = 0; i < n; i++) plain += (double) (x.data[i] - y.data[i]) * (x.data[i] - y.data[i]);
        int saved = Parallel.threads();
        Double first = null;
        try {
            for (int threads = 1; threads <= 3; threads++) {
                Parallel.setThreads(threads);
                LossAndGrad lg = new MseLoss().forward(x, y);
                assertEquals(plain / n, lg.value(), 1e-12 * plain / n, threads + " threads");
                if (first == null) first = lg.value();
                assertEquals(Double.doubleToLongBits(first), Double.doubleToLongBits(lg.value()), threads + " threads: the same bits");
                for (int i = 0; i < n; i += 997) {
                    assertEquals(2f / n * (x.data[i] - y.data[i]), lg.grad().data[i], 0f, threads + " threads: gradient " + i);
                }
                assertEquals(2f / n * (x.data[n - 1] - y.data[n - 1]), lg.grad().data[n - 1], 0f, "the last element");
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void l1MatchesHandComputedValueAndGradient() {
        LossAndGrad lg = new L1Loss().forward(t(1, 2, 3, 4), t(1, 0, 5, 2));
        assertEquals((0 + 2 + 2 + 2) / 4.0, lg.value(), 1e-12);
        assertArrayEquals(new float[] {0, 0.25f, -0.25f, 0.25f}, lg.grad().data, 1e-7f);
    }

    @Test
    void bceMatchesHandComputedValue() {
        LossAndGrad lg = new BceLoss().forward(t(0.8f, 0.3f), t(1, 0));
        double expected = -(Math.log(0.8f) + Math.log(1 - 0.3f)) / 2;
        assertEquals(expected, lg.value(), 1e-7);
        // dL/dx = (x − t)/(x(1 − x))/n
        assertEquals((0.8 - 1) / (0.8 * 0.2) / 2, lg.grad().data[0], 1e-5);
    }

    @Test
    void bceClampsLogAtMinus100LikePyTorch() {
        LossAndGrad lg = new BceLoss().forward(t(0f, 1f), t(1, 0));
        assertEquals(100.0, lg.value(), 1e-9);
        assertTrue(Float.isFinite(lg.grad().data[0]));
    }

    @Test
    void bceRejectsNonProbabilityNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BceLoss().forward(t(1.5f), t(1)));
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
    }

    @Test
    void bceWithLogitsIsStableAndEqualsBceOfSigmoid() {
        LossAndGrad big = new BceWithLogitsLoss().forward(t(200f, -200f), t(0, 1));
        assertEquals(200.0, big.value(), 1e-6);
        LossAndGrad a = new BceWithLogitsLoss().forward(t(0.3f, -1.2f), t(0.2f, 1f));
        double s1 = 1 / (1 + Math.exp(-0.3)), s2 = 1 / (1 + Math.exp(1.2));
        double expected = -((0.2 * Math.log(s1) + 0.8 * Math.log(1 - s1)) + Math.log(s2)) / 2;
        assertEquals(expected, a.value(), 1e-6);
    }

    @Test
    void lossesRejectShapeMismatchNamingBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MseLoss().forward(new Tensor(2, 3), new Tensor(3, 2)));
        assertEquals("MSELoss: input [2, 3] and target [3, 2] must have the same shape", e.getMessage());
    }

    @Test
    void lossGradientsMatchCentralDifferences() {
        Rng rng = new Rng(3);
        Tensor target = GradCheck.uniform(rng, 0, 1, 2, 1, 4, 4);
        GradCheck.loss("MSELoss", new MseLoss(), GradCheck.uniform(rng, -1, 2, 2, 1, 4, 4), target, rng);
        GradCheck.loss("BCELoss", new BceLoss(), GradCheck.uniform(rng, 0.1, 0.9, 2, 1, 4, 4), target, rng);
        GradCheck.loss("BCEWithLogitsLoss", new BceWithLogitsLoss(), GradCheck.uniform(rng, -3, 3, 2, 1, 4, 4), target, rng);
        // L1: keep |x − t| > ε so no probe crosses the kink
        Tensor x = target.copy();
        Tensor off = GradCheck.awayFromZero(rng, 0.05, 2, 1, 4, 4);
        for (int i = 0; i < x.size(); i++) x.data[i] += off.data[i];
        GradCheck.loss("L1Loss", new L1Loss(), x, target, rng);
    }

    @Test
    void parseKnowsEveryLossAndNamesTheAlternatives() {
        for (String n : new String[] {"mse", "bce", "bce-logits", "l1"}) assertEquals(n, Loss.parse(n).cliName());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Loss.parse("huber"));
        assertTrue(e.getMessage().contains("huber") && e.getMessage().contains("mse"), e.getMessage());
    }
}
