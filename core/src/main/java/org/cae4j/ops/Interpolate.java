package org.cae4j.ops;

import java.util.Arrays;

/**
 * Upsampling by integer factors, as PyTorch's {@code F.interpolate(x, scale_factor=(sh, sw), mode=...)} with
 * {@code 'nearest'} or {@code 'bilinear'}.
 *
 * <pre>
 * N batch, C channels, H,W input, P,Q output: P = H·sh, Q = W·sw
 *   x (N,C,H,W)   y (N,C,P,Q)
 *   nearest:   y[.., p, q] = x[.., ⌊p·(1/sh)⌋, ⌊q·(1/sw)⌋], the product taken in float32 and clamped to H−1,
 *              W−1 (PyTorch's legacy 'nearest', not 'nearest-exact');  dx[src] += dy
 *   bilinear:  source row u = p·(H−1)/(P−1) (align_corners) or max((p + ½)/sh − ½, 0) (not align_corners);
 *              h0 = ⌊u⌋, h1 = min(h0 + 1, H − 1), λ = u − h0; likewise v, w0, w1, μ along columns;
 *              y = (1−λ)·((1−μ)·x[h0,w0] + μ·x[h0,w1]) + λ·((1−μ)·x[h1,w0] + μ·x[h1,w1]);
 *              backward adds dy times the same four weights into dx at the same four pixels
 * </pre>
 * Scales are rounded to float32 and source positions computed in double, as PyTorch's CPU kernels do.
 * Backward passes write dx (every element).
 */
public final class Interpolate {
    private Interpolate() {}

    /** The Vector-API kernels, or null with the plain ones; floats per vector. */
    private static final ElementwiseKernels FAST = Activations.fast();
    private static final int V = FAST == null ? 0 : FAST.lanes();

    /** How far from a row's start {@link ElementwiseKernels#repeatTwice} of n inputs reads, and writes. */
    private static int readRepeat(int n, int V) { return (n - 1) / (V / 2) * (V / 2) + V; }
    private static int writeRepeat(int n, int V) { return 2 * ((n - 1) / (V / 2) * (V / 2)) + V; }

    /** How far from a dy row's start {@link ElementwiseKernels#sumPairs2x2} of n outputs reads, and from dx's writes. */
    private static int readPairs(int n, int V) { return 2 * ((n - 1) / V * V) + 2 * V; }
    private static int writePairs(int n, int V) { return (n - 1) / V * V + V; }

    /** y (N,C,H·sh,W·sw) = x (N,C,H,W) with every pixel repeated sh×sw times. */
    public static void nearest2dForward(float[] y, float[] x, int N, int C, int H, int W, int sh, int sw) {
        int P = H * sh, Q = W * sw;
        int[] rows = nearestIndex(H, sh), cols = nearestIndex(W, sw);
        Parallel.forChunks(N * C, (chunk, from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int xOff = plane * H * W, yOff = plane * P * Q;
                for (int p = 0; p < P; p++) {
                    int xh = xOff + rows[p] * W, yp = yOff + p * Q;
                    if (p > 0 && rows[p] == rows[p - 1]) {
                        System.arraycopy(y, yp - Q, y, yp, Q); // a repeated row: a copy of the one above
                    } else if (sw == 2 && FAST != null && xh + readRepeat(W, V) <= x.length
                            && p * Q + writeRepeat(W, V) <= P * Q) {
                        FAST.repeatTwice(y, yp, x, xh, W); // writes past the row: into later rows of the plane
                    } else if (sw == 2) {
                        // the usual factor: each pixel twice, without the index table
                        for (int q = 0; q < W; q++) {
                            float v = x[xh + q];
                            y[yp + 2 * q] = v;
                            y[yp + 2 * q + 1] = v;
                        }
                    } else {
                        for (int q = 0; q < Q; q++) y[yp + q] = x[xh + cols[q]];
                    }
                }
            }
        });
    }

    /** dx (N,C,H,W) = Σ of dy (N,C,H·sh,W·sw) over the copies of each pixel. */
    public static void nearest2dBackward(float[] dx, float[] dy, int N, int C, int H, int W, int sh, int sw) {
        int P = H * sh, Q = W * sw;
        int[] rows = nearestIndex(H, sh), cols = nearestIndex(W, sw);
        if (sh == 2 && sw == 2) {
            // the usual factor: each pixel the sum of its 2×2 block, added in the general loop's order (row by
            // row), so the same bits without the zero fill and the index tables
            Parallel.forChunks(N * C, (chunk, from, to) -> {
                for (int plane = from; plane < to; plane++) {
                    int xOff = plane * H * W, yOff = plane * P * Q;
                    for (int h = 0; h < H; h++) {
                        int xh = xOff + h * W, yp = yOff + 2 * h * Q;
                        if (FAST != null && yp + Q + readPairs(W, V) <= dy.length && h * W + writePairs(W, V) <= H * W) {
                            FAST.sumPairs2x2(dx, xh, dy, yp, yp + Q, W); // writes past the row: into later rows
                            continue;
                        }
                        for (int w = 0; w < W; w++) {
                            int i = yp + 2 * w;
                            dx[xh + w] = ((dy[i] + dy[i + 1]) + dy[i + Q]) + dy[i + Q + 1];
                        }
                    }
                }
            });
            return;
        }
        Parallel.forChunks(N * C, (chunk, from, to) -> {
            Arrays.fill(dx, from * H * W, to * H * W, 0f);
            for (int plane = from; plane < to; plane++) {
                int xOff = plane * H * W, yOff = plane * P * Q;
                for (int p = 0; p < P; p++) {
                    int xh = xOff + rows[p] * W, yp = yOff + p * Q;
                    for (int q = 0; q < Q; q++) dx[xh + cols[q]] += dy[yp + q];
                }
            }
        });
    }

    /** PyTorch's {@code nearest_idx}: source index of each of the in·scale outputs. */
    static int[] nearestIndex(int in, int scale) {
        int out = in * scale;
        float s = (float) (1.0 / scale);
        int[] idx = new int[out];
        for (int o = 0; o < out; o++) {
            // the factors 1 and 2 are special-cased by PyTorch (copy, shift) and agree with this formula
            idx[o] = Math.min((int) Math.floor((float) o * s), in - 1);
        }
        return idx;
    }

    /** y (N,C,H·sh,W·sw) = bilinear interpolation of x (N,C,H,W). */
    public static void bilinear2dForward(float[] y, float[] x, int N, int C, int H, int W, int sh, int sw,
                                         boolean alignCorners) {
        int P = H * sh, Q = W * sw;
        Linear rows = linear(H, sh, alignCorners), cols = linear(W, sw, alignCorners);
        for (int plane = 0; plane < N * C; plane++) {
            int xOff = plane * H * W, yOff = plane * P * Q;
            for (int p = 0; p < P; p++) {
                int r0 = xOff + rows.i0[p] * W, r1 = xOff + rows.i1[p] * W;
                float a0 = rows.l0[p], a1 = rows.l1[p];
                int yp = yOff + p * Q;
                for (int q = 0; q < Q; q++) {
                    int c0 = cols.i0[q], c1 = cols.i1[q];
                    float b0 = cols.l0[q], b1 = cols.l1[q];
                    y[yp + q] = a0 * (b0 * x[r0 + c0] + b1 * x[r0 + c1]) + a1 * (b0 * x[r1 + c0] + b1 * x[r1 + c1]);
                }
            }
        }
    }

    /** dx (N,C,H,W) = dy (N,C,H·sh,W·sw) spread back with the interpolation weights of the forward pass. */
    public static void bilinear2dBackward(float[] dx, float[] dy, int N, int C, int H, int W, int sh, int sw,
                                          boolean alignCorners) {
        int P = H * sh, Q = W * sw;
        Linear rows = linear(H, sh, alignCorners), cols = linear(W, sw, alignCorners);
        Arrays.fill(dx, 0, N * C * H * W, 0f);
        for (int plane = 0; plane < N * C; plane++) {
            int xOff = plane * H * W, yOff = plane * P * Q;
            for (int p = 0; p < P; p++) {
                int r0 = xOff + rows.i0[p] * W, r1 = xOff + rows.i1[p] * W;
                float a0 = rows.l0[p], a1 = rows.l1[p];
                int yp = yOff + p * Q;
                for (int q = 0; q < Q; q++) {
                    int c0 = cols.i0[q], c1 = cols.i1[q];
                    float b0 = cols.l0[q], b1 = cols.l1[q], d = dy[yp + q];
                    dx[r0 + c0] += a0 * b0 * d;
                    dx[r0 + c1] += a0 * b1 * d;
                    dx[r1 + c0] += a1 * b0 * d;
                    dx[r1 + c1] += a1 * b1 * d;
                }
            }
        }
    }

    /** Per output index along one axis: the two source indices and their weights. */
    private record Linear(int[] i0, int[] i1, float[] l0, float[] l1) {}

    /** PyTorch's {@code area_pixel_compute_scale} and {@code compute_source_index_and_lambda}. */
    private static Linear linear(int in, int scale, boolean alignCorners) {
        int out = in * scale;
        int[] i0 = new int[out], i1 = new int[out];
        float[] l0 = new float[out], l1 = new float[out];
        float ratio = alignCorners
                ? (out > 1 ? (float) (in - 1) / (out - 1) : 0f)
                : (float) (1.0 / scale);
        for (int o = 0; o < out; o++) {
            if (out == in) {
                i0[o] = o;
                i1[o] = o;
                l0[o] = 1f;
                continue;
            }
            double src = alignCorners ? (double) ratio * o : Math.max((double) ratio * (o + 0.5) - 0.5, 0.0);
            int s0 = (int) src;
            i0[o] = s0;
            i1[o] = s0 < in - 1 ? s0 + 1 : s0;
            l1[o] = (float) (src - s0);
            l0[o] = 1f - l1[o];
        }
        return new Linear(i0, i1, l0, l1);
    }
}
