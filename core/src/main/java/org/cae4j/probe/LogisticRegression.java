package org.cae4j.probe;

import java.util.Arrays;
import org.cae4j.ops.Gemm;
import org.cae4j.ops.Parallel;

/**
 * Multinomial logistic regression with an L2 penalty, fitted by full-batch {@link Lbfgs}: the linear probe of
 * learned features.
 * <pre>
 * N rows, F features, K classes
 *   logits z (N,K) = x (N,F) · Wᵀ + b,  W (K,F), b (K)
 *   L(W, b) = (1/N) Σ_n −log softmax(z_n)[y_n] + (λ/2)·‖W‖²      (the bias is not penalised)
 *   dL/dW = (1/N) (P − Y)ᵀ · x + λ·W,  dL/db = (1/N) Σ_n (P − Y)_n,  P = softmax(z), Y one-hot
 * </pre>
 * This is scikit-learn's {@code LogisticRegression(C=1/(λ·N))}. Rows are split into one contiguous chunk per
 * thread ({@link Parallel}) and the partial sums are added in chunk order, so a fit is identical run to run for
 * a given thread count; the products use {@link Gemm}, and each block of rows is summed in double.
 */
public final class LogisticRegression {
    /** Rows per block of the products; a block's gradient is added into a double accumulator. */
    private static final int BLOCK = 256;

    private final int features, classes;
    private final float[] weights, bias;
    private final double l2;
    private final Lbfgs.Result result;

    private LogisticRegression(int features, int classes, float[] weights, float[] bias, double l2, Lbfgs.Result result) {
        this.features = features;
        this.classes = classes;
        this.weights = weights;
        this.bias = bias;
        this.l2 = l2;
        this.result = result;
    }

    /**
     * Fits W and b to rows x (N,F) with labels y in 0..K−1, starting from zero.
     *
     * @throws IllegalArgumentException for mismatched sizes, a label outside 0..K−1, or λ &lt; 0
     */
    public static LogisticRegression fit(float[] x, int[] y, int n, int f, int classes, double l2, Lbfgs.Config cfg,
                                         Lbfgs.Listener listener) {
        check(x, y, n, f, classes, l2);
        double[] theta = new double[classes * f + classes];
        Lbfgs.Result r = Lbfgs.minimize((t, g) -> objective(x, y, n, f, classes, l2, t, g), theta, cfg, listener);
        float[] w = new float[classes * f], b = new float[classes];
        for (int i = 0; i < w.length; i++) w[i] = (float) theta[i];
        for (int k = 0; k < classes; k++) b[k] = (float) theta[classes * f + k];
        return new LogisticRegression(f, classes, w, b, l2, r);
    }

    /**
     * L(θ) for θ = [W (K,F) row-major, b (K)], writing dL/dθ into {@code grad}; the loss of each row is summed
     * in double, via log Σ exp(z − max z) + max z − z_y.
     */
    static double objective(float[] x, int[] y, int n, int f, int k, double l2, double[] theta, double[] grad) {
        float[] w = new float[k * f];
        for (int i = 0; i < w.length; i++) w[i] = (float) theta[i];
        int chunks = Parallel.chunks(n);
        double[] loss = new double[chunks];
        double[][] gw = new double[chunks][], gb = new double[chunks][];
        Parallel.forChunks(n, (c, start, end) -> {
            double[] accW = new double[k * f], accB = new double[k];
            float[] z = new float[BLOCK * k], blockW = new float[k * f];
            double sum = 0;
            for (int r0 = start; r0 < end; r0 += BLOCK) {
                int rows = Math.min(BLOCK, end - r0);
                Gemm.nt(rows, k, f, x, r0 * f, f, w, 0, f, z, 0, k, false);
                for (int r = 0; r < rows; r++) {
                    int zo = r * k, label = y[r0 + r];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < k; j++) max = Math.max(max, z[zo + j] + theta[k * f + j]);
                    double s = 0;
                    for (int j = 0; j < k; j++) s += Math.exp(z[zo + j] + theta[k * f + j] - max);
                    sum += Math.log(s) + max - (z[zo + label] + theta[k * f + label]);
                    for (int j = 0; j < k; j++) {
                        double p = Math.exp(z[zo + j] + theta[k * f + j] - max) / s;
                        double d = (p - (j == label ? 1 : 0)) / n;
                        z[zo + j] = (float) d;
                        accB[j] += d;
                    }
                }
                // (K,F) += δᵀ (K,rows) · x (rows,F)
                Gemm.tn(k, f, rows, z, 0, k, x, r0 * f, f, blockW, 0, f, false);
                for (int i = 0; i < k * f; i++) accW[i] += blockW[i];
            }
            loss[c] = sum;
            gw[c] = accW;
            gb[c] = accB;
        });
        double total = 0;
        Arrays.fill(grad, 0);
        for (int c = 0; c < chunks; c++) {
            total += loss[c];
            for (int i = 0; i < k * f; i++) grad[i] += gw[c][i];
            for (int j = 0; j < k; j++) grad[k * f + j] += gb[c][j];
        }
        total /= n;
        double penalty = 0;
        for (int i = 0; i < k * f; i++) {
            penalty += theta[i] * theta[i];
            grad[i] += l2 * theta[i];
        }
        return total + 0.5 * l2 * penalty;
    }

    /** The most probable class of each row of x (N,F). */
    public int[] predict(float[] x, int n) {
        if (n < 0 || (long) n * features > x.length) {
            throw new IllegalArgumentException("predict: expected x (N, " + features + ") with N·F <= " + x.length
                    + " values, got N=" + n);
        }
        int[] out = new int[n];
        Parallel.forChunks(n, (c, start, end) -> {
            float[] z = new float[BLOCK * classes];
            for (int r0 = start; r0 < end; r0 += BLOCK) {
                int rows = Math.min(BLOCK, end - r0);
                Gemm.nt(rows, classes, features, x, r0 * features, features, weights, 0, features, z, 0, classes, false);
                for (int r = 0; r < rows; r++) {
                    int best = 0;
                    for (int j = 1; j < classes; j++) {
                        if (z[r * classes + j] + bias[j] > z[r * classes + best] + bias[best]) best = j;
                    }
                    out[r0 + r] = best;
                }
            }
        });
        return out;
    }

    /** Fraction of rows whose prediction equals the label. */
    public static double accuracy(int[] predicted, int[] labels) {
        if (predicted.length != labels.length || labels.length == 0) {
            throw new IllegalArgumentException("accuracy: expected equal, non-zero lengths, got " + predicted.length
                    + " predictions and " + labels.length + " labels");
        }
        int right = 0;
        for (int i = 0; i < labels.length; i++) if (predicted[i] == labels[i]) right++;
        return (double) right / labels.length;
    }

    /** counts[true][predicted] over K classes. */
    public static int[][] confusion(int[] labels, int[] predicted, int classes) {
        if (predicted.length != labels.length) {
            throw new IllegalArgumentException("confusion: " + labels.length + " labels but " + predicted.length + " predictions");
        }
        int[][] m = new int[classes][classes];
        for (int i = 0; i < labels.length; i++) m[labels[i]][predicted[i]]++;
        return m;
    }

    /** Weights W (K,F), row-major; a copy. */
    public float[] weights() { return weights.clone(); }

    /** Bias b (K); a copy. */
    public float[] bias() { return bias.clone(); }

    public int features() { return features; }

    public int classes() { return classes; }

    public double l2() { return l2; }

    /** How the optimiser ended. */
    public Lbfgs.Result result() { return result; }

    private static void check(float[] x, int[] y, int n, int f, int classes, double l2) {
        if (n <= 0 || f <= 0 || (long) n * f > x.length) {
            throw new IllegalArgumentException("logistic regression: expected x (N, F) with N, F > 0 and N·F <= "
                    + x.length + " values, got N=" + n + " F=" + f);
        }
        if (y.length < n) throw new IllegalArgumentException("logistic regression: " + n + " rows but " + y.length + " labels");
        if (classes < 2) throw new IllegalArgumentException("logistic regression: expected at least 2 classes, got " + classes);
        if (!(l2 >= 0) || !Double.isFinite(l2)) throw new IllegalArgumentException("logistic regression: L2 strength must be >= 0, got " + l2);
        for (int i = 0; i < n; i++) {
            if (y[i] < 0 || y[i] >= classes) {
                throw new IllegalArgumentException("logistic regression: label " + y[i] + " of row " + i
                        + " is outside 0.." + (classes - 1));
            }
        }
    }

    @Override
    public String toString() {
        return "LogisticRegression(" + features + " features -> " + classes + " classes, l2=" + l2 + ")";
    }
}
