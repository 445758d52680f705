package org.cae4j.nn;

import org.cae4j.tensor.Tensor;

/**
 * Removes rows and columns at the edges: x (N,C,H,W) → y (N,C,H−top−bottom,W−left−right), the inverse of
 * {@link ZeroPad2d} with the same amounts (Keras's {@code Cropping2D}; in PyTorch, {@code nn.ZeroPad2d} with
 * negative padding). A decoder that overshoots, say 32×32 for a 28×28 image, ends with {@code new Crop2d(2)}.
 */
public final class Crop2d implements Layer {
    private final ZeroPad2d pad;

    /** {@code crop} rows or columns off every side. */
    public Crop2d(int crop) { this(crop, crop, crop, crop); }

    /** Rows or columns removed left, right, top and bottom (ZeroPad2d's order), each ≥ 0. */
    public Crop2d(int left, int right, int top, int bottom) {
        if (left < 0 || right < 0 || top < 0 || bottom < 0) {
            throw new IllegalArgumentException("Crop2d: amounts must be >= 0, got (left=" + left + ", right=" + right
                    + ", top=" + top + ", bottom=" + bottom + ")");
        }
        pad = new ZeroPad2d("Crop2d(" + left + ", " + right + ", " + top + ", " + bottom + ")", -left, -right, -top,
                -bottom);
    }

    @Override
    public int[] outputShape(int[] in) { return pad.outputShape(in); }

    @Override
    public Tensor forward(Tensor x) { return pad.forward(x); }

    @Override
    public Tensor backward(Tensor dy) { return pad.backward(dy); }

    @Override
    public String toString() { return pad.toString(); }
}
