package org.cae4j.probe;

/**
 * Per-feature standardisation z = (x − μ)/σ with μ and σ (population standard deviation) estimated on the
 * training rows, as scikit-learn's {@code StandardScaler}; a feature constant on those rows (σ = 0) is only
 * centred, so it becomes 0 everywhere it had its training value.
 * <pre>x (N,F) row-major</pre>
 */
public final class Standardizer {
    private final float[] mean, scale;

    private Standardizer(float[] mean, float[] scale) {
        this.mean = mean;
        this.scale = scale;
    }

    /** μ and σ of each of the F columns of x (N,F), summed in double. */
    public static Standardizer fit(float[] x, int n, int f) {
        check(x, n, f);
        double[] s = new double[f], ss = new double[f];
        for (int i = 0; i < n; i++) {
            int off = i * f;
            for (int j = 0; j < f; j++) s[j] += x[off + j];
        }
        float[] mean = new float[f], scale = new float[f];
        for (int j = 0; j < f; j++) s[j] /= n;
        for (int i = 0; i < n; i++) {
            int off = i * f;
            for (int j = 0; j < f; j++) {
                double d = x[off + j] - s[j];
                ss[j] += d * d;
            }
        }
        for (int j = 0; j < f; j++) {
            mean[j] = (float) s[j];
            double sd = Math.sqrt(ss[j] / n);
            scale[j] = sd > 1e-12 ? (float) (1 / sd) : 1f;
        }
        return new Standardizer(mean, scale);
    }

    /** Standardises the rows of x (N,F) in place. */
    public void apply(float[] x, int n) {
        int f = mean.length;
        check(x, n, f);
        for (int i = 0; i < n; i++) {
            int off = i * f;
            for (int j = 0; j < f; j++) x[off + j] = (x[off + j] - mean[j]) * scale[j];
        }
    }

    /** Features per row, F. */
    public int size() { return mean.length; }

    private static void check(float[] x, int n, int f) {
        if (n <= 0 || f <= 0 || (long) n * f > x.length) {
            throw new IllegalArgumentException("standardize: expected x (N, F) with N, F > 0 and N·F <= " + x.length
                    + " values, got N=" + n + " F=" + f);
        }
    }
}
