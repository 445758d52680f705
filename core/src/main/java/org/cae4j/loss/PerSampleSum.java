package org.cae4j.loss;

import org.cae4j.tensor.Tensor;

/**
 * A loss summed over each sample's elements and averaged over the batch: D·L for a mean loss L over (N, D)
 * elements, with gradient D·dL. {@code new PerSampleSum(new BceLoss())} is PyTorch's
 * {@code F.binary_cross_entropy(x̂, x, reduction='sum') / N}, the reconstruction term of a variational
 * autoencoder, on the same scale as the per-sample KL term it is added to (a 28×28 image: 784 times the mean).
 *
 * <p>It scales the wrapped loss's gradient buffer in place and returns it.
 */
public final class PerSampleSum implements Loss {
    private final Loss mean;

    /** Wraps a mean loss (MSE, BCE, ...). */
    public PerSampleSum(Loss mean) {
        if (mean instanceof PerSampleSum) throw new IllegalArgumentException("PerSampleSum: " + mean + " is already summed");
        this.mean = mean;
    }

    /** The wrapped mean loss. */
    public Loss mean() { return mean; }

    @Override
    public LossAndGrad forward(Tensor input, Tensor target) {
        LossAndGrad lg = mean.forward(input, target);
        int d = input.size() / input.dim(0);
        float[] g = lg.grad().data;
        for (int i = 0; i < g.length; i++) g[i] *= d;
        return new LossAndGrad(lg.value() * d, lg.grad());
    }

    /** The wrapped loss's name and {@code -sum}: {@code bce-sum}, {@code mse-sum}. */
    @Override
    public String cliName() { return mean.cliName() + "-sum"; }

    @Override
    public String toString() { return "PerSampleSum(" + mean + ")"; }
}
