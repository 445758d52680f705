package org.cae4j.ops;

/**
 * Passes over whole arrays that are neither activations nor products: Adam's update (for {@code optim.Adam}) and
 * the squared error of {@code loss.MseLoss}, plain loops here, Vector-API kernels ({@link ElementwiseKernels}) when
 * those are in use.
 *
 * <pre>
 * adam, on [from, to):            g' = g + l2·w (L2 decay)  or  w = decay·w (decoupled decay), else g' = g
 *                                 m = b1·m + c1·g';   v = b2·v + (c2·g')·g';   vmax = max(vmax, v) (AMSGrad)
 *                                 w = w − (stepSize·m) / (√v̂ / bc2Sqrt + eps),   v̂ = vmax or v
 * squaredError, on [0, n):        e = x − t;   d = scale·e;   returns Σ e² in double
 * </pre>
 * Adam's kernels give the same bits on both paths (only +, −, ×, ÷, √ and max of floats, in the same order). The
 * squared error's gradient d is the same on both paths; the sum is of exact squares (a float times itself is exact in
 * double) added in double, in an order that depends on the path, so the two paths may differ in the last bits.
 */
public final class Pointwise {
    private Pointwise() {}

    /**
     * One Adam step on elements [from, to) of a parameter w with gradient g and moments m, v (and vmax, or null
     * without AMSGrad); {@code l2} is used when {@code l2Decay}, {@code decay} when {@code decoupledDecay}.
     */
    public static void adam(float[] w, float[] g, float[] m, float[] v, float[] vmax, int from, int to, float b1,
                            float c1, float b2, float c2, float stepSize, float bc2Sqrt, float eps,
                            boolean l2Decay, float l2, boolean decoupledDecay, float decay) {
        ElementwiseKernels fast = Activations.fast();
        if (fast != null) {
            fast.adam(w, g, m, v, vmax, from, to, b1, c1, b2, c2, stepSize, bc2Sqrt, eps, l2Decay, l2, decoupledDecay, decay);
        } else {
            adamPlain(w, g, m, v, vmax, from, to, b1, c1, b2, c2, stepSize, bc2Sqrt, eps, l2Decay, l2, decoupledDecay, decay);
        }
    }

    /** The plain loop of {@link #adam}; also the vector kernel's tail. */
    static void adamPlain(float[] w, float[] g, float[] m, float[] v, float[] vmax, int from, int to, float b1,
                          float c1, float b2, float c2, float stepSize, float bc2Sqrt, float eps,
                          boolean l2Decay, float l2, boolean decoupledDecay, float decay) {
        for (int i = from; i < to; i++) {
            float gi = g[i];
            if (decoupledDecay) w[i] *= decay;
            if (l2Decay) gi += l2 * w[i];
            m[i] = b1 * m[i] + c1 * gi;
            v[i] = b2 * v[i] + c2 * gi * gi;
            float vv = v[i];
            if (vmax != null) {
                vmax[i] = Math.max(vmax[i], vv);
                vv = vmax[i];
            }
            float denom = (float) Math.sqrt(vv) / bc2Sqrt + eps;
            w[i] -= stepSize * m[i] / denom;
        }
    }

    /** d[i] = scale·(x[i] − t[i]) for i &lt; n; returns Σ (x[i] − t[i])² summed in double. */
    public static double squaredError(float[] d, float[] x, float[] t, float scale, int n) {
        ElementwiseKernels fast = Activations.fast();
        return fast != null ? fast.squaredError(d, x, t, scale, 0, n) : squaredErrorPlain(d, x, t, scale, 0, n);
    }

    /**
     * The plain loop of {@link #squaredError} on [from, to), four running sums (added in the end as (s0 + s1) +
     * (s2 + s3)) so that no add waits for the one before it.
     */
    static double squaredErrorPlain(float[] d, float[] x, float[] t, float scale, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from;
        for (; i + 4 <= to; i += 4) {
            float e0 = x[i] - t[i], e1 = x[i + 1] - t[i + 1], e2 = x[i + 2] - t[i + 2], e3 = x[i + 3] - t[i + 3];
            s0 += (double) e0 * e0; s1 += (double) e1 * e1; s2 += (double) e2 * e2; s3 += (double) e3 * e3;
            d[i] = scale * e0; d[i + 1] = scale * e1; d[i + 2] = scale * e2; d[i + 3] = scale * e3;
        }
        for (; i < to; i++) {
            float e = x[i] - t[i];
            s0 += (double) e * e;
            d[i] = scale * e;
        }
        return (s0 + s1) + (s2 + s3);
    }
}
