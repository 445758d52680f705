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

    /** Floats per vector of these kernels. */
    int lanes();

    /**
     * The common case of {@link Pool}'s max pooling, 2×2 windows at stride 2 inside the plane, by rows of whole
     * vectors of outputs: for the rows p0 ≤ p &lt; p1 of Qf windows of the plane at xOff (row length W), y and
     * argmax at yOff + p·Q + q get the first maximum of window (p, q) in row-major order (that pixel's value, so
     * the first of −0 and +0) and its place in the plane. A row's last vector is computed whole: it reads up to
     * 2V − 2 pixels past the row's last window and writes up to V − 1 outputs past its Qf; the caller makes sure
     * these are inside the arrays and written again later. Stops at a row whose maximum is a NaN or an infinity
     * and returns that row (p1 when all are done).
     */
    int maxPool2x2Rows(float[] y, int[] argmax, float[] x, int xOff, int yOff, int p0, int p1, int Qf, int Q, int W);

    /**
     * Nearest upsampling of a row by 2: y[yo + 2i] = y[yo + 2i + 1] = x[xo + i] for i &lt; n, by vectors of V/2
     * inputs. The last vector reads up to V/2 − 1 floats past x[xo + n) and writes up to V − 2 past y[yo + 2n);
     * the caller makes sure these are inside the arrays and written again later.
     */
    void repeatTwice(float[] y, int yo, float[] x, int xo, int n);

    /**
     * The backward of nearest upsampling by 2×2 for one row: dx[xo + i] = ((dy[a + 2i] + dy[a + 2i + 1]) + dy[b + 2i])
     * + dy[b + 2i + 1] for i &lt; n (a, b: the two rows of dy), by vectors of V outputs. The last vector reads up to
     * 2V − 2 floats past each row's 2n and writes up to V − 1 past dx[xo + n); the caller makes sure these are
     * inside the arrays and written again later.
     */
    void sumPairs2x2(float[] dx, int xo, float[] dy, int a, int b, int n);

    /**
     * The backward of {@link #maxPool2x2Rows} for rows p0 ≤ p &lt; p1 of Qf windows: dx rows 2p and 2p + 1 (length
     * W, plane at xOff) get +0 + dy[yOff + p·Q + q] at the window's argmax and +0 at its other three pixels, by
     * vectors of V windows. A row's last vector reads up to V − 1 values past its Qf and writes up to 2V − 2 floats
     * past each dx row's 2·Qf; the caller makes sure these are inside the arrays and written again later.
     */
    void maxPool2x2RowsBackward(float[] dx, int xOff, float[] dy, int[] argmax, int yOff, int p0, int p1, int Qf, int Q,
                                int W);

    /** {@link Pointwise#adam} on [from, to), the same bits as its plain loop. */
    void adam(float[] w, float[] g, float[] m, float[] v, float[] vmax, int from, int to, float b1, float c1, float b2,
              float c2, float stepSize, float bc2Sqrt, float eps, boolean l2Decay, float l2, boolean decoupledDecay,
              float decay);

    /**
     * {@link Pointwise#squaredError} on [from, to): d the same as the plain loop's, the sum added in double in an
     * order fixed by from, to and the lane count.
     */
    double squaredError(float[] d, float[] x, float[] t, float scale, int from, int to);
}
