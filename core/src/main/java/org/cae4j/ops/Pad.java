package org.cae4j.ops;

import java.util.Arrays;

/**
 * Constant-zero padding of the last two axes, as PyTorch's {@code F.pad(x, (left, right, top, bottom))};
 * negative amounts crop, so the same pair of kernels pads an encoder's input and crops a decoder's output.
 *
 * <pre>
 * N batch, C channels, H,W input, l,r,t,b amounts (left, right, top, bottom), P,Q output
 *   x (N,C,H,W)   y (N,C,P,Q)   P = H + t + b,  Q = W + l + r
 *   y[n,c,p,q] = x[n,c,p − t,q − l], or 0 where that lies outside x
 *   dx[n,c,h,w] = dy[n,c,h + t,w + l], or 0 where that lies outside y (cropped away)
 * </pre>
 */
public final class Pad {
    private Pad() {}

    /** y (N,C,H+t+b,W+l+r) = x (N,C,H,W) moved down t rows and right l columns, zeros around it. */
    public static void pad2dForward(float[] y, float[] x, int N, int C, int H, int W, int left, int right,
                                    int top, int bottom) {
        int P = H + top + bottom, Q = W + left + right;
        for (int plane = 0; plane < N * C; plane++) copyShifted(y, plane * P * Q, P, Q, x, plane * H * W, H, W, top, left);
    }

    /** dx (N,C,H,W) = the part of dy (N,C,H+t+b,W+l+r) that forward filled from x. */
    public static void pad2dBackward(float[] dx, float[] dy, int N, int C, int H, int W, int left, int right,
                                     int top, int bottom) {
        int P = H + top + bottom, Q = W + left + right;
        for (int plane = 0; plane < N * C; plane++) copyShifted(dx, plane * H * W, H, W, dy, plane * P * Q, P, Q, -top, -left);
    }

    /** dst (A,B)[i, j] = src (H,W)[i − dh, j − dw], 0 outside src. */
    private static void copyShifted(float[] dst, int dOff, int A, int B, float[] src, int sOff, int H, int W,
                                    int dh, int dw) {
        int j0 = Math.max(0, dw), j1 = Math.min(B, W + dw);
        for (int i = 0; i < A; i++) {
            int d = dOff + i * B, h = i - dh;
            if (h < 0 || h >= H || j0 >= j1) {
                Arrays.fill(dst, d, d + B, 0f);
                continue;
            }
            Arrays.fill(dst, d, d + j0, 0f);
            System.arraycopy(src, sOff + h * W + j0 - dw, dst, d + j0, j1 - j0);
            Arrays.fill(dst, d + j1, d + B, 0f);
        }
    }
}
