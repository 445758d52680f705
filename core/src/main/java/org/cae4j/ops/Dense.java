package org.cae4j.ops;

/**
 * The fully connected product behind {@code nn.Linear}, as PyTorch's {@code F.linear}: y = x·wᵀ + b, on
 * {@link Gemm}.
 *
 * <pre>
 * N batch, I in-features, O out-features
 *   x (N,I)   w (O,I)   b (O)   y (N,O)
 *   y = x · wᵀ + b;   dx = dy · w;   dw += dyᵀ · x;   db += Σ_n dy
 * tied to the transpose of another layer's weight, w stored (I,O):
 *   y = x · w + b;    dx = dy · wᵀ;  dw += xᵀ · dy;   db += Σ_n dy
 * </pre>
 */
public final class Dense {
    private Dense() {}

    /** y (N,O) = x (N,I) · wᵀ + b, with w (O,I) and b (O); {@code b} may be null. */
    public static void linearForward(float[] y, float[] x, float[] w, float[] b, int N, int I, int O) {
        Gemm.nt(N, O, I, x, 0, I, w, 0, I, y, 0, O, false);
        if (b != null) {
            for (int n = 0; n < N; n++) {
                int o = n * O;
                for (int k = 0; k < O; k++) y[o + k] += b[k];
            }
        }
    }

    /** Writes dx (N,I) = dy (N,O) · w; adds dw (O,I) += dyᵀ · x and db (O) += Σ_n dy. {@code dx}, {@code db} may be null. */
    public static void linearBackward(float[] dx, float[] dw, float[] db, float[] dy, float[] x, float[] w,
                                      int N, int I, int O) {
        Gemm.tn(O, I, N, dy, 0, O, x, 0, I, dw, 0, I, true);
        if (db != null) {
            for (int n = 0; n < N; n++) {
                int o = n * O;
                for (int k = 0; k < O; k++) db[k] += dy[o + k];
            }
        }
        if (dx != null) Gemm.nn(N, I, O, dy, 0, O, w, 0, I, dx, 0, I, false);
    }

    /** y (N,O) = x (N,I) · w + b with w stored (I,O): a layer tied to the transpose of an (I,O)-shaped weight. */
    public static void linearTransposedForward(float[] y, float[] x, float[] w, float[] b, int N, int I, int O) {
        Gemm.nn(N, O, I, x, 0, I, w, 0, O, y, 0, O, false);
        if (b != null) {
            for (int n = 0; n < N; n++) {
                int o = n * O;
                for (int k = 0; k < O; k++) y[o + k] += b[k];
            }
        }
    }

    /** With w stored (I,O): writes dx (N,I) = dy · wᵀ; adds dw (I,O) += xᵀ · dy and db += Σ_n dy. */
    public static void linearTransposedBackward(float[] dx, float[] dw, float[] db, float[] dy, float[] x, float[] w,
                                                int N, int I, int O) {
        Gemm.tn(I, O, N, x, 0, I, dy, 0, O, dw, 0, O, true);
        if (db != null) {
            for (int n = 0; n < N; n++) {
                int o = n * O;
                for (int k = 0; k < O; k++) db[k] += dy[o + k];
            }
        }
        if (dx != null) Gemm.nt(N, I, O, dy, 0, O, w, 0, O, dx, 0, I, false);
    }
}
