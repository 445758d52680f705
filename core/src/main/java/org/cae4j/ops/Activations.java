package org.cae4j.ops;

/**
 * Elementwise nonlinearities, each forward directly above its backward.
 *
 * <p>Forward: {@code y[i] = f(x[i])} for i &lt; n. Backward: {@code dx[i] = dy[i] · f'(x[i])}, written (not
 * added), computed from whichever of x or y is cheaper. Formulas and defaults follow PyTorch's
 * {@code torch.nn} modules of the same names.
 *
 * <p>With the Vector-API kernels in use ({@link Gemm#implementation()} "vector"), tanh, sigmoid and ReLU
 * run on Vector-API kernels ({@link ElementwiseKernels}); the range forms serve callers that split an
 * array over threads.
 */
public final class Activations {
    /** Vectorised activations, or null with the plain kernels. */
    private static final ElementwiseKernels FAST = Gemm.implementation().equals("vector") ? loadFast() : null;

    private Activations() {}

    /** The Vector-API kernels (also {@link Pool}'s), or null with the plain kernels. */
    static ElementwiseKernels fast() { return FAST; }

    private static ElementwiseKernels loadFast() {
        try {
            return (ElementwiseKernels) Class.forName("org.cae4j.ops.ElementwiseVector")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the Vector-API activations", e);
        }
    }

    // sigmoid: y = 1/(1+e^-x); dy/dx = y(1-y). Split by sign so e^-x never overflows.
    public static void sigmoidForward(float[] y, float[] x, int n) { sigmoidForward(y, x, 0, n); }
    public static void sigmoidForward(float[] y, float[] x, int from, int to) {
        if (FAST != null) FAST.sigmoid(y, x, from, to);
        else for (int i = from; i < to; i++) y[i] = sigmoid(x[i]);
    }
    public static void sigmoidBackward(float[] dx, float[] dy, float[] y, int n) { sigmoidBackward(dx, dy, y, 0, n); }
    public static void sigmoidBackward(float[] dx, float[] dy, float[] y, int from, int to) {
        for (int i = from; i < to; i++) dx[i] = dy[i] * y[i] * (1f - y[i]);
    }

    // tanh: dy/dx = 1 - y^2
    public static void tanhForward(float[] y, float[] x, int n) { tanhForward(y, x, 0, n); }
    public static void tanhForward(float[] y, float[] x, int from, int to) {
        if (FAST != null) FAST.tanh(y, x, from, to);
        else for (int i = from; i < to; i++) y[i] = (float) Math.tanh(x[i]);
    }
    public static void tanhBackward(float[] dx, float[] dy, float[] y, int n) { tanhBackward(dx, dy, y, 0, n); }
    public static void tanhBackward(float[] dx, float[] dy, float[] y, int from, int to) {
        for (int i = from; i < to; i++) dx[i] = dy[i] * (1f - y[i] * y[i]);
    }

    // ReLU: y = max(0, x); dy/dx = 1 if x > 0 else 0 (PyTorch's subgradient at 0 is 0)
    public static void reluForward(float[] y, float[] x, int n) { reluForward(y, x, 0, n); }
    public static void reluForward(float[] y, float[] x, int from, int to) {
        if (FAST != null) FAST.relu(y, x, from, to);
        else for (int i = from; i < to; i++) y[i] = x[i] > 0f ? x[i] : 0f;
    }
    public static void reluBackward(float[] dx, float[] dy, float[] x, int n) { reluBackward(dx, dy, x, 0, n); }
    public static void reluBackward(float[] dx, float[] dy, float[] x, int from, int to) {
        if (FAST != null) FAST.reluBackward(dx, dy, x, from, to);
        else for (int i = from; i < to; i++) dx[i] = x[i] > 0f ? dy[i] : 0f;
    }

    // leaky ReLU: y = x if x > 0 else slope·x
    public static void leakyReluForward(float[] y, float[] x, int n, float slope) {
        for (int i = 0; i < n; i++) y[i] = x[i] > 0f ? x[i] : slope * x[i];
    }
    public static void leakyReluBackward(float[] dx, float[] dy, float[] x, int n, float slope) {
        for (int i = 0; i < n; i++) dx[i] = x[i] > 0f ? dy[i] : slope * dy[i];
    }

    // ELU (Clevert et al. 2016): y = x if x > 0 else alpha·(e^x - 1); dy/dx = 1 or y + alpha
    public static void eluForward(float[] y, float[] x, int n, float alpha) {
        for (int i = 0; i < n; i++) y[i] = x[i] > 0f ? x[i] : alpha * (float) Math.expm1(x[i]);
    }
    public static void eluBackward(float[] dx, float[] dy, float[] x, float[] y, int n, float alpha) {
        for (int i = 0; i < n; i++) dx[i] = x[i] > 0f ? dy[i] : dy[i] * (y[i] + alpha);
    }

    // softplus: y = log(1 + e^{beta x})/beta, linear (y = x) where beta·x > threshold; dy/dx = sigmoid(beta x)
    public static void softplusForward(float[] y, float[] x, int n, float beta, float threshold) {
        for (int i = 0; i < n; i++) {
            float bx = beta * x[i];
            y[i] = bx > threshold ? x[i] : (float) (Math.log1p(Math.exp(bx)) / beta);
        }
    }
    public static void softplusBackward(float[] dx, float[] dy, float[] x, int n, float beta, float threshold) {
        for (int i = 0; i < n; i++) {
            float bx = beta * x[i];
            dx[i] = bx > threshold ? dy[i] : dy[i] * sigmoid(bx);
        }
    }

    /** 1/(1+e^-x) without overflow for large |x|. */
    public static float sigmoid(float x) {
        if (x >= 0) return (float) (1.0 / (1.0 + Math.exp(-x)));
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }
}
