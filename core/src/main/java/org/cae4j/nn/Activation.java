package org.cae4j.nn;

import java.util.Locale;
import org.cae4j.ops.Activations;
import org.cae4j.ops.ImageStep;
import org.cae4j.ops.Parallel;
import org.cae4j.tensor.Tensor;

/**
 * An elementwise nonlinearity as a layer: PyTorch's {@code nn.Identity}, {@code nn.Sigmoid}, {@code nn.Tanh},
 * {@code nn.ReLU}, {@code nn.LeakyReLU(negative_slope=0.01)}, {@code nn.ELU(alpha=1.0)} and
 * {@code nn.Softplus(beta=1, threshold=20)}. Shape in = shape out.
 */
public final class Activation implements Layer {

    /** The function; its {@link #cliName()} is the name used in files and on the command line. */
    public enum Kind {
        IDENTITY, SIGMOID, TANH, RELU, LEAKY_RELU, ELU, SOFTPLUS;

        public String cliName() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }
    }

    private final Kind kind;
    private final float param;      // leaky slope, ELU alpha or softplus beta
    private final float threshold;  // softplus only
    private final Buffers buf = new Buffers(2);
    private Tensor input, output;

    private Activation(Kind kind, float param, float threshold) {
        this.kind = kind;
        this.param = param;
        this.threshold = threshold;
    }

    public static Activation identity() { return new Activation(Kind.IDENTITY, 0, 0); }
    public static Activation sigmoid() { return new Activation(Kind.SIGMOID, 0, 0); }
    public static Activation tanh() { return new Activation(Kind.TANH, 0, 0); }
    public static Activation relu() { return new Activation(Kind.RELU, 0, 0); }
    public static Activation leakyRelu(float negativeSlope) { return new Activation(Kind.LEAKY_RELU, negativeSlope, 0); }
    public static Activation elu(float alpha) { return new Activation(Kind.ELU, alpha, 0); }
    public static Activation softplus(float beta, float threshold) {
        if (!(beta > 0)) throw new IllegalArgumentException("Softplus: beta must be > 0, got " + beta);
        return new Activation(Kind.SOFTPLUS, beta, threshold);
    }

    /** The kind with PyTorch's default parameters. */
    public static Activation of(Kind kind) {
        switch (kind) {
            case LEAKY_RELU: return leakyRelu(0.01f);
            case ELU: return elu(1f);
            case SOFTPLUS: return softplus(1f, 20f);
            default: return new Activation(kind, 0, 0);
        }
    }

    /** Parses a {@link Kind#cliName()} such as {@code tanh} or {@code leaky-relu}, with PyTorch's defaults. */
    public static Activation parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Kind k : Kind.values()) {
            if (k.cliName().equals(n)) return of(k);
        }
        throw new IllegalArgumentException("unknown activation '" + name
                + "': expected identity, sigmoid, tanh, relu, leaky-relu, elu or softplus");
    }

    public Kind kind() { return kind; }

    /**
     * The closed interval [lo, hi] that holds every output (infinite ends where unbounded): sigmoid [0, 1],
     * tanh [−1, 1], relu and softplus [0, ∞), elu [−α, ∞), identity and leaky relu (−∞, ∞).
     */
    public double[] range() {
        double inf = Double.POSITIVE_INFINITY;
        switch (kind) {
            case SIGMOID: return new double[] {0, 1};
            case TANH: return new double[] {-1, 1};
            case RELU: case SOFTPLUS: return new double[] {0, inf};
            case LEAKY_RELU: return new double[] {param > 0 ? -inf : 0, inf};
            case ELU: return new double[] {Math.min(0, -param), inf};
            default: return new double[] {-inf, inf};
        }
    }

    @Override
    public int[] outputShape(int[] in) { return in.clone(); }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = buf.get(0, x.shape());
        float[] a = x.data, b = y.data;
        int n = x.size();
        switch (kind) {
            case IDENTITY: System.arraycopy(a, 0, b, 0, n); break;
            case SIGMOID: split(n, SPLIT_COSTLY, (from, to) -> Activations.sigmoidForward(b, a, from, to)); break;
            case TANH: split(n, SPLIT_COSTLY, (from, to) -> Activations.tanhForward(b, a, from, to)); break;
            case RELU: split(n, SPLIT_CHEAP, (from, to) -> Activations.reluForward(b, a, from, to)); break;
            case LEAKY_RELU: Activations.leakyReluForward(b, a, n, param); break;
            case ELU: Activations.eluForward(b, a, n, param); break;
            case SOFTPLUS: Activations.softplusForward(b, a, n, param, threshold); break;
            default: throw new AssertionError(kind);
        }
        input = x;
        output = y;
        return y;
    }

    /**
     * True for identity, sigmoid, tanh and ReLU: kinds whose gradient needs only the output, so that a layer before
     * this one can apply them in its own pass over each image ({@link FusesActivation}).
     */
    public boolean fusable() {
        return kind == Kind.IDENTITY || kind == Kind.SIGMOID || kind == Kind.TANH || kind == Kind.RELU;
    }

    /** Fused forward: the buffer (a batch of {@code shape}) the fusing layer writes into; this layer's output. */
    Tensor fusedOutput(int... shape) {
        if (!fusable()) throw new IllegalStateException(this + " cannot be fused");
        Tensor y = buf.get(0, shape);
        input = null;
        output = y;
        return y;
    }

    /** Fused forward: the step that applies f in place to each image (imageSize floats) of the fused output y. */
    ImageStep inPlace(float[] y, int imageSize) {
        return (n0, n1) -> applyInPlace(y, n0 * imageSize, n1 * imageSize);
    }

    /** y[i] = f(y[i]) for from ≤ i &lt; to. */
    void applyInPlace(float[] y, int from, int to) {
        switch (kind) {
            case IDENTITY: break;
            case SIGMOID: Activations.sigmoidForward(y, y, from, to); break;
            case TANH: Activations.tanhForward(y, y, from, to); break;
            case RELU: Activations.reluForward(y, y, from, to); break;
            default: throw new IllegalStateException(this + " cannot be fused");
        }
    }

    /** Fused backward: the buffer for dL/dx, after checking dy against the last output. */
    Tensor fusedGradient(Tensor dy) {
        checkGradient(dy);
        return buf.get(1, output.shape());
    }

    /**
     * Fused backward: the step that writes dx = dy · f'(x) for each image (imageSize floats), from the last output;
     * dx is {@link #fusedGradient}'s buffer.
     */
    ImageStep gradientStep(float[] dx, float[] dy, int imageSize) {
        return (n0, n1) -> gradient(dx, dy, n0 * imageSize, n1 * imageSize);
    }

    /** dx[i] = dy[i] · f'(x[i]) for from ≤ i &lt; to, from the last output. */
    void gradient(float[] dx, float[] dy, int from, int to) {
        float[] y = output.data;
        switch (kind) {
            case IDENTITY: System.arraycopy(dy, from, dx, from, to - from); break;
            case SIGMOID: Activations.sigmoidBackward(dx, dy, y, from, to); break;
            case TANH: Activations.tanhBackward(dx, dy, y, from, to); break;
            case RELU: Activations.reluBackward(dx, dy, y, from, to); break; // y > 0 exactly where x > 0
            default: throw new IllegalStateException(this + " cannot be fused");
        }
    }

    private void checkGradient(Tensor dy) {
        if (output == null) throw new IllegalStateException(this + ": backward called before forward");
        if (!dy.hasShape(output.shape())) {
            throw new IllegalArgumentException(this + ": expected gradient " + output.shapeString() + ", got " + dy.shapeString());
        }
    }

    @Override
    public Tensor backward(Tensor dy) {
        checkGradient(dy);
        Tensor dx = buf.get(1, output.shape());
        float[] g = dy.data, d = dx.data, x = input == null ? null : input.data, y = output.data;
        int n = dy.size();
        switch (kind) {
            case IDENTITY: System.arraycopy(g, 0, d, 0, n); break;
            case SIGMOID: split(n, SPLIT_CHEAP, (from, to) -> Activations.sigmoidBackward(d, g, y, from, to)); break;
            case TANH: split(n, SPLIT_CHEAP, (from, to) -> Activations.tanhBackward(d, g, y, from, to)); break;
            case RELU: split(n, SPLIT_CHEAP, (from, to) -> Activations.reluBackward(d, g, y, from, to)); break;
            case LEAKY_RELU: Activations.leakyReluBackward(d, g, x, n, param); break;
            case ELU: Activations.eluBackward(d, g, x, y, n, param); break;
            case SOFTPLUS: Activations.softplusBackward(d, g, x, n, param, threshold); break;
            default: throw new AssertionError(kind);
        }
        return dx;
    }

    /** Elements below which an elementwise op stays on the calling thread (handing work over costs more): tanh
     *  and sigmoid take about 0.6 ns per element, the others a fraction of one. Model D's 50k-element sigmoid
     *  after its last dense layer took 0.7 µs per image alone and 2.3–2.9 split while the products before it ran
     *  on one thread (the worker had parked); since they are split at batch 64 (Dense), 0.47–0.49 alone and
     *  0.29 split (InferLayers D 64 2, Temurin 25). */
    private static final int SPLIT_COSTLY = 1 << 14, SPLIT_CHEAP = 1 << 18;

    /** A body over the element range [from, to). */
    private interface Range { void run(int from, int to); }

    /** Runs {@code body} over [0, n), split into {@link Parallel} chunks when n is large; elementwise, so any
     *  split gives the same result. */
    private static void split(int n, int min, Range body) {
        Parallel.forChunks(n, n, min, (chunk, from, to) -> body.run(from, to));
    }

    @Override
    public String toString() {
        switch (kind) {
            case IDENTITY: return "Identity()";
            case SIGMOID: return "Sigmoid()";
            case TANH: return "Tanh()";
            case RELU: return "ReLU()";
            case LEAKY_RELU: return "LeakyReLU(" + param + ")";
            case ELU: return "ELU(alpha=" + param + ")";
            default: return "Softplus(beta=" + param + ", threshold=" + threshold + ")";
        }
    }
}
