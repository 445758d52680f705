package org.cae4j.ops;

/**
 * The sizes of one 2-D pooling, checked once; P and Q are derived by PyTorch's {@code pooling_output_shape}.
 *
 * <p>Letters: C channels, H,W input height and width, R,S window height and width, P,Q output height and
 * width; ph, pw zeros (or −∞ for max pooling) added on both sides of each axis; sh, sw strides.
 * <pre>
 *   floor mode:  P = ⌊(H + 2·ph − R) / sh⌋ + 1
 *   ceil mode:   P = ⌈(H + 2·ph − R) / sh⌉ + 1, minus 1 if the last window would start at or past H + ph,
 *                i.e. every window starts inside the input or its top/left padding
 * </pre>
 * As PyTorch, the padding may be at most half the window (ph ≤ R/2), so no window lies wholly in padding.
 * The Keras-style encoder's 2×2, stride-2 pooling in ceil mode takes 7×7 to ⌈5/2⌉ + 1 = 4×4, whose last window
 * holds the seventh row and column alone.
 */
public record PoolGeometry(int C, int H, int W, int R, int S, int strideH, int strideW, int padH, int padW,
                           boolean ceilMode, int P, int Q) {

    public PoolGeometry {
        if (C <= 0 || H <= 0 || W <= 0 || R <= 0 || S <= 0) {
            throw new IllegalArgumentException("pooling sizes must be positive, got C=" + C + " H=" + H + " W=" + W
                    + " window " + R + "x" + S);
        }
        if (strideH <= 0 || strideW <= 0) {
            throw new IllegalArgumentException("stride must be >= 1, got (" + strideH + ", " + strideW + ")");
        }
        if (padH < 0 || padW < 0 || padH > R / 2 || padW > S / 2) {
            throw new IllegalArgumentException("padding must be between 0 and half the window, got padding ("
                    + padH + ", " + padW + ") for window " + R + "x" + S);
        }
        int p = outputSize(H, R, padH, strideH, ceilMode), q = outputSize(W, S, padW, strideW, ceilMode);
        if (p < 1 || q < 1) {
            throw new IllegalArgumentException("input " + H + "x" + W + " is too small for a " + R + "x" + S
                    + " window with padding (" + padH + ", " + padW + "): the output would be " + p + "x" + q);
        }
        if (P != p || Q != q) {
            throw new IllegalArgumentException("output size " + P + "x" + Q + " does not follow from the other sizes ("
                    + p + "x" + q + ")");
        }
    }

    /** Geometry of an R×S pooling over a C×H×W input. */
    public static PoolGeometry of(int C, int H, int W, int R, int S, int strideH, int strideW, int padH, int padW,
                                  boolean ceilMode) {
        if (R <= 0 || S <= 0 || strideH <= 0 || strideW <= 0) {
            throw new IllegalArgumentException("window and stride must be positive, got window " + R + "x" + S
                    + ", stride (" + strideH + ", " + strideW + ")");
        }
        return new PoolGeometry(C, H, W, R, S, strideH, strideW, padH, padW, ceilMode,
                outputSize(H, R, padH, strideH, ceilMode), outputSize(W, S, padW, strideW, ceilMode));
    }

    /** PyTorch's {@code pooling_output_shape} (dilation 1) for one axis; may be ≤ 0 for a too-small input. */
    public static int outputSize(int in, int k, int pad, int stride, boolean ceilMode) {
        int out = Math.floorDiv(in + 2 * pad - k + (ceilMode ? stride - 1 : 0), stride) + 1;
        // in ceil mode the last window must start inside the input or the left padding
        if (ceilMode && (out - 1) * stride >= in + pad) out--;
        return out;
    }

    /** Elements of one input sample, C·H·W. */
    public int inSize() { return C * H * W; }

    /** Elements of one output sample, C·P·Q. */
    public int outSize() { return C * P * Q; }

    @Override
    public String toString() {
        return "pool(" + C + "x" + H + "x" + W + " -> " + C + "x" + P + "x" + Q + ", window " + R + "x" + S
                + ", stride " + strideH + "x" + strideW + ", pad " + padH + "x" + padW
                + (ceilMode ? ", ceil_mode" : "") + ")";
    }
}
