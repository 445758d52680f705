package org.cae4j.ops;

/**
 * 2-D convolution (cross-correlation, as PyTorch's {@code conv2d}) over whole batches, as im2col + GEMM.
 *
 * <pre>
 * N batch, C in-channels, H,W input, K filters, R,S kernel, P,Q output (see {@link ConvGeometry})
 *   x (N,C,H,W)   w (K,C,R,S)   b (K)   y (N,K,P,Q)
 *   y[n,k,p,q] = b[k] + Σ_{c,r,s} w[k,c,r,s] · x[n, c, p·sh + r − t, q·sw + s − l]   (zero outside x)
 * Per group of m images: col (C·R·S, m·P·Q) = im2col of each image, side by side;
 *            yT (K, m·P·Q) = w (K, C·R·S) · col;  y_n = its block of yT
 * Backward:  dyT (K, m·P·Q) gathered from dy;  dw += dyT · colᵀ;  db += Σ_pq dy_n;
 *            dcol = wᵀ · dyT;  dx_n = col2im(its block of dcol)
 * </pre>
 * Grouping images makes the GEMMs wide enough to run near the kernels' speed (one image of a 7×7 map is only
 * 49 columns); a group holds as many images as keep col under {@link #COL_MAX} floats. The batch is split into
 * {@link Parallel} chunks, groups are cut within a chunk; each chunk has its own buffers and its own partial dw,
 * db, summed in chunk order, so results do not depend on scheduling.
 *
 * <p>With the Vector-API kernels ({@link Gemm#implementation()} "vector"), stride-1 convolutions skip im2col and
 * run directly on padded images ({@link ConvDirect}). Strided convolutions, with either kernel set, run directly
 * on the phase planes of the padded images ({@link ConvPhase}); the results differ from im2col + GEMM by rounding
 * only.
 */
public final class Conv {
    /** Most floats of one group's col matrix (4 MiB). */
    static final int COL_MAX = 1 << 20;

    /** The direct stride-1 kernels, or null when the plain kernels are in use. */
    private static final ConvDirect DIRECT = Gemm.implementation().equals("vector") ? loadDirect() : null;

    private Conv() {}

    private static ConvDirect loadDirect() {
        try {
            return (ConvDirect) Class.forName("org.cae4j.ops.ConvDirectVector").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the Vector-API convolution kernels", e);
        }
    }

    /** The inner loops of {@link ConvPhase}: the Vector-API ones with the vector kernels, else plain loops. */
    static final CorrKernels CORR = DIRECT != null ? (CorrKernels) DIRECT : new CorrPlain();

    /** True when {@code g} runs on the direct kernels rather than im2col + GEMM. */
    static boolean direct(ConvGeometry g) { return DIRECT != null && g.strideH() == 1 && g.strideW() == 1; }

    /**
     * Output planes up to this size take {@link ConvPhase}'s backward (with one phase at stride 1) instead of the
     * direct kernels': it puts the planes of a group of images side by side, so that the weight gradient's sums run
     * over long rows rather than one small plane at a time. Measured on model C's 8→8 layers, 1 thread, /tmp
     * harness: backward 4×4 1.67 → 0.90 us/img, 7×7 2.58 → 1.97, 8×8 2.93 → 2.44 (forward is not faster there).
     */
    static final int SMALL_PLANE = 64;

    /** True when {@code g} (and the transposed convolution undoing it) runs on the phase planes ({@link ConvPhase}). */
    static boolean phased(ConvGeometry g) { return g.strideH() > 1 || g.strideW() > 1; }

    /** y (N,K,P,Q) = x (N,C,H,W) ∗ w (K,C,R,S) + b (K); {@code b} may be null. */
    public static void conv2dForward(float[] y, float[] x, float[] w, float[] b, int N, ConvGeometry g, Workspace ws) {
        conv2dForward(y, x, w, b, N, g, ws, null);
    }

    /** As above, then {@code after} (may be null) on each run of finished images of y (see {@link ImageStep}). */
    public static void conv2dForward(float[] y, float[] x, float[] w, float[] b, int N, ConvGeometry g, Workspace ws,
                                     ImageStep after) {
        if (direct(g)) {
            DIRECT.forward(y, x, w, b, N, g, ws, after);
            return;
        }
        if (phased(g)) {
            ConvPhase.forward(y, x, w, b, N, g, ws, CORR, after);
            return;
        }
        int chunks = Parallel.chunks(N), group = group(g, N, chunks);
        int crs = g.C() * g.R() * g.S(), pq = g.P() * g.Q(), K = g.K();
        float[][] cols = new float[chunks][], outs = new float[chunks][];
        for (int c = 0; c < chunks; c++) {
            cols[c] = ws.get(c, crs * group * pq);
            outs[c] = ws.get(2 * chunks + c, K * group * pq);
        }
        Parallel.forChunks(N, (chunk, n0, n1) -> {
            float[] col = cols[chunk], out = outs[chunk];
            for (int n = n0; n < n1; n += group) {
                int m = Math.min(group, n1 - n), ld = m * pq;
                for (int j = 0; j < m; j++) im2col(col, j * pq, ld, x, (n + j) * g.inSize(), g);
                Gemm.nn(K, ld, crs, w, 0, crs, col, 0, ld, out, 0, ld, false);
                for (int j = 0; j < m; j++) {
                    int yOff = (n + j) * g.outSize();
                    for (int k = 0; k < K; k++) {
                        float bk = b == null ? 0f : b[k];
                        int src = k * ld + j * pq, dst = yOff + k * pq;
                        for (int i = 0; i < pq; i++) y[dst + i] = out[src + i] + bk;
                    }
                }
                if (after != null) after.run(n, n + m);
            }
        });
    }

    /** Images per group for chunks of about n/chunks images: all of them, unless col would pass COL_MAX. */
    static int group(ConvGeometry g, int N, int chunks) {
        int perChunk = (N + chunks - 1) / chunks;
        return Math.max(1, Math.min(perChunk, COL_MAX / Math.max(1, g.colSize())));
    }

    /** gT (rows, m·len) ← blocks: row r of image j (at src + j·stride + r·len, len long) into columns j·len. */
    static void gather(float[] gT, float[] src, int srcOff, int stride, int m, int rows, int len) {
        int ld = m * len;
        for (int j = 0; j < m; j++)
            for (int r = 0; r < rows; r++) System.arraycopy(src, srcOff + j * stride + r * len, gT, r * ld + j * len, len);
    }

    /** The inverse of {@link #gather}: blocks of gT (rows, m·len) back to images at dst + j·stride. */
    static void scatter(float[] dst, int dstOff, int stride, float[] gT, int m, int rows, int len) {
        int ld = m * len;
        for (int j = 0; j < m; j++)
            for (int r = 0; r < rows; r++) System.arraycopy(gT, r * ld + j * len, dst, dstOff + j * stride + r * len, len);
    }

    /**
     * Adds into dw (K,C,R,S) and db (K); writes dx (N,C,H,W). {@code dx} or {@code db} may be null when not
     * needed (a first layer, a layer without bias).
     */
    public static void conv2dBackward(float[] dx, float[] dw, float[] db, float[] dy, float[] x, float[] w,
                                      int N, ConvGeometry g, Workspace ws) {
        conv2dBackward(dx, dw, db, dy, x, w, N, g, ws, null);
    }

    /** As above, with {@code before} (may be null) writing each run of images of dy before it is read. */
    public static void conv2dBackward(float[] dx, float[] dw, float[] db, float[] dy, float[] x, float[] w,
                                      int N, ConvGeometry g, Workspace ws, ImageStep before) {
        if (direct(g) && g.P() * g.Q() > SMALL_PLANE) {
            DIRECT.backward(dx, dw, db, dy, x, w, N, g, ws, before);
            return;
        }
        if (phased(g) || direct(g)) {
            ConvPhase.backward(dx, dw, db, dy, x, w, N, g, ws, CORR, before);
            return;
        }
        int chunks = Parallel.chunks(N), group = group(g, N, chunks);
        int crs = g.C() * g.R() * g.S(), pq = g.P() * g.Q(), K = g.K();
        int wSize = g.weightSize();
        float[][] cols = new float[chunks][], dyTs = new float[chunks][];
        for (int c = 0; c < chunks; c++) {
            cols[c] = ws.get(c, crs * group * pq);
            dyTs[c] = ws.get(2 * chunks + c, K * group * pq);
        }
        float[][] partial = zeroedPartials(ws, chunks, wSize + K);
        Parallel.forChunks(N, (chunk, n0, n1) -> {
            float[] col = cols[chunk], dyT = dyTs[chunk];
            float[] pw = chunks > 1 ? partial[chunk] : dw;
            float[] pb = chunks > 1 ? partial[chunk] : db;
            int bOff = chunks > 1 ? wSize : 0;
            for (int n = n0; n < n1; n += group) {
                int m = Math.min(group, n1 - n), ld = m * pq;
                if (before != null) before.run(n, n + m);
                for (int j = 0; j < m; j++) im2col(col, j * pq, ld, x, (n + j) * g.inSize(), g);
                gather(dyT, dy, n * g.outSize(), g.outSize(), m, K, pq);
                Gemm.nt(K, crs, ld, dyT, 0, ld, col, 0, ld, pw, 0, crs, true);
                if (pb != null) addRowSums(pb, bOff, dyT, 0, K, ld);
                if (dx != null) {
                    Gemm.tn(crs, ld, K, w, 0, crs, dyT, 0, ld, col, 0, ld, false);
                    for (int j = 0; j < m; j++) col2im(dx, (n + j) * g.inSize(), col, j * pq, ld, g);
                }
            }
        });
        addPartials(partial, dw, wSize, db, K);
    }

    /**
     * One zeroed buffer per chunk for partial weight and bias gradients (workspace slots chunks..2·chunks−1), or
     * null with a single chunk, which then accumulates straight into dw and db.
     */
    static float[][] zeroedPartials(Workspace ws, int chunks, int size) {
        if (chunks == 1) return null;
        float[][] partial = new float[chunks][];
        for (int c = 0; c < chunks; c++) {
            partial[c] = ws.get(chunks + c, size);
            java.util.Arrays.fill(partial[c], 0, size, 0f);
        }
        return partial;
    }

    /** Adds each chunk's partial (weights, then nb bias values) into dw and db, in chunk order; no-op for null. */
    static void addPartials(float[][] partial, float[] dw, int wSize, float[] db, int nb) {
        if (partial == null) return;
        for (float[] p : partial) {
            for (int i = 0; i < wSize; i++) dw[i] += p[i];
            if (db != null) for (int k = 0; k < nb; k++) db[k] += p[wSize + k];
        }
    }

    /**
     * dst[dstOff + r] += Σ_i src[srcOff + r·len + i] for r &lt; rows: a bias gradient, one sum per channel. Each sum is
     * kept as 8 partial sums of every 8th element, added pairwise at the end: 8 independent chains of additions
     * run about 4 times faster than one, and the order is still fixed by len alone.
     */
    static void addRowSums(float[] dst, int dstOff, float[] src, int srcOff, int rows, int len) {
        for (int r = 0; r < rows; r++) {
            int o = srcOff + r * len, i = 0;
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
            for (; i + 8 <= len; i += 8) {
                s0 += src[o + i]; s1 += src[o + i + 1]; s2 += src[o + i + 2]; s3 += src[o + i + 3];
                s4 += src[o + i + 4]; s5 += src[o + i + 5]; s6 += src[o + i + 6]; s7 += src[o + i + 7];
            }
            float s = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
            for (; i < len; i++) s += src[o + i];
            dst[dstOff + r] += s;
        }
    }

    /**
     * rows rows of len floats, srcStride apart in src from srcOff, to dstStride apart in dst from dstOff: the moves
     * between an image's rows and the wider rows of the direct and phase-plane layouts.
     */
    static void copyRows(float[] src, int srcOff, int srcStride, float[] dst, int dstOff, int dstStride, int rows,
                         int len) {
        for (int r = 0; r < rows; r++) System.arraycopy(src, srcOff + r * srcStride, dst, dstOff + r * dstStride, len);
    }

    /**
     * y[dst + p·Q + q] = yw[src + p·stride + q] + bk for p &lt; P, q &lt; Q: a map's wide rows cropped to Q, then the
     * bias added over the whole plane, also when it is 0 (so −0 becomes +0, as it always has here). (One loop of
     * Q = 28 or 32 floats per row, copy and add together, is too short for the JIT's vectorisation: it ran one
     * element at a time and took a quarter of model A's first conv.)
     */
    static void crop(float[] y, int dst, float[] yw, int src, int P, int Q, int stride, float bk) {
        copyRows(yw, src, stride, y, dst, Q, P, Q);
        for (int i = dst, end = dst + P * Q; i < end; i++) y[i] += bk;
    }

    /** col (C·R·S, P·Q) ← the receptive fields of image x[xOff ..] (C,H,W); zeros where they overhang. */
    public static void im2col(float[] col, float[] x, int xOff, ConvGeometry g) {
        im2col(col, 0, g.P() * g.Q(), x, xOff, g);
    }

    /** As above into the P·Q columns from colOff of a matrix with row length ld (one image of a group). */
    public static void im2col(float[] col, int colOff, int ld, float[] x, int xOff, ConvGeometry g) {
        int H = g.H(), W = g.W(), P = g.P(), Q = g.Q(), sh = g.strideH(), sw = g.strideW();
        int row = 0;
        for (int c = 0; c < g.C(); c++) {
            int xc = xOff + c * H * W;
            for (int r = 0; r < g.R(); r++) {
                for (int s = 0; s < g.S(); s++, row++) {
                    int o = colOff + row * ld;
                    // output columns q whose input column q·sw + s − l lies inside 0..W−1
                    int off = s - g.padLeft();
                    int q0 = qFirst(off, sw), q1 = qEnd(off, sw, W, Q);
                    for (int p = 0; p < P; p++) {
                        int h = p * sh + r - g.padTop();
                        int op = o + p * Q;
                        if (h < 0 || h >= H || q0 >= q1) {
                            java.util.Arrays.fill(col, op, op + Q, 0f);
                            continue;
                        }
                        int xh = xc + h * W + off;
                        java.util.Arrays.fill(col, op, op + q0, 0f);
                        if (sw == 1) {
                            System.arraycopy(x, xh + q0, col, op + q0, q1 - q0);
                        } else {
                            for (int q = q0; q < q1; q++) col[op + q] = x[xh + q * sw];
                        }
                        java.util.Arrays.fill(col, op + q1, op + Q, 0f);
                    }
                }
            }
        }
    }

    /** First q ≥ 0 with q·sw + off ≥ 0. */
    private static int qFirst(int off, int sw) { return off >= 0 ? 0 : (-off + sw - 1) / sw; }

    /** One past the last q &lt; Q with q·sw + off ≤ W − 1; empty range when it is not above qFirst. */
    private static int qEnd(int off, int sw, int W, int Q) {
        if (W - 1 - off < 0) return 0;
        return Math.min(Q, (W - 1 - off) / sw + 1);
    }

    /** dx[dxOff ..] (C,H,W) ← the sum, per input pixel, of the col (C·R·S, P·Q) entries that read it. Overwrites. */
    public static void col2im(float[] dx, int dxOff, float[] col, ConvGeometry g) {
        col2im(dx, dxOff, col, 0, g.P() * g.Q(), g);
    }

    /** As above from the P·Q columns at colOff of a matrix with row length ld (one image of a group). */
    public static void col2im(float[] dx, int dxOff, float[] col, int colOff, int ld, ConvGeometry g) {
        int H = g.H(), W = g.W(), P = g.P(), Q = g.Q(), sh = g.strideH(), sw = g.strideW();
        java.util.Arrays.fill(dx, dxOff, dxOff + g.inSize(), 0f);
        int row = 0;
        for (int c = 0; c < g.C(); c++) {
            int xc = dxOff + c * H * W;
            for (int r = 0; r < g.R(); r++) {
                for (int s = 0; s < g.S(); s++, row++) {
                    int o = colOff + row * ld;
                    int off = s - g.padLeft();
                    int q0 = qFirst(off, sw), q1 = qEnd(off, sw, W, Q);
                    if (q0 >= q1) continue;
                    for (int p = 0; p < P; p++) {
                        int h = p * sh + r - g.padTop();
                        if (h < 0 || h >= H) continue;
                        int xh = xc + h * W + off, op = o + p * Q;
                        if (sw == 1) {
                            for (int q = q0; q < q1; q++) dx[xh + q] += col[op + q];
                        } else {
                            for (int q = q0; q < q1; q++) dx[xh + q * sw] += col[op + q];
                        }
                    }
                }
            }
        }
    }
}
