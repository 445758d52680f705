package org.cae4j.ops;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM on the incubating Vector API ({@code jdk.incubator.vector}); loaded by {@link Gemm} only when that module is
 * present. V floats per vector (the preferred species: 16 with AVX-512).
 *
 * <pre>
 * Large products, the blocked scheme of Goto and van de Geijn (ACM TOMS 34(3), 2008):
 *   for jc over N by NC:  for pc over K by KC:  pack B (kc, nc) into strips of NR = 3V columns
 *     for ic over M by MC:  pack op(A) (mc, kc) into panels of MR = 8 rows
 *       for each strip, for each panel:  C (8, 3V) [+]= Apanel (8, kc) · Bstrip (kc, 3V)
 *   The micro-kernel keeps the 8×3 tile of C in 24 vector registers; per k it loads 3 vectors of B,
 *   broadcasts 8 scalars of A and issues 24 fused multiply-adds.
 *   Partial tiles (M or N not a multiple of the tile) are computed into a scratch tile from zero-padded panels
 *   and added into C.
 * Skinny products skip what does not pay:
 *   nn, tn with M &lt; 8:          rows of C directly, C(i, j..j+4V) = Σ_p A(i,p) · B(p, j..j+4V), no packing;
 *   nn, tn with M ≤ PACK_B_MAX_M: B is read in place (only a ragged last strip is packed);
 *   nt with M &lt; 8 or N &lt; NR:    dot products of rows vectorised along K (tiles of 4×3 rows), no packing.
 * </pre>
 * Every sum runs in an order fixed by the shape alone (K blocks in turn, fused multiply-adds in k order, lane
 * sums of dot products in a fixed tree), so results are deterministic; they differ from the plain loops by
 * rounding only. Packing buffers are per thread and grow to the largest size asked for, so steady-state calls
 * allocate nothing.
 */
final class GemmVector implements GemmKernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int V = S.length();
    static final int MR = 8, NR = 3 * V;
    static final int KC = 192, MC = 240, NC = 3072;
    /** Up to this many rows of C, nn and tn read B in place instead of packing it. */
    static final int PACK_B_MAX_M = 32;

    /** Per-thread scratch: packed A block, packed B panel, one ragged B strip, a C tile, vector lanes. */
    private static final class Scratch {
        float[] a = new float[0], b = new float[0], strip = new float[0];
        final float[] tile = new float[MR * NR];
        final float[] lanes = new float[12 * V];

        float[] a(int n) { return a.length >= n ? a : (a = new float[n]); }
        float[] b(int n) { return b.length >= n ? b : (b = new float[n]); }
        float[] strip(int n) { return strip.length >= n ? strip : (strip = new float[n]); }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    @Override
    public String name() { return "vector"; }

    @Override
    public void nn(int M, int N, int K, float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                   float[] C, int cOff, int ldc, boolean accumulate) {
        if (M < MR) rows(M, N, K, A, aOff, lda, 1, B, bOff, ldb, C, cOff, ldc, accumulate);
        else blocked(false, false, M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
    }

    @Override
    public void nt(int M, int N, int K, float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                   float[] C, int cOff, int ldc, boolean accumulate) {
        if (M < MR || N < NR) dots(M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
        else blocked(false, true, M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
    }

    @Override
    public void tn(int M, int N, int K, float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                   float[] C, int cOff, int ldc, boolean accumulate) {
        if (M < MR) rows(M, N, K, A, aOff, 1, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
        else blocked(true, false, M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
    }

    /** Splits n into the fewest blocks of at most max, as equal as possible, rounded up to a multiple of unit. */
    private static int blockSize(int n, int max, int unit) {
        int blocks = (n + max - 1) / max;
        int size = (n + blocks - 1) / blocks;
        return Math.min(max, (size + unit - 1) / unit * unit);
    }

    /** C (M,N) [+]= op(A) · op(B) by packed panels; aTrans: A stored (K,M); bTrans: B stored (N,K). */
    private static void blocked(boolean aTrans, boolean bTrans, int M, int N, int K, float[] A, int aOff, int lda,
                                float[] B, int bOff, int ldb, float[] C, int cOff, int ldc, boolean accumulate) {
        Scratch s = SCRATCH.get();
        boolean packB = bTrans || M > PACK_B_MAX_M;
        int kb = blockSize(K, KC, 1), mb = blockSize(M, MC, MR), nb = blockSize(N, NC, NR);
        float[] ap = s.a(mb * kb);
        float[] bp = packB ? s.b(nb * kb) : null;
        float[] strip = packB ? null : s.strip(NR * kb);
        for (int jc = 0; jc < N; jc += nb) {
            int nc = Math.min(nb, N - jc);
            for (int pc = 0; pc < K; pc += kb) {
                int kc = Math.min(kb, K - pc);
                boolean load = accumulate || pc > 0;
                if (packB) {
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr), dst = jr * kc;
                        if (bTrans) packBt(bp, dst, B, bOff + (jc + jr) * ldb + pc, ldb, kc, nr);
                        else packB(bp, dst, B, bOff + pc * ldb + jc + jr, ldb, kc, nr);
                    }
                } else if (nc % NR != 0) {
                    int jr = nc - nc % NR;
                    packB(strip, 0, B, bOff + pc * ldb + jc + jr, ldb, kc, nc - jr);
                }
                for (int ic = 0; ic < M; ic += mb) {
                    int mc = Math.min(mb, M - ic);
                    for (int ir = 0; ir < mc; ir += MR) {
                        int mr = Math.min(MR, mc - ir), dst = ir * kc;
                        if (aTrans) packAt(ap, dst, A, aOff + pc * lda + ic + ir, lda, kc, mr);
                        else packA(ap, dst, A, aOff + (ic + ir) * lda + pc, lda, kc, mr);
                    }
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        float[] b;
                        int bo, bs;
                        if (packB) {
                            b = bp; bo = jr * kc; bs = NR;
                        } else if (nr == NR) {
                            b = B; bo = bOff + pc * ldb + jc + jr; bs = ldb;
                        } else {
                            b = strip; bo = 0; bs = NR;
                        }
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            int co = cOff + (ic + ir) * ldc + jc + jr;
                            if (mr == MR && nr == NR) {
                                kernel(kc, ap, ir * kc, b, bo, bs, C, co, ldc, load);
                            } else {
                                kernel(kc, ap, ir * kc, b, bo, bs, s.tile, 0, NR, false);
                                addTile(C, co, ldc, s.tile, mr, nr, load);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Panel (kc, 8) at dst, k-major: rows i &lt; mr of A (mr, kc) at src with row stride lda; rows ≥ mr zero. */
    private static void packA(float[] dst, int d, float[] A, int src, int lda, int kc, int mr) {
        for (int i = 0; i < MR; i++) {
            if (i < mr) {
                int a = src + i * lda;
                for (int p = 0; p < kc; p++) dst[d + p * MR + i] = A[a + p];
            } else {
                for (int p = 0; p < kc; p++) dst[d + p * MR + i] = 0f;
            }
        }
    }

    /** As packA, with A stored transposed: element (i, p) at src + p·lda + i. */
    private static void packAt(float[] dst, int d, float[] A, int src, int lda, int kc, int mr) {
        for (int p = 0; p < kc; p++) {
            int a = src + p * lda, o = d + p * MR;
            for (int i = 0; i < mr; i++) dst[o + i] = A[a + i];
            for (int i = mr; i < MR; i++) dst[o + i] = 0f;
        }
    }

    /** Strip (kc, NR) at dst: columns j &lt; nr of B (kc, nr) at src with row stride ldb; columns ≥ nr zero. */
    private static void packB(float[] dst, int d, float[] B, int src, int ldb, int kc, int nr) {
        for (int p = 0; p < kc; p++) {
            int o = d + p * NR;
            System.arraycopy(B, src + p * ldb, dst, o, nr);
            if (nr < NR) java.util.Arrays.fill(dst, o + nr, o + NR, 0f);
        }
    }

    /** As packB, with B stored transposed: element (p, j) at src + j·ldb + p. */
    private static void packBt(float[] dst, int d, float[] B, int src, int ldb, int kc, int nr) {
        for (int j = 0; j < NR; j++) {
            if (j < nr) {
                int b = src + j * ldb;
                for (int p = 0; p < kc; p++) dst[d + p * NR + j] = B[b + p];
            } else {
                for (int p = 0; p < kc; p++) dst[d + p * NR + j] = 0f;
            }
        }
    }

    /** C (mr, nr) at co = [C +] the first mr rows and nr columns of tile (8, NR). */
    private static void addTile(float[] C, int co, int ldc, float[] tile, int mr, int nr, boolean load) {
        for (int i = 0; i < mr; i++) {
            int c = co + i * ldc, t = i * NR;
            if (load) {
                for (int j = 0; j < nr; j++) C[c + j] += tile[t + j];
            } else {
                System.arraycopy(tile, t, C, c, nr);
            }
        }
    }

    /**
     * C (8, 3V) at co [+]= Ap (8, kc) · B (kc, 3V): Ap packed k-major at ao, B rows bs apart from bo. The 24
     * accumulators are C's tile; each k adds the outer product of 8 A scalars and 3 B vectors.
     */
    private static void kernel(int kc, float[] ap, int ao, float[] b, int bo, int bs,
                               float[] c, int co, int ldc, boolean load) {
        FloatVector c00, c01, c02, c10, c11, c12, c20, c21, c22, c30, c31, c32;
        FloatVector c40, c41, c42, c50, c51, c52, c60, c61, c62, c70, c71, c72;
        int r0 = co, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc, r6 = r5 + ldc, r7 = r6 + ldc;
        if (load) {
            c00 = FloatVector.fromArray(S, c, r0); c01 = FloatVector.fromArray(S, c, r0 + V); c02 = FloatVector.fromArray(S, c, r0 + 2 * V);
            c10 = FloatVector.fromArray(S, c, r1); c11 = FloatVector.fromArray(S, c, r1 + V); c12 = FloatVector.fromArray(S, c, r1 + 2 * V);
            c20 = FloatVector.fromArray(S, c, r2); c21 = FloatVector.fromArray(S, c, r2 + V); c22 = FloatVector.fromArray(S, c, r2 + 2 * V);
            c30 = FloatVector.fromArray(S, c, r3); c31 = FloatVector.fromArray(S, c, r3 + V); c32 = FloatVector.fromArray(S, c, r3 + 2 * V);
            c40 = FloatVector.fromArray(S, c, r4); c41 = FloatVector.fromArray(S, c, r4 + V); c42 = FloatVector.fromArray(S, c, r4 + 2 * V);
            c50 = FloatVector.fromArray(S, c, r5); c51 = FloatVector.fromArray(S, c, r5 + V); c52 = FloatVector.fromArray(S, c, r5 + 2 * V);
            c60 = FloatVector.fromArray(S, c, r6); c61 = FloatVector.fromArray(S, c, r6 + V); c62 = FloatVector.fromArray(S, c, r6 + 2 * V);
            c70 = FloatVector.fromArray(S, c, r7); c71 = FloatVector.fromArray(S, c, r7 + V); c72 = FloatVector.fromArray(S, c, r7 + 2 * V);
        } else {
            FloatVector z = FloatVector.zero(S);
            c00 = z; c01 = z; c02 = z; c10 = z; c11 = z; c12 = z; c20 = z; c21 = z; c22 = z; c30 = z; c31 = z; c32 = z;
            c40 = z; c41 = z; c42 = z; c50 = z; c51 = z; c52 = z; c60 = z; c61 = z; c62 = z; c70 = z; c71 = z; c72 = z;
        }
        for (int p = 0; p < kc; p++) {
            int bk = bo + p * bs, ak = ao + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bk);
            FloatVector b1 = FloatVector.fromArray(S, b, bk + V);
            FloatVector b2 = FloatVector.fromArray(S, b, bk + 2 * V);
            FloatVector a = FloatVector.broadcast(S, ap[ak]);
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01); c02 = a.fma(b2, c02);
            a = FloatVector.broadcast(S, ap[ak + 1]);
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11); c12 = a.fma(b2, c12);
            a = FloatVector.broadcast(S, ap[ak + 2]);
            c20 = a.fma(b0, c20); c21 = a.fma(b1, c21); c22 = a.fma(b2, c22);
            a = FloatVector.broadcast(S, ap[ak + 3]);
            c30 = a.fma(b0, c30); c31 = a.fma(b1, c31); c32 = a.fma(b2, c32);
            a = FloatVector.broadcast(S, ap[ak + 4]);
            c40 = a.fma(b0, c40); c41 = a.fma(b1, c41); c42 = a.fma(b2, c42);
            a = FloatVector.broadcast(S, ap[ak + 5]);
            c50 = a.fma(b0, c50); c51 = a.fma(b1, c51); c52 = a.fma(b2, c52);
            a = FloatVector.broadcast(S, ap[ak + 6]);
            c60 = a.fma(b0, c60); c61 = a.fma(b1, c61); c62 = a.fma(b2, c62);
            a = FloatVector.broadcast(S, ap[ak + 7]);
            c70 = a.fma(b0, c70); c71 = a.fma(b1, c71); c72 = a.fma(b2, c72);
        }
        c00.intoArray(c, r0); c01.intoArray(c, r0 + V); c02.intoArray(c, r0 + 2 * V);
        c10.intoArray(c, r1); c11.intoArray(c, r1 + V); c12.intoArray(c, r1 + 2 * V);
        c20.intoArray(c, r2); c21.intoArray(c, r2 + V); c22.intoArray(c, r2 + 2 * V);
        c30.intoArray(c, r3); c31.intoArray(c, r3 + V); c32.intoArray(c, r3 + 2 * V);
        c40.intoArray(c, r4); c41.intoArray(c, r4 + V); c42.intoArray(c, r4 + 2 * V);
        c50.intoArray(c, r5); c51.intoArray(c, r5 + V); c52.intoArray(c, r5 + 2 * V);
        c60.intoArray(c, r6); c61.intoArray(c, r6 + V); c62.intoArray(c, r6 + 2 * V);
        c70.intoArray(c, r7); c71.intoArray(c, r7 + V); c72.intoArray(c, r7 + 2 * V);
    }

    /**
     * C (M,N) [+]= op(A) · B for few rows, straight from the operands: A(i, p) at aOff + i·ars + p·acs, so
     * (ars, acs) = (lda, 1) for nn and (1, lda) for tn. Four vectors of a row of C at a time.
     */
    private static void rows(int M, int N, int K, float[] A, int aOff, int ars, int acs, float[] B, int bOff, int ldb,
                             float[] C, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < M; i++) {
            int ai = aOff + i * ars, ci = cOff + i * ldc;
            int j = 0;
            for (; j + 4 * V <= N; j += 4 * V) {
                int c = ci + j;
                FloatVector s0, s1, s2, s3;
                if (accumulate) {
                    s0 = FloatVector.fromArray(S, C, c); s1 = FloatVector.fromArray(S, C, c + V);
                    s2 = FloatVector.fromArray(S, C, c + 2 * V); s3 = FloatVector.fromArray(S, C, c + 3 * V);
                } else {
                    s0 = FloatVector.zero(S); s1 = s0; s2 = s0; s3 = s0;
                }
                for (int p = 0, a = ai, b = bOff + j; p < K; p++, a += acs, b += ldb) {
                    FloatVector av = FloatVector.broadcast(S, A[a]);
                    s0 = av.fma(FloatVector.fromArray(S, B, b), s0);
                    s1 = av.fma(FloatVector.fromArray(S, B, b + V), s1);
                    s2 = av.fma(FloatVector.fromArray(S, B, b + 2 * V), s2);
                    s3 = av.fma(FloatVector.fromArray(S, B, b + 3 * V), s3);
                }
                s0.intoArray(C, c); s1.intoArray(C, c + V); s2.intoArray(C, c + 2 * V); s3.intoArray(C, c + 3 * V);
            }
            for (; j + V <= N; j += V) {
                int c = ci + j;
                FloatVector s0 = accumulate ? FloatVector.fromArray(S, C, c) : FloatVector.zero(S);
                for (int p = 0, a = ai, b = bOff + j; p < K; p++, a += acs, b += ldb) {
                    s0 = FloatVector.broadcast(S, A[a]).fma(FloatVector.fromArray(S, B, b), s0);
                }
                s0.intoArray(C, c);
            }
            for (; j < N; j++) {
                // the same fused multiply-adds in the same order as one lane of the vector loops
                float s0 = accumulate ? C[ci + j] : 0f;
                for (int p = 0, a = ai, b = bOff + j; p < K; p++, a += acs, b += ldb) s0 = Math.fma(A[a], B[b], s0);
                C[ci + j] = s0;
            }
        }
    }

    /**
     * C (M,N) [+]= A (M,K) · Bᵀ as dot products of rows of A and rows of B (stored (N,K)), vectorised along K:
     * each vector accumulator holds V partial sums, added in a fixed tree at the end, then the K mod V tail.
     * Tiles of 4 rows of A by 3 rows of B; 4×1 and 1×4 tiles for the edges.
     */
    private static void dots(int M, int N, int K, float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                             float[] C, int cOff, int ldc, boolean accumulate) {
        float[] lanes = SCRATCH.get().lanes;
        int kv = K - K % V;
        int i = 0;
        for (; i + 4 <= M; i += 4) {
            int j = 0;
            for (; j + 3 <= N; j += 3) dot4x3(kv, K, A, aOff + i * lda, lda, B, bOff + j * ldb, ldb, C, cOff + i * ldc + j, ldc, accumulate, lanes);
            for (; j < N; j++) dot4x1(kv, K, A, aOff + i * lda, lda, B, bOff + j * ldb, C, cOff + i * ldc + j, ldc, accumulate, lanes);
        }
        for (; i < M; i++) {
            int j = 0;
            for (; j + 4 <= N; j += 4) dot1x4(kv, K, A, aOff + i * lda, B, bOff + j * ldb, ldb, C, cOff + i * ldc + j, accumulate, lanes);
            for (; j < N; j++) dot1x1(kv, K, A, aOff + i * lda, B, bOff + j * ldb, C, cOff + i * ldc + j, accumulate, lanes);
        }
    }

    private static void dot4x3(int kv, int K, float[] A, int a0, int lda, float[] B, int b0, int ldb,
                               float[] C, int c0, int ldc, boolean accumulate, float[] lanes) {
        int a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, b1 = b0 + ldb, b2 = b1 + ldb;
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s02 = s00, s10 = s00, s11 = s00, s12 = s00;
        FloatVector s20 = s00, s21 = s00, s22 = s00, s30 = s00, s31 = s00, s32 = s00;
        for (int p = 0; p < kv; p += V) {
            FloatVector x0 = FloatVector.fromArray(S, B, b0 + p);
            FloatVector x1 = FloatVector.fromArray(S, B, b1 + p);
            FloatVector x2 = FloatVector.fromArray(S, B, b2 + p);
            FloatVector a = FloatVector.fromArray(S, A, a0 + p);
            s00 = a.fma(x0, s00); s01 = a.fma(x1, s01); s02 = a.fma(x2, s02);
            a = FloatVector.fromArray(S, A, a1 + p);
            s10 = a.fma(x0, s10); s11 = a.fma(x1, s11); s12 = a.fma(x2, s12);
            a = FloatVector.fromArray(S, A, a2 + p);
            s20 = a.fma(x0, s20); s21 = a.fma(x1, s21); s22 = a.fma(x2, s22);
            a = FloatVector.fromArray(S, A, a3 + p);
            s30 = a.fma(x0, s30); s31 = a.fma(x1, s31); s32 = a.fma(x2, s32);
        }
        s00.intoArray(lanes, 0); s01.intoArray(lanes, V); s02.intoArray(lanes, 2 * V);
        s10.intoArray(lanes, 3 * V); s11.intoArray(lanes, 4 * V); s12.intoArray(lanes, 5 * V);
        s20.intoArray(lanes, 6 * V); s21.intoArray(lanes, 7 * V); s22.intoArray(lanes, 8 * V);
        s30.intoArray(lanes, 9 * V); s31.intoArray(lanes, 10 * V); s32.intoArray(lanes, 11 * V);
        for (int r = 0; r < 4; r++) {
            for (int q = 0; q < 3; q++) {
                store(C, c0 + r * ldc + q, finish(lanes, (r * 3 + q) * V, A, a0 + r * lda, B, b0 + q * ldb, kv, K), accumulate);
            }
        }
    }

    private static void dot4x1(int kv, int K, float[] A, int a0, int lda, float[] B, int b0,
                               float[] C, int c0, int ldc, boolean accumulate, float[] lanes) {
        int a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        for (int p = 0; p < kv; p += V) {
            FloatVector x = FloatVector.fromArray(S, B, b0 + p);
            s0 = FloatVector.fromArray(S, A, a0 + p).fma(x, s0);
            s1 = FloatVector.fromArray(S, A, a1 + p).fma(x, s1);
            s2 = FloatVector.fromArray(S, A, a2 + p).fma(x, s2);
            s3 = FloatVector.fromArray(S, A, a3 + p).fma(x, s3);
        }
        s0.intoArray(lanes, 0); s1.intoArray(lanes, V); s2.intoArray(lanes, 2 * V); s3.intoArray(lanes, 3 * V);
        for (int r = 0; r < 4; r++) store(C, c0 + r * ldc, finish(lanes, r * V, A, a0 + r * lda, B, b0, kv, K), accumulate);
    }

    private static void dot1x4(int kv, int K, float[] A, int a0, float[] B, int b0, int ldb,
                               float[] C, int c0, boolean accumulate, float[] lanes) {
        int b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        for (int p = 0; p < kv; p += V) {
            FloatVector a = FloatVector.fromArray(S, A, a0 + p);
            s0 = a.fma(FloatVector.fromArray(S, B, b0 + p), s0);
            s1 = a.fma(FloatVector.fromArray(S, B, b1 + p), s1);
            s2 = a.fma(FloatVector.fromArray(S, B, b2 + p), s2);
            s3 = a.fma(FloatVector.fromArray(S, B, b3 + p), s3);
        }
        s0.intoArray(lanes, 0); s1.intoArray(lanes, V); s2.intoArray(lanes, 2 * V); s3.intoArray(lanes, 3 * V);
        for (int q = 0; q < 4; q++) store(C, c0 + q, finish(lanes, q * V, A, a0, B, b0 + q * ldb, kv, K), accumulate);
    }

    private static void dot1x1(int kv, int K, float[] A, int a0, float[] B, int b0,
                               float[] C, int c0, boolean accumulate, float[] lanes) {
        FloatVector s0 = FloatVector.zero(S);
        for (int p = 0; p < kv; p += V) s0 = FloatVector.fromArray(S, A, a0 + p).fma(FloatVector.fromArray(S, B, b0 + p), s0);
        s0.intoArray(lanes, 0);
        store(C, c0, finish(lanes, 0, A, a0, B, b0, kv, K), accumulate);
    }

    /** The V partial sums at lanes[l..] added pairwise (in place), then the products for k in [kv, K) in order. */
    private static float finish(float[] lanes, int l, float[] A, int a, float[] B, int b, int kv, int K) {
        for (int w = V / 2; w >= 1; w /= 2) {
            for (int t = 0; t < w; t++) lanes[l + t] += lanes[l + t + w];
        }
        float s = lanes[l];
        for (int p = kv; p < K; p++) s = Math.fma(A[a + p], B[b + p], s);
        return s;
    }

    private static void store(float[] C, int c, float d, boolean accumulate) {
        C[c] = accumulate ? C[c] + d : d;
    }
}
