package org.cae4j.nn;

import java.util.List;
import org.cae4j.ops.ConvGeometry;
import org.cae4j.ops.ConvTranspose;
import org.cae4j.ops.Padding;
import org.cae4j.ops.Workspace;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;

/**
 * 2-D transposed convolution layer, as PyTorch's {@code nn.ConvTranspose2d(in_channels, out_channels,
 * kernel_size, stride, padding, output_padding, bias=True)}: x (N,K,P,Q) → y (N,C,H,W) with weight (K,C,R,S)
 * and H = (P − 1)·stride − 2·padding + R + output_padding.
 *
 * <p>It is the adjoint of a {@link Conv2d} with the same kernel, stride and padding, which is why a strided
 * encoder is undone by it: a 32-map, stride-2, 3×3, padding-1 conv takes 14×14 to 7×7, and this layer with
 * output_padding 1 takes 7×7 back to 14×14.
 */
public final class ConvTranspose2d implements FusesActivation {
    private final int inChannels, outChannels, kernel, stride, padding, outputPadding;
    private final Parameter weight, bias;
    private final boolean tied; // weight is a Conv2d's, shared
    private final Workspace ws = new Workspace();
    private final Buffers buf = new Buffers(2);
    private boolean inputGradNeeded = true;
    private ConvGeometry geom;
    private Tensor input;

    /** PyTorch's default init, with bias. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding,
                           int outputPadding, Rng rng) {
        this(inChannels, outChannels, kernelSize, stride, padding, outputPadding, true, Init.PYTORCH, rng);
    }

    /** Full control: optional bias and init scheme. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding,
                           int outputPadding, boolean bias, Init init, Rng rng) {
        this(inChannels, outChannels, kernelSize, stride, padding, outputPadding, null, bias, init, rng);
    }

    /**
     * A decoder layer with tied weights: the transposed convolution by the very weight (K,C,R,R) of
     * {@code encoder}, a C → K {@link Conv2d} with a square kernel and equal strides, so this one maps K → C with
     * the encoder's stride. Both layers hold the same {@link Parameter} (gradients add into one grad; a model
     * lists it once, under the encoder's name). With padding R − 1 and stride 1 this is the "valid" convolution
     * by the flipped, channel-transposed kernel that undoes the seed CAE's "full" encoder. The bias (C) is its own.
     */
    public static ConvTranspose2d tiedTo(Conv2d encoder, int padding, int outputPadding, boolean bias, Init init, Rng rng) {
        if (encoder.kernelH() != encoder.kernelW() || encoder.strideH() != encoder.strideW()) {
            throw new IllegalArgumentException("ConvTranspose2d: can only tie to a square kernel with equal strides, got "
                    + encoder);
        }
        return new ConvTranspose2d(encoder.outChannels(), encoder.inChannels(), encoder.kernelH(), encoder.strideH(),
                padding, outputPadding, encoder.weight(), bias, init, rng);
    }

    private ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding,
                            int outputPadding, Parameter shared, boolean bias, Init init, Rng rng) {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || stride <= 0 || padding < 0 || outputPadding < 0) {
            throw new IllegalArgumentException("ConvTranspose2d: channels, kernel and stride must be positive and "
                    + "paddings non-negative, got in=" + inChannels + " out=" + outChannels + " k=" + kernelSize
                    + " s=" + stride + " p=" + padding + " output_padding=" + outputPadding);
        }
        if (outputPadding >= stride) {
            throw new IllegalArgumentException("ConvTranspose2d: output_padding must be smaller than stride, got "
                    + "output_padding=" + outputPadding + ", stride=" + stride);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.outputPadding = outputPadding;
        this.tied = shared != null;
        this.weight = tied ? shared : new Parameter("weight", new Tensor(inChannels, outChannels, kernelSize, kernelSize));
        this.bias = bias ? new Parameter("bias", new Tensor(outChannels)) : null;
        reset(init, rng);
    }

    /**
     * Re-initialises; as PyTorch, fan_in is weight.size(1)·R·S = out_channels·R·S. A tied layer only draws its
     * bias (the weight is the encoder's).
     */
    public void reset(Init init, Rng rng) {
        int rs = kernel * kernel;
        if (tied) {
            if (bias != null) init.applyBias(bias.value.data, outChannels * rs, rng);
            return;
        }
        init.apply(weight.value.data, bias == null ? null : bias.value.data, outChannels * rs, inChannels * rs, rng);
    }

    public Parameter weight() { return weight; }
    public Parameter bias() { return bias; }

    /** Whether the weight is a {@link Conv2d}'s, shared. */
    public boolean isTied() { return tied; }

    private ConvGeometry geometry(int[] in) {
        if (in.length != 3 || in[0] != inChannels) {
            throw new IllegalArgumentException(this + ": expected input (N, " + inChannels + ", H, W), got "
                    + Buffers.batchShapeString(in));
        }
        ConvGeometry g = geom;
        if (g == null || g.P() != in[1] || g.Q() != in[2]) {
            int h = (in[1] - 1) * stride - 2 * padding + kernel + outputPadding;
            int w = (in[2] - 1) * stride - 2 * padding + kernel + outputPadding;
            if (h <= 0 || w <= 0) {
                throw new IllegalArgumentException(this + ": input " + in[1] + "x" + in[2]
                        + " gives a non-positive output " + h + "x" + w);
            }
            g = ConvGeometry.of(outChannels, h, w, inChannels, kernel, kernel, stride, stride, Padding.of(padding));
            geom = g;
        }
        return g;
    }

    @Override
    public int[] outputShape(int[] in) {
        ConvGeometry g = geometry(in);
        return new int[] {outChannels, g.H(), g.W()};
    }

    @Override
    public Tensor forward(Tensor x) { return forward(x, null); }

    /** {@inheritDoc} With act null, this layer's own forward. */
    @Override
    public Tensor forward(Tensor x, Activation act) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(this + ": expected input (N, " + inChannels + ", H, W), got " + x.shapeString());
        }
        ConvGeometry g = geometry(Buffers.sampleShape(x));
        int n = x.dim(0);
        Tensor y = act == null ? buf.get(0, n, outChannels, g.H(), g.W())
                : act.fusedOutput(n, outChannels, g.H(), g.W());
        // the transposed conv's output is the geometry's input
        ConvTranspose.convTranspose2dForward(y.data, x.data, weight.value.data, bias == null ? null : bias.value.data,
                n, g, ws, act == null ? null : act.inPlace(y.data, g.inSize()));
        input = x;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) { return backward(dy, null); }

    /** {@inheritDoc} With act null, this layer's own backward. */
    @Override
    public Tensor backward(Tensor dy, Activation act) {
        if (input == null) throw new IllegalStateException(this + ": backward called before forward");
        ConvGeometry g = geometry(Buffers.sampleShape(input)); // outputShape may have cached another shape
        int n = input.dim(0);
        if (!dy.hasShape(n, outChannels, g.H(), g.W())) {
            throw new IllegalArgumentException(this + ": expected gradient " + java.util.Arrays.toString(
                    new int[] {n, outChannels, g.H(), g.W()}) + ", got " + dy.shapeString());
        }
        Tensor dx = inputGradNeeded ? buf.get(1, input.shape()) : null;
        Tensor d = act == null ? dy : act.fusedGradient(dy); // the gradient the convolution itself receives
        ConvTranspose.convTranspose2dBackward(dx == null ? null : dx.data, weight.grad.data,
                bias == null ? null : bias.grad.data, d.data, input.data, weight.value.data, n, g, ws,
                act == null ? null : act.gradientStep(d.data, dy.data, g.inSize()));
        return dx;
    }

    @Override
    public List<Parameter> parameters() { return bias == null ? List.of(weight) : List.of(weight, bias); }

    @Override
    public void setInputGradNeeded(boolean needed) { inputGradNeeded = needed; }

    @Override
    public String toString() {
        return "ConvTranspose2d(" + inChannels + "->" + outChannels + ", k=" + kernel + ", s=" + stride + ", p="
                + padding + (outputPadding != 0 ? ", output_padding=" + outputPadding : "")
                + (bias == null ? ", bias=false" : "") + (tied ? ", tied" : "") + ")";
    }
}
