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
 * Per group of m images, side by side as in {@link Conv}: xT (K, m·P·Q) gathered from x;
 *            col (C·R·S, m·P·Q) = wᵀ · xT;  y_n = col2im(its block of col) + b
 * Backward:  col = im2col of each dy_n;  dw += xT · colᵀ;  dxT = w · col, scattered to dx;  db += Σ_hw dy_n
 * </pre>
 * Strided ones (g with a stride above 1) run on the phase planes instead, with the same kernels as the strided
 * convolutions ({@link ConvPhase}).
 */
public final class ConvTranspose {
    private ConvTranspose() {}

    /** y (N,C,H,W) = conv_transpose2d(x (N,K,P,Q), w (K,C,R,S)) + b (C); {@code b} may be null. */
    public static void convTranspose2dForward(float[] y, float[] x, float[] w, float[] b, int N, ConvGeometry g,
                                              Workspace ws) {
        convTranspose2dForward(y, x, w, b, N, g, ws, null);
    }

    /** As above, then {@code after} (may be null) on each run of finished images of y (see {@link ImageStep}). */
    public static void convTranspose2dForward(float[] y, float[] x, float[] w, float[] b, int N, ConvGeometry g,
                                              Workspace ws, ImageStep after) {
        if (Conv.phased(g)) {
            ConvPhase.transposeForward(y, x, w, b, N, g, ws, Conv.CORR, after);
            return;
        }
        int chunks = Parallel.chunks(N), group = Conv.group(g, N, chunks);
        int crs = g.C() * g.R() * g.S(), pq = g.P() * g.Q(), hw = g.H() * g.W(), K = g.K();
        float[][] cols = new float[chunks][], xTs = new float[chunks][];
        for (int c = 0; c < chunks; c++) {
            cols[c] = ws.get(c, crs * group * pq);
            xTs[c] = ws.get(2 * chunks + c, K * group * pq);
        }
        Parallel.forChunks(N, (chunk, n0, n1) -> {
            float[] col = cols[chunk], xT = xTs[chunk];
            for (int n = n0; n < n1; n += group) {
                int m = Math.min(group, n1 - n), ld = m * pq;
                Conv.gather(xT, x, n * g.outSize(), g.outSize(), m, K, pq);
                Gemm.tn(crs, ld, K, w, 0, crs, xT, 0, ld, col, 0, ld, false);
                for (int j = 0; j < m; j++) {
                    int yOff = (n + j) * g.inSize();
                    Conv.col2im(y, yOff, col, j * pq, ld, g);
                    if (b != null) {
                        for (int c = 0; c < g.C(); c++) {
                            float bc = b[c];
                            int o = yOff + c * hw;
                            for (int i = 0; i < hw; i++) y[o + i] += bc;
                        }
                    }
                }
                if (after != null) after.run(n, n + m);
            }
        });
    }

    /** Writes dx (N,K,P,Q); adds into dw (K,C,R,S) and db (C). {@code dx} or {@code db} may be null. */
    public static void convTranspose2dBackward(float[] dx, float[] dw, float[] db, float[] dy, float[] x, float[] w,
                                               int N, ConvGeometry g, Workspace ws) {
        convTranspose2dBackward(dx, dw, db, dy, x, w, N, g, ws, null);
    }

    /** As above, with {@code before} (may be null) writing each run of images of dy before it is read. */
    public static void convTranspose2dBackward(float[] dx, float[] dw, float[] db, float[] dy, float[] x, float[] w,
                                               int N, ConvGeometry g, Workspace ws, ImageStep before) {
        if (Conv.phased(g)) {
            ConvPhase.transposeBackward(dx, dw, db, dy, x, w, N, g, ws, Conv.CORR, before);
            return;
        }
        int chunks = Parallel.chunks(N), group = Conv.group(g, N, chunks);
        int crs = g.C() * g.R() * g.S(), pq = g.P() * g.Q(), hw = g.H() * g.W(), K = g.K(), C = g.C();
        int wSize = g.weightSize();
        float[][] cols = new float[chunks][], xTs = new float[chunks][], dxTs = new float[chunks][];
        for (int c = 0; c < chunks; c++) {
            cols[c] = ws.get(c, crs * group * pq);
            xTs[c] = ws.get(2 * chunks + c, K * group * pq);
            if (dx != null) dxTs[c] = ws.get(3 * chunks + c, K * group * pq);
        }
        float[][] partial = Conv.zeroedPartials(ws, chunks, wSize + C);
        Parallel.forChunks(N, (chunk, n0, n1) -> {
            float[] col = cols[chunk], xT = xTs[chunk], dxT = dxTs[chunk];
            float[] pw = chunks > 1 ? partial[chunk] : dw;
            float[] pb = chunks > 1 ? partial[chunk] : db;
            int bOff = chunks > 1 ? wSize : 0;
            for (int n = n0; n < n1; n += group) {
                int m = Math.min(group, n1 - n), ld = m * pq;
                if (before != null) before.run(n, n + m);
                for (int j = 0; j < m; j++) Conv.im2col(col, j * pq, ld, dy, (n + j) * g.inSize(), g);
                Conv.gather(xT, x, n * g.outSize(), g.outSize(), m, K, pq);
                Gemm.nt(K, crs, ld, xT, 0, ld, col, 0, ld, pw, 0, crs, true);
                if (dx != null) {
                    Gemm.nn(K, ld, crs, w, 0, crs, col, 0, ld, dxT, 0, ld, false);
                    Conv.scatter(dx, n * g.outSize(), g.outSize(), dxT, m, K, pq);
                }
                if (pb != null) for (int j = 0; j < m; j++) Conv.addRowSums(pb, bOff, dy, (n + j) * g.inSize(), C, hw);
            }
        });
        Conv.addPartials(partial, dw, wSize, db, C);
    }
}
