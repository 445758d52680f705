package org.cae4j.anomaly;

import java.util.Locale;

/**
 * The structural similarity index (Wang, Bovik, Sheikh and Simoncelli, "Image quality assessment: from error
 * visibility to structural similarity", 2004) of two single-channel images with values in [0, 1]:
 * <pre>
 *   SSIM(x, y) at a pixel = (2 μx μy + C1)(2 σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2)),
 *   C1 = (0.01·L)², C2 = (0.03·L)², L = 1 (the data range)
 * </pre>
 * with the local means, variances and covariance weighted by an 11×11 window (weights summing to 1, biased
 * moments) at every position where the window fits inside the image ("valid", as Wang et al.'s {@code ssim.m},
 * {@code tf.image.ssim} and scikit-image), so an H×W image gives an (H−10)×(W−10) map. The window is the
 * Gaussian of σ = 1.5 of Wang et al. or the 11×11 uniform window Bergmann et al. ("Improving unsupervised defect
 * segmentation by applying structural similarity to autoencoders", 2019) slide over the image. The anomaly
 * score of a reconstruction is 1 − mean SSIM: 0 for a perfect one.
 */
public final class Ssim {
    /** The weighting window. */
    public enum Window {
        /** 11×11 Gaussian, σ = 1.5 (Wang et al. 2004). */
        GAUSSIAN,
        /** 11×11 uniform (Bergmann et al. 2019). */
        UNIFORM;

        /** {@code gaussian} or {@code uniform}. */
        public String cliName() { return name().toLowerCase(Locale.ROOT); }

        /** Parses {@code gaussian} or {@code uniform}, naming the bad value otherwise. */
        public static Window parse(String s) {
            for (Window w : values()) if (w.cliName().equals(s)) return w;
            throw new IllegalArgumentException("SSIM window must be gaussian or uniform, got '" + s + "'");
        }
    }

    /** Window side. */
    public static final int SIZE = 11;
    public static final double SIGMA = 1.5;
    static final double C1 = 0.01 * 0.01, C2 = 0.03 * 0.03;

    private Ssim() {}

    /** The separable 1-d weights of a window, summing to 1 (the 2-d window is their outer product). */
    static double[] weights(Window window) {
        double[] w = new double[SIZE];
        double sum = 0;
        for (int i = 0; i < SIZE; i++) {
            double d = i - SIZE / 2;
            w[i] = window == Window.UNIFORM ? 1 : Math.exp(-d * d / (2 * SIGMA * SIGMA));
            sum += w[i];
        }
        for (int i = 0; i < SIZE; i++) w[i] /= sum;
        return w;
    }

    /**
     * The SSIM map (H−10, W−10) of images x and y (H,W), read at {@code xOff}, {@code yOff}; written into
     * {@code map}.
     */
    public static void map(float[] x, int xOff, float[] y, int yOff, int H, int W, Window window, double[] map) {
        checkSize(H, W);
        double[] w = weights(window);
        int P = H - SIZE + 1, Q = W - SIZE + 1;
        // five filtered planes, first along rows (H, Q), then along columns (P, Q)
        double[][] rows = new double[5][H * Q];
        for (int h = 0; h < H; h++) {
            for (int q = 0; q < Q; q++) {
                double mx = 0, my = 0, xx = 0, yy = 0, xy = 0;
                for (int t = 0; t < SIZE; t++) {
                    double a = x[xOff + h * W + q + t], b = y[yOff + h * W + q + t], wt = w[t];
                    mx += wt * a;
                    my += wt * b;
                    xx += wt * a * a;
                    yy += wt * b * b;
                    xy += wt * a * b;
                }
                int o = h * Q + q;
                rows[0][o] = mx;
                rows[1][o] = my;
                rows[2][o] = xx;
                rows[3][o] = yy;
                rows[4][o] = xy;
            }
        }
        for (int p = 0; p < P; p++) {
            for (int q = 0; q < Q; q++) {
                double[] m = new double[5];
                for (int t = 0; t < SIZE; t++) {
                    int o = (p + t) * Q + q;
                    for (int k = 0; k < 5; k++) m[k] += w[t] * rows[k][o];
                }
                double mx = m[0], my = m[1];
                double vx = m[2] - mx * mx, vy = m[3] - my * my, cxy = m[4] - mx * my;
                map[p * Q + q] = (2 * mx * my + C1) * (2 * cxy + C2) / ((mx * mx + my * my + C1) * (vx + vy + C2));
            }
        }
    }

    /** Mean SSIM of images x and y (C,H,W) over the valid positions of every channel. */
    public static double mean(float[] x, int xOff, float[] y, int yOff, int C, int H, int W, Window window) {
        checkSize(H, W);
        int P = H - SIZE + 1, Q = W - SIZE + 1;
        double[] m = new double[P * Q];
        double s = 0;
        for (int c = 0; c < C; c++) {
            map(x, xOff + c * H * W, y, yOff + c * H * W, H, W, window, m);
            for (double v : m) s += v;
        }
        return s / ((double) C * P * Q);
    }

    private static void checkSize(int H, int W) {
        if (H < SIZE || W < SIZE) {
            throw new IllegalArgumentException("SSIM needs images of at least " + SIZE + "x" + SIZE
                    + " (its window), got " + H + "x" + W);
        }
    }
}
