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
public final class Linear implements FusesActivation {
    private final int inFeatures, outFeatures;
    private final Parameter weight, bias;
    private final boolean tied; // weight is another layer's (in_features, out_features) weight, used transposed
    private final Buffers buf = new Buffers(2);
    private boolean inputGradNeeded = true, training = true;
    private Tensor input;
    /** Evaluation mode's copy of the weight transposed to (in_features, out_features), made from the weight at
     *  {@code weightTVersion}; null until the first forward after {@link #train}. */
    private float[] weightT;
    private int weightTVersion;

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
        this.tied = false;
        reset(init, rng);
    }

    private Linear(Linear encoder, boolean bias, Init init, Rng rng) {
        if (encoder.tied) throw new IllegalArgumentException("Linear: cannot tie to " + encoder + ", itself tied");
        this.inFeatures = encoder.outFeatures;
        this.outFeatures = encoder.inFeatures;
        this.weight = encoder.weight;
        this.bias = bias ? new Parameter("bias", new Tensor(outFeatures)) : null;
        this.tied = true;
        if (this.bias != null) init.applyBias(this.bias.value.data, inFeatures, rng);
    }

    /**
     * A decoder layer with tied weights: y (N,I) = x (N,O) · W + bias for the (O,I) weight W of {@code encoder}
     * (an I → O layer), so this one maps O → I with Wᵀ. Both layers hold the same {@link Parameter}: gradients
     * of both uses add into its one grad, and a model lists it once, under the encoder's name. The bias (I) is
     * its own, drawn as PyTorch would for an O → I layer.
     */
    public static Linear tiedTo(Linear encoder, boolean bias, Rng rng) { return tiedTo(encoder, bias, Init.PYTORCH, rng); }

    /** As {@link #tiedTo(Linear, boolean, Rng)}, the bias initialised by {@code init} (fan_in = O). */
    public static Linear tiedTo(Linear encoder, boolean bias, Init init, Rng rng) {
        return new Linear(encoder, bias, init, rng);
    }

    /** Re-initialises weight and bias; a tied layer only its bias (the weight is the encoder's). */
    public void reset(Init init, Rng rng) {
        if (tied) {
            if (bias != null) init.applyBias(bias.value.data, inFeatures, rng);
            return;
        }
        init.apply(weight.value.data, bias == null ? null : bias.value.data, inFeatures, outFeatures, rng);
        weight.markChanged();
        if (bias != null) bias.markChanged();
    }

    /** Whether the weight is another layer's, used transposed. */
    public boolean isTied() { return tied; }

    /** The weight (out_features, in_features); for a tied layer the encoder's (in_features, out_features). */
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
    public Tensor forward(Tensor x) { return forward(x, null); }

    /**
     * {@inheritDoc} The activation is applied to each block of the output by the thread that computed it, right
     * after its product. With act null, this layer's own forward.
     */
    @Override
    public Tensor forward(Tensor x, Activation act) {
        if (x.rank() != 2 || x.dim(1) != inFeatures) {
            throw new IllegalArgumentException(this + ": expected input (N, " + inFeatures + "), got " + x.shapeString());
        }
        int n = x.dim(0);
        Tensor y = act == null ? buf.get(0, n, outFeatures) : act.fusedOutput(n, outFeatures);
        float[] b = bias == null ? null : bias.value.data;
        float[] w = weight.value.data, yd = y.data;
        Dense.BlockStep after = act == null ? null : blocks((from, to) -> act.applyInPlace(yd, from, to));
        // in evaluation mode the products split as inference's (by batch rows); the values are the same up to rounding
        if (tied && training) Dense.linearTransposedForward(yd, x.data, w, b, n, inFeatures, outFeatures, after);
        else if (tied) Dense.linearTransposedInference(yd, x.data, w, b, n, inFeatures, outFeatures, after);
        else if (training) Dense.linearForward(yd, x.data, w, b, n, inFeatures, outFeatures, after);
        else if (Dense.transposedFaster(inFeatures, outFeatures)) {
            Dense.linearTransposedInference(yd, x.data, transposedWeight(), b, n, inFeatures, outFeatures, after);
        } else Dense.linearInference(yd, x.data, w, b, n, inFeatures, outFeatures, after);
        input = x;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) { return backward(dy, null); }

    /**
     * {@inheritDoc} The activation's gradient of each block of columns is made by the thread whose share of the
     * weight gradient reads it first. With act null, this layer's own backward.
     */
    @Override
    public Tensor backward(Tensor dy, Activation act) {
        if (input == null) throw new IllegalStateException(this + ": backward called before forward");
        int n = input.dim(0);
        if (!dy.hasShape(n, outFeatures)) {
            throw new IllegalArgumentException(this + ": expected gradient " + Arrays.toString(new int[] {n, outFeatures})
                    + ", got " + dy.shapeString());
        }
        Tensor g = act == null ? dy : act.fusedGradient(dy); // the gradient the product itself receives
        float[] gd = g.data, dyd = dy.data;
        Dense.BlockStep before = act == null ? null : blocks((from, to) -> act.gradient(gd, dyd, from, to));
        Tensor dx = inputGradNeeded ? buf.get(1, n, inFeatures) : null;
        float[] d = dx == null ? null : dx.data, db = bias == null ? null : bias.grad.data;
        if (tied) {
            Dense.linearTransposedBackward(d, weight.grad.data, db, gd, input.data, weight.value.data, n,
                    inFeatures, outFeatures, before);
        } else {
            Dense.linearBackward(d, weight.grad.data, db, gd, input.data, weight.value.data, n, inFeatures,
                    outFeatures, before);
        }
        return dx;
    }

    /** An elementwise step over the flat range [from, to) of an (N, out_features) array. */
    private interface Range { void run(int from, int to); }

    /** The step over blocks of an (N, out_features) array that runs {@code range} over each row's part of it. */
    private Dense.BlockStep blocks(Range range) {
        int o = outFeatures;
        return (n0, n1, o0, o1) -> {
            if (o0 == 0 && o1 == o) range.run(n0 * o, n1 * o);
            else for (int r = n0; r < n1; r++) range.run(r * o + o0, r * o + o1);
        };
    }

    @Override
    public List<Parameter> parameters() { return bias == null ? List.of(weight) : List.of(weight, bias); }

    @Override
    public void setInputGradNeeded(boolean needed) { inputGradNeeded = needed; }

    /**
     * In evaluation mode forward splits its product over the threads as for inference (see {@link
     * Dense#linearInference}) and, where {@link Dense#transposedFaster} says so, multiplies by a copy of the weight
     * transposed to (in_features, out_features), which the matrix product reads in place instead of packing the
     * weight on every call. The copy is made at the first forward after {@code train(false)} and again whenever the
     * weight's {@link Parameter#version} has moved (an optimizer step, a re-initialisation); the values are those of
     * the training-mode forward up to rounding.
     */
    @Override
    public void train(boolean training) {
        this.training = training;
        weightT = null;
    }

    /** The weight transposed to (in_features, out_features), made again when missing or the weight has changed. */
    private float[] transposedWeight() {
        if (weightT == null || weightTVersion != weight.version()) {
            float[] w = weight.value.data;
            if (weightT == null) weightT = new float[w.length];
            for (int o = 0; o < outFeatures; o++) {
                for (int i = 0; i < inFeatures; i++) weightT[i * outFeatures + o] = w[o * inFeatures + i];
            }
            weightTVersion = weight.version();
        }
        return weightT;
    }

    @Override
    public String toString() {
        return "Linear(" + inFeatures + "->" + outFeatures + (bias == null ? ", bias=false" : "")
                + (tied ? ", tied" : "") + ")";
    }
}
