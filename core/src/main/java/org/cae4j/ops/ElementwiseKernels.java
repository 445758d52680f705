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

    /**
     * The common case of {@link Pool}'s max pooling, 2×2 windows at stride 2 inside the plane, a whole vector of
     * outputs at a time: for o from 0, the window whose top-left pixel is x[xOff + top[o]] (row length W) gives
     * y[yOff + out[o]] = its first maximum in row-major order (that pixel's value, so the first of −0 and +0) and
     * argmax[yOff + out[o]] = top[o] plus that pixel's place. Stops before the last partial vector and before a
     * vector holding a NaN or infinite maximum, and returns how many outputs it wrote; the caller does the rest.
     */
    int maxPool2x2(float[] y, int[] argmax, float[] x, int xOff, int yOff, int[] top, int[] out, int n, int W);
}
