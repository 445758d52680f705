package org.cae4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cae4j.nn.Parameter;
import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Update rules worked out by hand, step by step, as PyTorch defines them. */
class OptimizerTest {

    private static Parameter param(float w, float g) {
        Parameter p = new Parameter("w", new Tensor(new float[] {w}, 1));
        p.grad.data[0] = g;
        return p;
    }

    @Test
    void sgdWithMomentumAndWeightDecayMatchesHandComputedSteps() {
        Parameter p = param(1f, 0.5f);
        Sgd sgd = new Sgd(List.of(p), 0.1, 0.9, 0, 0.01, false);
        sgd.step();   // g = 0.5 + 0.01 = 0.51; b = 0.51; w = 1 − 0.051 = 0.949
        assertEquals(0.949f, p.value.data[0], 1e-6f);
        p.grad.data[0] = 0.5f;
        sgd.step();   // g = 0.5 + 0.00949 = 0.50949; b = 0.9·0.51 + 0.50949 = 0.96849; w = 0.949 − 0.096849
        assertEquals(0.852151f, p.value.data[0], 1e-6f);
    }

    /**
     * A large parameter's update is split over the worker threads: on 1 and 3 threads it equals, element for
     * element, a reference loop written here from PyTorch's formula in float arithmetic.
     */
    @Test
    void adamOnALargeParameterEqualsTheReferenceLoopOnAnyThreadCount() {
        int before = org.cae4j.ops.Parallel.threads(), n = 100_003;
        float[] w = new float[n], m = new float[n], v = new float[n], g = new float[n];
        for (int i = 0; i < n; i++) w[i] = (float) Math.sin(i * 0.1);
        for (int step = 1; step <= 5; step++) {
            grad(g, step);
            float stepSize = (float) (1e-3 / (1 - Math.pow(0.9, step))), bc2 = (float) Math.sqrt(1 - Math.pow(0.999, step));
            for (int i = 0; i < n; i++) {
                m[i] = 0.9f * m[i] + (float) (1 - 0.9) * g[i];
                v[i] = 0.999f * v[i] + (float) (1 - 0.999) * g[i] * g[i];
                w[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i]) / bc2 + 1e-8f);
            }
        }
        try {
            for (int threads : new int[] {1, 3}) {
                org.cae4j.ops.Parallel.setThreads(threads);
                Parameter p = new Parameter("w", new Tensor(n));
                for (int i = 0; i < n; i++) p.value.data[i] = (float) Math.sin(i * 0.1);
                Adam adam = Adam.adam(List.of(p), 1e-3);
                for (int step = 1; step <= 5; step++) {
                    grad(p.grad.data, step);
                    adam.step();
                }
                assertArrayEquals(w, p.value.data, threads + " threads");
            }
        } finally {
            org.cae4j.ops.Parallel.setThreads(before);
        }
    }

    private static void grad(float[] g, int step) {
        for (int i = 0; i < g.length; i++) g[i] = (float) Math.cos(i * 0.37 + step) * 1e-3f;
    }

    @Test
    void sgdNesterovMatchesHandComputedSteps() {
        Parameter p = param(1f, 1f);
        Sgd sgd = new Sgd(List.of(p), 0.1, 0.5, 0, 0, true);
        sgd.step();   // b = 1; g = 1 + 0.5·1 = 1.5; w = 0.85
        assertEquals(0.85f, p.value.data[0], 1e-6f);
        sgd.step();   // b = 0.5 + 1 = 1.5; g = 1 + 0.75 = 1.75; w = 0.675
        assertEquals(0.675f, p.value.data[0], 1e-6f);
    }

    @Test
    void adamMatchesHandComputedSteps() {
        Parameter p = param(1f, 0.2f);
        Adam adam = Adam.adam(List.of(p), 0.01);
        adam.step();
        // m = 0.02, v = 4e-5; m̂ = 0.2, v̂ = 0.04; w = 1 − 0.01·0.2/(0.2 + 1e-8)
        assertEquals(0.99f, p.value.data[0], 1e-7f);
        p.grad.data[0] = -0.1f;
        adam.step();
        double m = 0.9 * 0.02 + 0.1 * -0.1, v = 0.999 * 4e-5 + 0.001 * 0.01;
        double mh = m / (1 - 0.81), vh = v / (1 - 0.999 * 0.999);
        assertEquals(0.99 - 0.01 * mh / (Math.sqrt(vh) + 1e-8), p.value.data[0], 1e-6);
    }

    @Test
    void adamWDecaysWeightsBeforeTheAdamStep() {
        Parameter p = param(2f, 0f);
        Adam w = Adam.adamW(List.of(p), 0.1);
        w.step();  // zero gradient: only θ·(1 − lr·λ) = 2·(1 − 0.001)
        assertEquals(1.998f, p.value.data[0], 1e-6f);
        Parameter q = param(2f, 0f);
        new Adam(List.of(q), 0.1, 0.9, 0.999, 1e-8, 0.01, false, false).step();
        // Adam's L2: g = 0.02, first step moves by lr·sign(g)
        assertEquals(1.9f, q.value.data[0], 1e-5f);
    }

    @Test
    void amsgradKeepsTheLargestSecondMoment() {
        Parameter p = param(0f, 1f);
        Adam a = new Adam(List.of(p), 0.1, 0.9, 0.999, 1e-8, 0, false, true);
        a.step();
        p.grad.data[0] = 0f;
        a.step();
        // m = 0.09, v = 0.000999, vmax = 0.001 (step 1)
        double m = 0.09 / (1 - 0.81), vmax = 0.001 / (1 - 0.999 * 0.999);
        assertEquals(-0.1 - 0.1 * m / (Math.sqrt(vmax) + 1e-8), p.value.data[0], 1e-6);
    }

    @Test
    void zeroGradClearsEveryGradient() {
        Parameter p = param(1f, 3f);
        new Sgd(List.of(p), 0.1).zeroGrad();
        assertArrayEquals(new float[] {0f}, p.grad.data);
    }

    @Test
    void badHyperParametersAreRejectedNamingTheValue() {
        Parameter p = param(1f, 1f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Adam.adam(List.of(p), -1e-3));
        assertEquals("Adam: lr must be > 0, got -0.001", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(p), 0.1, 0, 0, 0, true));
        assertTrue(e.getMessage().contains("Nesterov"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Adam(List.of(p), 0.1, 1.0, 0.999, 1e-8, 0, false, false));
        assertTrue(e.getMessage().contains("betas"), e.getMessage());
    }
}
