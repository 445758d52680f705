package org.cae4j.ops;

import static org.cae4j.ops.ElementwiseVector.EVEN;
import static org.cae4j.ops.ElementwiseVector.IOTA;
import static org.cae4j.ops.ElementwiseVector.ODD;
import static org.cae4j.ops.ElementwiseVector.evens;
import static org.cae4j.ops.ElementwiseVector.odds;
import static org.cae4j.ops.ElementwiseVector.zipLower;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ConvDirect} on the incubating Vector API; loaded by {@link Conv} only when {@code jdk.incubator.vector}
 * is present and the vector kernels are chosen.
 *
 * <pre>
 * corr:     out (Kout, len) = Σ over Cin, R, S of a broadcast weight times a shifted row of in.
 *           Tiles of 4 output channels × 4 vectors (64 floats with AVX-512) stay in 16 registers; per (c,r,s)
 *           4 loads of in, 4 broadcasts, 16 fused multiply-adds.
 * corrGrad: dw (K, C, R, S) += dot products of a dy row with a shifted x row, 4 filters × 2 vectors at a time.
 * </pre>
 * Each image is worked on alone (batch split into {@link Parallel#balancedChunks}, per-chunk partial dw summed
 * in chunk order), every sum in an order fixed by the shape and the thread count, so results are deterministic.
 * Several chunks per thread let a thread slowed by the host hand its last images to the other: StepTimes on 2
 * threads (Temurin 25, alternating pairs), model A 43.3/43.2/42.3/43.6 → 38.7/38.5/40.2/40.9 µs per image,
 * C 72.1/68.6/68.4 → 67.6/65.9/66.0. ConvPhase's forward passes do the same; its backward passes keep one chunk
 * per thread, as their groups of 10–14 images would shrink to 8 (model B's backward: 31.2–33.8 → 31.7–36.7).
 */
final class ConvDirectVector implements ConvDirect, CorrKernels {
    private static final VectorSpecies<Float> SP = FloatVector.SPECIES_PREFERRED;
    private static final int V = SP.length();
    /** Output floats per tile of corr (4 vectors); lengths are rounded up to it. */
    private static final int TILE = 4 * V;

    // Workspace slots: per chunk c, padded x at c, partial dw at chunks + c (as Conv), wide y / dyz at
    // 2·chunks + c, padded dx at 3·chunks + c, the V lanes of each weight's gradient at 5·chunks + c;
    // flipped weights at 4·chunks. Int slots: tap offsets of x at 0, of dyz at 1.

    /** The padded layout of one geometry: Hp·Wp, Wp, the wide output length L = P·Wp and its rounding to tiles,
     *  the front zeros F of dyz, the padded-image length rounded to tiles, dyz's plane and xp's whole length. */
    private record Sizes(int hpwp, int wp, int L, int lr, int F, int lx, int zs, int xpSize) {
        static Sizes of(ConvGeometry g) {
            int hp = g.H() + g.padTop() + g.padBottom(), wp = g.W() + g.padLeft() + g.padRight();
            int hpwp = hp * wp, L = g.P() * wp, lr = roundUp(L, TILE), F = (g.R() - 1) * wp + g.S() - 1;
            int lx = roundUp(hpwp, TILE);
            return new Sizes(hpwp, wp, L, lr, F, lx, F + lx, g.C() * hpwp + TILE + g.S());
        }
    }

    @Override
    public void forward(float[] y, float[] x, float[] w, float[] b, int N, ConvGeometry g, Workspace ws,
                        ImageStep after) {
        Sizes z = Sizes.of(g);
        int chunks = Parallel.balancedChunks(N), K = g.K(), P = g.P(), Q = g.Q(), pq = P * Q;
        float[][] xps = new float[chunks][], yws = new float[chunks][];
        for (int c = 0; c < chunks; c++) {
            xps[c] = ws.get(c, z.xpSize);
            yws[c] = ws.get(2 * chunks + c, K * z.lr);
        }
        int crs = g.C() * g.R() * g.S();
        int[] offs = offsets(ws, 0, g.C(), z.hpwp, g.R(), g.S(), z.wp);
        boolean rows = singleMapRows(g, z);
        Parallel.forChunks(N, chunks, (chunk, n0, n1) -> {
            float[] xp = xps[chunk], yw = yws[chunk];
            Arrays.fill(xp, 0, z.xpSize, 0f); // the border and the slack; each image then overwrites the interior
            for (int n = n0; n < n1; n++) {
                pad(xp, z, x, n * g.inSize(), g);
                if (rows) corrRows(yw, xp, w, g, z);
                else corr(yw, 0, z.lr, z.lr, xp, offs, crs, w, 0, K);
                int yOff = n * g.outSize();
                for (int k = 0; k < K; k++)
                    crop(y, yOff + k * pq, yOff + K * pq, yw, k * z.lr, P, Q, z.wp, b == null ? 0f : b[k]);
                if (after != null) after.run(n, n + 1);
            }
        });
    }

    @Override
    public void backward(float[] dx, float[] dw, float[] db, float[] dy, float[] x, float[] w, int N,
                         ConvGeometry g, Workspace ws, ImageStep before) {
        Sizes z = Sizes.of(g);
        int chunks = Parallel.balancedChunks(N), K = g.K(), C = g.C(), R = g.R(), S = g.S(), P = g.P(), Q = g.Q();
        int wSize = g.weightSize(), pq = P * Q, ld = roundUp(z.L, 2 * V);
        int rowsLen = gradRowsLength(g, z, ld);
        float[][] xps = new float[chunks][], dyzs = new float[chunks][], dxps = new float[chunks][];
        float[][] dwvs = new float[chunks][];
        for (int c = 0; c < chunks; c++) {
            xps[c] = ws.get(c, z.xpSize);
            dyzs[c] = ws.get(2 * chunks + c, K * z.zs);
            if (dx != null) dxps[c] = ws.get(3 * chunks + c, C * z.lx);
            dwvs[c] = ws.get(5 * chunks + c, wSize * V);
        }
        float[][] partial = Conv.zeroedPartials(ws, chunks, wSize + K);
        // wf (C, K, R, S): the weights transposed and rotated by 180°, for dx as a forward correlation of dyz
        float[] wf = dx == null ? null : ws.get(4 * chunks, wSize);
        if (wf != null) {
            for (int k = 0; k < K; k++)
                for (int c = 0; c < C; c++)
                    for (int r = 0; r < R; r++)
                        for (int s = 0; s < S; s++)
                            wf[((c * K + k) * R + r) * S + s] = w[((k * C + c) * R + (R - 1 - r)) * S + (S - 1 - s)];
        }
        int[] offsX = offsets(ws, 0, C, z.hpwp, R, S, z.wp);
        int[] offsDx = dx == null ? null : offsets(ws, 1, K, z.zs, R, S, z.wp);
        Parallel.forChunks(N, chunks, (chunk, n0, n1) -> {
            float[] xp = xps[chunk], dyz = dyzs[chunk], dxp = dxps[chunk], dwv = dwvs[chunk];
            Arrays.fill(dwv, 0, wSize * V, 0f);
            float[] pw = chunks > 1 ? partial[chunk] : dw;
            float[] pb = chunks > 1 ? partial[chunk] : db;
            int bOff = chunks > 1 ? wSize : 0;
            // zeros that every image keeps: the borders of xp, and dyz outside its rows' first Q columns
            Arrays.fill(xp, 0, z.xpSize, 0f);
            Arrays.fill(dyz, 0, K * z.zs, 0f);
            for (int n = n0; n < n1; n++) {
                int yOff = n * g.outSize();
                if (before != null) before.run(n, n + 1);
                pad(xp, z, x, n * g.inSize(), g);
                for (int k = 0; k < K; k++) copyRows(dy, yOff + k * pq, Q, dyz, k * z.zs + z.F, z.wp, P, Q);
                if (rowsLen > 0) gradRows(dwv, dyz, z.F, xp, C, R, z.hpwp, z.wp, rowsLen);
                else corrGrad(dwv, dyz, z.zs, z.F, K, xp, offsX, C * R * S, ld);
                if (pb != null) Conv.addRowSums(pb, bOff, dy, yOff, K, pq);
                if (dx != null) {
                    corr(dxp, 0, z.lx, z.lx, dyz, offsDx, K * R * S, wf, 0, C);
                    int xOff = n * g.inSize(), H = g.H(), W = g.W();
                    for (int c = 0; c < C; c++)
                        copyRows(dxp, c * z.lx + g.padTop() * z.wp + g.padLeft(), z.wp, dx, xOff + c * H * W, W, H, W);
                }
            }
            reduceLanes(pw, dwv, wSize);
        });
        Conv.addPartials(partial, dw, wSize, db, K);
    }

    /**
     * The interior of xp (C, Hp·Wp) ← image x[xOff ..] (C,H,W). The zero border, and the zeros after it that the
     * last tiles read, are written once per call by the caller: no image writes there.
     */
    private void pad(float[] xp, Sizes z, float[] x, int xOff, ConvGeometry g) {
        int H = g.H(), W = g.W();
        for (int c = 0; c < g.C(); c++)
            copyRows(x, xOff + c * H * W, W, xp, c * z.hpwp + g.padTop() * z.wp + g.padLeft(), z.wp, H, W);
    }

    @Override
    public int tile() { return TILE; }

    @Override
    public int lanes() { return V; }

    /**
     * Small groups (one image for model B's layers), so that what an image's copy-in writes is still in L1 when corr
     * reads it (B's 16→32 conv forward, 1 thread: 6.0 us/img with 1 image per group, 6.7 with 10).
     */
    @Override
    public int forwardGroupFloats() { return 1 << 14; }


    /**
     * out[outOff + k·outStride + i] = Σ_j wt[wOff + k·crs + j] · in[i + offs[j]] for k &lt; Kout, i &lt; len, with
     * j = (c·R + r)·S + s running over crs = Cin·R·S and offs[j] = c·inPlane + r·Wp + s (see {@link #offsets});
     * len is a multiple of {@link #TILE}, and every index read must lie inside {@code in}.
     */
    @Override
    public void corr(float[] out, int outOff, int outStride, int len, float[] in, int[] offs, int crs, float[] wt,
                     int wOff, int Kout) {
        int k = 0;
        for (; k + 4 <= Kout; k += 4)
            for (int i = 0; i < len; i += TILE)
                tile4(out, outOff + k * outStride + i, outStride, in, i, offs, crs, wt, wOff + k * crs);
        for (; k < Kout; k++) {
            int i = 0;
            for (; i + 2 * TILE <= len; i += 2 * TILE)
                tile1x2(out, outOff + k * outStride + i, in, i, offs, crs, wt, wOff + k * crs);
            for (; i < len; i += TILE) tile1(out, outOff + k * outStride + i, in, i, offs, crs, wt, wOff + k * crs);
        }
    }

    /** offs[(c·R + r)·S + s] = c·inPlane + r·Wp + s: the flat shift of each kernel tap, into an int scratch. */
    static int[] offsets(Workspace ws, int slot, int Cin, int inPlane, int R, int S, int Wp) {
        int[] offs = ws.ints(slot, Cin * R * S);
        for (int c = 0, j = 0; c < Cin; c++)
            for (int r = 0; r < R; r++)
                for (int s = 0; s < S; s++, j++) offs[j] = c * inPlane + r * Wp + s;
        return offs;
    }

    /** One tile of corr: 4 output channels (weights at wk, wk + crs, …) × 4 vectors at in[i + offs[j]]. One flat
     *  loop, so that the JIT keeps the 16 accumulators in registers. */
    private static void tile4(float[] out, int o0, int outPlane, float[] in, int i, int[] offs, int crs, float[] wt,
                              int wk) {
        FloatVector a00 = FloatVector.zero(SP), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        for (int j = 0; j < crs; j++) {
            int o = i + offs[j], wi = wk + j;
            FloatVector x0 = FloatVector.fromArray(SP, in, o);
            FloatVector x1 = FloatVector.fromArray(SP, in, o + V);
            FloatVector x2 = FloatVector.fromArray(SP, in, o + 2 * V);
            FloatVector x3 = FloatVector.fromArray(SP, in, o + 3 * V);
            FloatVector b = FloatVector.broadcast(SP, wt[wi]);
            a00 = x0.fma(b, a00); a01 = x1.fma(b, a01); a02 = x2.fma(b, a02); a03 = x3.fma(b, a03);
            b = FloatVector.broadcast(SP, wt[wi + crs]);
            a10 = x0.fma(b, a10); a11 = x1.fma(b, a11); a12 = x2.fma(b, a12); a13 = x3.fma(b, a13);
            b = FloatVector.broadcast(SP, wt[wi + 2 * crs]);
            a20 = x0.fma(b, a20); a21 = x1.fma(b, a21); a22 = x2.fma(b, a22); a23 = x3.fma(b, a23);
            b = FloatVector.broadcast(SP, wt[wi + 3 * crs]);
            a30 = x0.fma(b, a30); a31 = x1.fma(b, a31); a32 = x2.fma(b, a32); a33 = x3.fma(b, a33);
        }
        int o1 = o0 + outPlane, o2 = o1 + outPlane, o3 = o2 + outPlane;
        a00.intoArray(out, o0); a01.intoArray(out, o0 + V); a02.intoArray(out, o0 + 2 * V); a03.intoArray(out, o0 + 3 * V);
        a10.intoArray(out, o1); a11.intoArray(out, o1 + V); a12.intoArray(out, o1 + 2 * V); a13.intoArray(out, o1 + 3 * V);
        a20.intoArray(out, o2); a21.intoArray(out, o2 + V); a22.intoArray(out, o2 + 2 * V); a23.intoArray(out, o2 + 3 * V);
        a30.intoArray(out, o3); a31.intoArray(out, o3 + V); a32.intoArray(out, o3 + 2 * V); a33.intoArray(out, o3 + 3 * V);
    }

    /** One tile of corr for a single output channel (weights at wk): 4 vectors at in[i + offs[j]]. */
    private static void tile1(float[] out, int o, float[] in, int i, int[] offs, int crs, float[] wt, int wk) {
        FloatVector a0 = FloatVector.zero(SP), a1 = a0, a2 = a0, a3 = a0;
        for (int j = 0; j < crs; j++) {
            int x = i + offs[j];
            FloatVector b = FloatVector.broadcast(SP, wt[wk + j]);
            a0 = FloatVector.fromArray(SP, in, x).fma(b, a0);
            a1 = FloatVector.fromArray(SP, in, x + V).fma(b, a1);
            a2 = FloatVector.fromArray(SP, in, x + 2 * V).fma(b, a2);
            a3 = FloatVector.fromArray(SP, in, x + 3 * V).fma(b, a3);
        }
        a0.intoArray(out, o); a1.intoArray(out, o + V); a2.intoArray(out, o + 2 * V); a3.intoArray(out, o + 3 * V);
    }

    /**
     * Whether a forward of this geometry goes to {@link #corrRows}: one output map, a kernel of 3 or 5 rows, rows of
     * at most 2V floats, whole blocks of 4 output rows, and the last block's spill past its rows inside yw.
     */
    private static boolean singleMapRows(ConvGeometry g, Sizes z) {
        return g.K() == 1 && (g.R() == 3 || g.R() == 5) && z.wp <= 2 * V && g.P() % 4 == 0
                && (g.P() - 1) * z.wp + 2 * V <= z.lr;
    }

    /**
     * The forward correlation for a single output map (model A's 16→1 conv, C's last one) in blocks of 4 output rows
     * × 2 vectors: output row p + m takes input row p + t with kernel row r = t − m, so each input row loaded serves
     * up to 4 output rows, and per channel and kernel column the R weights stay in registers: 2(R + 3) loads and R
     * broadcasts for 8R fused multiply-adds, against 9 loads per 8 in tile1x2. Each output sums its taps in the
     * order (c, s, r). A block's columns run from 0 to 2V, past Wp into the next row when Wp &lt; 2V: those outputs
     * are computed twice, in the same order, so alike.
     */
    private static void corrRows(float[] yw, float[] xp, float[] w, ConvGeometry g, Sizes z) {
        if (g.R() == 5) corrRows5(yw, xp, w, g, z);
        else corrRows3(yw, xp, w, g, z);
    }

    /** corrRows for 5 kernel rows (one method per size, without a branch among the accumulators: the JIT keeps
     *  them in registers only then). */
    private static void corrRows5(float[] yw, float[] xp, float[] w, ConvGeometry g, Sizes z) {
        for (int p = 0; p < g.P(); p += 4) rowTile5(yw, p * z.wp, xp, w, g.C(), g.S(), z.hpwp, z.wp);
    }

    /** One block of corrRows5: output rows from flat index o; one flat loop over (c, s), as tile4. */
    private static void rowTile5(float[] yw, int o, float[] xp, float[] w, int C, int S, int hpwp, int wp) {
        final int R = 5;
        FloatVector a00 = FloatVector.zero(SP), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        for (int cs = 0; cs < C * S; cs++) {
            int c = cs / S, s = cs - c * S;
            int in = o + c * hpwp + s, wk = (c * R) * S + s;
            FloatVector b0 = FloatVector.broadcast(SP, w[wk]), b1 = FloatVector.broadcast(SP, w[wk + S]);
            FloatVector b2 = FloatVector.broadcast(SP, w[wk + 2 * S]), b3 = FloatVector.broadcast(SP, w[wk + 3 * S]);
            FloatVector b4 = FloatVector.broadcast(SP, w[wk + 4 * S]);
            FloatVector v0 = FloatVector.fromArray(SP, xp, in), v1 = FloatVector.fromArray(SP, xp, in + V);
            a00 = v0.fma(b0, a00); a01 = v1.fma(b0, a01);
            in += wp; v0 = FloatVector.fromArray(SP, xp, in); v1 = FloatVector.fromArray(SP, xp, in + V);
            a00 = v0.fma(b1, a00); a01 = v1.fma(b1, a01); a10 = v0.fma(b0, a10); a11 = v1.fma(b0, a11);
            in += wp; v0 = FloatVector.fromArray(SP, xp, in); v1 = FloatVector.fromArray(SP, xp, in + V);
            a00 = v0.fma(b2, a00); a01 = v1.fma(b2, a01); a10 = v0.fma(b1, a10); a11 = v1.fma(b1, a11);
            a20 = v0.fma(b0, a20); a21 = v1.fma(b0, a21);
            in += wp; v0 = FloatVector.fromArray(SP, xp, in); v1 = FloatVector.fromArray(SP, xp, in + V);
            a00 = v0.fma(b3, a00); a01 = v1.fma(b3, a01); a10 = v0.fma(b2, a10); a11 = v1.fma(b2, a11);
            a20 = v0.fma(b1, a20); a21 = v1.fma(b1, a21); a30 = v0.fma(b0, a30); a31 = v1.fma(b0, a31);
            in += wp; v0 = FloatVector.fromArray(SP, xp, in); v1 = FloatVector.fromArray(SP, xp, in + V);
            a00 = v0.fma(b4, a00); a01 = v1.fma(b4, a01); a10 = v0.fma(b3, a10); a11 = v1.fma(b3, a11);
            a20 = v0.fma(b2, a20); a21 = v1.fma(b2, a21); a30 = v0.fma(b1, a30); a31 = v1.fma(b1, a31);
            in += wp; v0 = FloatVector.fromArray(SP, xp, in); v1 = FloatVector.fromArray(SP, xp, in + V);
            a10 = v0.fma(b4, a10); a11 = v1.fma(b4, a11); a20 = v0.fma(b3, a20); a21 = v1.fma(b3, a21);
            a30 = v0.fma(b2, a30); a31 = v1.fma(b2, a31);
            in += wp; v0 = FloatVector.fromArray(SP, xp, in); v1 = FloatVector.fromArray(SP, xp, in + V);
            a20 = v0.fma(b4, a20); a21 = v1.fma(b4, a21); a30 = v0.fma(b3, a30); a31 = v1.fma(b3, a31);
            in += wp; v0 = FloatVector.fromArray(SP, xp, in); v1 = FloatVector.fromArray(SP, xp, in + V);
            a30 = v0.fma(b4, a30); a31 = v1.fma(b4, a31);
        }
        // rows in order, so a row's spill into the next is overwritten by that row's own (identical) values
        a00.intoArray(yw, o); a01.intoArray(yw, o + V);
        a10.intoArray(yw, o + wp); a11.intoArray(yw, o + wp + V);
        a20.intoArray(yw, o + 2 * wp); a21.intoArray(yw, o + 2 * wp + V);
        a30.intoArray(yw, o + 3 * wp); a31.intoArray(yw, o + 3 * wp + V);
    }

    /** corrRows for 3 kernel rows. */
    private static void corrRows3(float[] yw, float[] xp, float[] w, ConvGeometry g, Sizes z) {
        for (int p = 0; p < g.P(); p += 4) rowTile3(yw, p * z.wp, xp, w, g.C(), g.S(), z.hpwp, z.wp);
    }

    /** One block of corrRows3: output rows from flat index o; one flat loop over (c, s), as tile4. */
    private static void rowTile3(float[] yw, int o, float[] xp, float[] w, int C, int S, int hpwp, int wp) {
        final int R = 3;
        FloatVector a00 = FloatVector.zero(SP), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        for (int cs = 0; cs < C * S; cs++) {
            int c = cs / S, s = cs - c * S;
            int in = o + c * hpwp + s, wk = (c * R) * S + s;
            FloatVector b0 = FloatVector.broadcast(SP, w[wk]), b1 = FloatVector.broadcast(SP, w[wk + S]);
            FloatVector b2 = FloatVector.broadcast(SP, w[wk + 2 * S]);
            FloatVector v0 = FloatVector.fromArray(SP, xp, in), v1 = FloatVector.fromArray(SP, xp, in + V);
            a00 = v0.fma(b0, a00); a01 = v1.fma(b0, a01);
            in += wp; v0 = FloatVector.fromArray(SP, xp, in); v1 = FloatVector.fromArray(SP, xp, in + V);
            a00 = v0.fma(b1, a00); a01 = v1.fma(b1, a01); a10 = v0.fma(b0, a10); a11 = v1.fma(b0, a11);
            in += wp; v0 = FloatVector.fromArray(SP, xp, in); v1 = FloatVector.fromArray(SP, xp, in + V);
            a00 = v0.fma(b2, a00); a01 = v1.fma(b2, a01); a10 = v0.fma(b1, a10); a11 = v1.fma(b1, a11);
            a20 = v0.fma(b0, a20); a21 = v1.fma(b0, a21);
            in += wp; v0 = FloatVector.fromArray(SP, xp, in); v1 = FloatVector.fromArray(SP, xp, in + V);
            a10 = v0.fma(b2, a10); a11 = v1.fma(b2, a11); a20 = v0.fma(b1, a20); a21 = v1.fma(b1, a21);
            a30 = v0.fma(b0, a30); a31 = v1.fma(b0, a31);
            in += wp; v0 = FloatVector.fromArray(SP, xp, in); v1 = FloatVector.fromArray(SP, xp, in + V);
            a20 = v0.fma(b2, a20); a21 = v1.fma(b2, a21); a30 = v0.fma(b1, a30); a31 = v1.fma(b1, a31);
            in += wp; v0 = FloatVector.fromArray(SP, xp, in); v1 = FloatVector.fromArray(SP, xp, in + V);
            a30 = v0.fma(b2, a30); a31 = v1.fma(b2, a31);
        }
        // rows in order, so a row's spill into the next is overwritten by that row's own (identical) values
        a00.intoArray(yw, o); a01.intoArray(yw, o + V);
        a10.intoArray(yw, o + wp); a11.intoArray(yw, o + wp + V);
        a20.intoArray(yw, o + 2 * wp); a21.intoArray(yw, o + 2 * wp + V);
        a30.intoArray(yw, o + 3 * wp); a31.intoArray(yw, o + 3 * wp + V);
    }

    /**
     * The length {@link #gradRows} runs over for this geometry, or 0 when the weight gradient goes to corrGrad: one
     * output map, a square kernel of 3 or 5, and dyz and xp long enough for the widened range.
     */
    private static int gradRowsLength(ConvGeometry g, Sizes z, int ld) {
        int R = g.R();
        if (g.K() != 1 || R != g.S() || (R != 3 && R != 5)) return 0;
        int U = roundUp(ld + (R - 1) * z.wp, V);
        return U <= z.lx && (g.C() - 1) * z.hpwp + R - 1 + U <= z.xpSize ? U : 0;
    }

    /**
     * The weight gradient of a single output map (model A's 16→1 conv, C's last), R = S ∈ {3, 5}, with the rows of
     * dz shared: dw[c,r,s] = Σ_i dz[F + i]·xp[c·Hp·Wp + r·Wp + s + i] = Σ_u dz[F + u − r·Wp]·xp[c·Hp·Wp + s + u], u
     * over [0, U), U = len + (R−1)·Wp (rounded to V). The terms outside the first form's range meet the zeros of
     * dyz before F and after its rows, so they add nothing (but an infinite or NaN input pixel makes the gradient of
     * every weight that can reach it NaN, not only of those that do; the loss is then NaN anyway). Tiles of R taps
     * down × 4 (or 3) across: R + 4 loads for 4R fused multiply-adds, against 5 per 4 in dot4. The lanes of each sum
     * go into dwv as corrGrad's do. (No vector is passed to a helper method: one the JIT does not inline
     * gets boxed.)
     */
    private static void gradRows(float[] dwv, float[] dz, int F, float[] xp, int C, int R, int hpwp, int wp, int U) {
        for (int c = 0; c < C; c++) {
            int x0 = c * hpwp, w0 = c * R * R;
            if (R == 5) {
                gradRows5x4(dwv, dz, F, xp, x0, w0, wp, U);
                gradRows5x1(dwv, dz, F, xp, x0 + 4, w0 + 4, wp, U);
            } else {
                gradRows3x3(dwv, dz, F, xp, x0, w0, wp, U);
            }
        }
    }

    /** gradRows' tile for kernel rows 0..4 × columns 0..3 of one channel (xp from x0, weights from w0). */
    private static void gradRows5x4(float[] dwv, float[] dz, int F, float[] xp, int x0, int w0, int wp, int U) {
        FloatVector z = FloatVector.zero(SP);
        FloatVector s00 = z, s01 = z, s02 = z, s03 = z, s10 = z, s11 = z, s12 = z, s13 = z, s20 = z, s21 = z, s22 = z, s23 = z;
        FloatVector s30 = z, s31 = z, s32 = z, s33 = z, s40 = z, s41 = z, s42 = z, s43 = z;
        for (int u = 0; u < U; u += V) {
            int d = F + u;
            FloatVector x0v = FloatVector.fromArray(SP, xp, x0 + u), x1v = FloatVector.fromArray(SP, xp, x0 + u + 1);
            FloatVector x2v = FloatVector.fromArray(SP, xp, x0 + u + 2), x3v = FloatVector.fromArray(SP, xp, x0 + u + 3);
            FloatVector dv = FloatVector.fromArray(SP, dz, d);
            s00 = dv.fma(x0v, s00); s01 = dv.fma(x1v, s01); s02 = dv.fma(x2v, s02); s03 = dv.fma(x3v, s03);
            dv = FloatVector.fromArray(SP, dz, d - wp);
            s10 = dv.fma(x0v, s10); s11 = dv.fma(x1v, s11); s12 = dv.fma(x2v, s12); s13 = dv.fma(x3v, s13);
            dv = FloatVector.fromArray(SP, dz, d - 2 * wp);
            s20 = dv.fma(x0v, s20); s21 = dv.fma(x1v, s21); s22 = dv.fma(x2v, s22); s23 = dv.fma(x3v, s23);
            dv = FloatVector.fromArray(SP, dz, d - 3 * wp);
            s30 = dv.fma(x0v, s30); s31 = dv.fma(x1v, s31); s32 = dv.fma(x2v, s32); s33 = dv.fma(x3v, s33);
            dv = FloatVector.fromArray(SP, dz, d - 4 * wp);
            s40 = dv.fma(x0v, s40); s41 = dv.fma(x1v, s41); s42 = dv.fma(x2v, s42); s43 = dv.fma(x3v, s43);
        }
        s00.add(FloatVector.fromArray(SP, dwv, (w0) * V)).intoArray(dwv, w0 * V);
        s01.add(FloatVector.fromArray(SP, dwv, (w0 + 1) * V)).intoArray(dwv, (w0 + 1) * V);
        s02.add(FloatVector.fromArray(SP, dwv, (w0 + 2) * V)).intoArray(dwv, (w0 + 2) * V);
        s03.add(FloatVector.fromArray(SP, dwv, (w0 + 3) * V)).intoArray(dwv, (w0 + 3) * V);
        s10.add(FloatVector.fromArray(SP, dwv, (w0 + 5) * V)).intoArray(dwv, (w0 + 5) * V);
        s11.add(FloatVector.fromArray(SP, dwv, (w0 + 5 + 1) * V)).intoArray(dwv, (w0 + 5 + 1) * V);
        s12.add(FloatVector.fromArray(SP, dwv, (w0 + 5 + 2) * V)).intoArray(dwv, (w0 + 5 + 2) * V);
        s13.add(FloatVector.fromArray(SP, dwv, (w0 + 5 + 3) * V)).intoArray(dwv, (w0 + 5 + 3) * V);
        s20.add(FloatVector.fromArray(SP, dwv, (w0 + 10) * V)).intoArray(dwv, (w0 + 10) * V);
        s21.add(FloatVector.fromArray(SP, dwv, (w0 + 10 + 1) * V)).intoArray(dwv, (w0 + 10 + 1) * V);
        s22.add(FloatVector.fromArray(SP, dwv, (w0 + 10 + 2) * V)).intoArray(dwv, (w0 + 10 + 2) * V);
        s23.add(FloatVector.fromArray(SP, dwv, (w0 + 10 + 3) * V)).intoArray(dwv, (w0 + 10 + 3) * V);
        s30.add(FloatVector.fromArray(SP, dwv, (w0 + 15) * V)).intoArray(dwv, (w0 + 15) * V);
        s31.add(FloatVector.fromArray(SP, dwv, (w0 + 15 + 1) * V)).intoArray(dwv, (w0 + 15 + 1) * V);
        s32.add(FloatVector.fromArray(SP, dwv, (w0 + 15 + 2) * V)).intoArray(dwv, (w0 + 15 + 2) * V);
        s33.add(FloatVector.fromArray(SP, dwv, (w0 + 15 + 3) * V)).intoArray(dwv, (w0 + 15 + 3) * V);
        s40.add(FloatVector.fromArray(SP, dwv, (w0 + 20) * V)).intoArray(dwv, (w0 + 20) * V);
        s41.add(FloatVector.fromArray(SP, dwv, (w0 + 20 + 1) * V)).intoArray(dwv, (w0 + 20 + 1) * V);
        s42.add(FloatVector.fromArray(SP, dwv, (w0 + 20 + 2) * V)).intoArray(dwv, (w0 + 20 + 2) * V);
        s43.add(FloatVector.fromArray(SP, dwv, (w0 + 20 + 3) * V)).intoArray(dwv, (w0 + 20 + 3) * V);
    }

    /** gradRows' tile for kernel rows 0..4 of one column (xp from x0, weights w0, w0 + 5, …). */
    private static void gradRows5x1(float[] dwv, float[] dz, int F, float[] xp, int x0, int w0, int wp, int U) {
        FloatVector s0 = FloatVector.zero(SP), s1 = s0, s2 = s0, s3 = s0, s4 = s0;
        for (int u = 0; u < U; u += V) {
            int d = F + u;
            FloatVector xv = FloatVector.fromArray(SP, xp, x0 + u);
            s0 = FloatVector.fromArray(SP, dz, d).fma(xv, s0);
            s1 = FloatVector.fromArray(SP, dz, d - wp).fma(xv, s1);
            s2 = FloatVector.fromArray(SP, dz, d - 2 * wp).fma(xv, s2);
            s3 = FloatVector.fromArray(SP, dz, d - 3 * wp).fma(xv, s3);
            s4 = FloatVector.fromArray(SP, dz, d - 4 * wp).fma(xv, s4);
        }
        s0.add(FloatVector.fromArray(SP, dwv, (w0) * V)).intoArray(dwv, w0 * V);
        s1.add(FloatVector.fromArray(SP, dwv, (w0 + 5) * V)).intoArray(dwv, (w0 + 5) * V);
        s2.add(FloatVector.fromArray(SP, dwv, (w0 + 10) * V)).intoArray(dwv, (w0 + 10) * V);
        s3.add(FloatVector.fromArray(SP, dwv, (w0 + 15) * V)).intoArray(dwv, (w0 + 15) * V);
        s4.add(FloatVector.fromArray(SP, dwv, (w0 + 20) * V)).intoArray(dwv, (w0 + 20) * V);
    }

    /** gradRows' tile for a 3×3 kernel of one channel (xp from x0, weights from w0). */
    private static void gradRows3x3(float[] dwv, float[] dz, int F, float[] xp, int x0, int w0, int wp, int U) {
        FloatVector z = FloatVector.zero(SP);
        FloatVector s00 = z, s01 = z, s02 = z, s10 = z, s11 = z, s12 = z, s20 = z, s21 = z, s22 = z;
        for (int u = 0; u < U; u += V) {
            int d = F + u;
            FloatVector x0v = FloatVector.fromArray(SP, xp, x0 + u), x1v = FloatVector.fromArray(SP, xp, x0 + u + 1);
            FloatVector x2v = FloatVector.fromArray(SP, xp, x0 + u + 2);
            FloatVector dv = FloatVector.fromArray(SP, dz, d);
            s00 = dv.fma(x0v, s00); s01 = dv.fma(x1v, s01); s02 = dv.fma(x2v, s02);
            dv = FloatVector.fromArray(SP, dz, d - wp);
            s10 = dv.fma(x0v, s10); s11 = dv.fma(x1v, s11); s12 = dv.fma(x2v, s12);
            dv = FloatVector.fromArray(SP, dz, d - 2 * wp);
            s20 = dv.fma(x0v, s20); s21 = dv.fma(x1v, s21); s22 = dv.fma(x2v, s22);
        }
        s00.add(FloatVector.fromArray(SP, dwv, (w0) * V)).intoArray(dwv, w0 * V);
        s01.add(FloatVector.fromArray(SP, dwv, (w0 + 1) * V)).intoArray(dwv, (w0 + 1) * V);
        s02.add(FloatVector.fromArray(SP, dwv, (w0 + 2) * V)).intoArray(dwv, (w0 + 2) * V);
        s10.add(FloatVector.fromArray(SP, dwv, (w0 + 3) * V)).intoArray(dwv, (w0 + 3) * V);
        s11.add(FloatVector.fromArray(SP, dwv, (w0 + 4) * V)).intoArray(dwv, (w0 + 4) * V);
        s12.add(FloatVector.fromArray(SP, dwv, (w0 + 5) * V)).intoArray(dwv, (w0 + 5) * V);
        s20.add(FloatVector.fromArray(SP, dwv, (w0 + 6) * V)).intoArray(dwv, (w0 + 6) * V);
        s21.add(FloatVector.fromArray(SP, dwv, (w0 + 7) * V)).intoArray(dwv, (w0 + 7) * V);
        s22.add(FloatVector.fromArray(SP, dwv, (w0 + 8) * V)).intoArray(dwv, (w0 + 8) * V);
    }

    /**
     * Two tiles of tile1 side by side (8 vectors at in[i + offs[j]]): the same sums, in the same order, but 8 chains
     * of fused multiply-adds instead of 4, enough to cover their latency on two FMA units (model A's 16→1 conv).
     */
    private static void tile1x2(float[] out, int o, float[] in, int i, int[] offs, int crs, float[] wt, int wk) {
        FloatVector a0 = FloatVector.zero(SP), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (int j = 0; j < crs; j++) {
            int x = i + offs[j];
            FloatVector b = FloatVector.broadcast(SP, wt[wk + j]);
            a0 = FloatVector.fromArray(SP, in, x).fma(b, a0);
            a1 = FloatVector.fromArray(SP, in, x + V).fma(b, a1);
            a2 = FloatVector.fromArray(SP, in, x + 2 * V).fma(b, a2);
            a3 = FloatVector.fromArray(SP, in, x + 3 * V).fma(b, a3);
            a4 = FloatVector.fromArray(SP, in, x + 4 * V).fma(b, a4);
            a5 = FloatVector.fromArray(SP, in, x + 5 * V).fma(b, a5);
            a6 = FloatVector.fromArray(SP, in, x + 6 * V).fma(b, a6);
            a7 = FloatVector.fromArray(SP, in, x + 7 * V).fma(b, a7);
        }
        a0.intoArray(out, o); a1.intoArray(out, o + V); a2.intoArray(out, o + 2 * V); a3.intoArray(out, o + 3 * V);
        a4.intoArray(out, o + 4 * V); a5.intoArray(out, o + 5 * V); a6.intoArray(out, o + 6 * V); a7.intoArray(out, o + 7 * V);
    }

    /**
     * dwv[(k·crs + j)·V + lane] += lane sums of Σ_{i &lt; len} dz[k·zPlane + zOff + i] · xp[i + offs[j]], for k &lt; K
     * and each tap j &lt; crs (offs as in {@link #offsets}); len is a multiple of 2V. The V lanes of each weight's
     * sum stay apart across the images of a chunk and are added once per batch ({@link #reduceLanes}), so a small
     * map does not pay a 16-way reduction per image. Tiles of 4 filters × 4 taps keep 16 sums in registers and
     * load 8 vectors for 16 fused multiply-adds; the filters and taps left over go 4 filters × 1 tap (one shifted
     * x row shared) and 1 filter × 4 taps (one dy row shared), and the last few 1 × 1.
     */
    @Override
    public void corrGrad(float[] dwv, float[] dz, int zPlane, int zOff, int K, float[] xp, int[] offs, int crs, int len) {
        int k = 0;
        for (; k + 4 <= K; k += 4) {
            int z0 = k * zPlane + zOff, w0 = k * crs, j = 0;
            for (; j + 4 <= crs; j += 4) grad44(dz, z0, zPlane, xp, offs, j, len, dwv, w0 + j, crs);
            for (; j < crs; j++)
                dot4(xp, offs[j], dz, z0, z0 + zPlane, z0 + 2 * zPlane, z0 + 3 * zPlane, len,
                        dwv, w0 + j, w0 + crs + j, w0 + 2 * crs + j, w0 + 3 * crs + j);
        }
        for (; k < K; k++) {
            int z0 = k * zPlane + zOff, w0 = k * crs, j = 0;
            for (; j + 4 <= crs; j += 4)
                dot4(dz, z0, xp, offs[j], offs[j + 1], offs[j + 2], offs[j + 3], len,
                        dwv, w0 + j, w0 + j + 1, w0 + j + 2, w0 + j + 3);
            for (; j < crs; j++) dot1(xp, offs[j], dz, z0, len, dwv, w0 + j);
        }
    }

    /**
     * dwv[(w0 + m·crs + t)·V ..] += lanes of Σ_{i &lt; len} dz[z0 + m·zPlane + i] · xp[offs[j + t] + i] for m, t &lt; 4:
     * 4 filters × 4 taps; len a multiple of V.
     */
    private static void grad44(float[] dz, int z0, int zPlane, float[] xp, int[] offs, int j, int len, float[] dwv,
                               int w0, int crs) {
        int o0 = offs[j], o1 = offs[j + 1], o2 = offs[j + 2], o3 = offs[j + 3];
        int z1 = z0 + zPlane, z2 = z1 + zPlane, z3 = z2 + zPlane;
        FloatVector s00 = FloatVector.zero(SP), s01 = s00, s02 = s00, s03 = s00;
        FloatVector s10 = s00, s11 = s00, s12 = s00, s13 = s00;
        FloatVector s20 = s00, s21 = s00, s22 = s00, s23 = s00;
        FloatVector s30 = s00, s31 = s00, s32 = s00, s33 = s00;
        for (int i = 0; i < len; i += V) {
            FloatVector d0 = FloatVector.fromArray(SP, dz, z0 + i);
            FloatVector d1 = FloatVector.fromArray(SP, dz, z1 + i);
            FloatVector d2 = FloatVector.fromArray(SP, dz, z2 + i);
            FloatVector d3 = FloatVector.fromArray(SP, dz, z3 + i);
            FloatVector x = FloatVector.fromArray(SP, xp, o0 + i);
            s00 = d0.fma(x, s00); s10 = d1.fma(x, s10); s20 = d2.fma(x, s20); s30 = d3.fma(x, s30);
            x = FloatVector.fromArray(SP, xp, o1 + i);
            s01 = d0.fma(x, s01); s11 = d1.fma(x, s11); s21 = d2.fma(x, s21); s31 = d3.fma(x, s31);
            x = FloatVector.fromArray(SP, xp, o2 + i);
            s02 = d0.fma(x, s02); s12 = d1.fma(x, s12); s22 = d2.fma(x, s22); s32 = d3.fma(x, s32);
            x = FloatVector.fromArray(SP, xp, o3 + i);
            s03 = d0.fma(x, s03); s13 = d1.fma(x, s13); s23 = d2.fma(x, s23); s33 = d3.fma(x, s33);
        }
        int a = w0 * V, b = a + crs * V, c = b + crs * V, d = c + crs * V;
        s00.add(FloatVector.fromArray(SP, dwv, a)).intoArray(dwv, a);
        s01.add(FloatVector.fromArray(SP, dwv, a + V)).intoArray(dwv, a + V);
        s02.add(FloatVector.fromArray(SP, dwv, a + 2 * V)).intoArray(dwv, a + 2 * V);
        s03.add(FloatVector.fromArray(SP, dwv, a + 3 * V)).intoArray(dwv, a + 3 * V);
        s10.add(FloatVector.fromArray(SP, dwv, b)).intoArray(dwv, b);
        s11.add(FloatVector.fromArray(SP, dwv, b + V)).intoArray(dwv, b + V);
        s12.add(FloatVector.fromArray(SP, dwv, b + 2 * V)).intoArray(dwv, b + 2 * V);
        s13.add(FloatVector.fromArray(SP, dwv, b + 3 * V)).intoArray(dwv, b + 3 * V);
        s20.add(FloatVector.fromArray(SP, dwv, c)).intoArray(dwv, c);
        s21.add(FloatVector.fromArray(SP, dwv, c + V)).intoArray(dwv, c + V);
        s22.add(FloatVector.fromArray(SP, dwv, c + 2 * V)).intoArray(dwv, c + 2 * V);
        s23.add(FloatVector.fromArray(SP, dwv, c + 3 * V)).intoArray(dwv, c + 3 * V);
        s30.add(FloatVector.fromArray(SP, dwv, d)).intoArray(dwv, d);
        s31.add(FloatVector.fromArray(SP, dwv, d + V)).intoArray(dwv, d + V);
        s32.add(FloatVector.fromArray(SP, dwv, d + 2 * V)).intoArray(dwv, d + 2 * V);
        s33.add(FloatVector.fromArray(SP, dwv, d + 3 * V)).intoArray(dwv, d + 3 * V);
    }

    /** dwv[w_m·V ..] += lanes of Σ_{i &lt; len} a[ao + i] · b[b_m + i] for m = 0..3; len a multiple of 2V. */
    private static void dot4(float[] a, int ao, float[] b, int b0, int b1, int b2, int b3, int len,
                             float[] dwv, int w0, int w1, int w2, int w3) {
        FloatVector s00 = FloatVector.zero(SP), s01 = s00, s10 = s00, s11 = s00;
        FloatVector s20 = s00, s21 = s00, s30 = s00, s31 = s00;
        for (int i = 0; i < len; i += 2 * V) {
            FloatVector x0 = FloatVector.fromArray(SP, a, ao + i);
            FloatVector x1 = FloatVector.fromArray(SP, a, ao + i + V);
            s00 = FloatVector.fromArray(SP, b, b0 + i).fma(x0, s00);
            s01 = FloatVector.fromArray(SP, b, b0 + i + V).fma(x1, s01);
            s10 = FloatVector.fromArray(SP, b, b1 + i).fma(x0, s10);
            s11 = FloatVector.fromArray(SP, b, b1 + i + V).fma(x1, s11);
            s20 = FloatVector.fromArray(SP, b, b2 + i).fma(x0, s20);
            s21 = FloatVector.fromArray(SP, b, b2 + i + V).fma(x1, s21);
            s30 = FloatVector.fromArray(SP, b, b3 + i).fma(x0, s30);
            s31 = FloatVector.fromArray(SP, b, b3 + i + V).fma(x1, s31);
        }
        s00.add(s01).add(FloatVector.fromArray(SP, dwv, w0 * V)).intoArray(dwv, w0 * V);
        s10.add(s11).add(FloatVector.fromArray(SP, dwv, w1 * V)).intoArray(dwv, w1 * V);
        s20.add(s21).add(FloatVector.fromArray(SP, dwv, w2 * V)).intoArray(dwv, w2 * V);
        s30.add(s31).add(FloatVector.fromArray(SP, dwv, w3 * V)).intoArray(dwv, w3 * V);
    }

    /** dwv[w·V ..] += lanes of Σ_{i &lt; len} a[ao + i] · b[bo + i]; len a multiple of 2V. */
    private static void dot1(float[] a, int ao, float[] b, int bo, int len, float[] dwv, int w) {
        FloatVector s0 = FloatVector.zero(SP), s1 = s0;
        for (int i = 0; i < len; i += 2 * V) {
            s0 = FloatVector.fromArray(SP, a, ao + i).fma(FloatVector.fromArray(SP, b, bo + i), s0);
            s1 = FloatVector.fromArray(SP, a, ao + i + V).fma(FloatVector.fromArray(SP, b, bo + i + V), s1);
        }
        s0.add(s1).add(FloatVector.fromArray(SP, dwv, w * V)).intoArray(dwv, w * V);
    }

    /**
     * dw[w] += the V lanes of dwv[w·V ..] added in order 0, 1, … for w &lt; n: not {@code reduceLanes}, whose order
     * differs between the JIT's instruction and the interpreter's loop, which would make results depend on how
     * warm the JVM is.
     */
    @Override
    public void reduceLanes(float[] dw, float[] dwv, int n) {
        for (int w = 0; w < n; w++) {
            float s = 0f;
            for (int i = 0; i < V; i++) s += dwv[w * V + i];
            dw[w] += s;
        }
    }

    /** As {@link CorrKernels#gather}: V elements per gather instruction, the last n mod V one by one. */
    @Override
    public void gather(float[] dst, int dstOff, float[] src, int srcOff, int[] map, int n, float add) {
        int i = 0;
        for (; i + V <= n; i += V) FloatVector.fromArray(SP, src, srcOff, map, i).add(add).intoArray(dst, dstOff + i);
        for (; i < n; i++) dst[dstOff + i] = src[srcOff + map[i]] + add;
    }

    /** As {@link CorrKernels#scatter}: V elements per scatter instruction, the last n mod V one by one. */
    @Override
    public void scatter(float[] dst, int dstOff, int[] map, float[] src, int srcOff, int n) {
        int i = 0;
        for (; i + V <= n; i += V) FloatVector.fromArray(SP, src, srcOff + i).intoArray(dst, dstOff, map, i);
        for (; i < n; i++) dst[dstOff + map[i]] = src[srcOff + i];
    }

    private static int roundUp(int n, int m) { return (n + m - 1) / m * m; }

    /**
     * Rows of at least V floats as whole vectors, the last one of a row ending at its end (overlapping the one
     * before; it writes the same values again), with the bias added on the way: one pass instead of a copy and an
     * add, and no call per row (model C's first conv: 28 rows of 28 floats per map). Shorter rows as one vector
     * each, in order: the lanes past Q hold the next row's values until its own store puts them in their place, and
     * the last row's stray lanes land below limit (model B's 7×7 maps: one call of System.arraycopy per row of 7
     * floats and a separate bias pass took 6 % of a training step); rows whose vector would pass limit or the end
     * of yw one value at a time.
     */
    @Override
    public void crop(float[] y, int dst, int limit, float[] yw, int src, int P, int Q, int stride, float bk) {
        FloatVector b = FloatVector.broadcast(SP, bk);
        if (Q < V) {
            int p = 0;
            for (int s = src, d = dst; p < P && d + V <= limit && s + V <= yw.length; p++, s += stride, d += Q)
                FloatVector.fromArray(SP, yw, s).add(b).intoArray(y, d);
            if (p < P) Conv.crop(y, dst + p * Q, yw, src + p * stride, P - p, Q, stride, bk);
            return;
        }
        for (int p = 0; p < P; p++) {
            int s = src + p * stride, d = dst + p * Q;
            for (int i = 0; i < Q; i += V) {
                int at = Math.min(i, Q - V);
                FloatVector.fromArray(SP, yw, s + at).add(b).intoArray(y, d + at);
            }
        }
    }

    /**
     * Rows shorter than V as one vector each, its lanes past len zeroed, in order (a row's zeros that reach the next
     * row are overwritten by it); rows whose vector would pass limit, or read past src, by arraycopy. Longer rows
     * as {@link #copyRows}. Model B's 7×7 maps into the phase layout: a call of System.arraycopy per row of 7
     * floats took 5 % of a training step.
     */
    @Override
    public void widen(float[] src, int srcOff, float[] dst, int dstOff, int dstStride, int rows, int len, int limit) {
        if (len >= V || IOTA.length() != V) {
            copyRows(src, srcOff, len, dst, dstOff, dstStride, rows, len);
            return;
        }
        VectorMask<Float> keep = IOTA.compare(VectorOperators.LT, len).cast(SP);
        FloatVector zero = FloatVector.zero(SP);
        int r = 0;
        for (int s = srcOff, d = dstOff; r < rows && d + V <= limit && s + V <= src.length; r++, s += len, d += dstStride)
            zero.blend(FloatVector.fromArray(SP, src, s), keep).intoArray(dst, d);
        if (r < rows) Conv.copyRows(src, srcOff + r * len, len, dst, dstOff + r * dstStride, dstStride, rows - r, len);
    }

    /** Rows of at least V floats as whole vectors, as {@link #crop} without the bias; shorter rows by arraycopy. */
    @Override
    public void copyRows(float[] src, int srcOff, int srcStride, float[] dst, int dstOff, int dstStride, int rows,
                         int len) {
        if (len < V) {
            Conv.copyRows(src, srcOff, srcStride, dst, dstOff, dstStride, rows, len);
            return;
        }
        for (int r = 0; r < rows; r++) {
            int s = srcOff + r * srcStride, d = dstOff + r * dstStride;
            for (int i = 0; i < len; i += V) {
                int at = Math.min(i, len - V);
                FloatVector.fromArray(SP, src, s + at).intoArray(dst, d + at);
            }
        }
    }

    /**
     * Two vectors of the row at a time, split by {@link ElementwiseVector}'s even/odd shuffles into V values of each run; lanes past a
     * run's end are stored as zeros. One flat loop over the row's vectors.
     */
    @Override
    public boolean deinterleave(float[] dst, int e0, int o0, float[] src, int s, int n) {
        int ne = (n + 1) / 2, no = n / 2;
        if (IOTA.length() != V || (long) s + 2L * ((ne - 1) / V * V) + 2L * V > src.length) return false;
        FloatVector zero = FloatVector.zero(SP);
        for (int i = 0; i < ne; i += V) {
            FloatVector a = FloatVector.fromArray(SP, src, s + 2 * i), b = FloatVector.fromArray(SP, src, s + 2 * i + V);
            FloatVector even = evens(a, b), odd = odds(a, b);
            zero.blend(even, IOTA.compare(VectorOperators.LT, ne - i).cast(SP)).intoArray(dst, e0 + i);
            zero.blend(odd, IOTA.compare(VectorOperators.LT, no - i).cast(SP)).intoArray(dst, o0 + i);
        }
        return true;
    }

    @Override
    public int deinterleaveOverrun() { return V; }

    /**
     * As one {@link #deinterleave} per row, with the masks made once: rows of at most V floats (model B's 14×14
     * maps) take one vector and one shuffle per run, rows of up to 2V (its 28×28 images) two; longer rows go row by
     * row. The row-by-row calls took 6 to 8 % of model B's training step.
     */
    @Override
    public int deinterleaveRows(float[] dst, int base, int[] offs, int at, float[] src, int s, int rows, int n) {
        if (n > 2 * V || IOTA.length() != V) return CorrKernels.super.deinterleaveRows(dst, base, offs, at, src, s, rows, n);
        VectorMask<Float> even = IOTA.compare(VectorOperators.LT, (n + 1) / 2).cast(SP);
        VectorMask<Float> odd = IOTA.compare(VectorOperators.LT, n / 2).cast(SP);
        FloatVector zero = FloatVector.zero(SP);
        int h = 0;
        if (n <= V) {
            for (int r = s; h < rows && r + V <= src.length; h++, r += n) {
                FloatVector a = FloatVector.fromArray(SP, src, r);
                zero.blend(a.rearrange(EVEN), even).intoArray(dst, base + offs[at + 2 * h]);
                zero.blend(a.rearrange(ODD), odd).intoArray(dst, base + offs[at + 2 * h + 1]);
            }
        } else {
            for (int r = s; h < rows && r + 2 * V <= src.length; h++, r += n) {
                FloatVector a = FloatVector.fromArray(SP, src, r), b = FloatVector.fromArray(SP, src, r + V);
                FloatVector e = evens(a, b), o = odds(a, b);
                zero.blend(e, even).intoArray(dst, base + offs[at + 2 * h]);
                zero.blend(o, odd).intoArray(dst, base + offs[at + 2 * h + 1]);
            }
        }
        return h;
    }

    /**
     * V outputs at a time from V/2 values of each run, interleaved by {@link ElementwiseVector#zipLower}. One flat
     * loop; writes ⌈n/V⌉ whole vectors.
     */
    @Override
    public boolean interleave(float[] dst, int d, float[] src, int e0, int o0, int n, float add) {
        int half = V / 2, steps = (n + V - 1) / V;
        if (n <= 0 || (long) Math.max(e0, o0) + (long) (steps - 1) * half + V > src.length
                || (long) d + (long) steps * V > dst.length) return false;
        FloatVector b = FloatVector.broadcast(SP, add);
        for (int i = 0; i < steps; i++) {
            FloatVector e = FloatVector.fromArray(SP, src, e0 + i * half), o = FloatVector.fromArray(SP, src, o0 + i * half);
            zipLower(e, o).add(b).intoArray(dst, d + i * V);
        }
        return true;
    }

    @Override
    public int interleaveOverrun() { return V; }

    /**
     * As one {@link #interleave} per row, with the bias broadcast once: rows of at most 2V floats (model B's 14×14
     * and 28×28 maps) take one or two vectors each; longer rows go row by row.
     */
    @Override
    public int interleaveRows(float[] dst, int d, int limit, float[] src, int base, int[] offs, int at, int rows, int n,
                              float add) {
        if (n > 2 * V || n <= 0) return CorrKernels.super.interleaveRows(dst, d, limit, src, base, offs, at, rows, n, add);
        FloatVector b = FloatVector.broadcast(SP, add);
        int steps = (n + V - 1) / V, half = V / 2, h = 0;
        for (int o = d; h < rows && o + steps * V <= limit; h++, o += n) {
            int e0 = base + offs[at + 2 * h], o0 = base + offs[at + 2 * h + 1];
            if (Math.max(e0, o0) + (steps - 1) * half + V > src.length) break;
            for (int i = 0; i < steps; i++) {
                FloatVector e = FloatVector.fromArray(SP, src, e0 + i * half), od = FloatVector.fromArray(SP, src, o0 + i * half);
                zipLower(e, od).add(b).intoArray(dst, o + i * V);
            }
        }
        return h;
    }
}
