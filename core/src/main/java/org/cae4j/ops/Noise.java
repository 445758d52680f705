package org.cae4j.ops;

import org.cae4j.tensor.Rng;

/**
 * Random masks: inverted dropout (Srivastava et al. 2014), as PyTorch's {@code F.dropout} in training.
 *
 * <pre>
 * n elements, p the drop probability
 *   mask[i] = 1/(1 − p) with probability 1 − p, else 0   (p = 1: every mask entry 0)
 *   y = x ⊙ mask;   dx = dy ⊙ mask
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
}
