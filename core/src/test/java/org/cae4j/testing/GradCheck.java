package org.cae4j.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleSupplier;
import org.cae4j.loss.Loss;
import org.cae4j.loss.LossAndGrad;
import org.cae4j.nn.Layer;
import org.cae4j.nn.Parameter;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;

/**
 * The one numerical gradient check used for every op, activation, loss and layer.
 *
 * <p>For a layer, L = Σ r ⊙ y + the layer's {@link Layer#regularizationLoss()} (its penalty, whose gradient
 * backward adds itself) with a fixed random r; the analytic dL/dx and dL/dθ from backward are compared
 * with central differences (L(v + ε) − L(v − ε)) / 2ε, L summed in double. The error at an index is
 * |analytic − numeric| / max(|analytic|, |numeric|, floor), floor = max(1e-4, 1% of the tensor's largest
 * analytic entry), after taking off what float rounding of L alone can put into the numeric side (below); the worst
 * index is reported. At most
 * {@code maxPerTensor} indices per tensor are probed, chosen at random when a tensor is larger.
 *
 * <p>Rounding: each float output y_i is off by a few ulp, so L = Σ r_i·y_i is off by about 2^−24·√Σ(r_i·y_i)² times
 * that many ulp, and the central difference by √2 times that over 2ε. With {@link #ROUNDING_ULPS} ulp, that bound
 * (about 1e-4 for a 300-output layer at ε = 1e-2) is subtracted from |analytic − numeric| before dividing: small
 * entries of a layer with many outputs are otherwise compared with the noise of L (seen: dx of a seed CAE, analytic
 * −9.82e-4, numeric −9.62e-4, 2 % apart with 2 threads and not with 1). A wrong gradient is still off by far more.
 */
public final class GradCheck {
    private GradCheck() {}

    public static final double EPS = 1e-2;
    public static final double TOL = 1e-2;
    private static final double FLOOR = 1e-4;
    private static final int MAX_PER_TENSOR = 60;
    /** Ulps of error per output assumed in the rounding bound of L. */
    static final double ROUNDING_ULPS = 4;

    /** Checks dL/dx and every parameter gradient of {@code layer} at input {@code x}. */
    public static void layer(String what, Layer layer, Tensor x, Rng rng) {
        Tensor y0 = layer.forward(x);
        float[] r = new float[y0.size()];
        for (int i = 0; i < r.length; i++) r[i] = (float) rng.uniform(-1, 1);
        Tensor rt = new Tensor(r, y0.shape());
        double squares = 0;
        for (int i = 0; i < r.length; i++) squares += (double) r[i] * y0.data[i] * r[i] * y0.data[i];
        double noise = ROUNDING_ULPS * 0x1p-24 * Math.sqrt(squares) * Math.sqrt(2) / (2 * EPS);
        for (Parameter p : layer.parameters()) p.zeroGrad();
        layer.forward(x);
        Tensor dx = layer.backward(rt);
        float[] dxCopy = dx == null ? null : dx.data.clone();
        DoubleSupplier L = () -> {
            Tensor y = layer.forward(x);
            double s = layer.regularizationLoss();
            for (int i = 0; i < r.length; i++) s += (double) r[i] * y.data[i];
            return s;
        };
        if (dxCopy != null) compare(what + " dx", x.data, dxCopy, L, noise, rng);
        for (Parameter p : layer.parameters()) {
            compare(what + " d" + p.name(), p.value.data, p.grad.data.clone(), L, noise, rng);
        }
    }

    /**
     * {@code layer} with {@code rng} rewound to its present state before every forward, so a random layer
     * (dropout, input noise, VAE sampling) draws the same noise at every probe of the check.
     */
    public static Layer reseeded(Layer layer, Rng rng) {
        long[] state = rng.state();
        return new Layer() {
            @Override public Tensor forward(Tensor x) {
                rng.setState(state);
                return layer.forward(x);
            }
            @Override public Tensor backward(Tensor dy) { return layer.backward(dy); }
            @Override public int[] outputShape(int[] in) { return layer.outputShape(in); }
            @Override public java.util.List<Parameter> parameters() { return layer.parameters(); }
            @Override public double regularizationLoss() { return layer.regularizationLoss(); }
            @Override public void setInputGradNeeded(boolean needed) { layer.setInputGradNeeded(needed); }
            @Override public void train(boolean training) { layer.train(training); }
            @Override public String toString() { return layer + " (noise fixed)"; }
        };
    }

    /** Checks dL/d input of {@code loss} at (input, target). */
    public static void loss(String what, Loss loss, Tensor input, Tensor target, Rng rng) {
        LossAndGrad lg = loss.forward(input, target);
        float[] g = lg.grad().data.clone();
        compare(what + " d input", input.data, g, () -> loss.forward(input, target).value(), 0, rng);
    }

    /**
     * Compares analytic gradient {@code grad} of L with respect to {@code v} with central differences, {@code noise}
     * (the rounding bound of the numeric side, 0 for none) taken off their difference.
     */
    public static void compare(String what, float[] v, float[] grad, DoubleSupplier L, double noise, Rng rng) {
        int n = v.length;
        int probes = Math.min(n, MAX_PER_TENSOR);
        double worst = 0;
        int worstAt = -1;
        double worstA = 0, worstN = 0;
        // float32 rounding of L limits the numeric side to an absolute accuracy near 1e-5 of the gradient's
        // scale; errors are taken relative to at least 1% of the largest analytic entry (and at least FLOOR)
        double scale = 0;
        for (float g : grad) scale = Math.max(scale, Math.abs(g));
        double floor = Math.max(FLOOR, 0.01 * scale);
        for (int k = 0; k < probes; k++) {
            int i = n <= MAX_PER_TENSOR ? k : rng.nextInt(n);
            double num = central(v, i, EPS, L);
            double err = Math.max(0, Math.abs(grad[i] - num) - noise) / Math.max(Math.max(Math.abs(grad[i]), Math.abs(num)), floor);
            if (err > worst) {
                worst = err;
                worstAt = i;
                worstA = grad[i];
                worstN = num;
            }
        }
        L.getAsDouble(); // leave the layer's cache at the unperturbed point
        String msg = String.format("%s: worst relative error %.3g at index %d (analytic %.6g, numeric %.6g; rounding"
                        + " bound %.2g)", what, worst, worstAt, worstA, worstN, noise);
        System.out.println("gradcheck " + msg);
        assertTrue(worst <= TOL, msg);
    }

    private static double central(float[] v, int i, double h, DoubleSupplier L) {
        float orig = v[i];
        float up = (float) (orig + h), down = (float) (orig - h);
        v[i] = up;
        double plus = L.getAsDouble();
        v[i] = down;
        double minus = L.getAsDouble();
        v[i] = orig;
        return (plus - minus) / ((double) up - down); // the step actually taken after rounding to float
    }

    /** A tensor of the given shape, uniform in [lo, hi). */
    public static Tensor uniform(Rng rng, double lo, double hi, int... shape) {
        Tensor t = new Tensor(shape);
        for (int i = 0; i < t.size(); i++) t.data[i] = (float) rng.uniform(lo, hi);
        return t;
    }

    /** Uniform in ±[gap, 1): values kept away from a kink at 0 by more than the step ε. */
    public static Tensor awayFromZero(Rng rng, double gap, int... shape) {
        Tensor t = new Tensor(shape);
        for (int i = 0; i < t.size(); i++) {
            double u = rng.uniform(gap, 1);
            t.data[i] = (float) (rng.nextDouble() < 0.5 ? -u : u);
        }
        return t;
    }
}
