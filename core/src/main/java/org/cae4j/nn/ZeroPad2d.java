package org.cae4j.nn;

import java.util.Arrays;
import org.cae4j.ops.Pad;
import org.cae4j.tensor.Tensor;

/**
 * Zero padding, as PyTorch's {@code nn.ZeroPad2d((left, right, top, bottom))}: x (N,C,H,W) →
 * y (N,C,H+top+bottom,W+left+right), x placed top rows down and left columns in, zeros around it.
 *
 * <p>As in PyTorch an amount may be negative, which removes rows or columns instead; {@link Crop2d} is the
 * same thing with the signs turned around. {@code new ZeroPad2d(2)} takes 28×28 to 32×32.
 */
public final class ZeroPad2d implements Layer {
    private final int left, right, top, bottom;
    private final String name;
    private final Buffers buf = new Buffers(2);
    private Tensor input;

    /** {@code padding} zeros on every side. */
    public ZeroPad2d(int padding) { this(padding, padding, padding, padding); }

    /** Zeros left, right, top and bottom (PyTorch's order); negative amounts crop. */
    public ZeroPad2d(int left, int right, int top, int bottom) {
        this("ZeroPad2d(" + left + ", " + right + ", " + top + ", " + bottom + ")", left, right, top, bottom);
    }

    /** Padding with a display name, for {@link Crop2d}. */
    ZeroPad2d(String name, int left, int right, int top, int bottom) {
        this.name = name;
        this.left = left;
        this.right = right;
        this.top = top;
        this.bottom = bottom;
    }

    /** Amounts (left, right, top, bottom) added; negative where removed. */
    public int[] amounts() { return new int[] {left, right, top, bottom}; }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 3) {
            throw new IllegalArgumentException(this + ": expected input (N, C, H, W), got " + Buffers.batchShapeString(in));
        }
        long h = (long) in[1] + top + bottom, w = (long) in[2] + left + right;
        if (h <= 0 || w <= 0 || h > Integer.MAX_VALUE || w > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(this + ": input " + Buffers.batchShapeString(in) + " would become "
                    + h + "x" + w);
        }
        return new int[] {in[0], (int) h, (int) w};
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4) throw new IllegalArgumentException(this + ": expected input (N, C, H, W), got " + x.shapeString());
        int n = x.dim(0);
        Tensor y = buf.get(0, Buffers.withBatch(n, outputShape(Buffers.sampleShape(x))));
        Pad.pad2dForward(y.data, x.data, n, x.dim(1), x.dim(2), x.dim(3), left, right, top, bottom);
        input = x;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (input == null) throw new IllegalStateException(this + ": backward called before forward");
        int[] out = Buffers.withBatch(input.dim(0), outputShape(Buffers.sampleShape(input)));
        if (!dy.hasShape(out)) {
            throw new IllegalArgumentException(this + ": expected gradient " + Arrays.toString(out) + ", got "
                    + dy.shapeString());
        }
        Tensor dx = buf.get(1, input.shape());
        Pad.pad2dBackward(dx.data, dy.data, input.dim(0), input.dim(1), input.dim(2), input.dim(3), left, right, top,
                bottom);
        return dx;
    }

    @Override
    public String toString() { return name; }
}
