package org.cae4j.nn;

import java.util.List;
import org.cae4j.ops.Conv;
import org.cae4j.ops.ConvGeometry;
import org.cae4j.ops.Padding;
import org.cae4j.ops.Workspace;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;

/**
 * 2-D convolution layer, as PyTorch's {@code nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding,
 * bias=True)}: y (N,K,P,Q) = x (N,C,H,W) ∗ weight (K,C,R,S) + bias (K), with P, Q as in {@link ConvGeometry}.
 *
 * <p>{@code new Conv2d(1, 16, 5, 5, 1, 1, Padding.full(), true, Init.PYTORCH, rng)} is the seed CAE's encoder:
 * 16 filters 5×5 over a grey image, 28×28 → 32×32.
 */
public final class Conv2d implements FusesActivation {
    private final int inChannels, outChannels, kernelH, kernelW, strideH, strideW;
    private final Padding padding;
    private final Parameter weight, bias;
    private final Workspace ws = new Workspace();
    private final Buffers buf = new Buffers(2);
    private boolean inputGradNeeded = true;
    private ConvGeometry geom;
    private Tensor input;

    /** Square kernel and equal strides, PyTorch's default init, with bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, Padding padding, Rng rng) {
        this(inChannels, outChannels, kernelSize, kernelSize, stride, stride, padding, true, Init.PYTORCH, rng);
    }

    /** Full control: kernel R×S, strides per axis, optional bias, init scheme. */
    public Conv2d(int inChannels, int outChannels, int kernelH, int kernelW, int strideH, int strideW,
                  Padding padding, boolean bias, Init init, Rng rng) {
        check(inChannels > 0 && outChannels > 0, "channels must be positive", inChannels, outChannels);
        check(kernelH > 0 && kernelW > 0, "kernel size must be positive", kernelH, kernelW);
        check(strideH > 0 && strideW > 0, "stride must be >= 1", strideH, strideW);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.padding = padding;
        this.weight = new Parameter("weight", new Tensor(outChannels, inChannels, kernelH, kernelW));
        this.bias = bias ? new Parameter("bias", new Tensor(outChannels)) : null;
        reset(init, rng);
    }

    private void check(boolean ok, String what, int a, int b) {
        if (!ok) throw new IllegalArgumentException("Conv2d: " + what + ", got (" + a + ", " + b + ")");
    }

    /** Re-initialises weight and bias; fan_in = C·R·S, fan_out = K·R·S. */
    public void reset(Init init, Rng rng) {
        int rs = kernelH * kernelW;
        init.apply(weight.value.data, bias == null ? null : bias.value.data, inChannels * rs, outChannels * rs, rng);
    }

    public Parameter weight() { return weight; }

    /** The bias, or null when built without one. */
    public Parameter bias() { return bias; }

    public int inChannels() { return inChannels; }
    public int outChannels() { return outChannels; }
    public int kernelH() { return kernelH; }
    public int kernelW() { return kernelW; }
    public int strideH() { return strideH; }
    public int strideW() { return strideW; }
    public Padding padding() { return padding; }

    private ConvGeometry geometry(int[] in) {
        if (in.length != 3 || in[0] != inChannels) {
            throw new IllegalArgumentException(this + ": expected input (N, " + inChannels + ", H, W), got "
                    + Buffers.batchShapeString(in));
        }
        ConvGeometry g = geom;
        if (g == null || g.H() != in[1] || g.W() != in[2]) {
            try {
                g = ConvGeometry.of(inChannels, in[1], in[2], outChannels, kernelH, kernelW, strideH, strideW, padding);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(this + ": " + e.getMessage(), e);
            }
            geom = g;
        }
        return g;
    }

    @Override
    public int[] outputShape(int[] in) {
        ConvGeometry g = geometry(in);
        return new int[] {outChannels, g.P(), g.Q()};
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
        Tensor y = act == null ? buf.get(0, n, outChannels, g.P(), g.Q())
                : act.fusedOutput(n, outChannels, g.P(), g.Q());
        Conv.conv2dForward(y.data, x.data, weight.value.data, bias == null ? null : bias.value.data, n, g, ws,
                act == null ? null : act.inPlace(y.data, g.outSize()));
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
        if (!dy.hasShape(n, outChannels, g.P(), g.Q())) {
            throw new IllegalArgumentException(this + ": expected gradient " + java.util.Arrays.toString(
                    new int[] {n, outChannels, g.P(), g.Q()}) + ", got " + dy.shapeString());
        }
        Tensor dx = inputGradNeeded ? buf.get(1, input.shape()) : null;
        Tensor d = act == null ? dy : act.fusedGradient(dy); // the gradient the convolution itself receives
        Conv.conv2dBackward(dx == null ? null : dx.data, weight.grad.data, bias == null ? null : bias.grad.data,
                d.data, input.data, weight.value.data, n, g, ws,
                act == null ? null : act.gradientStep(d.data, dy.data, g.outSize()));
        return dx;
    }

    @Override
    public List<Parameter> parameters() { return bias == null ? List.of(weight) : List.of(weight, bias); }

    @Override
    public void setInputGradNeeded(boolean needed) { inputGradNeeded = needed; }

    @Override
    public String toString() {
        String k = kernelH == kernelW ? Integer.toString(kernelH) : kernelH + "x" + kernelW;
        String s = strideH == strideW ? Integer.toString(strideH) : strideH + "x" + strideW;
        return "Conv2d(" + inChannels + "->" + outChannels + ", k=" + k + ", s=" + s + ", p=" + padding
                + (bias == null ? ", bias=false" : "") + ")";
    }
}
