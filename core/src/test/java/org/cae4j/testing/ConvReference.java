package org.cae4j.testing;

import org.cae4j.ops.ConvGeometry;

/**
 * 2-D convolution written as plain nested loops straight from the definition, for checking the fast kernels.
 *
 * <pre>
 * N batch, C in-channels, H,W input, K filters, R,S kernel, P,Q output
 *   y[n,k,p,q] = b[k] + Σ_{c,r,s} w[k,c,r,s] · x[n, c, p·sh + r − t, q·sw + s − l]   (zero outside x)
 * </pre>
 * Sums are accumulated in double, so the reference is more accurate than any float32 kernel it checks.
 */
public final class ConvReference {
    private ConvReference() {}

    /** y (N,K,P,Q) = x (N,C,H,W) ∗ w (K,C,R,S) + b (K); {@code b} may be null. Overwrites y. */
    public static void forward(float[] y, float[] x, float[] w, float[] b, int N, ConvGeometry g) {
        int C = g.C(), H = g.H(), W = g.W(), K = g.K(), R = g.R(), S = g.S(), P = g.P(), Q = g.Q();
        for (int n = 0; n < N; n++)
            for (int k = 0; k < K; k++)
                for (int p = 0; p < P; p++)
                    for (int q = 0; q < Q; q++) {
                        double sum = b == null ? 0 : b[k];
                        for (int c = 0; c < C; c++)
                            for (int r = 0; r < R; r++)
                                for (int s = 0; s < S; s++) {
                                    int h = p * g.strideH() + r - g.padTop(), wi = q * g.strideW() + s - g.padLeft();
                                    if (h < 0 || h >= H || wi < 0 || wi >= W) continue;
                                    sum += (double) w[((k * C + c) * R + r) * S + s] * x[((n * C + c) * H + h) * W + wi];
                                }
                        y[((n * K + k) * P + p) * Q + q] = (float) sum;
                    }
    }

    /**
     * Gradients of L = Σ dy ⊙ y: writes dx (N,C,H,W), dw (K,C,R,S) and db (K), each summed in double.
     * {@code dx} or {@code db} may be null. Overwrites (unlike {@code Conv.conv2dBackward}, which adds into dw, db).
     */
    public static void backward(float[] dx, float[] dw, float[] db, float[] dy, float[] x, float[] w, int N, ConvGeometry g) {
        int C = g.C(), H = g.H(), W = g.W(), K = g.K(), R = g.R(), S = g.S(), P = g.P(), Q = g.Q();
        double[] gx = new double[N * C * H * W], gw = new double[K * C * R * S], gb = new double[K];
        for (int n = 0; n < N; n++)
            for (int k = 0; k < K; k++)
                for (int p = 0; p < P; p++)
                    for (int q = 0; q < Q; q++) {
                        double d = dy[((n * K + k) * P + p) * Q + q];
                        gb[k] += d;
                        for (int c = 0; c < C; c++)
                            for (int r = 0; r < R; r++)
                                for (int s = 0; s < S; s++) {
                                    int h = p * g.strideH() + r - g.padTop(), wi = q * g.strideW() + s - g.padLeft();
                                    if (h < 0 || h >= H || wi < 0 || wi >= W) continue;
                                    int xi = ((n * C + c) * H + h) * W + wi, wIdx = ((k * C + c) * R + r) * S + s;
                                    gw[wIdx] += d * x[xi];
                                    gx[xi] += d * w[wIdx];
                                }
                    }
        if (dx != null) for (int i = 0; i < gx.length; i++) dx[i] = (float) gx[i];
        for (int i = 0; i < gw.length; i++) dw[i] = (float) gw[i];
        if (db != null) for (int i = 0; i < K; i++) db[i] = (float) gb[i];
    }
}
