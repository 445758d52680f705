package org.cae4j.nn;

import java.util.Arrays;
import org.cae4j.ops.Pool;
import org.cae4j.ops.PoolGeometry;
import org.cae4j.tensor.Tensor;

/**
 * 2-D average pooling, as PyTorch's {@code nn.AvgPool2d(kernel_size, stride=kernel_size, padding=0,
 * ceil_mode=False, count_include_pad=True)}: x (N,C,H,W) → y (N,C,P,Q), each output the mean of its window.
 *
 * <p>P and Q follow {@link PoolGeometry}. The divisor is PyTorch's: the window's area within the padded input
 * when {@code count_include_pad}, else the number of real pixels it covers; a ceil-mode window that hangs past
 * the padding is divided by its part inside the padded input only (see {@link Pool}).
 */
public final class AvgPool2d implements Layer {
    private final int kernelH, kernelW, strideH, strideW, padH, padW;
    private final boolean ceilMode, countIncludePad;
    private final Buffers buf = new Buffers(2);
    private PoolGeometry geom;
    private Tensor input;

    /** Window {@code kernelSize}², stride = kernel, no padding, floor mode. */
    public AvgPool2d(int kernelSize) { this(kernelSize, kernelSize, 0, false, true); }

    /** Square window, no padding, floor mode. */
    public AvgPool2d(int kernelSize, int stride) { this(kernelSize, stride, 0, false, true); }

    /** Square window, equal strides and padding on both axes. */
    public AvgPool2d(int kernelSize, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        this(kernelSize, kernelSize, stride, stride, padding, padding, ceilMode, countIncludePad);
    }

    /** Full control: window R×S, strides and padding (at most half the window) per axis. */
    public AvgPool2d(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, boolean ceilMode,
                     boolean countIncludePad) {
        MaxPool2d.checkSettings("AvgPool2d", kernelH, kernelW, strideH, strideW, padH, padW);
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.padH = padH;
        this.padW = padW;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    private PoolGeometry geometry(int[] in) {
        geom = MaxPool2d.geometry(geom, this, in, kernelH, kernelW, strideH, strideW, padH, padW, ceilMode);
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
        Pool.avgPool2dForward(y.data, x.data, n, g, countIncludePad);
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
        Pool.avgPool2dBackward(dx.data, dy.data, n, g, countIncludePad);
        return dx;
    }

    @Override
    public String toString() {
        return "AvgPool2d(" + MaxPool2d.settings(kernelH, kernelW, strideH, strideW, padH, padW)
                + (ceilMode ? ", ceil_mode=true" : "") + (countIncludePad ? "" : ", count_include_pad=false") + ")";
    }
}
