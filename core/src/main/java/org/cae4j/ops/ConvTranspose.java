package org.cae4j.ops;

/**
 * 2-D transposed convolution (PyTorch's {@code conv_transpose2d}): the adjoint of {@link Conv}, so its forward
 * is a convolution's input-gradient and its input-gradient is a convolution's forward.
 *
 * <pre>
 * N batch, K in-channels, P,Q input, C out-channels, H,W output, R,S kernel
 *   x (N,K,P,Q)   w (K,C,R,S) (PyTorch's (in, out, R, S) layout)   b (C)   y (N,C,H,W)
 *   H = (P − 1)·sh − t − b + R + output_padding
 * g is the geometry of the convolution that maps (C,H,W) back to (K,P,Q); build it with
 * ConvGeometry.of(C, H, W, K, R, S, sh, sw, Padding.of(t, b, l, r)).
 * Per image: col (C·R·S, P·Q) = wᵀ · x_n;  y_n = col2im(col) + b
 * Backward:  dx_n = w · im2col(dy_n);  dw += x_n · im2col(dy_n)ᵀ;  db += Σ_hw dy_n
 * </pre>
 */
public final class ConvTranspose {
    private ConvTranspose() {}

    /** y (N,C,H,W) = conv_transpose2d(x (N,K,P,Q), w (K,C,R,S)) + b (C); {@code b} may be null. */
    public static void convTranspose2dForward(float[] y, float[] x, float[] w, float[] b, int N, ConvGeometry g,
                                              Workspace ws) {
        int chunks = Parallel.chunks(N);
        float[][] cols = new float[chunks][];
        for (int c = 0; c < chunks; c++) cols[c] = ws.get(c, g.colSize());
        int crs = g.C() * g.R() * g.S(), pq = g.P() * g.Q(), hw = g.H() * g.W();
        Parallel.forChunks(N, (chunk, n0, n1) -> {
            float[] col = cols[chunk];
            for (int n = n0; n < n1; n++) {
                Gemm.tn(crs, pq, g.K(), w, 0, crs, x, n * g.outSize(), pq, col, 0, pq, false);
                int yOff = n * g.inSize();
                Conv.col2im(y, yOff, col, g);
                if (b != null) {
                    for (int c = 0; c < g.C(); c++) {
                        float bc = b[c];
                        int o = yOff + c * hw;
                        for (int i = 0; i < hw; i++) y[o + i] += bc;
                    }
                }
            }
        });
    }

    /** Writes dx (N,K,P,Q); adds into dw (K,C,R,S) and db (C). {@code dx} or {@code db} may be null. */
    public static void convTranspose2dBackward(float[] dx, float[] dw, float[] db, float[] dy, float[] x, float[] w,
                                               int N, ConvGeometry g, Workspace ws) {
        int chunks = Parallel.chunks(N);
        int crs = g.C() * g.R() * g.S(), pq = g.P() * g.Q(), hw = g.H() * g.W(), K = g.K(), C = g.C();
        int wSize = g.weightSize();
        float[][] cols = new float[chunks][];
        for (int c = 0; c < chunks; c++) cols[c] = ws.get(c, g.colSize());
        float[][] partial = Conv.zeroedPartials(ws, chunks, wSize + C);
        Parallel.forChunks(N, (chunk, n0, n1) -> {
            float[] col = cols[chunk];
            float[] pw = chunks > 1 ? partial[chunk] : dw;
            float[] pb = chunks > 1 ? partial[chunk] : db;
            int bOff = chunks > 1 ? wSize : 0;
            for (int n = n0; n < n1; n++) {
                int dyOff = n * g.inSize(), xOff = n * g.outSize();
                Conv.im2col(col, dy, dyOff, g);
                Gemm.nt(K, crs, pq, x, xOff, pq, col, 0, pq, pw, 0, crs, true);
                if (dx != null) Gemm.nn(K, pq, crs, w, 0, crs, col, 0, pq, dx, xOff, pq, false);
                if (pb != null) Conv.addRowSums(pb, bOff, dy, dyOff, C, hw);
            }
        });
        Conv.addPartials(partial, dw, wSize, db, C);
    }
}
