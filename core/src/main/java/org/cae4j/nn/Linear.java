package org.cae4j.nn;

import java.util.Arrays;
import java.util.List;
import org.cae4j.ops.Dense;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;

/**
 * Fully connected layer, as PyTorch's {@code nn.Linear(in_features, out_features, bias=True)}:
 * y (N,O) = x (N,I) · weightᵀ + bias, with weight (O,I) and bias (O).
 *
 * <p>PyTorch's default init draws weight and bias from U(−1/√I, 1/√I). {@code new Linear(32 * 7 * 7, 10, rng)}
 * after a {@link Flatten} maps a 32×7×7 feature map to a 10-number code.
 */
public final class Linear implements Layer {
    private final int inFeatures, outFeatures;
    private final Parameter weight, bias;
    private final Buffers buf = new Buffers(2);
    private boolean inputGradNeeded = true;
    private Tensor input;

    /** PyTorch's default init, with bias. */
    public Linear(int inFeatures, int outFeatures, Rng rng) { this(inFeatures, outFeatures, true, Init.PYTORCH, rng); }

    /** PyTorch's default init, bias optional. */
    public Linear(int inFeatures, int outFeatures, boolean bias, Rng rng) {
        this(inFeatures, outFeatures, bias, Init.PYTORCH, rng);
    }

    /** Full control: optional bias and init scheme (fan_in = in_features, fan_out = out_features). */
    public Linear(int inFeatures, int outFeatures, boolean bias, Init init, Rng rng) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear: in_features and out_features must be positive, got ("
                    + inFeatures + ", " + outFeatures + ")");
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = new Parameter("weight", new Tensor(outFeatures, inFeatures));
        this.bias = bias ? new Parameter("bias", new Tensor(outFeatures)) : null;
        reset(init, rng);
    }

    /** Re-initialises weight and bias. */
    public void reset(Init init, Rng rng) {
        init.apply(weight.value.data, bias == null ? null : bias.value.data, inFeatures, outFeatures, rng);
    }

    /** The weight (out_features, in_features). */
    public Parameter weight() { return weight; }

    /** The bias (out_features), or null when built without one. */
    public Parameter bias() { return bias; }

    public int inFeatures() { return inFeatures; }
    public int outFeatures() { return outFeatures; }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 1 || in[0] != inFeatures) {
            throw new IllegalArgumentException(this + ": expected input (N, " + inFeatures + "), got "
                    + Buffers.batchShapeString(in));
        }
        return new int[] {outFeatures};
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != inFeatures) {
            throw new IllegalArgumentException(this + ": expected input (N, " + inFeatures + "), got " + x.shapeString());
        }
        int n = x.dim(0);
        Tensor y = buf.get(0, n, outFeatures);
        Dense.linearForward(y.data, x.data, weight.value.data, bias == null ? null : bias.value.data, n,
                inFeatures, outFeatures);
        input = x;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (input == null) throw new IllegalStateException(this + ": backward called before forward");
        int n = input.dim(0);
        if (!dy.hasShape(n, outFeatures)) {
            throw new IllegalArgumentException(this + ": expected gradient " + Arrays.toString(new int[] {n, outFeatures})
                    + ", got " + dy.shapeString());
        }
        Tensor dx = inputGradNeeded ? buf.get(1, n, inFeatures) : null;
        Dense.linearBackward(dx == null ? null : dx.data, weight.grad.data, bias == null ? null : bias.grad.data,
                dy.data, input.data, weight.value.data, n, inFeatures, outFeatures);
        return dx;
    }

    @Override
    public List<Parameter> parameters() { return bias == null ? List.of(weight) : List.of(weight, bias); }

    @Override
    public void setInputGradNeeded(boolean needed) { inputGradNeeded = needed; }

    @Override
    public String toString() {
        return "Linear(" + inFeatures + "->" + outFeatures + (bias == null ? ", bias=false" : "") + ")";
    }
}
