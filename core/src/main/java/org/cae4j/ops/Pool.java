package org.cae4j.ops;

import java.util.Arrays;

/**
 * 2-D max and average pooling, as PyTorch's {@code max_pool2d} and {@code avg_pool2d} (dilation 1).
 *
 * <pre>
 * N batch, C channels, H,W input, R,S window, P,Q output (see {@link PoolGeometry})
 *   x (N,C,H,W)   y (N,C,P,Q)   argmax (N,C,P,Q): the index h·W + w, within its H×W plane, of each max
 *   window of y[n,c,p,q]: rows p·sh − ph … p·sh − ph + R − 1, columns q·sw − pw … q·sw − pw + S − 1
 *   max:  y = max over the window's pixels inside x (padding is −∞); ties go to the first in row-major
 *         order and a NaN wins, as PyTorch;  dx[argmax] += dy
 *   avg:  y = Σ window ∩ x / divisor;  dx[window ∩ x] += dy / divisor, where the divisor is the window's
 *         area clipped to the padded input, rows up to H + ph and columns up to W + pw (count_include_pad),
 *         or clipped to x itself (not count_include_pad). A ceil-mode window hanging past the padding
 *         is thus divided by fewer than R·S even when padding is counted.
 * </pre>
 * Backward passes write dx (every element).
 */
public final class Pool {
    private Pool() {}

    /** y (N,C,P,Q) = max over each window of x (N,C,H,W); argmax (N,C,P,Q) gets each max's index in its plane. */
    public static void maxPool2dForward(float[] y, int[] argmax, float[] x, int N, PoolGeometry g) {
        Parallel.forChunks(N * g.C(), (chunk, from, to) -> maxPlanes(y, argmax, x, from, to, g));
    }

    /** The Vector-API kernels, or null with the plain ones. */
    private static final ElementwiseKernels FAST = Activations.fast();

    /** Windows of 2×2 at stride 2 without padding: they tile the plane without overlapping. */
    private static boolean twoByTwo(PoolGeometry g) {
        return g.R() == 2 && g.S() == 2 && g.strideH() == 2 && g.strideW() == 2 && g.padH() == 0 && g.padW() == 0;
    }

    /** maxPool2dForward for planes [from, to) of the N·C. */
    private static void maxPlanes(float[] y, int[] argmax, float[] x, int from, int to, PoolGeometry g) {
        int H = g.H(), W = g.W(), P = g.P(), Q = g.Q();
        boolean twoByTwo = twoByTwo(g);
        if (twoByTwo && FAST != null && H >= 2 && W >= 2) {
            maxPlanes2x2(y, argmax, x, from, to, g);
            return;
        }
        for (int plane = from; plane < to; plane++) {
            int xOff = plane * H * W, yOff = plane * P * Q;
            for (int p = 0; p < P; p++) {
                if (twoByTwo && 2 * p + 1 < H) {
                    // the common 2×2 window, inside x up to a ceil-mode last column, without a branch that
                    // depends on the data (on real data each comparison is a coin toss for the branch predictor)
                    int full = Math.min(Q, W / 2), r0 = xOff + 2 * p * W, out = yOff + p * Q;
                    boolean special = false;
                    for (int q = 0; q < full; q++) {
                        int i = r0 + 2 * q;
                        float a = x[i], b = x[i + 1], c = x[i + W], d = x[i + W + 1];
                        float m = Math.max(Math.max(a, b), Math.max(c, d));
                        // a NaN or an infinite maximum: the row is redone by the general loop below
                        special |= !(Math.abs(m) < Float.POSITIVE_INFINITY);
                        // the first of a, b, c, d equal to m: the smallest key, where key = order + 4 unless equal
                        int k = Math.min(Math.min(key(m - a, 0), key(m - b, 1)), Math.min(key(m - c, 2), key(m - d, 3)));
                        int at = (k & 1) + ((k >> 1) & 1) * W; // masked: with a NaN k is junk, but in the window
                        y[out + q] = x[i + at]; // not m: max(-0, +0) is +0, but the first of two zeros wins
                        argmax[out + q] = i - xOff + at;
                    }
                    for (int q = special ? 0 : full; q < Q; q++) maxWindow(y, argmax, x, xOff, yOff, p, q, g);
                    continue;
                }
                for (int q = 0; q < Q; q++) maxWindow(y, argmax, x, xOff, yOff, p, q, g);
            }
        }
    }

    /**
     * 2×2 windows at stride 2 on the vector kernel ({@link ElementwiseKernels#maxPool2x2Rows}): the rows of windows
     * wholly inside x (Pf = ⌊H/2⌋ rows of Qf = ⌊W/2⌋) in place as long as what a row's last vector reads and writes
     * past its end stays in the plane (the next row rewrites it); the last rows through a zero-padded copy of
     * their two input rows; a row with a NaN or an infinite maximum, and a ceil-mode last row and column, by
     * {@link #maxWindow}. The same results as the scalar loops.
     */
    private static void maxPlanes2x2(float[] y, int[] argmax, float[] x, int from, int to, PoolGeometry g) {
        int H = g.H(), W = g.W(), P = g.P(), Q = g.Q(), Pf = H / 2, Qf = W / 2, V = FAST.lanes();
        int k = inPlaceRows(Pf, Qf, P, Q, H, W, V), span = (Qf + V - 1) / V * V;
        float[][] rows = ROWS.get();
        if (rows[0].length < W + 2 * span) rows[0] = new float[W + 2 * span]; // once per thread and size
        if (rows[1].length < span) rows[1] = new float[span];
        int[] at = ARGMAX_ROW.get();
        if (at.length < span) ARGMAX_ROW.set(at = new int[span]);
        float[] xs = rows[0], ys = rows[1];
        for (int plane = from; plane < to; plane++) {
            int xOff = plane * H * W, yOff = plane * P * Q;
            for (int p = 0; p < Pf; ) {
                if (p < k) {
                    p = FAST.maxPool2x2Rows(y, argmax, x, xOff, yOff, p, k, Qf, Q, W);
                    if (p < k) maxRow(y, argmax, x, xOff, yOff, p++, Qf, g); // a NaN or an infinity
                    continue;
                }
                System.arraycopy(x, xOff + 2 * p * W, xs, 0, 2 * W);
                if (FAST.maxPool2x2Rows(ys, at, xs, 0, 0, 0, 1, Qf, Qf, W) == 1) {
                    System.arraycopy(ys, 0, y, yOff + p * Q, Qf);
                    for (int q = 0; q < Qf; q++) argmax[yOff + p * Q + q] = at[q] + 2 * p * W;
                } else {
                    maxRow(y, argmax, x, xOff, yOff, p, Qf, g);
                }
                p++;
            }
            for (int p = 0; p < P; p++)
                for (int q = p < Pf ? Qf : 0; q < Q; q++) maxWindow(y, argmax, x, xOff, yOff, p, q, g);
        }
    }

    /** Per-thread rows of {@link #maxPlanes2x2}: two padded input rows, one row of outputs, one of their places. */
    private static final ThreadLocal<float[][]> ROWS = ThreadLocal.withInitial(() -> new float[2][0]);
    private static final ThreadLocal<int[]> ARGMAX_ROW = ThreadLocal.withInitial(() -> new int[0]);

    /** Windows q &lt; Qf of row p by {@link #maxWindow}. */
    private static void maxRow(float[] y, int[] argmax, float[] x, int xOff, int yOff, int p, int Qf, PoolGeometry g) {
        for (int q = 0; q < Qf; q++) maxWindow(y, argmax, x, xOff, yOff, p, q, g);
    }

    /**
     * How many of the Pf rows of whole windows the row kernel may take in place: the largest k &lt; Pf (the row
     * after each rewrites what it writes past its end) such that row k − 1's reads (2V floats from each of its
     * vectors' first pixel, in the lower of its two input rows) stay inside the H×W plane and its writes (V
     * outputs per vector) inside the P×Q one.
     */
    static int inPlaceRows(int Pf, int Qf, int P, int Q, int H, int W, int V) {
        if (Qf == 0) return 0;
        int lastVector = (Qf - 1) / V * V;
        for (int k = Pf - 1; k > 0; k--) {
            int p = k - 1;
            long read = (long) (2 * p + 1) * W + 2L * lastVector + 2L * V, write = (long) p * Q + lastVector + V;
            if (read <= (long) H * W && write <= (long) P * Q) return k;
        }
        return 0;
    }

    /** order when diff (m − v ≥ 0, finite m and v) is +0, i.e. v is the maximum, else order + 4; no branch. */
    private static int key(float diff, int order) {
        return order + 4 * Integer.signum(Float.floatToRawIntBits(diff));
    }

    /** One output of max pooling: window (p, q) of the plane at xOff, written at yOff. */
    private static void maxWindow(float[] y, int[] argmax, float[] x, int xOff, int yOff, int p, int q, PoolGeometry g) {
        int H = g.H(), W = g.W(), Q = g.Q();
        int h0 = p * g.strideH() - g.padH(), h1 = Math.min(h0 + g.R(), H);
        int w0 = q * g.strideW() - g.padW(), w1 = Math.min(w0 + g.S(), W);
        h0 = Math.max(h0, 0);
        w0 = Math.max(w0, 0);
        float max = Float.NEGATIVE_INFINITY;
        int at = h0 * W + w0;
        for (int h = h0; h < h1; h++) {
            for (int w = w0; w < w1; w++) {
                float v = x[xOff + h * W + w];
                if (v > max || v != v) { // v != v: NaN, which wins as in PyTorch
                    max = v;
                    at = h * W + w;
                }
            }
        }
        y[yOff + p * Q + q] = max;
        argmax[yOff + p * Q + q] = at;
    }

    /** dx (N,C,H,W) = dy (N,C,P,Q) routed to the argmax of each window, summed where windows share a max. */
    public static void maxPool2dBackward(float[] dx, float[] dy, int[] argmax, int N, PoolGeometry g) {
        int H = g.H(), W = g.W(), P = g.P(), Q = g.Q(), hw = H * W, pq = P * Q, Pf = H / 2, Qf = W / 2;
        // 2×2 windows at stride 2 do not overlap: the vector kernel writes the rows of whole windows that it may
        // (what it writes past a row lands in later rows, zeroed below), the loop below the rest
        int k = twoByTwo(g) && FAST != null ? inPlaceRowsBackward(Pf, Qf, P, Q, H, W, FAST.lanes()) : 0;
        Parallel.forChunks(N * g.C(), (chunk, from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int xOff = plane * hw, yOff = plane * pq;
                if (k == 0) {
                    Arrays.fill(dx, xOff, xOff + hw, 0f);
                    for (int i = 0; i < pq; i++) dx[xOff + argmax[yOff + i]] += dy[yOff + i];
                    continue;
                }
                FAST.maxPool2x2RowsBackward(dx, xOff, dy, argmax, yOff, 0, k, Qf, Q, W);
                if (2 * Qf < W) for (int h = 0; h < 2 * k; h++) dx[xOff + h * W + W - 1] = 0f;
                Arrays.fill(dx, xOff + 2 * k * W, xOff + hw, 0f);
                for (int p = 0; p < P; p++)
                    for (int q = p < k ? Qf : 0; q < Q; q++) dx[xOff + argmax[yOff + p * Q + q]] += dy[yOff + p * Q + q];
            }
        });
    }

    /**
     * How many rows of whole 2×2 windows {@link ElementwiseKernels#maxPool2x2RowsBackward} may take in place: the
     * largest k ≤ Pf such that row k − 1's reads of dy and argmax (V per vector) stay in the P×Q plane and its
     * writes (2V floats per vector in each of its two dx rows) in the H×W one.
     */
    static int inPlaceRowsBackward(int Pf, int Qf, int P, int Q, int H, int W, int V) {
        if (Qf == 0) return 0;
        int lastVector = (Qf - 1) / V * V;
        for (int k = Pf; k > 0; k--) {
            int p = k - 1;
            long read = (long) p * Q + lastVector + V, write = (long) (2 * p + 1) * W + 2L * lastVector + 2L * V;
            if (read <= (long) P * Q && write <= (long) H * W) return k;
        }
        return 0;
    }

    /** y (N,C,P,Q) = mean of each window of x (N,C,H,W), with PyTorch's divisor (see class doc). */
    public static void avgPool2dForward(float[] y, float[] x, int N, PoolGeometry g, boolean countIncludePad) {
        int H = g.H(), W = g.W(), P = g.P(), Q = g.Q();
        for (int plane = 0; plane < N * g.C(); plane++) {
            int xOff = plane * H * W, yOff = plane * P * Q;
            for (int p = 0; p < P; p++) {
                for (int q = 0; q < Q; q++) {
                    Window win = window(p, q, g, countIncludePad);
                    float sum = 0;
                    for (int h = win.h0; h < win.h1; h++) {
                        for (int w = win.w0; w < win.w1; w++) sum += x[xOff + h * W + w];
                    }
                    y[yOff + p * Q + q] = win.divisor == 0 ? 0f : sum / win.divisor;
                }
            }
        }
    }

    /** dx (N,C,H,W) = each dy (N,C,P,Q) spread evenly, dy / divisor, over its window's pixels inside x. */
    public static void avgPool2dBackward(float[] dx, float[] dy, int N, PoolGeometry g, boolean countIncludePad) {
        int H = g.H(), W = g.W(), P = g.P(), Q = g.Q();
        Arrays.fill(dx, 0, N * g.inSize(), 0f);
        for (int plane = 0; plane < N * g.C(); plane++) {
            int xOff = plane * H * W, yOff = plane * P * Q;
            for (int p = 0; p < P; p++) {
                for (int q = 0; q < Q; q++) {
                    Window win = window(p, q, g, countIncludePad);
                    if (win.divisor == 0) continue;
                    float d = dy[yOff + p * Q + q] / win.divisor;
                    for (int h = win.h0; h < win.h1; h++) {
                        for (int w = win.w0; w < win.w1; w++) dx[xOff + h * W + w] += d;
                    }
                }
            }
        }
    }

    /** The pixels [h0, h1) × [w0, w1) of window (p, q) that lie inside x, and its divisor. */
    private record Window(int h0, int h1, int w0, int w1, int divisor) {}

    private static Window window(int p, int q, PoolGeometry g, boolean countIncludePad) {
        int h0 = p * g.strideH() - g.padH(), w0 = q * g.strideW() - g.padW();
        // clipped to the padded input: what count_include_pad divides by
        int h1 = Math.min(h0 + g.R(), g.H() + g.padH()), w1 = Math.min(w0 + g.S(), g.W() + g.padW());
        int padded = (h1 - h0) * (w1 - w0);
        h0 = Math.max(h0, 0);
        w0 = Math.max(w0, 0);
        h1 = Math.min(h1, g.H());
        w1 = Math.min(w1, g.W());
        if (h0 >= h1 || w0 >= w1) return new Window(h0, h0, w0, w0, 0);
        return new Window(h0, h1, w0, w1, countIncludePad ? padded : (h1 - h0) * (w1 - w0));
    }
}
