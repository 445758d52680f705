package org.cae4j.ops;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM on the incubating Vector API ({@code jdk.incubator.vector}); loaded by {@link Gemm} only when that module is
 * present. V floats per vector (the preferred species: 16 with AVX-512).
 *
 * <pre>
 * Large products, the blocked scheme of Goto and van de Geijn (ACM TOMS 34(3), 2008), both operands packed:
 *   for jc over N by PNC:  for pc over K by PKC:  pack op(B) (kc, nc) into strips of PNR = 2V columns
 *     for ic over M by PMC:  pack op(A) (mc, kc) into panels of PMR = 14 rows
 *       for each strip, for each panel:  C (14, 2V) [+]= Apanel (14, kc) · Bstrip (kc, 2V)
 *   The micro-kernel keeps the 14×2 tile of C in 28 vector registers; per k it loads 2 vectors of B,
 *   broadcasts 14 scalars of A and issues 28 fused multiply-adds; the tile starts from zero and C's old values
 *   are added at the end. Both packed operands are read at constant strides, so the loop carries no bounds
 *   checks. M ends with panels of 8 rows (kernel8) where that lets panels of 14 fill the rows before them
 *   exactly; else a last partial panel is packed 8 high (up to 8 rows) or 14 high. Partial tiles (M or N not a
 *   multiple of the tile) are computed into a scratch tile from zero-padded panels and added into C. Whole
 *   panels of A (and strips of Bᵀ) are transposed into k-major order by gathers, 8 columns at a time.
 * Skinny products skip what does not pay:
 *   nn, tn with M &lt; 8, and the last 1 to 3 rows beyond a multiple of the panel height: row by row, no
 *                               packing, each sweep along a row of C adding four rows of B;
 *   nn, tn with M ≤ PACK_B_MAX_M: B is read in place (only a ragged last strip is packed), A packed into
 *                               panels of MR = 8 rows, tiles of 8 × NR = 3V columns, K in blocks of KC;
 *   nt with M &lt; 8 or N &lt; NR:    dot products of rows vectorised along K (tiles of 4×3 rows), no packing.
 * </pre>
 * Every sum runs in an order fixed by the shape alone (K blocks in turn, fused multiply-adds in k order, in the
 * packed kernels from zero within a K block then added to C, lane sums of dot products in a fixed tree), so
 * results are deterministic; they differ from the plain loops by
 * rounding only. Packing buffers are per thread and grow to the largest size asked for, so steady-state calls
 * allocate nothing.
 */
final class GemmVector implements GemmKernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int V = S.length();
    /** Tile of the products that read B in place: rows, columns; depth of one pass over a strip (kc·3V in L1). */
    static final int MR = 8, NR = 3 * V, KC = 192;
    /** Tile of the packed products: rows, columns. */
    static final int PMR = 14, PNR = 2 * V;
    /** Blocks of the packed products: depth (a strip, kc·2V, stays in L1), rows (A's block in L2), columns. */
    static final int PKC = 256, PMC = 224, PNC = 3072;
    /** Up to this many rows of C, nn and tn read B in place instead of packing it. */
    static final int PACK_B_MAX_M = 32;

    /** Per-thread scratch: packed A block, packed B panel, one ragged B strip, a C tile, vector lanes, gather maps. */
    private static final class Scratch {
        float[] a = new float[0], b = new float[0], strip = new float[0];
        final float[] tile = new float[Math.max(MR * NR, PMR * PNR)];
        final float[] lanes = new float[12 * V];
        /** Gather offsets for packA, then the lda they are for. */
        final int[] map14 = newMap(PMR), map8 = newMap(MR), mapStrip = newMap(PNR);

        private static int[] newMap(int h) {
            int[] map = new int[8 * h + 1];
            map[8 * h] = -1;
            return map;
        }

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
        int m = panelRows(M);
        if (m > PACK_B_MAX_M) packed(false, false, m, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
        else if (m > 0) inPlace(false, m, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
        if (m < M) rows(M - m, N, K, A, aOff + m * lda, lda, 1, B, bOff, ldb, C, cOff + m * ldc, ldc, accumulate);
    }

    @Override
    public void nt(int M, int N, int K, float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                   float[] C, int cOff, int ldc, boolean accumulate) {
        if (M < MR || N < NR) dots(M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
        else packed(false, true, M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
    }

    @Override
    public void tn(int M, int N, int K, float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                   float[] C, int cOff, int ldc, boolean accumulate) {
        int m = panelRows(M);
        if (m > PACK_B_MAX_M) packed(true, false, m, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
        else if (m > 0) inPlace(true, m, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
        if (m < M) rows(M - m, N, K, A, aOff + m, 1, lda, B, bOff, ldb, C, cOff + m * ldc, ldc, accumulate);
    }

    /**
     * Rows of C for the panel kernels in nn and tn: none below 8; otherwise all, except that 1 to 3 rows left
     * over beyond a multiple of the panel height (8 up to PACK_B_MAX_M rows, else 14) go row by row, which is
     * cheaper than padding them to a panel. More than PACK_B_MAX_M rows keep more than PACK_B_MAX_M.
     */
    static int panelRows(int M) {
        if (M < MR) return 0;
        if (M > PACK_B_MAX_M) {
            for (int m = M; m > M - 4; m--) if (eightRows(m) >= 0) return m;
        }
        int left = M % (M <= PACK_B_MAX_M ? MR : PMR);
        return left < 4 ? M - left : M;
    }

    /**
     * Rows at the end of M for panels of 8, so that panels of 14 fill the rows before them exactly: the fewest of
     * 0, 8, …, 48 that do, or -1 when none does (M odd, or 10, 12, 18, 20, 26, 34); those M end with a partial panel.
     */
    static int eightRows(int M) {
        for (int e = 0; e <= 6 * MR && e <= M; e += MR) if ((M - e) % PMR == 0) return e;
        return -1;
    }

    /** Height of the packed panel for mr ≤ 14 rows: 8 up to 8 rows, else 14. */
    private static int panelHeight(int mr) { return mr <= MR ? MR : PMR; }

    /** Splits n into the fewest blocks of at most max, as equal as possible, rounded up to a multiple of unit. */
    private static int blockSize(int n, int max, int unit) {
        int blocks = (n + max - 1) / max;
        int size = (n + blocks - 1) / blocks;
        return Math.min(max, (size + unit - 1) / unit * unit);
    }

    /**
     * C (M,N) [+]= op(A) · op(B), both packed, in tiles of 14 × 2V; aTrans: A stored (K,M); bTrans: B stored (N,K).
     */
    private static void packed(boolean aTrans, boolean bTrans, int M, int N, int K, float[] A, int aOff, int lda,
                               float[] B, int bOff, int ldb, float[] C, int cOff, int ldc, boolean accumulate) {
        Scratch s = SCRATCH.get();
        int split = M - Math.max(0, eightRows(M));
        int kb = blockSize(K, PKC, 1), mb = split > 0 ? blockSize(split, PMC, PMR) : 0, nb = blockSize(N, PNC, PNR);
        float[] ap = s.a(Math.max((mb + PMR - 1) / PMR * PMR, M - split) * kb), bp = s.b(nb * kb);
        for (int jc = 0; jc < N; jc += nb) {
            int nc = Math.min(nb, N - jc);
            for (int pc = 0; pc < K; pc += kb) {
                int kc = Math.min(kb, K - pc);
                boolean load = accumulate || pc > 0;
                if (bTrans) {
                    for (int jr = 0; jr < nc; jr += PNR) {
                        packBt(bp, jr * kc, B, bOff + (jc + jr) * ldb + pc, ldb, kc, Math.min(PNR, nc - jr));
                    }
                } else {
                    packB(bp, 0, PNR, B, bOff + pc * ldb + jc, ldb, kc, nc);
                }
                for (int ic = 0, mc; ic < M; ic += mc) {
                    int h = ic < split ? PMR : MR;
                    mc = ic < split ? Math.min(mb, split - ic) : M - ic;
                    if (aTrans) {
                        packAt(ap, h, A, aOff + pc * lda + ic, lda, kc, mc);
                    } else {
                        for (int ir = 0; ir < mc; ir += h) {
                            int mr = Math.min(h, mc - ir);
                            packA(ap, ir * kc, panelHeight(mr), A, aOff + (ic + ir) * lda + pc, lda, kc, mr);
                        }
                    }
                    for (int jr = 0; jr < nc; jr += PNR) {
                        int nr = Math.min(PNR, nc - jr);
                        for (int ir = 0; ir < mc; ir += h) {
                            int mr = Math.min(h, mc - ir);
                            packedTile(kc, ap, ir * kc, bp, jr * kc, C, cOff + (ic + ir) * ldc + jc + jr, ldc, load, mr, nr, s.tile);
                        }
                    }
                }
            }
        }
    }

    /**
     * C (M,N) [+]= op(A) · B for M ≤ PACK_B_MAX_M, B (K,N) read in place, in tiles of 8 × 3V; aTrans: A stored (K,M).
     * Only a ragged last strip of B is packed, zero-padded to 3V columns.
     */
    private static void inPlace(boolean aTrans, int M, int N, int K, float[] A, int aOff, int lda,
                                float[] B, int bOff, int ldb, float[] C, int cOff, int ldc, boolean accumulate) {
        Scratch s = SCRATCH.get();
        int kb = blockSize(K, KC, 1), mb = (M + MR - 1) / MR * MR;
        float[] ap = s.a(mb * kb), strip = s.strip(NR * kb);
        int full = N - N % NR;
        for (int pc = 0; pc < K; pc += kb) {
            int kc = Math.min(kb, K - pc);
            boolean load = accumulate || pc > 0;
            if (full < N) packB(strip, 0, NR, B, bOff + pc * ldb + full, ldb, kc, N - full);
            if (aTrans) {
                packAt(ap, MR, A, aOff + pc * lda, lda, kc, M);
            } else {
                for (int ir = 0; ir < M; ir += MR) packA(ap, ir * kc, MR, A, aOff + ir * lda + pc, lda, kc, Math.min(MR, M - ir));
            }
            for (int jr = 0; jr < N; jr += NR) {
                int nr = Math.min(NR, N - jr);
                float[] b = nr == NR ? B : strip;
                int bo = nr == NR ? bOff + pc * ldb + jr : 0, bs = nr == NR ? ldb : NR;
                for (int ir = 0; ir < M; ir += MR) {
                    tile(kc, ap, ir * kc, b, bo, bs, C, cOff + ir * ldc + jr, ldc, load, Math.min(MR, M - ir), nr, s.tile);
                }
            }
        }
    }

    /** Panel (kc, h) at dst, k-major, h = 8 or 14: rows i &lt; mr of A (mr, kc) at src with row stride lda; rows ≥ mr zero. */
    private static void packA(float[] dst, int d, int h, float[] A, int src, int lda, int kc, int mr) {
        if (mr == h) {
            gatherPanel(dst, d, h, A, src, lda, kc);
            return;
        }
        for (int i = 0; i < h; i++) {
            if (h == PMR) spread(dst, d + i, PMR, A, src + i * lda, kc, i < mr);
            else spread(dst, d + i, MR, A, src + i * lda, kc, i < mr);
        }
    }

    /**
     * dst[d + p·h + i] = X[src + i·ldx + p] for i &lt; h, p &lt; kc: the k-major panel of h whole rows of X, 8 of its
     * columns (8·h values) at a time read by gathers in the order they are written, then the kc mod 8 left.
     */
    private static void gatherPanel(float[] dst, int d, int h, float[] X, int src, int ldx, int kc) {
        int[] map = gatherMap(h, ldx);
        int p = 0;
        for (; p + 8 <= kc; p += 8) {
            int x = src + p, o = d + p * h;
            for (int j = 0; j < 8 * h; j += V) FloatVector.fromArray(S, X, x, map, j).intoArray(dst, o + j);
        }
        for (int i = 0; i < h; i++) {
            for (int q = p; q < kc; q++) dst[d + q * h + i] = X[src + i * ldx + q];
        }
    }

    /**
     * Offsets i·lda + p of A(i, p), p &lt; 8, i &lt; h (8, 14 or 2V), in the k-major order of a panel; per thread, one
     * for each h, kept for the last lda.
     */
    private static int[] gatherMap(int h, int lda) {
        Scratch s = SCRATCH.get();
        int[] map = h == PMR ? s.map14 : h == MR ? s.map8 : s.mapStrip;
        if (map[8 * h] != lda) {
            for (int q = 0; q < 8 * h; q++) map[q] = q % h * lda + q / h;
            map[8 * h] = lda;
        }
        return map;
    }

    /**
     * dst[o + p·h] = A[a + p] for p &lt; kc, or 0 when !copy: one row of A into its column of a k-major panel. h is a
     * constant at each call, which once inlined leaves a loop at constant strides, without bounds checks.
     */
    private static void spread(float[] dst, int o, int h, float[] A, int a, int kc, boolean copy) {
        if (copy) {
            for (int p = 0; p < kc; p++) dst[o + p * h] = A[a + p];
        } else {
            for (int p = 0; p < kc; p++) dst[o + p * h] = 0f;
        }
    }

    /**
     * The panels of op(A) (mc, kc) for A stored (kc, mc) at src with row stride lda, h rows each (8 or 14; see
     * panelHeight for the last one): row p of A is read once, left to right, and dealt out h values per panel.
     * Rows of the last panel beyond mc are zero.
     */
    private static void packAt(float[] dst, int h, float[] A, int src, int lda, int kc, int mc) {
        int full = mc - mc % h, last = h == MR ? MR : panelHeight(mc - full);
        for (int p = 0; p < kc; p++) {
            int a = src + p * lda, o = p * h;
            for (int ir = 0; ir < full; ir += h, o += h * kc) System.arraycopy(A, a + ir, dst, o, h);
            if (full < mc) {
                o = full * kc + p * last;
                for (int i = 0; i < mc - full; i++) dst[o + i] = A[a + full + i];
                for (int i = mc - full; i < last; i++) dst[o + i] = 0f;
            }
        }
    }

    /**
     * The strips (kc, w) of B (kc, nc) at src with row stride ldb, w = 2V or 3V: strip by strip, its rows in turn,
     * so that each strip is written as one stream. Columns of the last strip beyond nc are zero.
     */
    private static void packB(float[] dst, int d, int w, float[] B, int src, int ldb, int kc, int nc) {
        int full = nc - nc % w;
        for (int jr = 0; jr < full; jr += w) {
            int o = d + jr * kc, b = src + jr;
            if (w == PNR) {
                for (int p = 0; p < kc; p++) {
                    FloatVector.fromArray(S, B, b + p * ldb).intoArray(dst, o + p * PNR);
                    FloatVector.fromArray(S, B, b + p * ldb + V).intoArray(dst, o + p * PNR + V);
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    FloatVector.fromArray(S, B, b + p * ldb).intoArray(dst, o + p * NR);
                    FloatVector.fromArray(S, B, b + p * ldb + V).intoArray(dst, o + p * NR + V);
                    FloatVector.fromArray(S, B, b + p * ldb + 2 * V).intoArray(dst, o + p * NR + 2 * V);
                }
            }
        }
        if (full < nc) {
            for (int p = 0; p < kc; p++) {
                int o = d + full * kc + p * w;
                System.arraycopy(B, src + p * ldb + full, dst, o, nc - full);
                java.util.Arrays.fill(dst, o + nc - full, o + w, 0f);
            }
        }
    }

    /** Strip (kc, 2V) at dst of Bᵀ, B stored (nr, kc) at src with row stride ldb; columns ≥ nr zero. */
    private static void packBt(float[] dst, int d, float[] B, int src, int ldb, int kc, int nr) {
        int w = PNR;
        if (nr == w) {
            gatherPanel(dst, d, w, B, src, ldb, kc);
            return;
        }
        int j = 0;
        for (; j + 8 <= nr; j += 8) {
            // k outer: eight row streams in, eight adjacent values out
            int b0 = src + j * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb, b4 = b3 + ldb, b5 = b4 + ldb, b6 = b5 + ldb, b7 = b6 + ldb;
            for (int p = 0; p < kc; p++) {
                int o = d + p * w + j;
                dst[o] = B[b0 + p]; dst[o + 1] = B[b1 + p]; dst[o + 2] = B[b2 + p]; dst[o + 3] = B[b3 + p];
                dst[o + 4] = B[b4 + p]; dst[o + 5] = B[b5 + p]; dst[o + 6] = B[b6 + p]; dst[o + 7] = B[b7 + p];
            }
        }
        for (int p = 0; p < kc; p++) {
            int o = d + p * w;
            for (int jj = j; jj < nr; jj++) dst[o + jj] = B[src + jj * ldb + p];
            for (int jj = Math.max(j, nr); jj < w; jj++) dst[o + jj] = 0f;
        }
    }

    /** C (mr, nr) at co = [C +] the first mr rows and nr columns of tile (·, w). */
    private static void addTile(float[] C, int co, int ldc, float[] tile, int w, int mr, int nr, boolean load) {
        for (int i = 0; i < mr; i++) {
            int c = co + i * ldc, t = i * w;
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
        if (!whole) addTile(C, co, ldc, t, NR, mr, nr, load);
    }

    /**
     * C (mr, nr) at co [+]= Ap (h, kc) · Bp (kc, 2V), mr ≤ h = panelHeight(mr), nr ≤ 2V: with kernel14 or
     * kernel8, straight into C when the tile is whole, else into the scratch tile t, then added into C.
     */
    private static void packedTile(int kc, float[] ap, int ao, float[] bp, int bo, float[] C, int co, int ldc,
                                   boolean load, int mr, int nr, float[] t) {
        int h = panelHeight(mr);
        boolean whole = mr == h && nr == PNR;
        float[] c = whole ? C : t;
        int o = whole ? co : 0, ld = whole ? ldc : PNR;
        boolean l = whole && load;
        if (h == PMR) kernel14(kc, ap, ao, bp, bo, c, o, ld, l);
        else kernel8(kc, ap, ao, bp, bo, c, o, ld, l);
        if (!whole) addTile(C, co, ldc, t, PNR, mr, nr, load);
    }

    /**
     * C (14, 2V) at co [+]= Ap (14, kc) · Bp (kc, 2V): Ap packed k-major at ao, Bp packed 2V wide at bo, so both
     * are read at constant strides (the JIT then drops the bounds checks in the loop). The 28 accumulators are C's
     * tile, x for its first V columns and y for the next V; each k adds the outer product of 14 A scalars and 2 B
     * vectors.
     */
    private static void kernel14(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc,
                                 boolean load) {
        FloatVector x0, y0, x1, y1, x2, y2, x3, y3, x4, y4, x5, y5, x6, y6;
        FloatVector x7, y7, x8, y8, x9, y9, x10, y10, x11, y11, x12, y12, x13, y13;
        int r0 = co, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc, r6 = r5 + ldc;
        int r7 = r6 + ldc, r8 = r7 + ldc, r9 = r8 + ldc, r10 = r9 + ldc;
        int r11 = r10 + ldc, r12 = r11 + ldc, r13 = r12 + ldc;
        FloatVector z = FloatVector.zero(S);
        x0 = z; y0 = z; x1 = z; y1 = z; x2 = z; y2 = z; x3 = z; y3 = z; x4 = z; y4 = z;
        x5 = z; y5 = z; x6 = z; y6 = z; x7 = z; y7 = z; x8 = z; y8 = z; x9 = z; y9 = z;
        x10 = z; y10 = z; x11 = z; y11 = z; x12 = z; y12 = z; x13 = z; y13 = z;
        for (int p = 0; p < kc; p++) {
            int bk = bo + p * PNR, ak = ao + p * PMR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bk), b1 = FloatVector.fromArray(S, bp, bk + V);
            FloatVector a = FloatVector.broadcast(S, ap[ak]);
            x0 = a.fma(b0, x0); y0 = a.fma(b1, y0);
            a = FloatVector.broadcast(S, ap[ak + 1]);
            x1 = a.fma(b0, x1); y1 = a.fma(b1, y1);
            a = FloatVector.broadcast(S, ap[ak + 2]);
            x2 = a.fma(b0, x2); y2 = a.fma(b1, y2);
            a = FloatVector.broadcast(S, ap[ak + 3]);
            x3 = a.fma(b0, x3); y3 = a.fma(b1, y3);
            a = FloatVector.broadcast(S, ap[ak + 4]);
            x4 = a.fma(b0, x4); y4 = a.fma(b1, y4);
            a = FloatVector.broadcast(S, ap[ak + 5]);
            x5 = a.fma(b0, x5); y5 = a.fma(b1, y5);
            a = FloatVector.broadcast(S, ap[ak + 6]);
            x6 = a.fma(b0, x6); y6 = a.fma(b1, y6);
            a = FloatVector.broadcast(S, ap[ak + 7]);
            x7 = a.fma(b0, x7); y7 = a.fma(b1, y7);
            a = FloatVector.broadcast(S, ap[ak + 8]);
            x8 = a.fma(b0, x8); y8 = a.fma(b1, y8);
            a = FloatVector.broadcast(S, ap[ak + 9]);
            x9 = a.fma(b0, x9); y9 = a.fma(b1, y9);
            a = FloatVector.broadcast(S, ap[ak + 10]);
            x10 = a.fma(b0, x10); y10 = a.fma(b1, y10);
            a = FloatVector.broadcast(S, ap[ak + 11]);
            x11 = a.fma(b0, x11); y11 = a.fma(b1, y11);
            a = FloatVector.broadcast(S, ap[ak + 12]);
            x12 = a.fma(b0, x12); y12 = a.fma(b1, y12);
            a = FloatVector.broadcast(S, ap[ak + 13]);
            x13 = a.fma(b0, x13); y13 = a.fma(b1, y13);
        }
        if (load) {
            x0 = x0.add(FloatVector.fromArray(S, c, r0)); y0 = y0.add(FloatVector.fromArray(S, c, r0 + V));
            x1 = x1.add(FloatVector.fromArray(S, c, r1)); y1 = y1.add(FloatVector.fromArray(S, c, r1 + V));
            x2 = x2.add(FloatVector.fromArray(S, c, r2)); y2 = y2.add(FloatVector.fromArray(S, c, r2 + V));
            x3 = x3.add(FloatVector.fromArray(S, c, r3)); y3 = y3.add(FloatVector.fromArray(S, c, r3 + V));
            x4 = x4.add(FloatVector.fromArray(S, c, r4)); y4 = y4.add(FloatVector.fromArray(S, c, r4 + V));
            x5 = x5.add(FloatVector.fromArray(S, c, r5)); y5 = y5.add(FloatVector.fromArray(S, c, r5 + V));
            x6 = x6.add(FloatVector.fromArray(S, c, r6)); y6 = y6.add(FloatVector.fromArray(S, c, r6 + V));
            x7 = x7.add(FloatVector.fromArray(S, c, r7)); y7 = y7.add(FloatVector.fromArray(S, c, r7 + V));
            x8 = x8.add(FloatVector.fromArray(S, c, r8)); y8 = y8.add(FloatVector.fromArray(S, c, r8 + V));
            x9 = x9.add(FloatVector.fromArray(S, c, r9)); y9 = y9.add(FloatVector.fromArray(S, c, r9 + V));
            x10 = x10.add(FloatVector.fromArray(S, c, r10)); y10 = y10.add(FloatVector.fromArray(S, c, r10 + V));
            x11 = x11.add(FloatVector.fromArray(S, c, r11)); y11 = y11.add(FloatVector.fromArray(S, c, r11 + V));
            x12 = x12.add(FloatVector.fromArray(S, c, r12)); y12 = y12.add(FloatVector.fromArray(S, c, r12 + V));
            x13 = x13.add(FloatVector.fromArray(S, c, r13)); y13 = y13.add(FloatVector.fromArray(S, c, r13 + V));
        }
        x0.intoArray(c, r0); y0.intoArray(c, r0 + V); x1.intoArray(c, r1); y1.intoArray(c, r1 + V);
        x2.intoArray(c, r2); y2.intoArray(c, r2 + V); x3.intoArray(c, r3); y3.intoArray(c, r3 + V);
        x4.intoArray(c, r4); y4.intoArray(c, r4 + V); x5.intoArray(c, r5); y5.intoArray(c, r5 + V);
        x6.intoArray(c, r6); y6.intoArray(c, r6 + V); x7.intoArray(c, r7); y7.intoArray(c, r7 + V);
        x8.intoArray(c, r8); y8.intoArray(c, r8 + V); x9.intoArray(c, r9); y9.intoArray(c, r9 + V);
        x10.intoArray(c, r10); y10.intoArray(c, r10 + V); x11.intoArray(c, r11); y11.intoArray(c, r11 + V);
        x12.intoArray(c, r12); y12.intoArray(c, r12 + V); x13.intoArray(c, r13); y13.intoArray(c, r13 + V);
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

    /** As kernel14, for a panel of 8 rows: C (8, 2V) at co [+]= Ap (8, kc) · Bp (kc, 2V), 16 accumulators. */
    private static void kernel8(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc,
                                boolean load) {
        FloatVector x0, y0, x1, y1, x2, y2, x3, y3, x4, y4, x5, y5, x6, y6, x7, y7;
        int r0 = co, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc, r6 = r5 + ldc, r7 = r6 + ldc;
        FloatVector z = FloatVector.zero(S);
        x0 = z; y0 = z; x1 = z; y1 = z; x2 = z; y2 = z; x3 = z; y3 = z;
        x4 = z; y4 = z; x5 = z; y5 = z; x6 = z; y6 = z; x7 = z; y7 = z;
        for (int p = 0; p < kc; p++) {
            int bk = bo + p * PNR, ak = ao + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bk), b1 = FloatVector.fromArray(S, bp, bk + V);
            FloatVector a = FloatVector.broadcast(S, ap[ak]);
            x0 = a.fma(b0, x0); y0 = a.fma(b1, y0);
            a = FloatVector.broadcast(S, ap[ak + 1]);
            x1 = a.fma(b0, x1); y1 = a.fma(b1, y1);
            a = FloatVector.broadcast(S, ap[ak + 2]);
            x2 = a.fma(b0, x2); y2 = a.fma(b1, y2);
            a = FloatVector.broadcast(S, ap[ak + 3]);
            x3 = a.fma(b0, x3); y3 = a.fma(b1, y3);
            a = FloatVector.broadcast(S, ap[ak + 4]);
            x4 = a.fma(b0, x4); y4 = a.fma(b1, y4);
            a = FloatVector.broadcast(S, ap[ak + 5]);
            x5 = a.fma(b0, x5); y5 = a.fma(b1, y5);
            a = FloatVector.broadcast(S, ap[ak + 6]);
            x6 = a.fma(b0, x6); y6 = a.fma(b1, y6);
            a = FloatVector.broadcast(S, ap[ak + 7]);
            x7 = a.fma(b0, x7); y7 = a.fma(b1, y7);
        }
        if (load) {
            x0 = x0.add(FloatVector.fromArray(S, c, r0)); y0 = y0.add(FloatVector.fromArray(S, c, r0 + V));
            x1 = x1.add(FloatVector.fromArray(S, c, r1)); y1 = y1.add(FloatVector.fromArray(S, c, r1 + V));
            x2 = x2.add(FloatVector.fromArray(S, c, r2)); y2 = y2.add(FloatVector.fromArray(S, c, r2 + V));
            x3 = x3.add(FloatVector.fromArray(S, c, r3)); y3 = y3.add(FloatVector.fromArray(S, c, r3 + V));
            x4 = x4.add(FloatVector.fromArray(S, c, r4)); y4 = y4.add(FloatVector.fromArray(S, c, r4 + V));
            x5 = x5.add(FloatVector.fromArray(S, c, r5)); y5 = y5.add(FloatVector.fromArray(S, c, r5 + V));
            x6 = x6.add(FloatVector.fromArray(S, c, r6)); y6 = y6.add(FloatVector.fromArray(S, c, r6 + V));
            x7 = x7.add(FloatVector.fromArray(S, c, r7)); y7 = y7.add(FloatVector.fromArray(S, c, r7 + V));
        }
        x0.intoArray(c, r0); y0.intoArray(c, r0 + V); x1.intoArray(c, r1); y1.intoArray(c, r1 + V);
        x2.intoArray(c, r2); y2.intoArray(c, r2 + V); x3.intoArray(c, r3); y3.intoArray(c, r3 + V);
        x4.intoArray(c, r4); y4.intoArray(c, r4 + V); x5.intoArray(c, r5); y5.intoArray(c, r5 + V);
        x6.intoArray(c, r6); y6.intoArray(c, r6 + V); x7.intoArray(c, r7); y7.intoArray(c, r7 + V);
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
