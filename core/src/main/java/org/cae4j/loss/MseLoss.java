package org.cae4j.loss;

import org.cae4j.ops.Pointwise;
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
        double sum = Pointwise.squaredError(d, x, t, 2f / n, n);
        return new LossAndGrad(sum / n, g);
    }

    @Override
    public String cliName() { return "mse"; }

    @Override
    public String toString() { return "MSELoss()"; }
}
