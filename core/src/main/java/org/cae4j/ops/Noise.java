package org.cae4j.ops;

import org.cae4j.tensor.Rng;

/**
 * Random masks and input corruption: inverted dropout (Srivastava et al. 2014), as PyTorch's {@code F.dropout}
 * in training, and the corruptions of denoising autoencoders (Vincent et al. 2008, 2010).
 *
 * <pre>
 * n elements, p the drop probability
 *   mask[i] = 1/(1 − p) with probability 1 − p, else 0   (p = 1: every mask entry 0)
 *   y = x ⊙ mask;   dx = dy ⊙ mask
 * N samples of D elements, ν the corrupted fraction, k = round(ν·D) elements per sample
 *   gaussian:        y = x + σ·ε, ε ~ N(0, 1); clipped to [0, 1] if asked (mask 0 where the clip bites)
 *   masking:         k elements of each sample, chosen uniformly without replacement, set to 0
 *   salt and pepper: k elements of each sample set to 0 or 1 by a fair coin
 *   dx = dy ⊙ mask, mask[i] = 1 where y[i] still depends on x[i], else 0
 * </pre>
 * Scaling the kept values by 1/(1 − p) keeps E[y] = x, so evaluation needs no rescaling.
 */
public final class Noise {
    private Noise() {}

    /** Fills mask[0..n) with 0 (probability p) or 1/(1 − p), drawing one uniform per element from {@code rng}. */
    public static void dropoutMask(float[] mask, int n, double p, Rng rng) {
        float keep = p >= 1 ? 0f : (float) (1 / (1 - p));
        for (int i = 0; i < n; i++) mask[i] = rng.nextDouble() < p ? 0f : keep;
    }

    /** y = x ⊙ mask, over n elements. */
    public static void dropoutForward(float[] y, float[] x, float[] mask, int n) {
        for (int i = 0; i < n; i++) y[i] = x[i] * mask[i];
    }

    /** dx = dy ⊙ mask, over n elements. */
    public static void dropoutBackward(float[] dx, float[] dy, float[] mask, int n) {
        for (int i = 0; i < n; i++) dx[i] = dy[i] * mask[i];
    }

    /**
     * y = x + std·ε with ε ~ N(0, 1) drawn per element from {@code rng}; with {@code clip}, y is clamped to
     * [0, 1] and mask[i] is 0 where the clamp changed y[i], else 1 ({@code mask} may be null without clip).
     */
    public static void gaussianForward(float[] y, float[] mask, float[] x, int n, double std, boolean clip, Rng rng) {
        for (int i = 0; i < n; i++) {
            float v = (float) (x[i] + std * rng.nextGaussian());
            if (clip) {
                boolean inside = v >= 0f && v <= 1f;
                mask[i] = inside ? 1f : 0f;
                v = inside ? v : v < 0f ? 0f : 1f;
            }
            y[i] = v;
        }
    }

    /**
     * Picks k = round(fraction·d) of the d elements of each of the {@code samples} samples, uniformly without
     * replacement (a partial Fisher–Yates shuffle of {@code scratch}, length ≥ d), and sets mask to 0 there and
     * 1 elsewhere; with {@code values} not null it also writes there 0 or 1 by a fair coin (salt and pepper).
     */
    public static void corruptionMask(float[] mask, float[] values, int samples, int d, double fraction,
                                      int[] scratch, Rng rng) {
        int k = (int) Math.round(fraction * d);
        java.util.Arrays.fill(mask, 0, samples * d, 1f);
        for (int s = 0; s < samples; s++) {
            int off = s * d;
            for (int i = 0; i < d; i++) scratch[i] = i;
            for (int i = 0; i < k; i++) {
                int j = i + rng.nextInt(d - i);
                int t = scratch[i];
                scratch[i] = scratch[j];
                scratch[j] = t;
                mask[off + scratch[i]] = 0f;
                if (values != null) values[off + scratch[i]] = rng.nextDouble() < 0.5 ? 0f : 1f;
            }
        }
    }

    /** y = x where mask is 1, else {@code values} (0 everywhere when values is null), over n elements. */
    public static void corruptionForward(float[] y, float[] x, float[] mask, float[] values, int n) {
        for (int i = 0; i < n; i++) y[i] = mask[i] != 0f ? x[i] : values == null ? 0f : values[i];
    }
}
