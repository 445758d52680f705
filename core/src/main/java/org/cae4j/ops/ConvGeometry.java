package org.cae4j.ops;

/**
 * The sizes of one 2-D convolution, checked once; P and Q are derived.
 *
 * <p>Letters: C input channels, H,W input height and width, K filters (output channels), R,S kernel height
 * and width, P,Q output height and width. With padding t,b (top, bottom), l,r (left, right) and strides sh, sw:
 * <pre>
 *   P = (H + t + b − R) / sh + 1        Q = (W + l + r − S) / sw + 1
 * </pre>
 * The seed CAE: H = 28, R = 5 (k = 2), full padding t = b = R − 1 = 4, stride 1 gives
 * P = (28 + 8 − 5)/1 + 1 = 32; its decoder's valid convolution brings 32 back to (32 − 5)/1 + 1 = 28.
 */
public record ConvGeometry(int C, int H, int W, int K, int R, int S,
                           int strideH, int strideW, int padTop, int padBottom, int padLeft, int padRight,
                           int P, int Q) {

    public ConvGeometry {
        if (C <= 0 || H <= 0 || W <= 0 || K <= 0 || R <= 0 || S <= 0) {
            throw new IllegalArgumentException("convolution sizes must be positive, got C=" + C + " H=" + H
                    + " W=" + W + " K=" + K + " R=" + R + " S=" + S);
        }
        if (strideH <= 0 || strideW <= 0) {
            throw new IllegalArgumentException("stride must be >= 1, got (" + strideH + ", " + strideW + ")");
        }
        if (padTop < 0 || padBottom < 0 || padLeft < 0 || padRight < 0) {
            throw new IllegalArgumentException("padding must be >= 0 on every side, got (top=" + padTop
                    + ", bottom=" + padBottom + ", left=" + padLeft + ", right=" + padRight + ")");
        }
        if (H + padTop + padBottom < R || W + padLeft + padRight < S) {
            throw new IllegalArgumentException("kernel " + R + "x" + S + " is larger than the padded input "
                    + (H + padTop + padBottom) + "x" + (W + padLeft + padRight) + " (input " + H + "x" + W + ")");
        }
        if (P != (H + padTop + padBottom - R) / strideH + 1 || Q != (W + padLeft + padRight - S) / strideW + 1) {
            throw new IllegalArgumentException("output size " + P + "x" + Q + " does not follow from the other sizes");
        }
    }

    /** Geometry of a conv of K filters R×S over a C×H×W input with the given strides and padding. */
    public static ConvGeometry of(int C, int H, int W, int K, int R, int S, int strideH, int strideW, Padding padding) {
        if (R <= 0 || S <= 0 || strideH <= 0 || strideW <= 0) {
            throw new IllegalArgumentException("kernel and stride must be positive, got kernel " + R + "x" + S
                    + ", stride (" + strideH + ", " + strideW + ")");
        }
        int[] p = padding.resolve(H, W, R, S, strideH, strideW);
        int hp = H + p[0] + p[1], wp = W + p[2] + p[3];
        if (hp < R || wp < S) {
            throw new IllegalArgumentException("kernel " + R + "x" + S + " is larger than the padded input "
                    + hp + "x" + wp + " (input " + H + "x" + W + ", padding " + padding + ")");
        }
        return new ConvGeometry(C, H, W, K, R, S, strideH, strideW, p[0], p[1], p[2], p[3],
                (hp - R) / strideH + 1, (wp - S) / strideW + 1);
    }

    /** Square kernel, same stride on both axes. */
    public static ConvGeometry of(int C, int H, int W, int K, int kernel, int stride, Padding padding) {
        return of(C, H, W, K, kernel, kernel, stride, stride, padding);
    }

    /** Elements of one input image, C·H·W. */
    public int inSize() { return C * H * W; }

    /** Elements of one output image, K·P·Q. */
    public int outSize() { return K * P * Q; }

    /** Elements of the weights, K·C·R·S. */
    public int weightSize() { return K * C * R * S; }

    /** Elements of one image's im2col matrix, (C·R·S)×(P·Q). */
    public int colSize() { return C * R * S * P * Q; }

    @Override
    public String toString() {
        return "conv(" + C + "x" + H + "x" + W + " -> " + K + "x" + P + "x" + Q + ", kernel " + R + "x" + S
                + ", stride " + strideH + "x" + strideW + ", pad t" + padTop + " b" + padBottom + " l" + padLeft
                + " r" + padRight + ")";
    }
}
