package org.cae4j.nn;

import org.cae4j.tensor.Tensor;

/**
 * An L1 penalty on activations, a sparse code's other classic form: an identity layer that adds
 * <pre>
 *   λ · (1/N) Σ_n Σ_i |a_{n,i}|
 * </pre>
 * to the objective, the per-sample sum of |a| averaged over the batch (as tf.keras applies
 * {@code ActivityRegularization(l1=λ)}: λ·Σ|a| divided by the batch size), so λ does not depend on the batch
 * size. Backward adds its subgradient λ·sign(a)/N to dy (0 at a = 0).
 */
public final class L1Activity implements Layer {
    private final double lambda;
    private final Buffers buf = new Buffers(1);
    private Tensor input;
    private double penalty;

    /** Weight λ ≥ 0. */
    public L1Activity(double lambda) {
        if (!(lambda >= 0 && lambda < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("L1Activity: lambda must be finite and >= 0, got " + lambda);
        }
        this.lambda = lambda;
    }

    public double lambda() { return lambda; }

    @Override
    public int[] outputShape(int[] in) { return in.clone(); }

    /** Returns x itself; computes the penalty. */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() < 2) throw new IllegalArgumentException(this + ": expected input (N, ...), got " + x.shapeString());
        double s = 0;
        for (float v : x.data) s += Math.abs(v);
        penalty = lambda * s / x.dim(0);
        input = x;
        return x;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (input == null) throw new IllegalStateException(this + ": backward called before forward");
        if (!dy.hasShape(input.shape())) {
            throw new IllegalArgumentException(this + ": expected gradient " + input.shapeString() + ", got " + dy.shapeString());
        }
        Tensor dx = buf.get(0, input.shape());
        float g = (float) (lambda / input.dim(0));
        float[] a = input.data;
        for (int i = 0; i < a.length; i++) dx.data[i] = dy.data[i] + g * Math.signum(a[i]);
        return dx;
    }

    /** λ·(1/N)·Σ|a| of the last forward. */
    @Override
    public double regularizationLoss() { return penalty; }

    @Override
    public String toString() { return "L1Activity(lambda=" + lambda + ")"; }
}
