package org.cae4j.anomaly;

import java.util.Arrays;
import org.cae4j.data.ImageDataset;
import org.cae4j.data.Normalization;
import org.cae4j.model.Autoencoder;
import org.cae4j.ops.Parallel;
import org.cae4j.tensor.Tensor;

/**
 * Anomaly scores from reconstructions: an autoencoder trained on normal images reconstructs them well and
 * others badly, so the reconstruction error of an image is its anomaly score. Two per image: the per-pixel mean
 * squared error, and 1 − mean {@link Ssim SSIM} of image and reconstruction (Bergmann et al. 2019). A threshold
 * is chosen on the scores of normal validation images: a quantile, or mean + k·std.
 *
 * <p>The MSE is measured where the model works, on the inputs as the data set's {@link Normalization} gives them
 * (the training loss's space); SSIM, whose constants assume pixels in [0, 1], on image and reconstruction mapped
 * back to [0, 1] by {@link Normalization#invertInPlace}.
 */
public final class ReconstructionScores {
    private ReconstructionScores() {}

    /** Per-image scores, in dataset order; {@code ssim} (1 − mean SSIM) is null when it was not computed. */
    public record Scores(double[] mse, double[] ssim) {
        /** The named score: {@code mse} or {@code ssim}. */
        public double[] get(String name) {
            if (name.equals("mse")) return mse;
            if (name.equals("ssim") && ssim != null) return ssim;
            throw new IllegalArgumentException("unknown score '" + name + "'" + (ssim == null ? " (expected mse; SSIM was not computed)"
                    : " (expected mse or ssim)"));
        }
    }

    /**
     * Scores every image of {@code data} in evaluation mode, {@code batchSize} at a time; SSIM with
     * {@code window}, or not at all when it is null.
     */
    public static Scores score(Autoencoder model, ImageDataset data, int batchSize, Ssim.Window window) {
        int[] s = model.inputShape();
        if (data.channels() != s[0] || data.height() != s[1] || data.width() != s[2]) {
            throw new IllegalArgumentException(data.name() + ": images are " + data.channels() + "x" + data.height()
                    + "x" + data.width() + " but the model expects " + s[0] + "x" + s[1] + "x" + s[2]);
        }
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        int n = data.size(), size = s[0] * s[1] * s[2], bs = Math.min(batchSize, n);
        double[] mse = new double[n], ssim = window == null ? null : new double[n];
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        Normalization norm = data.normalization();
        boolean unit = norm.kind() == Normalization.Kind.UNIT;
        boolean training = model.isTraining();
        model.train(false);
        try {
            Tensor full = new Tensor(bs, s[0], s[1], s[2]);
            for (int from = 0; from < n; from += bs) {
                int count = Math.min(bs, n - from), f0 = from;
                Tensor x = count == bs ? full : new Tensor(count, s[0], s[1], s[2]);
                data.copyBatch(all, from, count, x.data);
                Tensor y = model.forward(x);
                Parallel.forChunks(count, (c, start, end) -> {
                    float[] u = ssim == null || unit ? null : new float[size], v = u == null ? null : new float[size];
                    for (int i = start; i < end; i++) {
                        double se = 0;
                        for (int k = i * size; k < (i + 1) * size; k++) {
                            double e = y.data[k] - x.data[k];
                            se += e * e;
                        }
                        mse[f0 + i] = se / size;
                        if (ssim == null) continue;
                        if (u == null) {
                            ssim[f0 + i] = 1 - Ssim.mean(x.data, i * size, y.data, i * size, s[0], s[1], s[2], window);
                        } else {
                            System.arraycopy(x.data, i * size, u, 0, size);
                            System.arraycopy(y.data, i * size, v, 0, size);
                            norm.invertInPlace(u, 1, s[0], s[1] * s[2]);
                            norm.invertInPlace(v, 1, s[0], s[1] * s[2]);
                            ssim[f0 + i] = 1 - Ssim.mean(u, 0, v, 0, s[0], s[1], s[2], window);
                        }
                    }
                });
            }
        } finally {
            model.train(training);
        }
        return new Scores(mse, ssim);
    }

    /** The q-quantile of the scores (0 ≤ q ≤ 1), linearly interpolated between order statistics (NumPy's default). */
    public static double quantile(double[] scores, double q) {
        if (scores.length == 0) throw new IllegalArgumentException("quantile of no scores");
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("quantile must be in [0, 1], got " + q);
        double[] s = scores.clone();
        Arrays.sort(s);
        double at = q * (s.length - 1);
        int lo = (int) Math.floor(at), hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (at - lo) * (s[hi] - s[lo]);
    }

    /** mean + k·std of the scores (population standard deviation). */
    public static double meanPlusK(double[] scores, double k) {
        if (scores.length == 0) throw new IllegalArgumentException("mean + k·std of no scores");
        double m = 0;
        for (double v : scores) m += v;
        m /= scores.length;
        double ss = 0;
        for (double v : scores) ss += (v - m) * (v - m);
        return m + k * Math.sqrt(ss / scores.length);
    }
}
