package org.cae4j.nn;

import java.util.Arrays;
import java.util.Locale;
import org.cae4j.ops.Interpolate;
import org.cae4j.tensor.Tensor;

/**
 * Upsampling by an integer factor, as PyTorch's {@code nn.Upsample(scale_factor=s, mode='nearest',
 * align_corners=None)}: x (N,C,H,W) → y (N,C,H·s,W·s), the Keras-style decoder's way back from 7×7 to 28×28.
 *
 * <p>{@code NEAREST} repeats each pixel s×s times; {@code BILINEAR} interpolates between the four nearest pixels,
 * with pixel centres aligned (align_corners=false, PyTorch's default) or corner pixels aligned (true). The
 * formulas, exactly PyTorch's, are in {@link Interpolate}.
 */
public final class Upsample implements Layer {

    /** Interpolation mode; {@link #cliName()} is PyTorch's string. */
    public enum Mode {
        NEAREST, BILINEAR;

        public String cliName() { return name().toLowerCase(Locale.ROOT); }
    }

    private final int scale;
    private final Mode mode;
    private final boolean alignCorners;
    private final Buffers buf = new Buffers(2);
    private Tensor input;

    /** Nearest-neighbour upsampling by {@code scaleFactor}. */
    public Upsample(int scaleFactor) { this(scaleFactor, Mode.NEAREST, false); }

    /** Upsampling by {@code scaleFactor}; bilinear with align_corners=false. */
    public Upsample(int scaleFactor, Mode mode) { this(scaleFactor, mode, false); }

    /** Upsampling by {@code scaleFactor}; {@code alignCorners} only with {@code BILINEAR}, as PyTorch. */
    public Upsample(int scaleFactor, Mode mode, boolean alignCorners) {
        if (scaleFactor < 1) throw new IllegalArgumentException("Upsample: scale_factor must be >= 1, got " + scaleFactor);
        if (alignCorners && mode == Mode.NEAREST) {
            throw new IllegalArgumentException("Upsample: align_corners can only be set with mode bilinear, got mode "
                    + mode.cliName());
        }
        this.scale = scaleFactor;
        this.mode = mode;
        this.alignCorners = alignCorners;
    }

    public int scaleFactor() { return scale; }
    public Mode mode() { return mode; }
    public boolean alignCorners() { return alignCorners; }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 3) {
            throw new IllegalArgumentException(this + ": expected input (N, C, H, W), got " + Buffers.batchShapeString(in));
        }
        return new int[] {in[0], Math.multiplyExact(in[1], scale), Math.multiplyExact(in[2], scale)};
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4) throw new IllegalArgumentException(this + ": expected input (N, C, H, W), got " + x.shapeString());
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        Tensor y = buf.get(0, Buffers.withBatch(n, outputShape(Buffers.sampleShape(x))));
        if (mode == Mode.NEAREST) Interpolate.nearest2dForward(y.data, x.data, n, c, h, w, scale, scale);
        else Interpolate.bilinear2dForward(y.data, x.data, n, c, h, w, scale, scale, alignCorners);
        input = x;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (input == null) throw new IllegalStateException(this + ": backward called before forward");
        int n = input.dim(0), c = input.dim(1), h = input.dim(2), w = input.dim(3);
        if (!dy.hasShape(n, c, h * scale, w * scale)) {
            throw new IllegalArgumentException(this + ": expected gradient "
                    + Arrays.toString(new int[] {n, c, h * scale, w * scale}) + ", got " + dy.shapeString());
        }
        Tensor dx = buf.get(1, input.shape());
        if (mode == Mode.NEAREST) Interpolate.nearest2dBackward(dx.data, dy.data, n, c, h, w, scale, scale);
        else Interpolate.bilinear2dBackward(dx.data, dy.data, n, c, h, w, scale, scale, alignCorners);
        return dx;
    }

    @Override
    public String toString() {
        return "Upsample(scale_factor=" + scale + ", mode=" + mode.cliName()
                + (alignCorners ? ", align_corners=true" : "") + ")";
    }
}
