package org.cae4j.probe;

import org.cae4j.tensor.Rng;

/**
 * Principal component analysis of rows x (N,F) by subspace iteration: V (F,p) ← orthonormalise(Xcᵀ·Xc·V),
 * with Xc the centred rows, repeated until the subspace settles, each time rotated (Rayleigh–Ritz) so that column i
 * is the i-th eigenvector of the covariance. Only p·F numbers (p = k + 10) are kept besides x, so it works on wide
 * feature vectors (a 16×32×32 code) where the F×F covariance would not fit. Each component's sign is chosen so
 * that its largest-magnitude entry is positive (as scikit-learn's {@code svd_flip}), so results do not depend
 * on the random start.
 */
public final class Pca {
    private final float[] mean;
    private final double[][] components;
    private final double[] variance;
    private final double totalVariance;

    private Pca(float[] mean, double[][] components, double[] variance, double totalVariance) {
        this.mean = mean;
        this.components = components;
        this.variance = variance;
        this.totalVariance = totalVariance;
    }

    /** The first {@code k} principal components of x (N,F); {@code rng} draws the start. */
    public static Pca fit(float[] x, int n, int f, int k, Rng rng) {
        if (n < 2 || f < 1 || (long) n * f > x.length) {
            throw new IllegalArgumentException("pca: expected x (N, F) with N >= 2, F >= 1, N·F <= " + x.length
                    + " values, got N=" + n + " F=" + f);
        }
        if (k < 1 || k > Math.min(n, f)) throw new IllegalArgumentException("pca: components must be in 1.." + Math.min(n, f) + ", got " + k);
        double[] mu = new double[f];
        for (int i = 0; i < n; i++) for (int j = 0; j < f; j++) mu[j] += x[i * f + j];
        float[] mean = new float[f];
        for (int j = 0; j < f; j++) mean[j] = (float) (mu[j] /= n);
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                double d = x[i * f + j] - mu[j];
                total += d * d;
            }
        }
        total /= n - 1;
        // oversampled subspace iteration (Halko, Martinsson and Tropp, 2011): p > k vectors make the top k converge
        // at the rate λ_{p+1}/λ_k rather than λ_{k+1}/λ_k
        int p = Math.min(k + 10, Math.min(n, f));
        double[][] v = new double[p][f];
        for (double[] c : v) for (int j = 0; j < f; j++) c[j] = rng.nextGaussian();
        orthonormalise(v);
        double[][] cv = new double[p][], q = new double[p][p];
        double[] ev = null, previous = null;
        for (int it = 0; it < 200; it++) {
            for (int c = 0; c < p; c++) cv[c] = covTimes(x, mu, n, f, v[c]);
            // Rayleigh–Ritz: the eigenvectors of the p×p matrix Vᵀ C V rotate V towards the eigenvectors of C
            double[][] b = new double[p][p];
            for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) b[i][j] = Lbfgs.dot(v[i], cv[j]);
            ev = jacobi(b, q);
            double[] top = ev.clone();
            java.util.Arrays.sort(top);
            boolean settled = previous != null;
            for (int i = 0; settled && i < k; i++) {
                double a = top[p - 1 - i], o = previous[p - 1 - i];
                settled = Math.abs(a - o) <= 1e-10 * Math.max(Math.abs(a), 1e-300);
            }
            previous = top;
            if (settled || it == 199) break;
            double[][] next = new double[p][];
            for (int c = 0; c < p; c++) next[c] = cv[c].clone();
            orthonormalise(next);
            v = next;
        }
        double[] ritz = ev;
        Integer[] order = new Integer[p];
        for (int i = 0; i < p; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, r) -> Double.compare(ritz[r], ritz[a]));
        double[][] comps = new double[k][f];
        double[] var = new double[k];
        for (int c = 0; c < k; c++) {
            int e = order[c];
            var[c] = ritz[e];
            for (int i = 0; i < p; i++) for (int j = 0; j < f; j++) comps[c][j] += q[i][e] * v[i][j];
            int big = 0;
            for (int j = 1; j < f; j++) if (Math.abs(comps[c][j]) > Math.abs(comps[c][big])) big = j;
            if (comps[c][big] < 0) for (int j = 0; j < f; j++) comps[c][j] = -comps[c][j];
        }
        return new Pca(mean, comps, var, total);
    }

    /** Projects rows x (N,F) onto the components: (N,k) row-major. */
    public double[] transform(float[] x, int n) {
        int f = mean.length, k = components.length;
        if ((long) n * f > x.length) throw new IllegalArgumentException("pca: expected x (N, " + f + "), got " + x.length + " values for N=" + n);
        double[] out = new double[n * k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int j = 0; j < f; j++) s += (x[i * f + j] - mean[j]) * components[c][j];
                out[i * k + c] = s;
            }
        }
        return out;
    }

    /** Component c (F), unit length; a copy. */
    public double[] component(int c) { return components[c].clone(); }

    /** Variance along each component (eigenvalues of the covariance, divided by N − 1). */
    public double[] variance() { return variance.clone(); }

    /** Fraction of the total variance along each component. */
    public double[] explainedVarianceRatio() {
        double[] r = variance.clone();
        for (int i = 0; i < r.length; i++) r[i] = totalVariance > 0 ? r[i] / totalVariance : 0;
        return r;
    }

    /** C·v with C = Xcᵀ Xc / (N − 1), without forming C: Xcᵀ (Xc v). */
    private static double[] covTimes(float[] x, double[] mu, int n, int f, double[] v) {
        double[] out = new double[f];
        double muV = Lbfgs.dot(mu, v);
        for (int i = 0; i < n; i++) {
            int off = i * f;
            double s = -muV;
            for (int j = 0; j < f; j++) s += x[off + j] * v[j];
            for (int j = 0; j < f; j++) out[j] += s * (x[off + j] - mu[j]);
        }
        for (int j = 0; j < f; j++) out[j] /= n - 1;
        return out;
    }

    /** Modified Gram–Schmidt on the rows. */
    private static void orthonormalise(double[][] v) {
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < i; j++) {
                double d = Lbfgs.dot(v[i], v[j]);
                for (int t = 0; t < v[i].length; t++) v[i][t] -= d * v[j][t];
            }
            double norm = Math.sqrt(Lbfgs.dot(v[i], v[i]));
            if (norm == 0) { // a degenerate direction: any unit vector orthogonal to the others will do
                v[i][i % v[i].length] = 1;
                norm = 1;
            }
            for (int t = 0; t < v[i].length; t++) v[i][t] /= norm;
        }
    }

    /** Eigenvalues of the symmetric matrix a (destroyed), eigenvectors as the columns of q; cyclic Jacobi. */
    static double[] jacobi(double[][] a, double[][] q) {
        int k = a.length;
        for (int i = 0; i < k; i++) {
            java.util.Arrays.fill(q[i], 0);
            q[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int i = 0; i < k; i++) for (int j = i + 1; j < k; j++) off += a[i][j] * a[i][j];
            if (off < 1e-30) break;
            for (int p = 0; p < k; p++) {
                for (int r = p + 1; r < k; r++) {
                    if (a[p][r] == 0) continue;
                    double theta = (a[r][r] - a[p][p]) / (2 * a[p][r]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int i = 0; i < k; i++) { // columns p, r
                        double aip = a[i][p], air = a[i][r];
                        a[i][p] = c * aip - s * air;
                        a[i][r] = s * aip + c * air;
                    }
                    for (int i = 0; i < k; i++) { // rows p, r
                        double api = a[p][i], ari = a[r][i];
                        a[p][i] = c * api - s * ari;
                        a[r][i] = s * api + c * ari;
                    }
                    for (int i = 0; i < k; i++) {
                        double qip = q[i][p], qir = q[i][r];
                        q[i][p] = c * qip - s * qir;
                        q[i][r] = s * qip + c * qir;
                    }
                }
            }
        }
        double[] ev = new double[k];
        for (int i = 0; i < k; i++) ev[i] = a[i][i];
        return ev;
    }
}
