package org.cae4j.ops;

/**
 * Vectorised activations over ranges of float arrays, for {@link Activations} when the Vector-API kernels are
 * in use ({@code ElementwiseVector}). tanh and sigmoid are within one ulp of the true value (mostly the nearest
 * float, as the plain loops give, but not always) and the same bits however warm the JVM is and wherever a range
 * is split; ReLU is exact.
 */
interface ElementwiseKernels {
    /** y[i] = tanh(x[i]) for from ≤ i &lt; to. */
    void tanh(float[] y, float[] x, int from, int to);

    /** y[i] = 1 / (1 + e^−x[i]) for from ≤ i &lt; to. */
    void sigmoid(float[] y, float[] x, int from, int to);

    /** y[i] = x[i] if x[i] &gt; 0 else 0, for from ≤ i &lt; to. */
    void relu(float[] y, float[] x, int from, int to);

    /** dx[i] = dy[i] if x[i] &gt; 0 else 0, for from ≤ i &lt; to. */
    void reluBackward(float[] dx, float[] dy, float[] x, int from, int to);
}
