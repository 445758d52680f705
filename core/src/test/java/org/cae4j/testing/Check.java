package org.cae4j.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;

/**
 * Comparisons of float arrays for tests, printing the largest difference whether they pass or fail.
 *
 * <p>The error is relative to the largest magnitude in the expected array, not per element:
 * <pre>
 *   err = max_i |e_i − a_i| / max(max_i |e_i|, 1e-6)
 * </pre>
 * so near-zero entries (a gradient that cancels, padding) do not blow up the ratio, while an error that is
 * small against the scale of the whole tensor passes. The 1e-6 floor keeps an all-zero expectation from
 * dividing by zero. A NaN or infinity in either array, or different lengths, always fail.
 */
public final class Check {
    private Check() {}

    /** Fails when the relative error (see class doc) exceeds {@code rtol}; prints it and returns it. */
    public static double assertClose(String what, float[] expected, float[] actual, double rtol) {
        return assertClose(what, expected, actual, rtol, null);
    }

    /**
     * As {@link #assertClose(String, float[], float[], double)}, naming the worst element by its multi-index in
     * {@code shape} (row-major) when {@code shape} is not null.
     */
    public static double assertClose(String what, float[] expected, float[] actual, double rtol, int[] shape) {
        if (expected.length != actual.length) {
            fail(what + ": expected " + expected.length + " values, got " + actual.length);
        }
        double scale = 0, worst = -1;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            if (!Float.isFinite(expected[i]) || !Float.isFinite(actual[i])) {
                fail(what + ": non-finite value at " + index(i, shape) + ": expected " + expected[i] + ", got " + actual[i]);
            }
            scale = Math.max(scale, Math.abs((double) expected[i]));
            double d = Math.abs((double) expected[i] - actual[i]);
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        if (expected.length == 0) {
            System.out.printf("%s: empty%n", what);
            return 0;
        }
        double err = worst / Math.max(scale, 1e-6);
        String line = String.format("%s: max rel err %.3e (|diff| %.3e at %s: expected %s, got %s; scale %.4g; rtol %.0e)",
                what, err, worst, index(at, shape), expected[at], actual[at], scale, rtol);
        System.out.println(line);
        if (!(err <= rtol)) fail(line);
        return err;
    }

    private static String index(int i, int[] shape) {
        if (shape == null || shape.length == 0) return "[" + i + "]";
        int[] idx = new int[shape.length];
        int rest = i;
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = shape[d] == 0 ? 0 : rest % shape[d];
            rest = shape[d] == 0 ? 0 : rest / shape[d];
        }
        return Arrays.toString(idx);
    }
}
