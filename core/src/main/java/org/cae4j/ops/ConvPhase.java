package org.cae4j.ops;

import java.util.Arrays;

/**
 * Strided convolutions, and the transposed convolutions that undo them, computed directly on the phase planes of
 * the padded images (space-to-depth) instead of im2col + GEMM: {@link Conv} and {@link ConvTranspose} take this
 * path for strides above 1.
 *
 * <pre>
 * C in-channels, H,W input, K filters, R,S kernel, P,Q output, strides sh,sw; Hp = H + t + b, Wp = W + l + r
 * Phase ph = a·sw + e of a padded image holds its pixels in rows ≡ a (mod sh) and columns ≡ e (mod sw):
 *   xs[c, ph, u, v] = xpad[c, u·sh + a, v·sw + e]          u &lt; Hs = ⌈Hp/sh⌉, v &lt; Ws = ⌈Wp/sw⌉ (zero past Hp, Wp)
 * Tap (r,s) of output (p,q) reads xpad[c, p·sh + r, q·sw + s] = xs[c, ph(r,s), p + r/sh, q + s/sw]: with a plane
 * flattened into rows of Ws, that is the output's own index p·Ws + q shifted by d(r,s) = (r/sh)·Ws + s/sw, a
 * stride-1 correlation. The planes of a group of m images sit side by side, image n's block at n·B, B = Hs·Ws;
 * D = d(R−1, S−1) is the largest shift.
 *   forward:     yw[k, i]      = Σ_{c,r,s} w[k,c,r,s] · xs[c, ph(r,s), i + d(r,s)]     y[n,k,p,q] = yw[k, n·B + p·Ws + q] + b[k]
 *   input grad:  dxs[c, ph, i] = Σ_k Σ_{(r,s) in phase ph} w[k,c,r,s] · dyz[k, D + i − d(r,s)]
 *   weight grad: dw[k,c,r,s]  += Σ_i dyz[k, D + i] · xs[c, ph(r,s), i + d(r,s)]
 * dyz (K, D + m·B) holds dy at D + n·B + p·Ws + q and zeros elsewhere.
 * A transposed convolution is the adjoint: its forward is the input grad above, its input grad the forward, and
 * its weight grad the one above with its input in dyz and the phases of its output gradient in xs.
 * </pre>
 * The blocks do not leak into each other: Hp ≥ (P−1)·sh + R gives p + (R−1)/sh &lt; Hs for p &lt; P (and the same
 * for columns), so every output that is kept reads its own block only, and whatever a backward shift brings in
 * from a neighbouring block or row of dyz is zero. Each output element is one sum over the taps in a fixed order,
 * whichever group it falls in, so y and dx do not depend on the thread count; dw is summed per chunk
 * ({@link CorrKernels#reduceLanes}) and the chunks' partials in chunk order.
 */
final class ConvPhase {
    /**
     * Most floats of one group's buffers (phase planes, dyz and output rows) in the backward passes, where longer
     * rows make corrGrad's tiles cheaper per image (B's 16→32 conv backward, 1 thread: 14.5 us/img with 10 images
     * per group, 17.7 with 1). The forward passes take {@link CorrKernels#forwardGroupFloats}.
     */
    static final int BACKWARD_FLOATS = 1 << 17;

    // The forward passes split the batch into Parallel.balancedChunks (one image per group there, so nothing is lost
    // to smaller chunks; model B, 2 threads, TrainRun alternating: inference at batch 1000 92/88/111k -> 115/114/116k
    // img/s); the backward passes into one chunk per thread, whose groups of 10-14 images make corrGrad cheaper.
    // Workspace slots: per chunk c, the phase planes xs at c, partial dw at chunks + c (as Conv), dyz at
    // 2·chunks + c, yw or dxs at 3·chunks + c, corrGrad's accumulator at 4·chunks + c; the input grad's weights
    // at 5·chunks. Int slots: the forward's tap offsets at 0, pixelMap at 1, the input grad's offsets of
    // phase ph at 3 + ph.

    private ConvPhase() {}

    /**
     * The phase planes of one geometry for groups of up to {@code group} images (as many as fit in {@code budget}
     * floats, at least 1, at most a chunk of N images split into {@code chunks}): Hs = rows, Ws = cols, B = rows·cols,
     * D the largest shift; xs, yw and dxs have rows of rowLen = group·B rounded up to the kernels' tile, plus {@link
     * CorrKernels#lanes()} floats that only the vector copies of the last rows of a group write (zeros), dyz rows of
     * zStride = D + rowLen.
     */
    record Layout(int sh, int sw, int phases, int rows, int cols, int B, int D, int group, int tile, int rowLen,
                  int zStride) {
        static Layout of(ConvGeometry g, int N, int chunks, CorrKernels kern, int budget) {
            int tile = kern.tile();
            int sh = g.strideH(), sw = g.strideW();
            int rows = ceilDiv(g.H() + g.padTop() + g.padBottom(), sh), cols = ceilDiv(g.W() + g.padLeft() + g.padRight(), sw);
            int B = rows * cols, D = (g.R() - 1) / sh * cols + (g.S() - 1) / sw;
            int perImage = 2 * (g.C() * sh * sw + g.K()) * B;
            int perChunk = ceilDiv(N, chunks);
            int group = Math.max(1, Math.min(perChunk, budget / perImage));
            int rowLen = roundUp(group * B, tile) + kern.lanes();
            return new Layout(sh, sw, sh * sw, rows, cols, B, D, group, tile, rowLen, D + rowLen);
        }

        /** Length the kernels run over for a group of m images. */
        int len(int m) { return roundUp(m * B, tile); }

        /** Floats of xs for C channels: every shifted read of a row stays inside. */
        int xsSize(int C) { return C * phases * rowLen + D; }
    }

    /**
     * y (N,K,P,Q) = x (N,C,H,W) ∗ w (K,C,R,S) + b (K); {@code b} may be null. Then {@code after} (may be null) on
     * each group of finished images of y.
     */
    static void forward(float[] y, float[] x, float[] w, float[] b, int N, ConvGeometry g, Workspace ws,
                        CorrKernels kern, ImageStep after) {
        int chunks = Parallel.balancedChunks(N);
        Layout z = Layout.of(g, N, chunks, kern, kern.forwardGroupFloats());
        int[] aMap = pixelMap(ws, g, z);
        int K = g.K(), crs = g.C() * g.R() * g.S(), xsSize = z.xsSize(g.C());
        int[] offs = tapOffsets(ws, g, z);
        float[][] xss = buffers(ws, 0, chunks, xsSize), yws = buffers(ws, 3 * chunks, chunks, K * z.rowLen);
        Parallel.forChunks(N, chunks, (chunk, n0, n1) -> {
            float[] xs = xss[chunk], yw = yws[chunk];
            Arrays.fill(xs, 0, xsSize, 0f); // the padding and the slack; images overwrite only the interior
            for (int n = n0; n < n1; n += z.group) {
                int m = Math.min(z.group, n1 - n);
                for (int j = 0; j < m; j++) split(xs, z, j, x, (n + j) * g.inSize(), aMap, g, kern);
                kern.corr(yw, 0, z.rowLen, z.len(m), xs, offs, crs, w, 0, K);
                for (int j = 0; j < m; j++) crop(y, (n + j) * g.outSize(), yw, z, j, b, g, kern);
                if (after != null) after.run(n, n + m);
            }
        });
    }

    /**
     * Adds into dw (K,C,R,S) and db (K), writes dx (N,C,H,W); {@code dx} or {@code db} may be null. {@code before}
     * (may be null) first writes each group of images of dy.
     */
    static void backward(float[] dx, float[] dw, float[] db, float[] dy, float[] x, float[] w, int N, ConvGeometry g,
                         Workspace ws, CorrKernels kern, ImageStep before) {
        int chunks = Parallel.chunks(N);
        Layout z = Layout.of(g, N, chunks, kern, BACKWARD_FLOATS);
        int C = g.C(), aMap[] = pixelMap(ws, g, z);
        int[][] offsT = dx == null ? null : phaseOffsets(ws, g, z);
        float[] wT = dx == null ? null : phaseWeights(ws.get(5 * chunks, g.weightSize()), w, g, z);
        float[][] dxss = dx == null ? null : buffers(ws, 3 * chunks, chunks, C * z.phases * z.rowLen);
        // the planes of x against the widened dy; db from dy's K maps of P·Q
        weightGradient(dw, db, dy, g.K(), g.outSize(), g.P() * g.Q(), x, dy, N, g, z, ws, kern, before, dx == null ? null
                : (chunk, xs, dyz, n, m, len) -> {
                    inputGrad(dxss[chunk], dyz, wT, offsT, z, len, g, kern);
                    for (int j = 0; j < m; j++) merge(dx, (n + j) * g.inSize(), dxss[chunk], z, j, aMap, null, g, kern);
                });
    }

    /**
     * y (N,C,H,W) = conv_transpose2d(x (N,K,P,Q), w (K,C,R,S)) + b (C), g the geometry of the convolution it
     * undoes (see {@link ConvTranspose}); {@code b} may be null. Then {@code after} (may be null) on each group
     * of finished images of y.
     */
    static void transposeForward(float[] y, float[] x, float[] w, float[] b, int N, ConvGeometry g, Workspace ws,
                                 CorrKernels kern, ImageStep after) {
        int chunks = Parallel.balancedChunks(N);
        Layout z = Layout.of(g, N, chunks, kern, kern.forwardGroupFloats());
        int[] aMap = pixelMap(ws, g, z);
        int K = g.K(), C = g.C();
        int[][] offsT = phaseOffsets(ws, g, z);
        float[] wT = phaseWeights(ws.get(5 * chunks, g.weightSize()), w, g, z);
        float[][] dyzs = buffers(ws, 2 * chunks, chunks, K * z.zStride);
        float[][] dxss = buffers(ws, 3 * chunks, chunks, C * z.phases * z.rowLen);
        Parallel.forChunks(N, chunks, (chunk, n0, n1) -> {
            float[] dyz = dyzs[chunk], dxs = dxss[chunk];
            Arrays.fill(dyz, 0, K * z.zStride, 0f);
            for (int n = n0; n < n1; n += z.group) {
                int m = Math.min(z.group, n1 - n);
                for (int j = 0; j < m; j++) widen(dyz, z, j, x, (n + j) * g.outSize(), g, kern);
                inputGrad(dxs, dyz, wT, offsT, z, z.len(m), g, kern);
                for (int j = 0; j < m; j++) merge(y, (n + j) * g.inSize(), dxs, z, j, aMap, b, g, kern);
                if (after != null) after.run(n, n + m);
            }
        });
    }

    /**
     * Writes dx (N,K,P,Q); adds into dw (K,C,R,S) and db (C). {@code dx} or {@code db} may be null. {@code before}
     * (may be null) first writes each group of images of dy.
     */
    static void transposeBackward(float[] dx, float[] dw, float[] db, float[] dy, float[] x, float[] w, int N,
                                  ConvGeometry g, Workspace ws, CorrKernels kern, ImageStep before) {
        int chunks = Parallel.chunks(N);
        Layout z = Layout.of(g, N, chunks, kern, BACKWARD_FLOATS);
        int K = g.K(), crs = g.C() * g.R() * g.S();
        int[] offs = tapOffsets(ws, g, z);
        float[][] yws = dx == null ? null : buffers(ws, 3 * chunks, chunks, K * z.rowLen);
        // the roles swapped: the planes of dy (shaped as the conv's input) against the widened x; db from dy's C maps
        weightGradient(dw, db, dy, g.C(), g.inSize(), g.H() * g.W(), dy, x, N, g, z, ws, kern, before, dx == null ? null
                : (chunk, xs, dyz, n, m, len) -> {
                    kern.corr(yws[chunk], 0, z.rowLen, len, xs, offs, crs, w, 0, K);
                    for (int j = 0; j < m; j++) crop(dx, (n + j) * g.outSize(), yws[chunk], z, j, null, g, kern);
                });
    }

    /** The input-gradient step of a backward pass, for a group of m images from image n (see weightGradient). */
    @FunctionalInterface
    private interface GroupStep { void run(int chunk, float[] xs, float[] dyz, int n, int m, int len); }

    /**
     * The part the two backward passes share. Per chunk of images and per group in it: {@code a} (N images shaped
     * as the conv's input) split into phase planes xs, {@code b} (N, shaped as its output) widened into dyz; adds
     * the weight gradient corrGrad(dyz, xs) into dw (per-lane sums reduced once per chunk, chunks added in order)
     * and, if db is not null, the row sums of dy's {@code biasRows} maps of {@code biasMap} floats per image
     * ({@code biasImage} floats apart); then {@code inputGrad} (may be null) for the group. {@code before} (may be
     * null) first writes the group's images of dy.
     */
    private static void weightGradient(float[] dw, float[] db, float[] dy, int biasRows, int biasImage, int biasMap,
                                       float[] a, float[] b, int N, ConvGeometry g, Layout z, Workspace ws,
                                       CorrKernels kern, ImageStep before, GroupStep inputGrad) {
        int[] aMap = pixelMap(ws, g, z);
        int chunks = Parallel.chunks(N), K = g.K(), C = g.C(), crs = C * g.R() * g.S(), wSize = g.weightSize();
        int xsSize = z.xsSize(C);
        int[] offs = tapOffsets(ws, g, z);
        float[][] xss = buffers(ws, 0, chunks, xsSize), dyzs = buffers(ws, 2 * chunks, chunks, K * z.zStride);
        float[][] dwvs = buffers(ws, 4 * chunks, chunks, wSize * kern.lanes());
        float[][] partial = Conv.zeroedPartials(ws, chunks, wSize + biasRows);
        Parallel.forChunks(N, (chunk, n0, n1) -> {
            float[] xs = xss[chunk], dyz = dyzs[chunk], dwv = dwvs[chunk];
            float[] pw = chunks > 1 ? partial[chunk] : dw;
            float[] pb = chunks > 1 ? partial[chunk] : db;
            int bOff = chunks > 1 ? wSize : 0;
            Arrays.fill(xs, 0, xsSize, 0f);
            Arrays.fill(dyz, 0, K * z.zStride, 0f);
            Arrays.fill(dwv, 0, wSize * kern.lanes(), 0f);
            for (int n = n0; n < n1; n += z.group) {
                int m = Math.min(z.group, n1 - n), len = z.len(m);
                if (before != null) before.run(n, n + m);
                for (int j = 0; j < m; j++) {
                    split(xs, z, j, a, (n + j) * g.inSize(), aMap, g, kern);
                    widen(dyz, z, j, b, (n + j) * g.outSize(), g, kern);
                }
                zeroTail(dyz, z, m, K);
                kern.corrGrad(dwv, dyz, z.zStride, z.D, K, xs, offs, crs, len);
                if (pb != null) {
                    for (int j = 0; j < m; j++) Conv.addRowSums(pb, bOff, dy, (n + j) * biasImage, biasRows, biasMap);
                }
                if (inputGrad != null) inputGrad.run(chunk, xs, dyz, n, m, len);
            }
            kern.reduceLanes(pw, dwv, wSize);
        });
        Conv.addPartials(partial, dw, wSize, db, biasRows);
    }

    /** dxs (C·phases rows of rowLen) ← the input gradient from dyz: per phase, one corr over that phase's taps. */
    private static void inputGrad(float[] dxs, float[] dyz, float[] wT, int[][] offsT, Layout z, int len,
                                  ConvGeometry g, CorrKernels kern) {
        int C = g.C(), K = g.K();
        for (int ph = 0, wOff = 0; ph < z.phases; ph++) {
            int crs = K * taps(ph / z.sw, g.R(), z.sh) * taps(ph % z.sw, g.S(), z.sw);
            kern.corr(dxs, ph * z.rowLen, z.phases * z.rowLen, len, dyz, offsT[ph], crs, wT, wOff, C);
            wOff += C * crs;
        }
    }

    /** Number of kernel taps r &lt; R with r ≡ a (mod stride). */
    private static int taps(int a, int R, int stride) { return Math.max(0, ceilDiv(R - a, stride)); }

    /** offs[(c·R + r)·S + s] = (c·phases + ph(r,s))·rowLen + d(r,s): where tap (r,s) of channel c reads xs. */
    private static int[] tapOffsets(Workspace ws, ConvGeometry g, Layout z) {
        int R = g.R(), S = g.S();
        int[] offs = ws.ints(0, g.C() * R * S);
        for (int c = 0, j = 0; c < g.C(); c++)
            for (int r = 0; r < R; r++)
                for (int s = 0; s < S; s++, j++)
                    offs[j] = (c * z.phases + r % z.sh * z.sw + s % z.sw) * z.rowLen + r / z.sh * z.cols + s / z.sw;
        return offs;
    }

    /** Per phase (int slot 3 + ph): offs[j] = k·zStride + D − d(r,s), j running over the phase's taps (k, r, s). */
    private static int[][] phaseOffsets(Workspace ws, ConvGeometry g, Layout z) {
        int K = g.K(), R = g.R(), S = g.S();
        int[][] offsT = new int[z.phases][];
        for (int ph = 0; ph < z.phases; ph++) {
            int a = ph / z.sw, e = ph % z.sw;
            int[] offs = ws.ints(3 + ph, Math.max(1, K * taps(a, R, z.sh) * taps(e, S, z.sw)));
            int j = 0;
            for (int k = 0; k < K; k++)
                for (int r = a; r < R; r += z.sh)
                    for (int s = e; s < S; s += z.sw) offs[j++] = k * z.zStride + z.D - (r / z.sh * z.cols + s / z.sw);
            offsT[ph] = offs;
        }
        return offsT;
    }

    /**
     * wT ← w (K,C,R,S) regrouped by phase: for each phase in turn a (C, K·taps) matrix, wT[c·(K·taps) + j] =
     * w[k,c,r,s] with j over the phase's taps (k, r, s) in the order of {@link #phaseOffsets}.
     */
    private static float[] phaseWeights(float[] wT, float[] w, ConvGeometry g, Layout z) {
        int K = g.K(), C = g.C(), R = g.R(), S = g.S();
        int o = 0;
        for (int ph = 0; ph < z.phases; ph++) {
            int a = ph / z.sw, e = ph % z.sw;
            for (int c = 0; c < C; c++)
                for (int k = 0; k < K; k++)
                    for (int r = a; r < R; r += z.sh)
                        for (int s = e; s < S; s += z.sw) wT[o++] = w[((k * C + c) * R + r) * S + s];
        }
        return wT;
    }

    /**
     * Where each pixel lands in the phase planes, so that the per-image copies are flat loops without divisions
     * (int slot 1): pixel (h, v) of channel 0 goes to xs[map[h·W + v]] of block 0; channel c adds c·phases·rowLen,
     * block j adds j·B. After those H·W entries, for the row-by-row copies of column stride 2, two per image row h:
     * map[H·W + 2h] is where its first even column goes (as a pixel's entry: block 0 of channel 0), map[H·W + 2h + 1]
     * its first odd column.
     */
    private static int[] pixelMap(Workspace ws, ConvGeometry g, Layout z) {
        int H = g.H(), W = g.W(), pl = g.padLeft();
        int[] map = ws.ints(1, H * W + 2 * H);
        for (int h = 0; h < H; h++) {
            int hp = h + g.padTop();
            for (int v = 0; v < W; v++) {
                int vp = v + pl;
                map[h * W + v] = (hp % z.sh * z.sw + vp % z.sw) * z.rowLen + hp / z.sh * z.cols + vp / z.sw;
            }
            int row = (hp % z.sh * z.sw) * z.rowLen + hp / z.sh * z.cols;
            map[H * W + 2 * h] = row + (pl % 2) * z.rowLen + pl / 2;
            map[H * W + 2 * h + 1] = row + ((pl + 1) % 2) * z.rowLen + (pl + 1) / 2;
        }
        return map;
    }

    /** Block j of the interior of xs (C·phases rows of rowLen) ← image x[xOff ..] (C,H,W); map from pixelMap. */
    private static void split(float[] xs, Layout z, int j, float[] x, int xOff, int[] map, ConvGeometry g,
                              CorrKernels kern) {
        // a vector scatter per 16 pixels: plain strided copies row by row were about twice as slow (model B's 16->32
        // conv forward 7.5 -> 16 us/img)
        if (z.sw == 2) {
            splitColumns2(xs, z, j, x, xOff, map, g, kern);
            return;
        }
        int hw = g.H() * g.W();
        for (int c = 0; c < g.C(); c++) kern.scatter(xs, c * z.phases * z.rowLen + j * z.B, map, x, xOff + c * hw, hw);
    }

    /**
     * {@link #split} for column stride 2, row by row: a row's even columns go to one phase row and its odd columns
     * to the other ({@link CorrKernels#deinterleave}). The vector kernel writes zeros past each run: allowed where
     * they stay inside the phase row of rowLen, where they land on padding, on later rows of the block or on later
     * blocks, all written after this one, or on the slack of {@link Layout} (without which the last two rows of
     * each plane of model B's 14×14 maps went one value at a time); other rows are copied one value at a time.
     */
    private static void splitColumns2(float[] xs, Layout z, int j, float[] x, int xOff, int[] map, ConvGeometry g,
                                      CorrKernels kern) {
        int H = g.H(), W = g.W(), hw = H * W, pl = g.padLeft(), pt = g.padTop(), over = kern.deinterleaveOverrun();
        int ce = pl / 2, co = (pl + 1) / 2, ne = (W + 1) / 2, no = W / 2;
        int end = Math.max(ce + reach(ne, over), co + reach(no, over)); // past a phase row's start
        int vectorRows = 0; // from the first row whose writes would leave the phase row on, one value at a time
        while (vectorRows < H && j * z.B + (vectorRows + pt) / z.sh * z.cols + end <= z.rowLen) vectorRows++;
        for (int c = 0; c < g.C(); c++) {
            int base = c * z.phases * z.rowLen + j * z.B, src = xOff + c * hw;
            for (int h = kern.deinterleaveRows(xs, base, map, hw, x, src, vectorRows, W); h < H; h++)
                LOOPS.deinterleave(xs, base + map[hw + 2 * h], base + map[hw + 2 * h + 1], x, src + h * W, W);
        }
    }

    /** The value-by-value kernels, for the rows where a vector kernel may not write past its run. */
    private static final CorrPlain LOOPS = new CorrPlain();

    /** How far a run of n written by whole vectors of {@code over} floats reaches (n itself when over is 0). */
    private static int reach(int n, int over) { return over == 0 ? n : (n + over - 1) / over * over; }

    /** dx[dxOff ..] (C,H,W) ← the interior of block j of dxs, plus bias[c] when bias is not null. Overwrites. */
    private static void merge(float[] dx, int dxOff, float[] dxs, Layout z, int j, int[] map, float[] bias,
                              ConvGeometry g, CorrKernels kern) {
        if (z.sw == 2) {
            mergeColumns2(dx, dxOff, dxs, z, j, map, bias, g, kern);
            return;
        }
        int hw = g.H() * g.W();
        for (int c = 0; c < g.C(); c++)
            kern.gather(dx, dxOff + c * hw, dxs, c * z.phases * z.rowLen + j * z.B, map, hw, bias == null ? 0f : bias[c]);
    }

    /**
     * {@link #merge} for column stride 2, row by row: a dx row's even columns from one phase row and its odd columns
     * from the other ({@link CorrKernels#interleave}). The vector kernel writes past the row: allowed where that
     * stays inside this image of dx, whose later rows are written after this one; other rows go one value at a
     * time (the next image may be another chunk's).
     */
    private static void mergeColumns2(float[] dx, int dxOff, float[] dxs, Layout z, int j, int[] map, float[] bias,
                                      ConvGeometry g, CorrKernels kern) {
        int H = g.H(), W = g.W(), hw = H * W, end = dxOff + g.C() * hw;
        for (int c = 0; c < g.C(); c++) {
            int base = c * z.phases * z.rowLen + j * z.B, d = dxOff + c * hw;
            float add = bias == null ? 0f : bias[c];
            for (int h = kern.interleaveRows(dx, d, end, dxs, base, map, hw, H, W, add); h < H; h++)
                LOOPS.interleave(dx, d + h * W, dxs, base + map[hw + 2 * h], base + map[hw + 2 * h + 1], W, add);
        }
    }

    /**
     * y[yOff ..] (K,P,Q) ← block j of yw (K rows of rowLen), output (p, q) at p·Ws + q, plus bias[k] (0 when bias is
     * null, so that −0 becomes +0 as it always has here): whole rows copied, then the bias added over the plane.
     */
    private static void crop(float[] y, int yOff, float[] yw, Layout z, int j, float[] bias, ConvGeometry g,
                             CorrKernels kern) {
        int P = g.P(), Q = g.Q(), pq = P * Q, end = yOff + g.K() * pq;
        for (int k = 0; k < g.K(); k++)
            kern.crop(y, yOff + k * pq, end, yw, k * z.rowLen + j * z.B, P, Q, z.cols, bias == null ? 0f : bias[k]);
    }

    /**
     * Block j of dyz (K rows of zStride, after D zeros) ← dy[yOff ..] (K,P,Q), output (p, q) at p·Ws + q, whole rows
     * copied; the zeros around them stay.
     */
    private static void widen(float[] dyz, Layout z, int j, float[] dy, int yOff, ConvGeometry g, CorrKernels kern) {
        int P = g.P(), Q = g.Q(), pq = P * Q;
        for (int k = 0; k < g.K(); k++)
            kern.widen(dy, yOff + k * pq, dyz, k * z.zStride + z.D + j * z.B, z.cols, P, Q, (k + 1) * z.zStride);
    }

    /**
     * Zeros dyz past the m blocks of a short group up to the length the kernels run over: the images of an earlier,
     * fuller group left their values there, and corrGrad would add them in.
     */
    private static void zeroTail(float[] dyz, Layout z, int m, int K) {
        if (m == z.group) return;
        for (int k = 0; k < K; k++) {
            int o = k * z.zStride + z.D;
            Arrays.fill(dyz, o + m * z.B, o + z.len(m), 0f);
        }
    }

    /** One buffer per chunk from workspace slots first .. first + chunks − 1. */
    private static float[][] buffers(Workspace ws, int first, int chunks, int size) {
        float[][] b = new float[chunks][];
        for (int c = 0; c < chunks; c++) b[c] = ws.get(first + c, size);
        return b;
    }

    private static int ceilDiv(int a, int b) { return (a + b - 1) / b; }

    private static int roundUp(int n, int m) { return ceilDiv(n, m) * m; }
}
