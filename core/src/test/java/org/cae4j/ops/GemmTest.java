package org.cae4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.cae4j.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * Both GEMM implementations ({@link GemmPlain}, {@link GemmVector}) and {@link Gemm}'s dispatch against a
 * double-precision reference loop, on hand-picked edge shapes (every path of the vector kernels: rows, dots,
 * blocked with B in place, packed or packed transposed, ragged tiles, leftover rows, several K, M and N blocks)
 * and random ones.
 *
 * <p>Error of element (i, j): |c − ref| / mag, mag = Σ_k |op(A)_ik|·|op(B)_kj| (+ |C_ij| when accumulating), the
 * scale at which float rounding of that sum happens; it must stay below 1e-5. Everything of C outside the
 * M×N window (between rows, before and after it) must be left untouched.
 */
class GemmTest {
    private static final double RTOL = 1e-5;
    private static final GemmKernels PLAIN = new GemmPlain(), VECTOR = new GemmVector();

    enum Op { NN, NT, TN }

    /** One product: op, sizes, offsets, leading dimensions (≥ the row), accumulate. */
    record Case(Op op, int M, int N, int K, int aOff, int lda, int bOff, int ldb, int cOff, int ldc, boolean accumulate) {
        /** Rows and columns of A and B as stored. */
        int aRows() { return op == Op.TN ? K : M; }
        int aCols() { return op == Op.TN ? M : K; }
        int bRows() { return op == Op.NT ? N : K; }
        int bCols() { return op == Op.NT ? K : N; }

        @Override
        public String toString() {
            return op.name().toLowerCase() + " M=" + M + " N=" + N + " K=" + K + " aOff=" + aOff + " lda=" + lda
                    + " bOff=" + bOff + " ldb=" + ldb + " cOff=" + cOff + " ldc=" + ldc + (accumulate ? " accumulate" : "");
        }
    }

    /** A case with tight leading dimensions and no offsets. */
    static Case tight(Op op, int M, int N, int K, boolean accumulate) {
        int lda = op == Op.TN ? M : K, ldb = op == Op.NT ? K : N;
        return new Case(op, M, N, K, 0, lda, 0, ldb, 0, N, accumulate);
    }

    /** A case with random offsets and leading dimensions up to 20 beyond the row. */
    static Case padded(Rng rng, Op op, int M, int N, int K, boolean accumulate) {
        Case t = tight(op, M, N, K, accumulate);
        return new Case(op, M, N, K, rng.nextInt(20), t.lda() + rng.nextInt(21), rng.nextInt(20), t.ldb() + rng.nextInt(21),
                rng.nextInt(20), t.ldc() + rng.nextInt(21), accumulate);
    }

    /** Shapes that reach every branch of GemmVector, each for nn, nt and tn, with tight and padded layouts. */
    static List<Case> edgeCases() {
        int[][] shapes = {
                {1, 1, 1}, {1, 37, 1}, {37, 1, 1}, {1, 1, 1000}, {3, 5, 1000},
                {16, 1024, 25}, {1, 784, 400}, {16, 25, 1024}, {1, 400, 784}, {25, 1024, 16}, {400, 784, 1},
                {7, 49, 17}, {8, 48, 16}, {9, 47, 15}, {8, 49, 193}, {33, 97, 193}, {64, 64, 1000},
                {250, 50, 3}, {17, 3100, 2}, {5, 70, 3}, {47, 3, 129}, {100, 130, 385},
                // nt: N < NR on panels below DOTS_MIN_K and dots from it; 16×16 transposes of B with row and k
                // tails, a ragged panel of A, two M blocks
                {64, 32, 64}, {16, 25, 255}, {16, 25, 256}, {8, 47, 300}, {24, 61, 37}, {61, 100, 70}, {241, 50, 40},
                // nn narrow (N ≤ 2V): one vector, exactly one, two, exactly two; rows past a multiple of 4; tight
                // layouts whose last rows of B end the array (the k read by plain loops)
                {64, 20, 1568}, {13, 7, 50}, {12, 16, 33}, {9, 32, 7}, {66, 31, 40}, {8, 1, 5},
        };
        Rng rng = new Rng(5);
        List<Case> cases = new ArrayList<>();
        for (int[] s : shapes) {
            for (Op op : Op.values()) {
                cases.add(tight(op, s[0], s[1], s[2], cases.size() % 2 == 0));
                cases.add(padded(rng, op, s[0], s[1], s[2], cases.size() % 2 == 0));
            }
        }
        return cases;
    }

    /** Random shapes: M, N up to 130 (a few up to 300), K up to 300 (a few 1000), random layout and accumulate. */
    static List<Case> randomCases(long seed, int count) {
        Rng rng = new Rng(seed);
        List<Case> cases = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            Op op = Op.values()[rng.nextInt(3)];
            int M = 1 + rng.nextInt(n % 10 == 0 ? 300 : 130), N = 1 + rng.nextInt(n % 10 == 1 ? 300 : 130);
            int K = n % 10 == 2 ? 1000 : 1 + rng.nextInt(300);
            boolean accumulate = rng.nextInt(2) == 0;
            cases.add(rng.nextInt(2) == 0 ? tight(op, M, N, K, accumulate) : padded(rng, op, M, N, K, accumulate));
        }
        return cases;
    }

    /** Inputs of a case: A, B, and C's initial contents (every element, inside the window and out). */
    record Data(float[] A, float[] B, float[] C0) {}

    static Data data(Case c, long seed) {
        Rng rng = new Rng(seed);
        int aLen = c.aOff() + (c.aRows() - 1) * c.lda() + c.aCols() + rng.nextInt(5);
        int bLen = c.bOff() + (c.bRows() - 1) * c.ldb() + c.bCols() + rng.nextInt(5);
        int cLen = c.cOff() + (c.M() - 1) * c.ldc() + c.N() + rng.nextInt(5);
        return new Data(uniform(rng, aLen), uniform(rng, bLen), uniform(rng, cLen));
    }

    private static float[] uniform(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.uniform(-1, 1);
        return a;
    }

    static float opA(Case c, float[] A, int i, int k) {
        return c.op() == Op.TN ? A[c.aOff() + k * c.lda() + i] : A[c.aOff() + i * c.lda() + k];
    }

    static float opB(Case c, float[] B, int k, int j) {
        return c.op() == Op.NT ? B[c.bOff() + j * c.ldb() + k] : B[c.bOff() + k * c.ldb() + j];
    }

    static void run(GemmKernels g, Case c, float[] A, float[] B, float[] C) {
        switch (c.op()) {
            case NN -> g.nn(c.M(), c.N(), c.K(), A, c.aOff(), c.lda(), B, c.bOff(), c.ldb(), C, c.cOff(), c.ldc(), c.accumulate());
            case NT -> g.nt(c.M(), c.N(), c.K(), A, c.aOff(), c.lda(), B, c.bOff(), c.ldb(), C, c.cOff(), c.ldc(), c.accumulate());
            case TN -> g.tn(c.M(), c.N(), c.K(), A, c.aOff(), c.lda(), B, c.bOff(), c.ldb(), C, c.cOff(), c.ldc(), c.accumulate());
        }
    }

    static void runPublic(Case c, float[] A, float[] B, float[] C) {
        switch (c.op()) {
            case NN -> Gemm.nn(c.M(), c.N(), c.K(), A, c.aOff(), c.lda(), B, c.bOff(), c.ldb(), C, c.cOff(), c.ldc(), c.accumulate());
            case NT -> Gemm.nt(c.M(), c.N(), c.K(), A, c.aOff(), c.lda(), B, c.bOff(), c.ldb(), C, c.cOff(), c.ldc(), c.accumulate());
            case TN -> Gemm.tn(c.M(), c.N(), c.K(), A, c.aOff(), c.lda(), B, c.bOff(), c.ldb(), C, c.cOff(), c.ldc(), c.accumulate());
        }
    }

    /**
     * Fails unless C matches the double reference inside the window and C0 outside it; returns the worst
     * error (see class doc).
     */
    static double check(String who, Case c, Data d, float[] C) {
        boolean[] inside = new boolean[C.length];
        double worst = 0;
        for (int i = 0; i < c.M(); i++) {
            for (int j = 0; j < c.N(); j++) {
                int at = c.cOff() + i * c.ldc() + j;
                inside[at] = true;
                double ref = c.accumulate() ? d.C0()[at] : 0, mag = c.accumulate() ? Math.abs(d.C0()[at]) : 0;
                for (int k = 0; k < c.K(); k++) {
                    double a = opA(c, d.A(), i, k), b = opB(c, d.B(), k, j);
                    ref += a * b;
                    mag += Math.abs(a * b);
                }
                double err = Math.abs(C[at] - ref);
                if (!(err <= RTOL * mag)) {
                    fail(who + " " + c + ": C[" + i + "," + j + "] = " + C[at] + ", expected " + ref + " (|diff| "
                            + err + ", magnitude " + mag + ")");
                }
                if (mag > 0) worst = Math.max(worst, err / mag);
            }
        }
        for (int at = 0; at < C.length; at++) {
            if (!inside[at] && Float.floatToRawIntBits(C[at]) != Float.floatToRawIntBits(d.C0()[at])) {
                fail(who + " " + c + ": wrote C[" + at + "] outside the M×N window (" + d.C0()[at] + " -> " + C[at] + ")");
            }
        }
        return worst;
    }

    private static void checkAll(List<Case> cases, long seed, String label) {
        double[] worst = new double[3];
        String[] who = {"plain", "vector", "Gemm(" + Gemm.implementation() + ")"};
        for (int n = 0; n < cases.size(); n++) {
            Case c = cases.get(n);
            Data d = data(c, seed + n);
            for (int w = 0; w < 3; w++) {
                float[] C = d.C0().clone();
                if (w == 0) run(PLAIN, c, d.A(), d.B(), C);
                else if (w == 1) run(VECTOR, c, d.A(), d.B(), C);
                else runPublic(c, d.A(), d.B(), C);
                worst[w] = Math.max(worst[w], check(who[w], c, d, C));
            }
        }
        System.out.printf("GemmTest %s, %d cases: worst error / magnitude: plain %.3e, vector %.3e, %s %.3e (V=%d)%n",
                label, cases.size(), worst[0], worst[1], who[2], worst[2], GemmVector.V);
    }

    @Test
    void bothImplementationsMatchDoubleReferenceOnEdgeShapes() {
        List<Case> cases = edgeCases();
        assertTrue(cases.size() >= 100, "edge cases: " + cases.size());
        checkAll(cases, 1000, "edge shapes");
    }

    @Test
    void bothImplementationsMatchDoubleReferenceOnRandomShapes() {
        checkAll(randomCases(77, 60), 2000, "random shapes");
    }

    @Test
    void emptySumZeroesCOrLeavesItWhenAccumulating() {
        float[] C = {1, 2, 3, 4, 5, 6};
        Gemm.nn(2, 2, 0, new float[0], 0, 0, new float[0], 0, 2, C, 1, 3, true);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, C);
        Gemm.nt(2, 2, 0, new float[0], 0, 0, new float[0], 0, 0, C, 1, 3, false);
        assertArrayEquals(new float[] {1, 0, 0, 4, 0, 0}, C);
    }

    @Test
    void handComputed2x2() {
        // A = [1 2; 3 4], B = [5 6; 7 8]: A·B = [19 22; 43 50], A·Bᵀ = [17 23; 39 53], Aᵀ·B = [26 30; 38 44]
        float[] A = {1, 2, 3, 4}, B = {5, 6, 7, 8};
        for (GemmKernels g : new GemmKernels[] {PLAIN, VECTOR}) {
            float[] C = new float[4];
            g.nn(2, 2, 2, A, 0, 2, B, 0, 2, C, 0, 2, false);
            assertArrayEquals(new float[] {19, 22, 43, 50}, C, g.name() + " nn");
            g.nt(2, 2, 2, A, 0, 2, B, 0, 2, C, 0, 2, false);
            assertArrayEquals(new float[] {17, 23, 39, 53}, C, g.name() + " nt");
            g.tn(2, 2, 2, A, 0, 2, B, 0, 2, C, 0, 2, true);
            assertArrayEquals(new float[] {17 + 26, 23 + 30, 39 + 38, 53 + 44}, C, g.name() + " tn accumulate");
        }
    }

    @Test
    void vectorResultsAreBitwiseRepeatableAcrossThreadsAndJitWarmUp() throws Exception {
        // the first calls run interpreted; later ones compiled, on another thread with other scratch contents
        List<Case> cases = new ArrayList<>(List.of(tight(Op.NT, 5, 7, 333, false), tight(Op.NN, 20, 100, 200, true),
                tight(Op.TN, 9, 50, 30, false), tight(Op.NT, 40, 100, 70, true), tight(Op.NN, 3, 70, 40, false)));
        List<Data> data = new ArrayList<>();
        List<float[]> first = new ArrayList<>();
        for (int n = 0; n < cases.size(); n++) {
            data.add(data(cases.get(n), 300 + n));
            float[] C = data.get(n).C0().clone();
            run(VECTOR, cases.get(n), data.get(n).A(), data.get(n).B(), C);
            first.add(C);
        }
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            other.submit(() -> {
                Data big = data(tight(Op.NN, 300, 300, 300, false), 1);
                run(VECTOR, tight(Op.NN, 300, 300, 300, false), big.A(), big.B(), big.C0().clone());
                for (int rep = 0; rep < 200; rep++) {
                    for (int n = 0; n < cases.size(); n++) {
                        float[] C = data.get(n).C0().clone();
                        run(VECTOR, cases.get(n), data.get(n).A(), data.get(n).B(), C);
                        assertArrayEquals(first.get(n), C, "repeat " + rep + " of " + cases.get(n));
                    }
                }
                return null;
            }).get();
        } finally {
            other.shutdown();
        }
    }

    @Test
    void dispatchFollowsSystemProperty() {
        // the tests run with --add-modules jdk.incubator.vector, so the default is the vector kernels
        String forced = System.getProperty(Gemm.PROPERTY);
        assertEquals(forced == null ? "vector" : forced, Gemm.implementation());
        assertEquals("plain", Gemm.choose("plain").name());
        assertEquals("vector", Gemm.choose("vector").name());
        assertEquals("vector", Gemm.choose(null).name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gemm.choose("fast"));
        assertTrue(e.getMessage().contains("'fast'"), e.getMessage());
    }

    @Test
    void badArgumentsAreNamedInTheMessage() {
        float[] a = new float[399], b = new float[25 * 1024], c = new float[16 * 1024];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.nn(16, 1024, 25, a, 0, 25, b, 0, 1024, c, 0, 1024, false));
        assertTrue(e.getMessage().contains("A (M=16, K=25) at offset 0 with lda 25 needs elements [0, 400), the array has 399"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Gemm.tn(4, 4, 4, b, 0, 3, b, 0, 4, c, 0, 4, false));
        assertTrue(e.getMessage().contains("Gemm.tn: lda must be >= M = 4, got 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Gemm.nt(2, -1, 4, b, 0, 4, b, 0, 4, c, 0, 4, false));
        assertTrue(e.getMessage().contains("N=-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Gemm.nt(2, 3, 4, b, 0, 4, b, 0, 4, c, -1, 4, false));
        assertTrue(e.getMessage().contains("C (M=2, N=3) at offset -1"), e.getMessage());
    }

    @Test
    void casesCoverEveryVectorPath() {
        List<Case> all = new ArrayList<>(edgeCases());
        all.addAll(randomCases(77, 60));
        int V = GemmVector.V, NR = GemmVector.NR;
        assertTrue(all.stream().anyMatch(c -> c.op() != Op.NT && c.M() < 8), "rows");
        assertTrue(all.stream().anyMatch(c -> c.op() == Op.TN && GemmVector.panelRows(c.M()) % 8 == 0
                && GemmVector.panelRows(c.M()) > 0 && GemmVector.panelRows(c.M()) < c.M()), "panels, then leftover rows");
        assertTrue(all.stream().anyMatch(c -> c.op() == Op.NN && c.M() > 8 && GemmVector.panelRows(c.M()) == c.M()
                && c.M() % 8 != 0), "ragged panel");
        assertTrue(all.stream().anyMatch(c -> c.op() == Op.NT && (c.M() < 8 || c.N() < NR && c.K() >= GemmVector.DOTS_MIN_K)
                && c.K() % V != 0), "dots with a K tail");
        assertTrue(all.stream().anyMatch(c -> c.op() == Op.NT && c.M() >= 8 && c.N() >= NR), "blocked nt");
        assertTrue(all.stream().anyMatch(c -> c.op() == Op.NT && c.M() >= 8 && c.N() < NR && c.K() < GemmVector.DOTS_MIN_K),
                "nt on panels, fewer columns than a strip");
        assertTrue(all.stream().anyMatch(c -> c.op() == Op.NT && c.M() >= 8 && c.N() < NR && c.K() >= GemmVector.DOTS_MIN_K),
                "nt dots, deep");
        assertTrue(all.stream().anyMatch(c -> c.op() == Op.NT && c.M() >= 8 && c.N() >= 16 && c.N() % 16 != 0
                && c.K() >= 16 && c.K() % 16 != 0 && c.K() <= GemmVector.KC), "nt, transposed blocks with row and k tails");
        assertTrue(all.stream().anyMatch(c -> c.op() != Op.NT && c.M() >= 8 && c.M() <= GemmVector.PACK_B_MAX_M
                && c.N() % NR != 0), "B in place with a ragged strip");
        assertTrue(all.stream().anyMatch(c -> c.op() == Op.TN && c.M() > GemmVector.PACK_B_MAX_M && c.M() % 8 != 0), "packed B, ragged panel");
        assertTrue(all.stream().anyMatch(c -> c.op() == Op.NN && c.K() > 2 * GemmVector.KC && c.N() > 2 * V), "three K blocks");
        assertTrue(all.stream().anyMatch(c -> c.op() == Op.NN && c.M() >= 8 && c.N() < V && c.M() % 4 != 0), "narrow, one vector");
        assertTrue(all.stream().anyMatch(c -> c.op() == Op.NN && c.M() >= 8 && c.N() > V && c.N() < 2 * V
                && c.ldb() == c.N() && c.bOff() == 0), "narrow, two vectors, B ending the array");
        assertTrue(all.stream().anyMatch(c -> c.op() == Op.NN && c.M() >= 8 && (c.N() == V || c.N() == 2 * V)
                && c.accumulate()), "narrow, whole vectors, accumulating");
        assertTrue(all.stream().anyMatch(c -> c.M() > GemmVector.MC), "two M blocks");
        assertTrue(all.stream().anyMatch(c -> c.M() >= 8 && c.N() > GemmVector.NC), "two N blocks");
        assertTrue(all.stream().anyMatch(c -> c.ldc() > c.N() && c.accumulate()), "padded C, accumulating");
        assertTrue(all.size() >= 50);
        assertEquals(Arrays.asList(Op.values()), List.of(Op.NN, Op.NT, Op.TN));
    }
}
