package org.cae4j.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cae4j.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * tanh, sigmoid and ReLU of {@link Activations} (vector kernels or plain loops, whichever the JVM runs) against
 * double-precision references: within one ulp everywhere, exact at the special values.
 */
class ElementwiseAccuracyTest {
    private static final float[] SPECIAL = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f,
            1e-30f, -1e-40f, 88f, -88f, 104f, -104f, 1e4f, -1e4f, Float.MAX_VALUE, -Float.MAX_VALUE,
            Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL};

    /** Many values at several scales, the special ones first; an odd count so the scalar tail runs too. */
    private static float[] inputs() {
        Rng rng = new Rng(5);
        float[] x = new float[100_003];
        System.arraycopy(SPECIAL, 0, x, 0, SPECIAL.length);
        double[] scales = {1e-5, 1e-2, 1, 3, 30, 300};
        for (int i = SPECIAL.length; i < x.length; i++) x[i] = (float) (rng.nextGaussian() * scales[i % scales.length]);
        return x;
    }

    private static double ulpError(float got, double want) {
        if (Double.isNaN(want)) return Float.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
        return Math.abs(got - want) / Math.ulp((float) want);
    }

    @Test
    void tanhIsWithinOneUlpAndExactAtSpecialValues() {
        float[] x = inputs(), y = new float[x.length];
        Activations.tanhForward(y, x, x.length);
        double worst = 0;
        for (int i = 0; i < x.length; i++) worst = Math.max(worst, ulpError(y[i], Math.tanh(x[i])));
        System.out.printf("tanh (%s kernels): worst error %.4f ulp%n", Gemm.implementation(), worst);
        assertTrue(worst <= 1.0, "tanh worst error " + worst + " ulp");
        for (int i = 0; i < SPECIAL.length; i++) {
            assertEquals(Float.floatToIntBits((float) Math.tanh(x[i])), Float.floatToIntBits(y[i]), "tanh(" + x[i] + ")");
        }
    }

    @Test
    void sigmoidIsWithinOneUlpAndExactAtSpecialValues() {
        float[] x = inputs(), y = new float[x.length];
        Activations.sigmoidForward(y, x, x.length);
        double worst = 0;
        for (int i = 0; i < x.length; i++) worst = Math.max(worst, ulpError(y[i], 1 / (1 + Math.exp(-(double) x[i]))));
        System.out.printf("sigmoid (%s kernels): worst error %.4f ulp%n", Gemm.implementation(), worst);
        assertTrue(worst <= 1.0, "sigmoid worst error " + worst + " ulp");
        for (int i = 0; i < SPECIAL.length; i++) {
            assertEquals(Float.floatToIntBits(Activations.sigmoid(x[i])), Float.floatToIntBits(y[i]), "sigmoid(" + x[i] + ")");
        }
    }

    @Test
    void reluForwardAndBackwardAreExact() {
        float[] x = inputs(), y = new float[x.length], dy = inputs(), dx = new float[x.length];
        for (int i = 0; i < dy.length; i++) dy[i] = dy[(i * 7919) % dy.length];
        Activations.reluForward(y, x, x.length);
        Activations.reluBackward(dx, dy, x, x.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i] > 0f ? x[i] : 0f, y[i], "relu(" + x[i] + ")");
            assertEquals(x[i] > 0f ? dy[i] : 0f, dx[i], "relu'(" + x[i] + ")·" + dy[i]);
        }
    }
}
