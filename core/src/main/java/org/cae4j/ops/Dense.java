package org.cae4j.ops;

/**
 * The fully connected product behind {@code nn.Linear}, as PyTorch's {@code F.linear}: y = x·wᵀ + b, on
 * {@link Gemm}.
 *
 * <pre>
 * N batch, I in-features, O out-features
 *   x (N,I)   w (O,I)   b (O)   y (N,O)
 *   y = x · wᵀ + b;   dx = dy · w;   dw += dyᵀ · x;   db += Σ_n dy
 * tied to the transpose of another layer's weight, w stored (I,O):
 *   y = x · w + b;    dx = dy · wᵀ;  dw += xᵀ · dy;   db += Σ_n dy
 * </pre>
 * Products of at least {@link #SPLIT_MIN} multiply-adds are split over the {@link Parallel} chunks: y and dx by
 * whichever of their dimensions is longer (batch rows when the batch outnumbers the features, so each chunk packs
 * only its part of the larger operand; feature columns otherwise; for inference batch rows from
 * {@link #INFERENCE_ROWS} per chunk on), dw by its rows; except that dx, when w has at
 * least as many rows (out-features) as columns, is split by w's rows into partial sums added in chunk order, so
 * that every chunk reads only the rows of w it owns in the other products. Every element is computed by one
 * chunk, or summed from the chunks' partials in a fixed order, so results do not depend on scheduling. The bias
 * is copied into y's rows first and the product added into them (a separate pass adding b to every row costs a
 * third of the product at batch 64: the JIT does not vectorise that loop); db is the product 1ᵀ·dy, for the same
 * reason.
 */
public final class Dense {
    /** Multiply-adds below which a product stays on the calling thread. Model D's batch-64 products (6.4 M) gain
     *  from the split once the bias is no longer a serial pass after it: 64×128→784 forward 87 → 61 µs, backward
     *  185 → 129 µs on 2 threads (DenseProbe, Temurin 25); products below 1 M do not pay for the hand-over. */
    static final long SPLIT_MIN = 1L << 20;
    /** The threshold in use: SPLIT_MIN, lowered by tests of the split path. */
    static long splitMin = Long.getLong("cae4j.denseSplitMin", SPLIT_MIN);

    private Dense() {}

    /** Runs body over [0, n) in Parallel chunks when the product has at least splitMin multiply-adds. */
    private static void split(int n, long work, Parallel.ChunkBody body) {
        Parallel.forChunks(n, work, splitMin, body);
    }

    /** y (N,O) = x (N,I) · wᵀ + b, with w (O,I) and b (O); {@code b} may be null. */
    public static void linearForward(float[] y, float[] x, float[] w, float[] b, int N, int I, int O) {
        linearForward(y, x, w, b, N, I, O, false, null);
    }

    /**
     * A step over the block rows [n0, n1) × columns [o0, o1) of an (N,O) array, run by the chunk that computes or
     * first reads that block: an activation applied to a forward product's block while it is in cache ({@code
     * after}), or one's gradient made just before the backward product reads it ({@code before}).
     */
    @FunctionalInterface
    public interface BlockStep { void run(int n0, int n1, int o0, int o1); }

    /** As {@link #linearForward}, then {@code after} (may be null) on each block of y as soon as it is computed. */
    public static void linearForward(float[] y, float[] x, float[] w, float[] b, int N, int I, int O, BlockStep after) {
        linearForward(y, x, w, b, N, I, O, false, after);
    }

    /**
     * As {@link #linearForward}, for inference (no backward follows): split by batch rows whenever every chunk gets
     * at least {@link #INFERENCE_ROWS} of them, so that each thread's rows stay in its core from layer to layer
     * while the weight, which no optimizer writes, is read by both. In training the split stays by features when
     * the batch is smaller: the weight's rows then stay with the thread that updates them. Model D's inference at
     * batch 64 on 2 threads (TrainRun, three alternating pairs each, Temurin 25): 277 / 290 / 286k → 315 / 312 / 310k
     * img/s, and later 272 / 355 / 354k → 316 / 372 / 366k; model B's (its Linear(20->1568)) unchanged within the
     * noise. The same split in training made D slower (71 / 73 / 72k → 58 / 68 / 67k img/s).
     */
    public static void linearInference(float[] y, float[] x, float[] w, float[] b, int N, int I, int O) {
        linearForward(y, x, w, b, N, I, O, true, null);
    }

    /** As {@link #linearInference}, then {@code after} (may be null) on each block of y as soon as it is computed. */
    public static void linearInference(float[] y, float[] x, float[] w, float[] b, int N, int I, int O, BlockStep after) {
        linearForward(y, x, w, b, N, I, O, true, after);
    }

    private static void linearForward(float[] y, float[] x, float[] w, float[] b, int N, int I, int O, boolean inference,
                                      BlockStep after) {
        biasedProduct(y, b, N, I, O, inference, after,
                (n0, n1, o0, o1, acc) -> Gemm.nt(n1 - n0, o1 - o0, I, x, n0 * I, I, w, o0 * I, I, y, n0 * O + o0, O, acc));
    }

    /**
     * Whether an inference product of an (out, in) weight runs faster on a copy of the weight transposed to (in, out)
     * ({@link #linearTransposedInference}, whose products of up to 32 rows read the weight in place) than on the
     * weight itself ({@link #linearInference}, which packs it on every call): except for a few out-features over many
     * in-features, where the dot products of {@code nt} do better. GemmSpeed, one thread, 32 rows (a chunk of batch
     * 64), GFLOP/s nt against nn, Temurin 25 on AVX-512 (Zen 4): 784→128 53.7 / 70.5, 128→784 74.0 / 96.2,
     * 128→64 43.8 / 67.2, 64→32 43.1 / 82.7, 784→32 57.0 / 77.6, 20→1568 45.6 / 89.5; but 1568→20 60.5 / 44.1 and
     * 784→10 59.9 / 30.0.
     */
    public static boolean transposedFaster(int in, int out) { return out >= 32 || in < 256; }

    /** Rows per chunk from which {@link #linearInference} splits by batch rows: two panels of the GEMM kernels. */
    static final int INFERENCE_ROWS = 16;

    /** Writes dx (N,I) = dy (N,O) · w; adds dw (O,I) += dyᵀ · x and db (O) += Σ_n dy. {@code dx}, {@code db} may be null. */
    public static void linearBackward(float[] dx, float[] dw, float[] db, float[] dy, float[] x, float[] w,
                                      int N, int I, int O) {
        linearBackward(dx, dw, db, dy, x, w, N, I, O, null);
    }

    /**
     * As {@link #linearBackward}, with dy made by {@code before} (may be null) first: on the columns of each chunk of
     * dw's product, which reads those columns first.
     */
    public static void linearBackward(float[] dx, float[] dw, float[] db, float[] dy, float[] x, float[] w,
                                      int N, int I, int O, BlockStep before) {
        split(O, (long) N * I * O, (c, o0, o1) -> {
            if (before != null) before.run(0, N, o0, o1);
            Gemm.tn(o1 - o0, I, N, dy, o0, O, x, 0, I, dw, o0 * I, I, true);
        });
        if (db != null) Gemm.nn(1, O, N, ones(N), 0, N, dy, 0, O, db, 0, O, true);
        if (dx != null) {
            if (N > I) split(N, (long) N * I * O, (c, n0, n1) -> Gemm.nn(n1 - n0, I, O, dy, n0 * O, O, w, 0, I, dx, n0 * I, I, false));
            else if (O >= I && (long) N * I * O >= splitMin) dxByWeightRows(dx, dy, w, N, I, O);
            else split(I, (long) N * I * O, (c, i0, i1) -> Gemm.nn(N, i1 - i0, O, dy, 0, O, w, i0, I, dx, i0, I, false));
        }
    }

    /**
     * dx (N,I) = dy · w split by w's rows, the sum over o: chunk c computes dy[:, o0:o1] · w[o0:o1, :] into dx (chunk
     * 0) or its own partial, and the partials are then added to dx in chunk order. Each chunk reads the rows of w
     * that it reads in the forward product and updates in dw and in the optimizer's step, which stay in its core's
     * cache; a split by dx's columns reads every row and so fetches half of w from the other core. Model D's
     * Linear(128->784) backward at batch 64, 2 threads: dx 103 → 60 µs a call, and Adam's step, which no longer
     * finds those rows in the other core, 1.6 → 1.2 µs an image (StepTimes D).
     */
    private static void dxByWeightRows(float[] dx, float[] dy, float[] w, int N, int I, int O) {
        int chunks = Parallel.chunks(O);
        Workspace ws = PARTIALS.get();
        float[][] part = new float[chunks][];
        part[0] = dx;
        for (int c = 1; c < chunks; c++) part[c] = ws.get(c, N * I);
        Parallel.forChunks(O, (c, o0, o1) -> Gemm.nn(N, I, o1 - o0, dy, o0, O, w, o0 * I, I, part[c], 0, I, false));
        for (int c = 1; c < chunks; c++) {
            float[] q = part[c];
            for (int i = 0; i < N * I; i++) dx[i] += q[i];
        }
    }

    /** Per calling thread: the partial products of chunks 1.. of {@link #dxByWeightRows}, in slots 1.. */
    private static final ThreadLocal<Workspace> PARTIALS = ThreadLocal.withInitial(Workspace::new);

    /** y (N,O) = x (N,I) · w + b with w stored (I,O): a layer tied to the transpose of an (I,O)-shaped weight. */
    public static void linearTransposedForward(float[] y, float[] x, float[] w, float[] b, int N, int I, int O) {
        linearTransposedForward(y, x, w, b, N, I, O, false, null);
    }

    /** As {@link #linearTransposedForward}, then {@code after} (may be null) on each block of y once computed. */
    public static void linearTransposedForward(float[] y, float[] x, float[] w, float[] b, int N, int I, int O,
                                               BlockStep after) {
        linearTransposedForward(y, x, w, b, N, I, O, false, after);
    }

    /** As {@link #linearTransposedForward}, for inference: split as {@link #linearInference}. */
    public static void linearTransposedInference(float[] y, float[] x, float[] w, float[] b, int N, int I, int O) {
        linearTransposedForward(y, x, w, b, N, I, O, true, null);
    }

    /** As {@link #linearTransposedInference}, then {@code after} (may be null) on each block of y once computed. */
    public static void linearTransposedInference(float[] y, float[] x, float[] w, float[] b, int N, int I, int O,
                                                 BlockStep after) {
        linearTransposedForward(y, x, w, b, N, I, O, true, after);
    }

    private static void linearTransposedForward(float[] y, float[] x, float[] w, float[] b, int N, int I, int O,
                                                boolean inference, BlockStep after) {
        biasedProduct(y, b, N, I, O, inference, after,
                (n0, n1, o0, o1, acc) -> Gemm.nn(n1 - n0, o1 - o0, I, x, n0 * I, I, w, o0, O, y, n0 * O + o0, O, acc));
    }

    /** With w stored (I,O): writes dx (N,I) = dy · wᵀ; adds dw (I,O) += xᵀ · dy and db += Σ_n dy. */
    public static void linearTransposedBackward(float[] dx, float[] dw, float[] db, float[] dy, float[] x, float[] w,
                                                int N, int I, int O) {
        linearTransposedBackward(dx, dw, db, dy, x, w, N, I, O, null);
    }

    /**
     * As {@link #linearTransposedBackward}, with dy made by {@code before} (may be null) first, in chunks of rows
     * (dw's product, split by I, reads every column of dy).
     */
    public static void linearTransposedBackward(float[] dx, float[] dw, float[] db, float[] dy, float[] x, float[] w,
                                                int N, int I, int O, BlockStep before) {
        if (before != null) Parallel.forChunks(N, (long) N * O, STEP_SPLIT_MIN, (c, n0, n1) -> before.run(n0, n1, 0, O));
        split(I, (long) N * I * O, (c, i0, i1) -> Gemm.tn(i1 - i0, O, N, x, i0, I, dy, 0, O, dw, i0 * O, O, true));
        if (db != null) Gemm.nn(1, O, N, ones(N), 0, N, dy, 0, O, db, 0, O, true);
        if (dx != null) {
            if (N > I) split(N, (long) N * I * O, (c, n0, n1) -> Gemm.nt(n1 - n0, I, O, dy, n0 * O, O, w, 0, O, dx, n0 * I, I, false));
            else split(I, (long) N * I * O, (c, i0, i1) -> Gemm.nt(N, i1 - i0, O, dy, 0, O, w, i0 * O, O, dx, i0, I, false));
        }
    }

    /** The block rows [n0, n1) by columns [o0, o1) of a forward product y (N,O), added into y when {@code accumulate}. */
    @FunctionalInterface
    private interface Block { void run(int n0, int n1, int o0, int o1, boolean accumulate); }

    /**
     * y (N,O) = the product + b: split like every y (batch rows when the batch outnumbers the features, or for
     * inference when each chunk gets {@link #INFERENCE_ROWS}; feature columns otherwise), each chunk setting its block
     * of y to the bias, then adding its product block into it.
     */
    private static void biasedProduct(float[] y, float[] b, int N, int I, int O, boolean inference, BlockStep after,
                                      Block product) {
        boolean bias = b != null;
        if (N > O || inference && N >= INFERENCE_ROWS * Parallel.chunks(N)) {
            split(N, (long) N * I * O, (c, n0, n1) -> {
                fillBias(y, b, n0, n1, 0, O, O);
                product.run(n0, n1, 0, O, bias);
                if (after != null) after.run(n0, n1, 0, O);
            });
        } else {
            split(O, (long) N * I * O, (c, o0, o1) -> {
                fillBias(y, b, 0, N, o0, o1, O);
                product.run(0, N, o0, o1, bias);
                if (after != null) after.run(0, N, o0, o1);
            });
        }
    }

    /** Elements from which {@link #linearTransposedBackward}'s {@code before} step is split over the threads. */
    private static final long STEP_SPLIT_MIN = 1 << 16;

    /** Rows [n0, n1), columns [o0, o1) of y (·, O) set to the bias b; nothing when b is null. */
    private static void fillBias(float[] y, float[] b, int n0, int n1, int o0, int o1, int O) {
        if (b == null) return;
        for (int n = n0; n < n1; n++) System.arraycopy(b, o0, y, n * O + o0, o1 - o0);
    }

    /** At least n ones, never written: db = 1ᵀ · dy as a product (a plain loop over rows is not vectorised). */
    private static volatile float[] ones = new float[0];

    private static float[] ones(int n) {
        float[] o = ones;
        if (o.length < n) {
            o = new float[Math.max(n, 2 * o.length)];
            java.util.Arrays.fill(o, 1f);
            ones = o;
        }
        return o;
    }
}
