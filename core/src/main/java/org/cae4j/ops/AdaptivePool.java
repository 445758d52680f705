package org.cae4j.ops;

/**
 * Adaptive pooling, as PyTorch's {@code adaptive_avg_pool2d} and {@code adaptive_max_pool2d}: each map is cut
 * into an S×T grid of bins, bin (i, j) covering rows ⌊i·H/S⌋ … ⌈(i+1)·H/S⌉ − 1 and the matching columns, so any
 * input size gives the same output size.
 * <pre>
 * N batch, C channels, H,W input, S,T output grid
 *   x (N,C,H,W) → y (N,C,S,T)
 * </pre>
 */
public final class AdaptivePool {
    private AdaptivePool() {}

    /** y (N,C,S,T) = bin means (or maxima, when {@code max}) of x (N,C,H,W). */
    public static void adaptivePool2dForward(float[] y, float[] x, int N, int C, int H, int W, int S, int T, boolean max) {
        if (S <= 0 || T <= 0 || S > H || T > W) {
            throw new IllegalArgumentException("adaptive pooling: grid " + S + "x" + T + " must be between 1x1 and the map size "
                    + H + "x" + W);
        }
        for (int nc = 0; nc < N * C; nc++) {
            int xo = nc * H * W, yo = nc * S * T;
            for (int i = 0; i < S; i++) {
                int h0 = i * H / S, h1 = ((i + 1) * H + S - 1) / S;
                for (int j = 0; j < T; j++) {
                    int w0 = j * W / T, w1 = ((j + 1) * W + T - 1) / T;
                    float acc = max ? Float.NEGATIVE_INFINITY : 0f;
                    for (int h = h0; h < h1; h++) {
                        for (int w = w0; w < w1; w++) {
                            float v = x[xo + h * W + w];
                            acc = max ? Math.max(acc, v) : acc + v;
                        }
                    }
                    y[yo + i * T + j] = max ? acc : acc / ((h1 - h0) * (w1 - w0));
                }
            }
        }
    }
}
