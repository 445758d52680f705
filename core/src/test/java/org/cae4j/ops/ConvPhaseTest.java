package org.cae4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cae4j.tensor.Rng;
import org.cae4j.testing.Check;
import org.cae4j.testing.ConvReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ConvPhase} (strided convolutions and transposed convolutions on phase planes) against the plain loops of
 * {@link ConvReference}, on both kernel sets: the ones this JVM picked ({@link Conv#CORR}) and the plain loops.
 * Strides 2 and 3 (also mixed with 1), odd and even sizes, every padding mode, output_padding, 1 to 12 channels,
 * batches of 1 to 70, 1 and 2 threads, and images big enough that a chunk holds several groups with a short last one.
 */
class ConvPhaseTest {
    private static final double RTOL = 1e-5;

    private int savedThreads;

    @BeforeEach
    void saveThreads() { savedThreads = Parallel.threads(); }

    @AfterEach
    void restoreThreads() { Parallel.setThreads(savedThreads); }

    /** The kernel sets to check: this JVM's, and the plain loops when those are not already it. */
    private static List<CorrKernels> kernelSets() {
        return Conv.CORR instanceof CorrPlain ? List.of(Conv.CORR) : List.of(Conv.CORR, new CorrPlain());
    }

    record Case(int N, ConvGeometry g, String how, float[] x, float[] w, float[] b, float[] dy) {
        @Override
        public String toString() { return "N=" + N + " " + g + " (" + how + (b == null ? ", no bias)" : ")"); }
    }

    private static float[] uniform(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.uniform(-1, 1);
        return a;
    }

    private static Case newCase(Rng rng, int N, ConvGeometry g, String how) {
        boolean bias = rng.nextInt(4) != 0;
        return new Case(N, g, how, uniform(rng, N * g.inSize()), uniform(rng, g.weightSize()),
                bias ? uniform(rng, g.K()) : null, uniform(rng, N * g.outSize()));
    }

    /**
     * Random strided convolutions: strides from {1, 2, 3}, never both 1; valid, same, full and explicit per-side
     * padding in turn; N from 1 to 70 (every third case above 40).
     */
    static List<Case> stridedCases(long seed, int count) {
        Rng rng = new Rng(seed);
        List<Case> cases = new ArrayList<>();
        while (cases.size() < count) {
            int N = cases.size() % 3 == 2 ? 41 + rng.nextInt(30) : 1 + rng.nextInt(8);
            int C = 1 + rng.nextInt(12), K = 1 + rng.nextInt(12), H = 1 + rng.nextInt(20), W = 1 + rng.nextInt(20);
            int R = 1 + rng.nextInt(5), S = 1 + rng.nextInt(5);
            int sh = 1 + rng.nextInt(3), sw = 1 + rng.nextInt(3);
            if (sh == 1 && sw == 1) continue;
            Padding padding = ConvReferenceTest.padding(cases.size(), rng);
            int[] p = padding.resolve(H, W, R, S, sh, sw);
            if (H + p[0] + p[1] < R || W + p[2] + p[3] < S) continue;
            cases.add(newCase(rng, N, ConvGeometry.of(C, H, W, K, R, S, sh, sw, padding), padding.toString()));
        }
        return cases;
    }

    /**
     * Geometries of PyTorch's ConvTranspose2d(K, C, k, s, p, output_padding) on a P×Q input, built as the layer
     * builds them: the convolution that maps the (P−1)·s − 2p + k + output_padding output back to P×Q.
     */
    static List<Case> transposedCases(long seed, int count) {
        Rng rng = new Rng(seed);
        List<Case> cases = new ArrayList<>();
        while (cases.size() < count) {
            int N = cases.size() % 3 == 2 ? 41 + rng.nextInt(30) : 1 + rng.nextInt(8);
            int K = 1 + rng.nextInt(12), C = 1 + rng.nextInt(12), P = 1 + rng.nextInt(10), Q = 1 + rng.nextInt(10);
            int k = 1 + rng.nextInt(5), s = 2 + rng.nextInt(2), pad = rng.nextInt(k), op = rng.nextInt(s);
            int H = (P - 1) * s - 2 * pad + k + op, W = (Q - 1) * s - 2 * pad + k + op;
            if (H <= 0 || W <= 0 || H + 2 * pad < k) continue;
            ConvGeometry g = ConvGeometry.of(C, H, W, K, k, k, s, s, Padding.of(pad));
            assertEquals(P, g.P(), g.toString());
            cases.add(newCase(rng, N, g, "k=" + k + " s=" + s + " p=" + pad + " output_padding=" + op));
        }
        return cases;
    }

    /** Images big enough that a backward group holds fewer images than a chunk, so chunks end on a short group. */
    static List<Case> shortGroupCases(long seed) {
        Rng rng = new Rng(seed);
        List<Case> cases = new ArrayList<>();
        int[][] shapes = {{8, 40, 40, 8, 3, 2, 1}, {6, 47, 33, 10, 4, 3, 2}, {12, 30, 31, 12, 5, 2, 2}};
        for (int[] sh : shapes) {
            ConvGeometry g = ConvGeometry.of(sh[0], sh[1], sh[2], sh[3], sh[4], sh[5], Padding.of(sh[6]));
            cases.add(newCase(rng, 23 + rng.nextInt(48), g, "pad " + sh[6]));
        }
        return cases;
    }

    @ParameterizedTest(name = "threads = {0}")
    @ValueSource(ints = {1, 2})
    void stridedConvMatchesReferenceLoopsOnRandomShapes(int threads) {
        convMatchesReference(threads, stridedCases(2024, 40), "strided shapes");
    }

    @ParameterizedTest(name = "threads = {0}")
    @ValueSource(ints = {1, 2})
    void stridedConvMatchesReferenceWhenChunksEndOnAShortGroup(int threads) {
        Parallel.setThreads(threads);
        List<Case> cases = shortGroupCases(7);
        for (CorrKernels kern : kernelSets()) {
            boolean shortGroup = false;
            for (Case c : cases) {
                int group = ConvPhase.Layout.of(c.g(), c.N(), Parallel.chunks(c.N()), kern, ConvPhase.BACKWARD_FLOATS).group();
                int chunk = c.N() / Parallel.chunks(c.N());
                shortGroup |= group < chunk && chunk % group != 0;
            }
            assertTrue(shortGroup, "no case where a chunk ends on a short group for " + kern.getClass().getSimpleName());
        }
        convMatchesReference(threads, cases, "short-group shapes");
        transposeMatchesReference(threads, cases, "short-group shapes");
    }

    @ParameterizedTest(name = "threads = {0}")
    @ValueSource(ints = {1, 2})
    void stridedConvTransposeMatchesReferenceLoopsOnRandomShapes(int threads) {
        transposeMatchesReference(threads, transposedCases(77, 40), "transposed shapes with output_padding");
    }

    @Test
    void stridedLayersTakeThePhasePath() {
        for (Case c : stridedCases(1, 10)) assertTrue(Conv.phased(c.g()), c.toString());
        assertEquals(false, Conv.phased(ConvGeometry.of(3, 8, 8, 4, 3, 1, Padding.same())));
    }

    private void convMatchesReference(int threads, List<Case> cases, String label) {
        Parallel.setThreads(threads);
        for (CorrKernels kern : kernelSets()) {
            Workspace ws = new Workspace(); // shared across shapes: buffers are reused with stale contents
            double worst = 0;
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                ConvGeometry g = c.g();
                int N = c.N();
                String what = kern.getClass().getSimpleName() + " threads=" + threads + " case " + i + " " + c;
                float[] yRef = new float[N * g.outSize()], dxRef = new float[N * g.inSize()], dwRef = new float[g.weightSize()];
                float[] dbRef = c.b() == null ? null : new float[g.K()];
                ConvReference.forward(yRef, c.x(), c.w(), c.b(), N, g);
                ConvReference.backward(dxRef, dwRef, dbRef, c.dy(), c.x(), c.w(), N, g);

                poison(ws, threads);
                float[] y = nans(yRef.length), dx = nans(dxRef.length), dw = new float[dwRef.length];
                float[] db = dbRef == null ? null : new float[g.K()];
                ConvPhase.forward(y, c.x(), c.w(), c.b(), N, g, ws, kern, null);
                poison(ws, threads);
                ConvPhase.backward(dx, dw, db, c.dy(), c.x(), c.w(), N, g, ws, kern, null);
                worst = Math.max(worst, Check.assertClose(what + " y", yRef, y, RTOL, new int[] {N, g.K(), g.P(), g.Q()}));
                worst = Math.max(worst, Check.assertClose(what + " dx", dxRef, dx, RTOL, new int[] {N, g.C(), g.H(), g.W()}));
                worst = Math.max(worst, Check.assertClose(what + " dw", dwRef, dw, RTOL, new int[] {g.K(), g.C(), g.R(), g.S()}));
                if (db != null) worst = Math.max(worst, Check.assertClose(what + " db", dbRef, db, RTOL));

                // without dx (a first layer): dw and db are the same
                float[] dw2 = new float[dwRef.length], db2 = db == null ? null : new float[g.K()];
                ConvPhase.backward(null, dw2, db2, c.dy(), c.x(), c.w(), N, g, ws, kern, null);
                assertArrayEquals(dw, dw2, what + " dw without dx");
                if (db != null) assertArrayEquals(db, db2, what + " db without dx");
            }
            System.out.printf("ConvPhaseTest %s threads=%d, %d %s: worst rel err %.3e%n",
                    kern.getClass().getSimpleName(), threads, cases.size(), label, worst);
        }
    }

    /** Checked through the adjoint relations, as in {@link ConvReferenceTest}. */
    private void transposeMatchesReference(int threads, List<Case> cases, String label) {
        Parallel.setThreads(threads);
        for (CorrKernels kern : kernelSets()) {
            Workspace ws = new Workspace();
            double worst = 0;
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                ConvGeometry g = c.g();
                int N = c.N(), C = g.C(), hw = g.H() * g.W();
                String what = kern.getClass().getSimpleName() + " threads=" + threads + " transposed case " + i + " " + c;
                // the transposed convolution's input is c.dy() (N,K,P,Q), its output gradient c.x() (N,C,H,W)
                float[] xt = c.dy(), dyt = c.x(), bt = c.b() == null ? null : Arrays.copyOf(c.w(), C);
                float[] yRef = new float[N * g.inSize()];
                ConvReference.backward(yRef, new float[g.weightSize()], null, xt, new float[N * g.inSize()], c.w(), N, g);
                if (bt != null) for (int n = 0; n < N; n++) for (int ch = 0; ch < C; ch++) for (int j = 0; j < hw; j++) yRef[(n * C + ch) * hw + j] += bt[ch];
                float[] dxRef = new float[N * g.outSize()], dwRef = new float[g.weightSize()];
                ConvReference.forward(dxRef, dyt, c.w(), null, N, g);
                ConvReference.backward(new float[N * g.inSize()], dwRef, null, xt, dyt, c.w(), N, g);
                float[] dbRef = bt == null ? null : new float[C];
                for (int ch = 0; dbRef != null && ch < C; ch++) {
                    double sum = 0;
                    for (int n = 0; n < N; n++) for (int j = 0; j < hw; j++) sum += dyt[(n * C + ch) * hw + j];
                    dbRef[ch] = (float) sum;
                }

                poison(ws, threads);
                float[] y = nans(yRef.length), dx = nans(dxRef.length), dw = new float[dwRef.length];
                float[] db = dbRef == null ? null : new float[C];
                ConvPhase.transposeForward(y, xt, c.w(), bt, N, g, ws, kern, null);
                poison(ws, threads);
                ConvPhase.transposeBackward(dx, dw, db, dyt, xt, c.w(), N, g, ws, kern, null);
                worst = Math.max(worst, Check.assertClose(what + " y", yRef, y, RTOL, new int[] {N, C, g.H(), g.W()}));
                worst = Math.max(worst, Check.assertClose(what + " dx", dxRef, dx, RTOL, new int[] {N, g.K(), g.P(), g.Q()}));
                worst = Math.max(worst, Check.assertClose(what + " dw", dwRef, dw, RTOL, new int[] {g.K(), C, g.R(), g.S()}));
                if (db != null) worst = Math.max(worst, Check.assertClose(what + " db", dbRef, db, RTOL));
            }
            System.out.printf("ConvPhaseTest %s threads=%d, %d %s: worst rel err %.3e%n",
                    kern.getClass().getSimpleName(), threads, cases.size(), label, worst);
        }
    }

    @Test
    void stridedResultsAreRepeatableAndYAndDxDoNotDependOnThreadCount() {
        List<Case> cases = new ArrayList<>(stridedCases(31, 9));
        cases.addAll(shortGroupCases(3));
        for (CorrKernels kern : kernelSets()) {
            for (Case c : cases) {
                ConvGeometry g = c.g();
                int N = c.N();
                String what = kern.getClass().getSimpleName() + " " + c;
                float[][] first = null, second = null;
                for (int run = 0; run < 3; run++) {
                    Parallel.setThreads(run == 0 ? 1 : 2);
                    Workspace ws = new Workspace();
                    float[] y = new float[N * g.outSize()], dx = new float[N * g.inSize()], dw = new float[g.weightSize()];
                    float[] yt = new float[N * g.inSize()], dxt = new float[N * g.outSize()], dwt = new float[g.weightSize()];
                    ConvPhase.forward(y, c.x(), c.w(), c.b(), N, g, ws, kern, null);
                    ConvPhase.backward(dx, dw, null, c.dy(), c.x(), c.w(), N, g, ws, kern, null);
                    ConvPhase.transposeForward(yt, c.dy(), c.w(), null, N, g, ws, kern, null);
                    ConvPhase.transposeBackward(dxt, dwt, null, c.x(), c.dy(), c.w(), N, g, ws, kern, null);
                    float[][] now = {y, dx, yt, dxt, dw, dwt};
                    if (run == 0) {
                        first = now;
                        continue;
                    }
                    // y and dx: each element one sum in a fixed order, whatever the thread count
                    for (int a = 0; a < 4; a++) assertArrayEquals(first[a], now[a], what + " output " + a + " with 1 vs 2 threads");
                    if (run == 2) {
                        // dw: summed per chunk, so only repeatable for one thread count (runs 1 and 2 use 2 threads)
                        assertArrayEquals(second[0], dw, what + " dw on repeat");
                        assertArrayEquals(second[1], dwt, what + " transposed dw on repeat");
                    } else {
                        second = new float[][] {dw, dwt};
                    }
                }
            }
        }
    }

    private static float[] nans(int n) {
        float[] a = new float[n];
        Arrays.fill(a, Float.NaN);
        return a;
    }

    /** Fills the workspace's slots with NaN, so a kernel that reads scratch before writing it shows up. */
    private static void poison(Workspace ws, int threads) {
        for (int s = 0; s <= 5 * threads; s++) Arrays.fill(ws.get(s, 4096), Float.NaN);
    }
}
