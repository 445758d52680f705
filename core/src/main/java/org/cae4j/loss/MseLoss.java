package org.cae4j.loss;

import org.cae4j.tensor.Tensor;

/** Mean squared error, PyTorch's {@code nn.MSELoss()}: L = Σ (x − t)² / n, dL/dx = 2 (x − t) / n. */
public final class MseLoss implements Loss {
    private final GradBuffer buf = new GradBuffer();

    @Override
    public LossAndGrad forward(Tensor input, Tensor target) {
        Loss.checkSameShape("MSELoss", input, target);
        Tensor g = buf.get(input);
        float[] x = input.data, t = target.data, d = g.data;
        int n = x.length;
        float scale = 2f / n;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float e = x[i] - t[i];
            sum += (double) e * e;
            d[i] = scale * e;
        }
        return new LossAndGrad(sum / n, g);
    }

    @Override
    public String cliName() { return "mse"; }

    @Override
    public String toString() { return "MSELoss()"; }
}
