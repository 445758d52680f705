package org.cae4j.loss;

import org.cae4j.ops.Activations;
import org.cae4j.tensor.Tensor;

/**
 * Binary cross-entropy on logits z, PyTorch's {@code nn.BCEWithLogitsLoss()}, numerically stable:
 * ℓ = max(z, 0) − z·t + log(1 + e^{−|z|}), L = Σ ℓ / n, dL/dz = (σ(z) − t) / n.
 */
public final class BceWithLogitsLoss implements Loss {
    private final GradBuffer buf = new GradBuffer();

    @Override
    public LossAndGrad forward(Tensor input, Tensor target) {
        Loss.checkSameShape("BCEWithLogitsLoss", input, target);
        Tensor g = buf.get(input);
        float[] z = input.data, t = target.data, d = g.data;
        int n = z.length;
        float inv = 1f / n;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double zi = z[i];
            sum += Math.max(zi, 0) - zi * t[i] + Math.log1p(Math.exp(-Math.abs(zi)));
            d[i] = (Activations.sigmoid(z[i]) - t[i]) * inv;
        }
        return new LossAndGrad(sum / n, g);
    }

    @Override
    public String cliName() { return "bce-logits"; }

    @Override
    public String toString() { return "BCEWithLogitsLoss()"; }
}
