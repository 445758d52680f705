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

/** {@link Conv} (im2col + GEMM, split over threads) against the plain loops of {@link ConvReference}. */
class ConvReferenceTest {
    private static final double RTOL = 1e-5;
    private static final int SHAPES = 40;

    private int savedThreads;

    @BeforeEach
    void saveThreads() { savedThreads = Parallel.threads(); }

    @AfterEach
    void restoreThreads() { Parallel.setThreads(savedThreads); }

    /** One random problem: sizes, padding and data. */
    record Case(int N, ConvGeometry g, Padding padding, float[] x, float[] w, float[] b, float[] dy) {
        @Override
        public String toString() { return "N=" + N + " " + g + " (" + padding + (b == null ? ", no bias)" : ")"); }
    }

    /** The padding of random case number {@code index}: valid, same, full and explicit per-side amounts in turn. */
    static Padding padding(int index, Rng rng) {
        return switch (index % 4) {
            case 0 -> Padding.valid();
            case 1 -> Padding.same();
            case 2 -> Padding.full();
            default -> Padding.of(rng.nextInt(4), rng.nextInt(4), rng.nextInt(4), rng.nextInt(4));
        };
    }

    /** Random shapes cycling through valid, same, full and explicit (per side) padding; every one a legal geometry. */
    static List<Case> randomCases(long seed, int count) { return randomCases(seed, count, 5, 12, 3); }

    /** As above with channels and filters up to maxC, sizes up to maxHW and strides up to maxStride. */
    static List<Case> randomCases(long seed, int count, int maxC, int maxHW, int maxStride) {
        Rng rng = new Rng(seed);
        List<Case> cases = new ArrayList<>();
        while (cases.size() < count) {
            int N = 1 + rng.nextInt(4), C = 1 + rng.nextInt(maxC), H = 1 + rng.nextInt(maxHW), W = 1 + rng.nextInt(maxHW);
            int K = 1 + rng.nextInt(maxC), R = 1 + rng.nextInt(5), S = 1 + rng.nextInt(5);
            int sh = 1 + rng.nextInt(maxStride), sw = 1 + rng.nextInt(maxStride);
            Padding padding = padding(cases.size(), rng);
            int[] p = padding.resolve(H, W, R, S, sh, sw);
            if (H + p[0] + p[1] < R || W + p[2] + p[3] < S) continue; // kernel overhangs: not a legal problem
            ConvGeometry g = ConvGeometry.of(C, H, W, K, R, S, sh, sw, padding);
            boolean bias = rng.nextInt(4) != 0;
            cases.add(new Case(N, g, padding, uniform(rng, N * g.inSize()), uniform(rng, g.weightSize()),
                    bias ? uniform(rng, K) : null, uniform(rng, N * g.outSize())));
        }
        return cases;
    }

    private static float[] uniform(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.uniform(-1, 1);
        return a;
    }

    /** Fills the workspace's first slots with NaN, so a kernel that reads scratch before writing it shows up. */
    private static void poison(Workspace ws, int slots, int size) {
        for (int s = 0; s < slots; s++) Arrays.fill(ws.get(s, size), Float.NaN);
    }

    @ParameterizedTest(name = "threads = {0}")
    @ValueSource(ints = {1, 2, 3})
    void conv2dMatchesReferenceLoopsOnRandomShapes(int threads) {
        matchesReference(threads, randomCases(42, SHAPES), "random shapes");
    }

    /**
     * Stride 1 only, more channels and larger images: with the vector kernels these run on the direct
     * convolution (tiles of 4 filters, outputs longer than one tile), with the plain ones on im2col + GEMM.
     */
    @ParameterizedTest(name = "threads = {0}")
    @ValueSource(ints = {1, 2, 3})
    void stride1ConvMatchesReferenceLoopsOnRandomShapes(int threads) {
        List<Case> cases = randomCases(1234, SHAPES, 10, 30, 1);
        for (Case c : cases) assertEquals(1, c.g().strideH() * c.g().strideW(), c.toString());
        matchesReference(threads, cases, "stride-1 shapes" + (Conv.direct(cases.get(0).g()) ? " (direct kernels)" : ""));
    }

    /**
     * One output map (K = 1) with 3 or 5 kernel rows: the forward takes blocks of 4 output rows when the output has
     * a multiple of 4 rows and rows of at most 2 vectors (model A's 16→1 conv, model C's last), the tiles
     * otherwise; both against the reference loops, on channels 1–16 and sizes up to 40.
     */
    @ParameterizedTest(name = "threads = {0}")
    @ValueSource(ints = {1, 2, 3})
    void singleMapConvMatchesReferenceLoops(int threads) {
        Rng rng = new Rng(77);
        List<Case> cases = new ArrayList<>();
        int rowBlocks = 0;
        while (cases.size() < 40) {
            int N = 1 + rng.nextInt(3), C = 1 + rng.nextInt(16), R = rng.nextInt(2) == 0 ? 3 : 5, S = 1 + rng.nextInt(5);
            int H = R + rng.nextInt(37), W = S + rng.nextInt(37);
            Padding padding = padding(cases.size(), rng);
            int[] p = padding.resolve(H, W, R, S, 1, 1);
            if (H + p[0] + p[1] < R || W + p[2] + p[3] < S) continue;
            ConvGeometry g = ConvGeometry.of(C, H, W, 1, R, S, 1, 1, padding);
            if (g.P() % 4 == 0 && W + p[2] + p[3] <= 32) rowBlocks++;
            cases.add(new Case(N, g, padding, uniform(rng, N * g.inSize()), uniform(rng, g.weightSize()),
                    rng.nextInt(2) == 0 ? uniform(rng, 1) : null, uniform(rng, N * g.outSize())));
        }
        assertTrue(rowBlocks >= 5, "cases in blocks of 4 rows: " + rowBlocks);
        matchesReference(threads, cases, "single-map shapes");
    }

    /**
     * ConvTranspose against the reference loops through the adjoint relations: its forward is the conv's
     * input gradient, its input gradient the conv's forward, and its weight gradient the conv's with the roles
     * of input and output gradient swapped. Grouped images (N up to 4) and 1 to 3 threads.
     */
    @ParameterizedTest(name = "threads = {0}")
    @ValueSource(ints = {1, 2, 3})
    void convTransposeMatchesReferenceLoopsOnRandomShapes(int threads) {
        Parallel.setThreads(threads);
        Workspace ws = new Workspace();
        double worst = 0;
        List<Case> cases = randomCases(99, SHAPES);
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            ConvGeometry g = c.g();
            int N = c.N(), C = g.C(), hw = g.H() * g.W();
            String what = "threads=" + threads + " transposed case " + i + " " + c;
            float[] xt = c.dy(), dyt = c.x(), bt = c.b() == null ? null : uniformBias(C, i);
            // forward: y = conv input-gradient of xt, plus the bias per output channel
            float[] yRef = new float[N * g.inSize()], unusedDw = new float[g.weightSize()];
            ConvReference.backward(yRef, unusedDw, null, xt, new float[N * g.inSize()], c.w(), N, g);
            if (bt != null) for (int n = 0; n < N; n++) for (int ch = 0; ch < C; ch++) for (int j = 0; j < hw; j++) yRef[(n * C + ch) * hw + j] += bt[ch];
            poison(ws, 4 * threads + 1, 4096);
            float[] y = new float[yRef.length];
            Arrays.fill(y, Float.NaN);
            ConvTranspose.convTranspose2dForward(y, xt, c.w(), bt, N, g, ws);
            worst = Math.max(worst, Check.assertClose(what + " y", yRef, y, RTOL));
            // backward
            float[] dxRef = new float[N * g.outSize()], dwRef = new float[g.weightSize()];
            ConvReference.forward(dxRef, dyt, c.w(), null, N, g);
            ConvReference.backward(new float[N * g.inSize()], dwRef, null, xt, dyt, c.w(), N, g);
            float[] dbRef = bt == null ? null : new float[C];
            for (int ch = 0; dbRef != null && ch < C; ch++) {
                double sum = 0; // in double, so the reference's own rounding does not count against the kernel
                for (int n = 0; n < N; n++) for (int j = 0; j < hw; j++) sum += dyt[(n * C + ch) * hw + j];
                dbRef[ch] = (float) sum;
            }
            poison(ws, 4 * threads + 1, 4096);
            float[] dx = new float[dxRef.length], dw = new float[dwRef.length], db = dbRef == null ? null : new float[C];
            Arrays.fill(dx, Float.NaN);
            ConvTranspose.convTranspose2dBackward(dx, dw, db, dyt, xt, c.w(), N, g, ws);
            worst = Math.max(worst, Check.assertClose(what + " dx", dxRef, dx, RTOL));
            worst = Math.max(worst, Check.assertClose(what + " dw", dwRef, dw, RTOL));
            if (db != null) worst = Math.max(worst, Check.assertClose(what + " db", dbRef, db, RTOL));
        }
        System.out.printf("ConvReferenceTest threads=%d, %d transposed shapes: worst rel err %.3e%n", threads, cases.size(), worst);
    }

    private static float[] uniformBias(int n, long seed) {
        Rng rng = new Rng(1000 + seed);
        float[] b = new float[n];
        for (int i = 0; i < n; i++) b[i] = (float) rng.uniform(-1, 1);
        return b;
    }

    private void matchesReference(int threads, List<Case> cases, String label) {
        Parallel.setThreads(threads);
        Workspace ws = new Workspace(); // shared across shapes: buffers are reused with stale contents
        double worstY = 0, worstDx = 0, worstDw = 0, worstDb = 0;
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            ConvGeometry g = c.g();
            int N = c.N();
            String what = "threads=" + threads + " case " + i + " " + c;

            float[] yRef = new float[N * g.outSize()];
            ConvReference.forward(yRef, c.x(), c.w(), c.b(), N, g);
            float[] dxRef = new float[N * g.inSize()], dwRef = new float[g.weightSize()];
            float[] dbRef = c.b() == null ? null : new float[g.K()];
            ConvReference.backward(dxRef, dwRef, dbRef, c.dy(), c.x(), c.w(), N, g);

            poison(ws, 4 * threads + 1, 4096);
            float[] y = new float[yRef.length];
            Arrays.fill(y, Float.NaN);
            Conv.conv2dForward(y, c.x(), c.w(), c.b(), N, g, ws);
            int[] yShape = {N, g.K(), g.P(), g.Q()};
            worstY = Math.max(worstY, Check.assertClose(what + " y", yRef, y, RTOL, yShape));

            poison(ws, 4 * threads + 1, 4096);
            float[] dx = new float[dxRef.length], dw = new float[dwRef.length];
            float[] db = dbRef == null ? null : new float[dbRef.length];
            Arrays.fill(dx, Float.NaN);
            Conv.conv2dBackward(dx, dw, db, c.dy(), c.x(), c.w(), N, g, ws);
            worstDx = Math.max(worstDx, Check.assertClose(what + " dx", dxRef, dx, RTOL, new int[] {N, g.C(), g.H(), g.W()}));
            worstDw = Math.max(worstDw, Check.assertClose(what + " dw", dwRef, dw, RTOL, new int[] {g.K(), g.C(), g.R(), g.S()}));
            if (db != null) worstDb = Math.max(worstDb, Check.assertClose(what + " db", dbRef, db, RTOL));
        }
        System.out.printf("ConvReferenceTest threads=%d, %d %s: worst rel err y %.3e, dx %.3e, dw %.3e, db %.3e%n",
                threads, cases.size(), label, worstY, worstDx, worstDw, worstDb);
    }

    @ParameterizedTest(name = "threads = {0}")
    @ValueSource(ints = {1, 2})
    void conv2dBackwardAddsIntoDwDbAndOverwritesDx(int threads) {
        Parallel.setThreads(threads);
        Workspace ws = new Workspace();
        List<Case> cases = randomCases(7, 8);
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            if (c.b() == null) continue;
            ConvGeometry g = c.g();
            int N = c.N();
            String what = "threads=" + threads + " case " + i + " " + c;
            float[] dxRef = new float[N * g.inSize()], dwRef = new float[g.weightSize()], dbRef = new float[g.K()];
            ConvReference.backward(dxRef, dwRef, dbRef, c.dy(), c.x(), c.w(), N, g);
            float[] twiceDw = new float[dwRef.length], twiceDb = new float[dbRef.length];
            for (int j = 0; j < dwRef.length; j++) twiceDw[j] = 2 * dwRef[j];
            for (int j = 0; j < dbRef.length; j++) twiceDb[j] = 2 * dbRef[j];

            float[] dx = new float[dxRef.length], dw = new float[dwRef.length], db = new float[dbRef.length];
            Arrays.fill(dx, 1e6f);
            Conv.conv2dBackward(dx, dw, db, c.dy(), c.x(), c.w(), N, g, ws);
            Conv.conv2dBackward(dx, dw, db, c.dy(), c.x(), c.w(), N, g, ws);
            Check.assertClose(what + " dx after two calls (overwritten)", dxRef, dx, RTOL);
            Check.assertClose(what + " dw after two calls (accumulated)", twiceDw, dw, RTOL);
            Check.assertClose(what + " db after two calls (accumulated)", twiceDb, db, RTOL);
        }
    }

    @Test
    void conv2dWithTwoThreadsIsBitwiseRepeatable() {
        Parallel.setThreads(2);
        Workspace ws = new Workspace();
        for (Case c : randomCases(99, 12)) {
            ConvGeometry g = c.g();
            int N = c.N();
            float[] y0 = null, dx0 = null, dw0 = null, db0 = null;
            for (int rep = 0; rep < 4; rep++) {
                float[] y = new float[N * g.outSize()], dx = new float[N * g.inSize()], dw = new float[g.weightSize()];
                float[] db = c.b() == null ? null : new float[g.K()];
                Conv.conv2dForward(y, c.x(), c.w(), c.b(), N, g, ws);
                Conv.conv2dBackward(dx, dw, db, c.dy(), c.x(), c.w(), N, g, ws);
                if (rep == 0) {
                    y0 = y; dx0 = dx; dw0 = dw; db0 = db;
                } else {
                    assertArrayEquals(y0, y, "y differs on repeat " + rep + " for " + c);
                    assertArrayEquals(dx0, dx, "dx differs on repeat " + rep + " for " + c);
                    assertArrayEquals(dw0, dw, "dw differs on repeat " + rep + " for " + c);
                    if (db != null) assertArrayEquals(db0, db, "db differs on repeat " + rep + " for " + c);
                }
            }
        }
    }

    @Test
    void conv2dForwardAndDxDoNotDependOnThreadCount() {
        // each image is computed by the same code whichever chunk it lands in, so y and dx match bit for bit
        Workspace ws = new Workspace();
        for (Case c : randomCases(123, 12)) {
            ConvGeometry g = c.g();
            int N = c.N();
            float[][] ys = new float[2][], dxs = new float[2][];
            for (int t = 1; t <= 2; t++) {
                Parallel.setThreads(t);
                ys[t - 1] = new float[N * g.outSize()];
                dxs[t - 1] = new float[N * g.inSize()];
                Conv.conv2dForward(ys[t - 1], c.x(), c.w(), c.b(), N, g, ws);
                Conv.conv2dBackward(dxs[t - 1], new float[g.weightSize()], null, c.dy(), c.x(), c.w(), N, g, ws);
            }
            assertArrayEquals(ys[0], ys[1], "y with 1 vs 2 threads for " + c);
            assertArrayEquals(dxs[0], dxs[1], "dx with 1 vs 2 threads for " + c);
        }
    }

    @Test
    void randomCasesCoverEveryPaddingModeAndStride() {
        List<Case> cases = randomCases(42, SHAPES);
        assertEquals(SHAPES, cases.size());
        for (Padding.Mode m : Padding.Mode.values()) {
            assertEquals(true, cases.stream().anyMatch(c -> c.padding().mode() == m), "no case with padding " + m);
        }
        for (int s = 1; s <= 3; s++) {
            final int stride = s;
            assertEquals(true, cases.stream().anyMatch(c -> c.g().strideH() == stride), "no case with strideH " + s);
        }
        assertEquals(true, cases.stream().anyMatch(c -> c.N() >= 2), "no case with N >= 2 (threads would not split)");
        assertEquals(true, cases.stream().anyMatch(c -> c.g().padTop() != c.g().padBottom()), "no asymmetric padding");
    }
}
