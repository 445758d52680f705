package org.cae4j.ops;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
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
 *   For nt, B stored (N,K) is packed transposed, whole blocks of 16 rows by 16 k by transposes in registers.
 *   A ragged last strip uses a kernel of 1 or 2 vectors when it is that narrow; partial tiles (M or N not a
 *   multiple of the tile) are computed into a scratch tile from zero-padded panels and added into C.
 * Skinny products skip what does not pay:
 *   nn, tn with M &lt; 8, and the last 1 to 3 rows beyond a multiple of 8: row by row, no packing, each sweep
 *                               along a row of C adding four rows of B;
 *   nn, tn with M ≤ PACK_B_MAX_M: B is read in place (only a ragged last strip is packed);
 *   nt with M &lt; 8, or N &lt; NR and K ≥ DOTS_MIN_K: dot products of rows vectorised along K (tiles of 4×3 rows),
 *                               no packing.
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
    /** Depth of one pass over a packed strip (the strip, kc·3V floats, stays in L1); rows; columns per block. */
    static final int KC = 192, MC = 240, NC = 3072;
    /** Up to this many rows of C, nn and tn read B in place instead of packing it. */
    static final int PACK_B_MAX_M = 32;
    /**
     * nt with fewer than NR columns of C: dot products from this depth K on, packed panels below it (at K = 64 the
     * lane sums of the dot products cost more than packing; at K = 784 less).
     */
    static final int DOTS_MIN_K = 256;

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
        if (isNarrow(M, N)) {
            narrow(M, N, K, A, aOff, lda, 1, B, bOff, ldb, C, cOff, ldc, accumulate);
            return;
        }
        int m = panelRows(M);
        if (m > 0) blocked(false, false, m, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
        if (m < M) rows(M - m, N, K, A, aOff + m * lda, lda, 1, B, bOff, ldb, C, cOff + m * ldc, ldc, accumulate);
    }

    @Override
    public void nt(int M, int N, int K, float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                   float[] C, int cOff, int ldc, boolean accumulate) {
        if (M < MR || N < NR && K >= DOTS_MIN_K) dots(M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
        else blocked(false, true, M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
    }

    @Override
    public void tn(int M, int N, int K, float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                   float[] C, int cOff, int ldc, boolean accumulate) {
        int m = panelRows(M);
        if (m > 0) blocked(true, false, m, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
        if (m < M) rows(M - m, N, K, A, aOff + m, 1, lda, B, bOff, ldb, C, cOff + m * ldc, ldc, accumulate);
    }

    /** C[at ..] [+]= the first n (1 ≤ n ≤ V) lanes of c: a whole vector when n = V, else through lanes. */
    private static void put(FloatVector c, int n, float[] C, int at, boolean accumulate, float[] lanes) {
        if (n == V) {
            (accumulate ? c.add(FloatVector.fromArray(S, C, at)) : c).intoArray(C, at);
            return;
        }
        c.intoArray(lanes, 0);
        for (int j = 0; j < n; j++) C[at + j] = accumulate ? C[at + j] + lanes[j] : lanes[j];
    }

    /** Whether nn and tn take {@link #narrow}: C at most 2V columns wide (and not fewer than MR rows). */
    private static boolean isNarrow(int M, int N) { return N <= 2 * V && M >= MR; }

    /**
     * C (M,N) [+]= A · B for C at most 2V columns wide, with A's element (i,k) at aOff + i·ars + k·acs (nn: ars =
     * lda, acs = 1; tn: ars = 1, acs = lda): four rows of C at a time in one or two vectors each, held in registers
     * over all of K; per k one or two vectors of B's row (the second reads on into the next row, lanes past N that are
     * never stored) and four broadcasts of A, both read in place. Packed panels cost more than the product here: a
     * 20-feature layer at batch 64 (model B's Linear(20->1568)) spent 168 of its 245 us backward on dx = nn(64, 20,
     * 1568) and dw = tn(1568, 20, 64), packing 100k floats of A each for 2 M multiply-adds. The k whose row of B
     * would be read past the end of B, and rows of C past a multiple of four, go by plain fused multiply-adds in
     * the same k order.
     */
    private static void narrow(int M, int N, int K, float[] A, int aOff, int ars, int acs, float[] B, int bOff, int ldb,
                               float[] C, int cOff, int ldc, boolean accumulate) {
        int vecs = N > V ? 2 : 1, kv = K;
        while (kv > 0 && (long) bOff + (long) (kv - 1) * ldb + (long) vecs * V > B.length) kv--;
        float[] lanes = SCRATCH.get().lanes;
        int m4 = M - M % 4;
        for (int i = 0; i < m4; i += 4) {
            int a0 = aOff + i * ars, a1 = a0 + ars, a2 = a1 + ars, a3 = a2 + ars;
            FloatVector c00 = FloatVector.zero(S), c10 = c00, c20 = c00, c30 = c00;
            FloatVector c01 = c00, c11 = c00, c21 = c00, c31 = c00;
            if (vecs == 1) {
                for (int k = 0, ak = 0, b = bOff; k < kv; k++, ak += acs, b += ldb) {
                    FloatVector b0 = FloatVector.fromArray(S, B, b);
                    c00 = FloatVector.broadcast(S, A[a0 + ak]).fma(b0, c00);
                    c10 = FloatVector.broadcast(S, A[a1 + ak]).fma(b0, c10);
                    c20 = FloatVector.broadcast(S, A[a2 + ak]).fma(b0, c20);
                    c30 = FloatVector.broadcast(S, A[a3 + ak]).fma(b0, c30);
                }
            } else {
                for (int k = 0, ak = 0, b = bOff; k < kv; k++, ak += acs, b += ldb) {
                    FloatVector b0 = FloatVector.fromArray(S, B, b), b1 = FloatVector.fromArray(S, B, b + V);
                    FloatVector x = FloatVector.broadcast(S, A[a0 + ak]);
                    c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
                    x = FloatVector.broadcast(S, A[a1 + ak]);
                    c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
                    x = FloatVector.broadcast(S, A[a2 + ak]);
                    c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
                    x = FloatVector.broadcast(S, A[a3 + ak]);
                    c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
                }
            }
            if (kv == K) {
                int n0 = Math.min(N, V), n1 = N - n0, c0 = cOff + i * ldc;
                put(c00, n0, C, c0, accumulate, lanes); put(c10, n0, C, c0 + ldc, accumulate, lanes);
                put(c20, n0, C, c0 + 2 * ldc, accumulate, lanes); put(c30, n0, C, c0 + 3 * ldc, accumulate, lanes);
                if (n1 > 0) {
                    put(c01, n1, C, c0 + V, accumulate, lanes); put(c11, n1, C, c0 + ldc + V, accumulate, lanes);
                    put(c21, n1, C, c0 + 2 * ldc + V, accumulate, lanes); put(c31, n1, C, c0 + 3 * ldc + V, accumulate, lanes);
                }
                continue;
            }
            c00.intoArray(lanes, 0); c01.intoArray(lanes, V);
            c10.intoArray(lanes, 2 * V); c11.intoArray(lanes, 3 * V);
            c20.intoArray(lanes, 4 * V); c21.intoArray(lanes, 5 * V);
            c30.intoArray(lanes, 6 * V); c31.intoArray(lanes, 7 * V);
            for (int r = 0; r < 4; r++) {
                int ar = aOff + (i + r) * ars, cr = cOff + (i + r) * ldc;
                for (int j = 0; j < N; j++) {
                    float v = lanes[r * 2 * V + j];
                    for (int k = kv; k < K; k++) v = Math.fma(A[ar + k * acs], B[bOff + k * ldb + j], v);
                    C[cr + j] = accumulate ? C[cr + j] + v : v;
                }
            }
        }
        if (m4 < M) rows(M - m4, N, K, A, aOff + m4 * ars, ars, acs, B, bOff, ldb, C, cOff + m4 * ldc, ldc, accumulate);
    }

    /**
     * Rows of C for the packed kernels in nn and tn: none below 8; otherwise all, except that 1 to 3 rows left
     * over beyond a multiple of 8 go row by row, which is cheaper than padding them to a panel of 8.
     */
    static int panelRows(int M) {
        if (M < MR) return 0;
        return M % MR < 4 ? M - M % MR : M;
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
                if (packB && bTrans) {
                    for (int jr = 0; jr < nc; jr += NR) {
                        packBt(bp, jr * kc, B, bOff + (jc + jr) * ldb + pc, ldb, kc, Math.min(NR, nc - jr));
                    }
                } else if (packB) {
                    packB(bp, 0, B, bOff + pc * ldb + jc, ldb, kc, nc);
                } else if (nc % NR != 0) {
                    int jr = nc - nc % NR;
                    packB(strip, 0, B, bOff + pc * ldb + jc + jr, ldb, kc, nc - jr);
                }
                for (int ic = 0; ic < M; ic += mb) {
                    int mc = Math.min(mb, M - ic);
                    if (aTrans) {
                        packAt(ap, A, aOff + pc * lda + ic, lda, kc, mc);
                    } else {
                        for (int ir = 0; ir < mc; ir += MR) {
                            packA(ap, ir * kc, A, aOff + (ic + ir) * lda + pc, lda, kc, Math.min(MR, mc - ir));
                        }
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
                            tile(kc, ap, ir * kc, b, bo, bs, C, cOff + (ic + ir) * ldc + jc + jr, ldc, load, mr, nr, s.tile);
                        }
                    }
                }
            }
        }
    }

    /** Panel (kc, 8) at dst, k-major: rows i &lt; mr of A (mr, kc) at src with row stride lda; rows ≥ mr zero. */
    private static void packA(float[] dst, int d, float[] A, int src, int lda, int kc, int mr) {
        if (mr == MR) {
            // k outer: eight row streams in, one contiguous stream out
            int a0 = src, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda, a6 = a5 + lda, a7 = a6 + lda;
            for (int p = 0; p < kc; p++) {
                int o = d + p * MR;
                dst[o] = A[a0 + p]; dst[o + 1] = A[a1 + p]; dst[o + 2] = A[a2 + p]; dst[o + 3] = A[a3 + p];
                dst[o + 4] = A[a4 + p]; dst[o + 5] = A[a5 + p]; dst[o + 6] = A[a6 + p]; dst[o + 7] = A[a7 + p];
            }
            return;
        }
        for (int p = 0; p < kc; p++) {
            int o = d + p * MR;
            for (int i = 0; i < mr; i++) dst[o + i] = A[src + i * lda + p];
            for (int i = mr; i < MR; i++) dst[o + i] = 0f;
        }
    }

    /**
     * The panels of op(A) (mc, kc) for A stored (kc, mc) at src with row stride lda: row p of A is read once,
     * left to right, and dealt out eight values per panel. Rows of the last panel beyond mc are zero.
     */
    private static void packAt(float[] dst, float[] A, int src, int lda, int kc, int mc) {
        int full = mc - mc % MR;
        for (int p = 0; p < kc; p++) {
            int a = src + p * lda, o = p * MR;
            for (int ir = 0; ir < full; ir += MR, o += MR * kc) System.arraycopy(A, a + ir, dst, o, MR);
            if (full < mc) {
                for (int i = 0; i < mc - full; i++) dst[o + i] = A[a + full + i];
                for (int i = mc - full; i < MR; i++) dst[o + i] = 0f;
            }
        }
    }

    /**
     * The strips (kc, NR) of B (kc, nc) at src with row stride ldb: row p is read once, left to right, and dealt
     * out NR values per strip. Columns of the last strip beyond nc are zero.
     */
    private static void packB(float[] dst, int d, float[] B, int src, int ldb, int kc, int nc) {
        int full = nc - nc % NR;
        for (int p = 0; p < kc; p++) {
            int b = src + p * ldb, o = d + p * NR;
            for (int jr = 0; jr < full; jr += NR, o += NR * kc) {
                FloatVector.fromArray(S, B, b + jr).intoArray(dst, o);
                FloatVector.fromArray(S, B, b + jr + V).intoArray(dst, o + V);
                FloatVector.fromArray(S, B, b + jr + 2 * V).intoArray(dst, o + 2 * V);
            }
            if (full < nc) {
                System.arraycopy(B, b + full, dst, o, nc - full);
                java.util.Arrays.fill(dst, o + nc - full, o + NR, 0f);
            }
        }
    }

    /**
     * Strip (kc, NR) at dst of Bᵀ, B stored (nr, kc) at src with row stride ldb; columns ≥ nr zero. With V = 16,
     * whole blocks of 16 rows by 16 k are transposed in registers ({@link #transposeBlocks}); the rest, and every
     * other V, goes value by value.
     */
    private static void packBt(float[] dst, int d, float[] B, int src, int ldb, int kc, int nr) {
        int jt = V == 16 ? nr - nr % 16 : 0, kt = kc - kc % 16;
        if (jt > 0 && kt > 0) transposeBlocks(dst, d, B, src, ldb, kt / 16, jt / 16);
        for (int j = 0; j < jt; j++) {
            for (int p = kt; p < kc; p++) dst[d + p * NR + j] = B[src + j * ldb + p];
        }
        int j = jt;
        for (; j + 8 <= nr; j += 8) {
            // k outer: eight row streams in, eight adjacent values out
            int b0 = src + j * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb, b4 = b3 + ldb, b5 = b4 + ldb, b6 = b5 + ldb, b7 = b6 + ldb;
            for (int p = 0; p < kc; p++) {
                int o = d + p * NR + j;
                dst[o] = B[b0 + p]; dst[o + 1] = B[b1 + p]; dst[o + 2] = B[b2 + p]; dst[o + 3] = B[b3 + p];
                dst[o + 4] = B[b4 + p]; dst[o + 5] = B[b5 + p]; dst[o + 6] = B[b6 + p]; dst[o + 7] = B[b7 + p];
            }
        }
        for (int p = 0; p < kc; p++) {
            int o = d + p * NR;
            for (int jj = j; jj < nr; jj++) dst[o + jj] = B[src + jj * ldb + p];
            for (int jj = Math.max(j, nr); jj < NR; jj++) dst[o + jj] = 0f;
        }
    }

    /*
     * A 16×16 transpose in four stages (V = 16). Row r of the block is a vector whose lane l holds element (r, l);
     * the stage of distance b pairs rows r and r + b (bit b of r clear) and swaps the lanes where bit b of the lane
     * differs from bit b of the row: row r takes lanes l with bit b set from row r + b (lane l - b), row r + b
     * takes lanes with bit b clear from row r (lane l + b). After the stages for b = 8, 4, 2, 1 lane l of row r
     * holds element (l, r).
     */
    private static final VectorShuffle<Float> UP8 = lanesFrom(-8), DOWN8 = lanesFrom(8), UP4 = lanesFrom(-4), DOWN4 = lanesFrom(4);
    private static final VectorShuffle<Float> UP2 = lanesFrom(-2), DOWN2 = lanesFrom(2), UP1 = lanesFrom(-1), DOWN1 = lanesFrom(1);
    private static final VectorMask<Float> SET8 = laneBit(8), SET4 = laneBit(4), SET2 = laneBit(2), SET1 = laneBit(1);
    private static final VectorMask<Float> CLEAR8 = SET8.not(), CLEAR4 = SET4.not(), CLEAR2 = SET2.not(), CLEAR1 = SET1.not();

    /** The shuffle whose lane l takes lane l + shift (mod V). */
    private static VectorShuffle<Float> lanesFrom(int shift) {
        int[] from = new int[V];
        for (int l = 0; l < V; l++) from[l] = Math.floorMod(l + shift, V);
        return VectorShuffle.fromValues(S, from);
    }

    /** The lanes l with bit b set (b = 1, 2, 4, 8). */
    private static VectorMask<Float> laneBit(int b) {
        boolean[] set = new boolean[V];
        for (int l = 0; l < V; l++) set[l] = (l & b) != 0;
        return VectorMask.fromArray(S, set, 0);
    }

    /**
     * Blocks (16, 16) of B (16·jBlocks rows, 16·kBlocks k) at src, row stride ldb, transposed into dst (k, NR) at d:
     * dst[d + p·NR + j] = B[src + j·ldb + p]. V must be 16. One flat loop over the blocks, k block by k block.
     */
    private static void transposeBlocks(float[] dst, int d, float[] B, int src, int ldb, int kBlocks, int jBlocks) {
        int blocks = kBlocks * jBlocks;
        for (int q = 0; q < blocks; q++) {
            int jb = q % jBlocks, p = q / jBlocks * 16;
            int b = src + jb * 16 * ldb + p, o = d + p * NR + jb * 16;
            FloatVector r0 = FloatVector.fromArray(S, B, b), r1 = FloatVector.fromArray(S, B, b + ldb);
            FloatVector r2 = FloatVector.fromArray(S, B, b + 2 * ldb), r3 = FloatVector.fromArray(S, B, b + 3 * ldb);
            FloatVector r4 = FloatVector.fromArray(S, B, b + 4 * ldb), r5 = FloatVector.fromArray(S, B, b + 5 * ldb);
            FloatVector r6 = FloatVector.fromArray(S, B, b + 6 * ldb), r7 = FloatVector.fromArray(S, B, b + 7 * ldb);
            FloatVector r8 = FloatVector.fromArray(S, B, b + 8 * ldb), r9 = FloatVector.fromArray(S, B, b + 9 * ldb);
            FloatVector r10 = FloatVector.fromArray(S, B, b + 10 * ldb), r11 = FloatVector.fromArray(S, B, b + 11 * ldb);
            FloatVector r12 = FloatVector.fromArray(S, B, b + 12 * ldb), r13 = FloatVector.fromArray(S, B, b + 13 * ldb);
            FloatVector r14 = FloatVector.fromArray(S, B, b + 14 * ldb), r15 = FloatVector.fromArray(S, B, b + 15 * ldb);
            FloatVector t;
            t = r0.blend(r8.rearrange(UP8), SET8); r8 = r8.blend(r0.rearrange(DOWN8), CLEAR8); r0 = t;
            t = r1.blend(r9.rearrange(UP8), SET8); r9 = r9.blend(r1.rearrange(DOWN8), CLEAR8); r1 = t;
            t = r2.blend(r10.rearrange(UP8), SET8); r10 = r10.blend(r2.rearrange(DOWN8), CLEAR8); r2 = t;
            t = r3.blend(r11.rearrange(UP8), SET8); r11 = r11.blend(r3.rearrange(DOWN8), CLEAR8); r3 = t;
            t = r4.blend(r12.rearrange(UP8), SET8); r12 = r12.blend(r4.rearrange(DOWN8), CLEAR8); r4 = t;
            t = r5.blend(r13.rearrange(UP8), SET8); r13 = r13.blend(r5.rearrange(DOWN8), CLEAR8); r5 = t;
            t = r6.blend(r14.rearrange(UP8), SET8); r14 = r14.blend(r6.rearrange(DOWN8), CLEAR8); r6 = t;
            t = r7.blend(r15.rearrange(UP8), SET8); r15 = r15.blend(r7.rearrange(DOWN8), CLEAR8); r7 = t;
            t = r0.blend(r4.rearrange(UP4), SET4); r4 = r4.blend(r0.rearrange(DOWN4), CLEAR4); r0 = t;
            t = r1.blend(r5.rearrange(UP4), SET4); r5 = r5.blend(r1.rearrange(DOWN4), CLEAR4); r1 = t;
            t = r2.blend(r6.rearrange(UP4), SET4); r6 = r6.blend(r2.rearrange(DOWN4), CLEAR4); r2 = t;
            t = r3.blend(r7.rearrange(UP4), SET4); r7 = r7.blend(r3.rearrange(DOWN4), CLEAR4); r3 = t;
            t = r8.blend(r12.rearrange(UP4), SET4); r12 = r12.blend(r8.rearrange(DOWN4), CLEAR4); r8 = t;
            t = r9.blend(r13.rearrange(UP4), SET4); r13 = r13.blend(r9.rearrange(DOWN4), CLEAR4); r9 = t;
            t = r10.blend(r14.rearrange(UP4), SET4); r14 = r14.blend(r10.rearrange(DOWN4), CLEAR4); r10 = t;
            t = r11.blend(r15.rearrange(UP4), SET4); r15 = r15.blend(r11.rearrange(DOWN4), CLEAR4); r11 = t;
            t = r0.blend(r2.rearrange(UP2), SET2); r2 = r2.blend(r0.rearrange(DOWN2), CLEAR2); r0 = t;
            t = r1.blend(r3.rearrange(UP2), SET2); r3 = r3.blend(r1.rearrange(DOWN2), CLEAR2); r1 = t;
            t = r4.blend(r6.rearrange(UP2), SET2); r6 = r6.blend(r4.rearrange(DOWN2), CLEAR2); r4 = t;
            t = r5.blend(r7.rearrange(UP2), SET2); r7 = r7.blend(r5.rearrange(DOWN2), CLEAR2); r5 = t;
            t = r8.blend(r10.rearrange(UP2), SET2); r10 = r10.blend(r8.rearrange(DOWN2), CLEAR2); r8 = t;
            t = r9.blend(r11.rearrange(UP2), SET2); r11 = r11.blend(r9.rearrange(DOWN2), CLEAR2); r9 = t;
            t = r12.blend(r14.rearrange(UP2), SET2); r14 = r14.blend(r12.rearrange(DOWN2), CLEAR2); r12 = t;
            t = r13.blend(r15.rearrange(UP2), SET2); r15 = r15.blend(r13.rearrange(DOWN2), CLEAR2); r13 = t;
            t = r0.blend(r1.rearrange(UP1), SET1); r1 = r1.blend(r0.rearrange(DOWN1), CLEAR1); r0 = t;
            t = r2.blend(r3.rearrange(UP1), SET1); r3 = r3.blend(r2.rearrange(DOWN1), CLEAR1); r2 = t;
            t = r4.blend(r5.rearrange(UP1), SET1); r5 = r5.blend(r4.rearrange(DOWN1), CLEAR1); r4 = t;
            t = r6.blend(r7.rearrange(UP1), SET1); r7 = r7.blend(r6.rearrange(DOWN1), CLEAR1); r6 = t;
            t = r8.blend(r9.rearrange(UP1), SET1); r9 = r9.blend(r8.rearrange(DOWN1), CLEAR1); r8 = t;
            t = r10.blend(r11.rearrange(UP1), SET1); r11 = r11.blend(r10.rearrange(DOWN1), CLEAR1); r10 = t;
            t = r12.blend(r13.rearrange(UP1), SET1); r13 = r13.blend(r12.rearrange(DOWN1), CLEAR1); r12 = t;
            t = r14.blend(r15.rearrange(UP1), SET1); r15 = r15.blend(r14.rearrange(DOWN1), CLEAR1); r14 = t;
            r0.intoArray(dst, o); r1.intoArray(dst, o + NR); r2.intoArray(dst, o + 2 * NR); r3.intoArray(dst, o + 3 * NR);
            r4.intoArray(dst, o + 4 * NR); r5.intoArray(dst, o + 5 * NR); r6.intoArray(dst, o + 6 * NR); r7.intoArray(dst, o + 7 * NR);
            r8.intoArray(dst, o + 8 * NR); r9.intoArray(dst, o + 9 * NR); r10.intoArray(dst, o + 10 * NR); r11.intoArray(dst, o + 11 * NR);
            r12.intoArray(dst, o + 12 * NR); r13.intoArray(dst, o + 13 * NR); r14.intoArray(dst, o + 14 * NR); r15.intoArray(dst, o + 15 * NR);
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
     * C (mr, nr) at co [+]= Ap (8, kc) · B (kc, nr), mr ≤ 8, nr ≤ 3V: with the kernel of ⌈nr/V⌉ vectors, straight
     * into C when the tile is whole, else into the scratch tile t, then added into C.
     */
    private static void tile(int kc, float[] ap, int ao, float[] b, int bo, int bs, float[] C, int co, int ldc,
                             boolean load, int mr, int nr, float[] t) {
        int nv = (nr + V - 1) / V;
        boolean whole = mr == MR && nr == nv * V;
        float[] c = whole ? C : t;
        int o = whole ? co : 0, ld = whole ? ldc : NR;
        boolean l = whole && load;
        if (nv == 3) kernel(kc, ap, ao, b, bo, bs, c, o, ld, l);
        else if (nv == 2) kernel2(kc, ap, ao, b, bo, bs, c, o, ld, l);
        else kernel1(kc, ap, ao, b, bo, bs, c, o, ld, l);
        if (!whole) addTile(C, co, ldc, t, mr, nr, load);
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

    /** As kernel, for a tile of 8 rows and 2 vectors. */
    private static void kernel2(int kc, float[] ap, int ao, float[] b, int bo, int bs,
                                float[] c, int co, int ldc, boolean load) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
        int r0 = co, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc, r6 = r5 + ldc, r7 = r6 + ldc;
        if (load) {
            c00 = FloatVector.fromArray(S, c, r0); c01 = FloatVector.fromArray(S, c, r0 + V);
            c10 = FloatVector.fromArray(S, c, r1); c11 = FloatVector.fromArray(S, c, r1 + V);
            c20 = FloatVector.fromArray(S, c, r2); c21 = FloatVector.fromArray(S, c, r2 + V);
            c30 = FloatVector.fromArray(S, c, r3); c31 = FloatVector.fromArray(S, c, r3 + V);
            c40 = FloatVector.fromArray(S, c, r4); c41 = FloatVector.fromArray(S, c, r4 + V);
            c50 = FloatVector.fromArray(S, c, r5); c51 = FloatVector.fromArray(S, c, r5 + V);
            c60 = FloatVector.fromArray(S, c, r6); c61 = FloatVector.fromArray(S, c, r6 + V);
            c70 = FloatVector.fromArray(S, c, r7); c71 = FloatVector.fromArray(S, c, r7 + V);
        } else {
            FloatVector z = FloatVector.zero(S);
            c00 = z; c01 = z; c10 = z; c11 = z; c20 = z; c21 = z; c30 = z; c31 = z;
            c40 = z; c41 = z; c50 = z; c51 = z; c60 = z; c61 = z; c70 = z; c71 = z;
        }
        for (int p = 0; p < kc; p++) {
            int bk = bo + p * bs, ak = ao + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bk), b1 = FloatVector.fromArray(S, b, bk + V);
            FloatVector a = FloatVector.broadcast(S, ap[ak]);
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ak + 1]);
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ak + 2]);
            c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ak + 3]);
            c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ak + 4]);
            c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[ak + 5]);
            c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, ap[ak + 6]);
            c60 = a.fma(b0, c60); c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, ap[ak + 7]);
            c70 = a.fma(b0, c70); c71 = a.fma(b1, c71);
        }
        c00.intoArray(c, r0); c01.intoArray(c, r0 + V); c10.intoArray(c, r1); c11.intoArray(c, r1 + V);
        c20.intoArray(c, r2); c21.intoArray(c, r2 + V); c30.intoArray(c, r3); c31.intoArray(c, r3 + V);
        c40.intoArray(c, r4); c41.intoArray(c, r4 + V); c50.intoArray(c, r5); c51.intoArray(c, r5 + V);
        c60.intoArray(c, r6); c61.intoArray(c, r6 + V); c70.intoArray(c, r7); c71.intoArray(c, r7 + V);
    }

    /** As kernel, for a tile of 8 rows and 1 vector. */
    private static void kernel1(int kc, float[] ap, int ao, float[] b, int bo, int bs,
                                float[] c, int co, int ldc, boolean load) {
        FloatVector c0, c1, c2, c3, c4, c5, c6, c7;
        int r0 = co, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc, r6 = r5 + ldc, r7 = r6 + ldc;
        if (load) {
            c0 = FloatVector.fromArray(S, c, r0); c1 = FloatVector.fromArray(S, c, r1);
            c2 = FloatVector.fromArray(S, c, r2); c3 = FloatVector.fromArray(S, c, r3);
            c4 = FloatVector.fromArray(S, c, r4); c5 = FloatVector.fromArray(S, c, r5);
            c6 = FloatVector.fromArray(S, c, r6); c7 = FloatVector.fromArray(S, c, r7);
        } else {
            c0 = FloatVector.zero(S); c1 = c0; c2 = c0; c3 = c0; c4 = c0; c5 = c0; c6 = c0; c7 = c0;
        }
        for (int p = 0; p < kc; p++) {
            int ak = ao + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bo + p * bs);
            c0 = FloatVector.broadcast(S, ap[ak]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, ap[ak + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, ap[ak + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, ap[ak + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, ap[ak + 4]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, ap[ak + 5]).fma(b0, c5);
            c6 = FloatVector.broadcast(S, ap[ak + 6]).fma(b0, c6);
            c7 = FloatVector.broadcast(S, ap[ak + 7]).fma(b0, c7);
        }
        c0.intoArray(c, r0); c1.intoArray(c, r1); c2.intoArray(c, r2); c3.intoArray(c, r3);
        c4.intoArray(c, r4); c5.intoArray(c, r5); c6.intoArray(c, r6); c7.intoArray(c, r7);
    }

    /**
     * C (M,N) [+]= op(A) · B for few rows, straight from the operands: A(i, p) at aOff + i·ars + p·acs, so
     * (ars, acs) = (lda, 1) for nn and (1, lda) for tn. Each sweep along a row of C (which stays in L1) adds four
     * rows of B, read left to right: C(i,j) = (…((C(i,j) + A(i,0)·B(0,j)) + A(i,1)·B(1,j)) …), fused, in k order.
     */
    private static void rows(int M, int N, int K, float[] A, int aOff, int ars, int acs, float[] B, int bOff, int ldb,
                             float[] C, int cOff, int ldc, boolean accumulate) {
        int nv = N - N % V;
        for (int i = 0; i < M; i++) {
            int ai = aOff + i * ars, ci = cOff + i * ldc;
            if (!accumulate) java.util.Arrays.fill(C, ci, ci + N, 0f);
            int p = 0;
            for (; p + 4 <= K; p += 4) {
                int a = ai + p * acs, b0 = bOff + p * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
                float x0 = A[a], x1 = A[a + acs], x2 = A[a + 2 * acs], x3 = A[a + 3 * acs];
                FloatVector a0 = FloatVector.broadcast(S, x0), a1 = FloatVector.broadcast(S, x1);
                FloatVector a2 = FloatVector.broadcast(S, x2), a3 = FloatVector.broadcast(S, x3);
                for (int j = 0; j < nv; j += V) {
                    FloatVector c = FloatVector.fromArray(S, C, ci + j);
                    c = a0.fma(FloatVector.fromArray(S, B, b0 + j), c);
                    c = a1.fma(FloatVector.fromArray(S, B, b1 + j), c);
                    c = a2.fma(FloatVector.fromArray(S, B, b2 + j), c);
                    c = a3.fma(FloatVector.fromArray(S, B, b3 + j), c);
                    c.intoArray(C, ci + j);
                }
                for (int j = nv; j < N; j++) {
                    float c = Math.fma(x0, B[b0 + j], C[ci + j]);
                    c = Math.fma(x1, B[b1 + j], c);
                    c = Math.fma(x2, B[b2 + j], c);
                    C[ci + j] = Math.fma(x3, B[b3 + j], c);
                }
            }
            for (; p < K; p++) {
                int b0 = bOff + p * ldb;
                float x0 = A[ai + p * acs];
                FloatVector a0 = FloatVector.broadcast(S, x0);
                for (int j = 0; j < nv; j += V) {
                    a0.fma(FloatVector.fromArray(S, B, b0 + j), FloatVector.fromArray(S, C, ci + j)).intoArray(C, ci + j);
                }
                for (int j = nv; j < N; j++) C[ci + j] = Math.fma(x0, B[b0 + j], C[ci + j]);
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

    /**
     * The V partial sums at lanes[l..] added in a fixed order (groups of four as (a+b)+(c+d), the groups in turn),
     * then the products for k in [kv, K) in order.
     */
    private static float finish(float[] lanes, int l, float[] A, int a, float[] B, int b, int kv, int K) {
        float s = 0f;
        int g = l;
        for (; g + 4 <= l + V; g += 4) s += (lanes[g] + lanes[g + 1]) + (lanes[g + 2] + lanes[g + 3]);
        for (; g < l + V; g++) s += lanes[g];
        for (int p = kv; p < K; p++) s = Math.fma(A[a + p], B[b + p], s);
        return s;
    }

    private static void store(float[] C, int c, float d, boolean accumulate) {
        C[c] = accumulate ? C[c] + d : d;
    }
}
