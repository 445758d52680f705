package org.cae4j.nn;

import java.util.Arrays;
import org.cae4j.ops.Pool;
import org.cae4j.ops.PoolGeometry;
import org.cae4j.tensor.Tensor;

/**
 * 2-D max pooling, as PyTorch's {@code nn.MaxPool2d(kernel_size, stride=kernel_size, padding=0, ceil_mode=False)}
 * (dilation 1): x (N,C,H,W) → y (N,C,P,Q), each output the largest pixel of its window, padding counting as −∞.
 *
 * <p>P and Q follow {@link PoolGeometry}: {@code new MaxPool2d(2, 2, 0, true)} takes the Keras-style encoder's
 * 7×7 maps to 4×4, while {@code new MaxPool2d(2)} takes 28×28 to 14×14. The position of each maximum is kept
 * for backward, which routes the gradient there alone (the first maximum on ties, as PyTorch).
 */
public final class MaxPool2d implements Layer {
    private final int kernelH, kernelW, strideH, strideW, padH, padW;
    private final boolean ceilMode;
    private final Buffers buf = new Buffers(2);
    private int[] argmax = new int[0];
    private PoolGeometry geom;
    private Tensor input;

    /** Window {@code kernelSize}², stride = kernel, no padding, floor mode. */
    public MaxPool2d(int kernelSize) { this(kernelSize, kernelSize, 0, false); }

    /** Square window, no padding, floor mode. */
    public MaxPool2d(int kernelSize, int stride) { this(kernelSize, stride, 0, false); }

    /** Square window, equal strides and padding on both axes. */
    public MaxPool2d(int kernelSize, int stride, int padding, boolean ceilMode) {
        this(kernelSize, kernelSize, stride, stride, padding, padding, ceilMode);
    }

    /** Full control: window R×S, strides and padding (at most half the window) per axis. */
    public MaxPool2d(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, boolean ceilMode) {
        checkSettings("MaxPool2d", kernelH, kernelW, strideH, strideW, padH, padW);
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.padH = padH;
        this.padW = padW;
        this.ceilMode = ceilMode;
    }

    static void checkSettings(String layer, int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {
        if (kernelH <= 0 || kernelW <= 0 || strideH <= 0 || strideW <= 0) {
            throw new IllegalArgumentException(layer + ": kernel_size and stride must be positive, got kernel_size=("
                    + kernelH + ", " + kernelW + "), stride=(" + strideH + ", " + strideW + ")");
        }
        if (padH < 0 || padW < 0 || padH > kernelH / 2 || padW > kernelW / 2) {
            throw new IllegalArgumentException(layer + ": padding must be between 0 and half of kernel_size, got padding=("
                    + padH + ", " + padW + "), kernel_size=(" + kernelH + ", " + kernelW + ")");
        }
    }

    /** Geometry for one sample shape (C,H,W), cached; errors name the layer and the input. */
    static PoolGeometry geometry(PoolGeometry cached, Layer layer, int[] in, int kernelH, int kernelW, int strideH,
                                 int strideW, int padH, int padW, boolean ceilMode) {
        if (in.length != 3) {
            throw new IllegalArgumentException(layer + ": expected input (N, C, H, W), got " + Buffers.batchShapeString(in));
        }
        if (cached != null && cached.C() == in[0] && cached.H() == in[1] && cached.W() == in[2]) return cached;
        try {
            return PoolGeometry.of(in[0], in[1], in[2], kernelH, kernelW, strideH, strideW, padH, padW, ceilMode);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(layer + ": input " + Buffers.batchShapeString(in) + ": " + e.getMessage(), e);
        }
    }

    private PoolGeometry geometry(int[] in) {
        geom = geometry(geom, this, in, kernelH, kernelW, strideH, strideW, padH, padW, ceilMode);
        return geom;
    }

    @Override
    public int[] outputShape(int[] in) {
        PoolGeometry g = geometry(in);
        return new int[] {g.C(), g.P(), g.Q()};
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4) throw new IllegalArgumentException(this + ": expected input (N, C, H, W), got " + x.shapeString());
        PoolGeometry g = geometry(Buffers.sampleShape(x));
        int n = x.dim(0);
        Tensor y = buf.get(0, n, g.C(), g.P(), g.Q());
        if (argmax.length < y.size()) argmax = new int[y.size()];
        Pool.maxPool2dForward(y.data, argmax, x.data, n, g);
        input = x;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (input == null) throw new IllegalStateException(this + ": backward called before forward");
        PoolGeometry g = geometry(Buffers.sampleShape(input)); // outputShape may have cached another shape
        int n = input.dim(0);
        if (!dy.hasShape(n, g.C(), g.P(), g.Q())) {
            throw new IllegalArgumentException(this + ": expected gradient "
                    + Arrays.toString(new int[] {n, g.C(), g.P(), g.Q()}) + ", got " + dy.shapeString());
        }
        Tensor dx = buf.get(1, input.shape());
        Pool.maxPool2dBackward(dx.data, dy.data, argmax, n, g);
        return dx;
    }

    @Override
    public String toString() {
        return "MaxPool2d(" + settings(kernelH, kernelW, strideH, strideW, padH, padW)
                + (ceilMode ? ", ceil_mode=true" : "") + ")";
    }

    /** {@code k=2, s=2}, with {@code p=1} when padded; a pair as {@code 3x2} when the axes differ. */
    static String settings(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {
        return "k=" + pair(kernelH, kernelW) + ", s=" + pair(strideH, strideW)
                + (padH == 0 && padW == 0 ? "" : ", p=" + pair(padH, padW));
    }

    private static String pair(int a, int b) { return a == b ? Integer.toString(a) : a + "x" + b; }
}
