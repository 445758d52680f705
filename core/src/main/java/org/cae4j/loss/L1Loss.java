package org.cae4j.loss;

import org.cae4j.tensor.Tensor;

/** Mean absolute error, PyTorch's {@code nn.L1Loss()}: L = Σ |x − t| / n, dL/dx = sign(x − t) / n (0 at 0). */
public final class L1Loss implements Loss {
    private final GradBuffer buf = new GradBuffer();

    @Override
    public LossAndGrad forward(Tensor input, Tensor target) {
        Loss.checkSameShape("L1Loss", input, target);
        Tensor g = buf.get(input);
        float[] x = input.data, t = target.data, d = g.data;
        int n = x.length;
        float inv = 1f / n;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float e = x[i] - t[i];
            sum += Math.abs(e);
            d[i] = e > 0 ? inv : e < 0 ? -inv : 0f;
        }
        return new LossAndGrad(sum / n, g);
    }

    @Override
    public String cliName() { return "l1"; }

    @Override
    public String toString() { return "L1Loss()"; }
}
