package org.cae4j.loss;

import org.cae4j.tensor.Tensor;

/**
 * Binary cross-entropy on probabilities, PyTorch's {@code nn.BCELoss()}:
 * L = −Σ [t·log x + (1 − t)·log(1 − x)] / n, each log clamped at −100 as PyTorch does so that x = 0 or 1
 * gives a finite loss; dL/dx = (x − t) / (x (1 − x)) / n with x(1 − x) kept ≥ 1e-12.
 * Prefer {@link BceWithLogitsLoss} on pre-sigmoid outputs: it is exact for any logit.
 */
public final class BceLoss implements Loss {
    private static final double EPS = 1e-12;
    private final GradBuffer buf = new GradBuffer();

    @Override
    public LossAndGrad forward(Tensor input, Tensor target) {
        Loss.checkSameShape("BCELoss", input, target);
        Tensor g = buf.get(input);
        float[] x = input.data, t = target.data, d = g.data;
        int n = x.length;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double xi = x[i], ti = t[i];
            if (xi < 0 || xi > 1 || Double.isNaN(xi)) {
                throw new IllegalArgumentException("BCELoss: input must be a probability in [0, 1], got " + x[i]
                        + " at index " + i + " (use bce-logits on unbounded outputs)");
            }
            double lx = Math.max(Math.log(xi), -100), l1x = Math.max(Math.log1p(-xi), -100);
            sum -= ti * lx + (1 - ti) * l1x;
            d[i] = (float) ((xi - ti) / Math.max(xi * (1 - xi), EPS) / n);
        }
        return new LossAndGrad(sum / n, g);
    }

    @Override
    public String cliName() { return "bce"; }

    @Override
    public String toString() { return "BCELoss()"; }
}
