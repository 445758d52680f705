package org.cae4j.nn;

import java.util.Arrays;
import org.cae4j.tensor.Tensor;

/**
 * Merges dimensions start_dim … end_dim into one, as PyTorch's {@code nn.Flatten(start_dim=1, end_dim=-1)}:
 * by default (N,C,H,W) → (N, C·H·W), the step from a convolutional encoder to a {@link Linear} layer.
 *
 * <p>Dimensions count the batch as 0, as in PyTorch; the batch dimension cannot be merged. Output and input
 * gradient are views sharing the data of the input and the upstream gradient (no copy).
 */
public final class Flatten implements Layer {
    private final int startDim, endDim;
    private int[] inputShape;

    /** (N, d1, …, dk) → (N, d1·…·dk). */
    public Flatten() { this(1, -1); }

    /** Merges dimensions startDim … endDim (inclusive; negative counts from the end, −1 the last). */
    public Flatten(int startDim, int endDim) {
        if (startDim == 0) {
            throw new IllegalArgumentException("Flatten: start_dim must not be 0 (the batch dimension stays), got "
                    + "start_dim=0, end_dim=" + endDim);
        }
        this.startDim = startDim;
        this.endDim = endDim;
    }

    /** The output shape for a full shape {@code s} (batch included). */
    private int[] flatten(int[] s, String shown) {
        int start = startDim < 0 ? s.length + startDim : startDim;
        int end = endDim < 0 ? s.length + endDim : endDim;
        if (start < 1 || end >= s.length || start > end) {
            throw new IllegalArgumentException(this + ": dimensions " + startDim + ".." + endDim
                    + " do not exist or are out of order in input " + shown);
        }
        int[] out = new int[s.length - (end - start)];
        System.arraycopy(s, 0, out, 0, start);
        long merged = 1;
        for (int i = start; i <= end; i++) merged *= s[i];
        out[start] = Math.toIntExact(merged);
        System.arraycopy(s, end + 1, out, start + 1, s.length - end - 1);
        return out;
    }

    @Override
    public int[] outputShape(int[] in) {
        int[] out = flatten(Buffers.withBatch(1, in), Buffers.batchShapeString(in));
        return Arrays.copyOfRange(out, 1, out.length);
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] s = x.shape();
        Tensor y = x.reshape(flatten(s, x.shapeString()));
        inputShape = s;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (inputShape == null) throw new IllegalStateException(this + ": backward called before forward");
        int[] out = flatten(inputShape, Arrays.toString(inputShape));
        if (!dy.hasShape(out)) {
            throw new IllegalArgumentException(this + ": expected gradient " + Arrays.toString(out) + ", got "
                    + dy.shapeString());
        }
        return dy.reshape(inputShape);
    }

    @Override
    public String toString() {
        return startDim == 1 && endDim == -1 ? "Flatten()" : "Flatten(start_dim=" + startDim + ", end_dim=" + endDim + ")";
    }
}
