package org.cae4j.optim;

import java.util.List;
import java.util.Map;
import org.cae4j.nn.Parameter;
import org.cae4j.tensor.Tensor;

/**
 * Stochastic gradient descent with momentum, as PyTorch's {@code optim.SGD(params, lr, momentum=0,
 * dampening=0, weight_decay=0, nesterov=False)}:
 * <pre>
 *   g ← ∇θ + λθ
 *   b ← g (first step), else μ·b + (1 − dampening)·g
 *   g ← g + μ·b (Nesterov) or b
 *   θ ← θ − lr·g
 * </pre>
 */
public final class Sgd implements Optimizer {
    private final List<Parameter> params;
    private double lr;
    private final float momentum, dampening, weightDecay;
    private final boolean nesterov;
    private final float[][] buf;
    private boolean started;

    /** Plain SGD. */
    public Sgd(List<Parameter> params, double lr) { this(params, lr, 0, 0, 0, false); }

    public Sgd(List<Parameter> params, double lr, double momentum, double dampening, double weightDecay,
               boolean nesterov) {
        Optimizer.checkHyper("SGD", "lr", lr, true);
        Optimizer.checkHyper("SGD", "momentum", momentum, false);
        Optimizer.checkHyper("SGD", "dampening", dampening, false);
        Optimizer.checkHyper("SGD", "weight_decay", weightDecay, false);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum requires momentum > 0 and dampening = 0, got "
                    + "momentum=" + momentum + ", dampening=" + dampening);
        }
        this.params = List.copyOf(params);
        this.lr = lr;
        this.momentum = (float) momentum;
        this.dampening = (float) dampening;
        this.weightDecay = (float) weightDecay;
        this.nesterov = nesterov;
        this.buf = new float[this.params.size()][];
        if (momentum != 0) for (int i = 0; i < buf.length; i++) buf[i] = new float[this.params.get(i).value.size()];
    }

    @Override
    public void step() {
        float lrf = (float) lr;
        for (int pi = 0; pi < params.size(); pi++) {
            float[] w = params.get(pi).value.data, gr = params.get(pi).grad.data, b = buf[pi];
            for (int i = 0; i < w.length; i++) {
                float g = gr[i] + weightDecay * w[i];
                if (b != null) {
                    b[i] = started ? momentum * b[i] + (1f - dampening) * g : g;
                    g = nesterov ? g + momentum * b[i] : b[i];
                }
                w[i] -= lrf * g;
            }
            params.get(pi).markChanged();
        }
        started = true;
    }

    @Override
    public void saveState(Map<String, Tensor> tensors, Map<String, String> scalars) {
        for (int i = 0; i < buf.length; i++) {
            if (buf[i] != null) tensors.put("momentum_buffer." + i, new Tensor(buf[i].clone(), buf[i].length));
        }
        scalars.put("started", started ? "1" : "0");
    }

    @Override
    public void loadState(Map<String, Tensor> tensors, Map<String, String> scalars) {
        long s = Optimizer.counter("started", scalars);
        for (int i = 0; i < buf.length; i++) {
            if (buf[i] != null) Optimizer.restore("momentum_buffer." + i, tensors, buf[i]);
        }
        started = s != 0;
    }

    @Override
    public List<Parameter> parameters() { return params; }

    @Override
    public double lr() { return lr; }

    @Override
    public void setLr(double lr) {
        Optimizer.checkHyper("SGD", "lr", lr, true);
        this.lr = lr;
    }

    @Override
    public String toString() {
        return "SGD(lr=" + lr + ", momentum=" + momentum + ", dampening=" + dampening + ", weight_decay="
                + weightDecay + ", nesterov=" + nesterov + ")";
    }
}
