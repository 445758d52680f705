package org.cae4j.nn;

import java.util.Arrays;
import org.cae4j.tensor.Tensor;

/**
 * Splits one dimension into several, as PyTorch's {@code nn.Unflatten(dim, unflattened_size)}:
 * {@code new Unflatten(1, 32, 7, 7)} takes (N, 1568) → (N, 32, 7, 7), the step from a {@link Linear} code back
 * to a feature map for a decoder (Keras's {@code Reshape((7, 7, 32))} in NCHW order).
 *
 * <p>Dimensions count the batch as 0, as in PyTorch; the batch dimension cannot be split. Output and input
 * gradient are views sharing the data of the input and the upstream gradient (no copy).
 */
public final class Unflatten implements Layer {
    private final int dim;
    private final int[] sizes;
    private int[] inputShape;

    /** Splits dimension {@code dim} (≥ 1, or negative from the end) into {@code sizes}, whose product must equal it. */
    public Unflatten(int dim, int... sizes) {
        if (dim == 0) throw new IllegalArgumentException("Unflatten: dim must not be 0 (the batch dimension), got 0");
        if (sizes.length == 0) throw new IllegalArgumentException("Unflatten: unflattened_size must not be empty");
        for (int d : sizes) {
            if (d <= 0) {
                throw new IllegalArgumentException("Unflatten: sizes must be positive, got " + Arrays.toString(sizes));
            }
        }
        this.dim = dim;
        this.sizes = sizes.clone();
    }

    private int[] unflatten(int[] s, String shown) {
        int d = dim < 0 ? s.length + dim : dim;
        long product = Tensor.numel(sizes);
        if (d < 1 || d >= s.length || s[d] != product) {
            throw new IllegalArgumentException(this + ": expected dimension " + dim + " of size " + product
                    + ", got input " + shown);
        }
        int[] out = new int[s.length - 1 + sizes.length];
        System.arraycopy(s, 0, out, 0, d);
        System.arraycopy(sizes, 0, out, d, sizes.length);
        System.arraycopy(s, d + 1, out, d + sizes.length, s.length - d - 1);
        return out;
    }

    @Override
    public int[] outputShape(int[] in) {
        int[] out = unflatten(Buffers.withBatch(1, in), Buffers.batchShapeString(in));
        return Arrays.copyOfRange(out, 1, out.length);
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] s = x.shape();
        Tensor y = x.reshape(unflatten(s, x.shapeString()));
        inputShape = s;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (inputShape == null) throw new IllegalStateException(this + ": backward called before forward");
        int[] out = unflatten(inputShape, Arrays.toString(inputShape));
        if (!dy.hasShape(out)) {
            throw new IllegalArgumentException(this + ": expected gradient " + Arrays.toString(out) + ", got "
                    + dy.shapeString());
        }
        return dy.reshape(inputShape);
    }

    @Override
    public String toString() { return "Unflatten(dim=" + dim + ", sizes=" + Arrays.toString(sizes) + ")"; }
}
