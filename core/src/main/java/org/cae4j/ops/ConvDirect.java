package org.cae4j.ops;

/**
 * Stride-1 convolutions computed directly on padded images, without im2col: the fast path {@link Conv} takes
 * when the Vector-API kernels are in use ({@code ConvDirectVector}); stride-1 geometries only.
 *
 * <pre>
 * C in-channels, H,W input, K filters, R,S kernel, P,Q output; Hp = H + t + b, Wp = W + l + r
 * xp (C, Hp·Wp): x zero-padded and flattened. With row length Wp, the shift (r, s) is one flat offset r·Wp + s:
 *   yw[k, i] = Σ_{c,r,s} w[k,c,r,s] · xp[c, i + r·Wp + s]          i &lt; P·Wp ("wide" output)
 *   y[k, p, q] = yw[k, p·Wp + q] + b[k]                             q &lt; Q; columns Q..Wp−1 are discarded
 * Backward, with dyz (K, F + …) = dy widened to rows of Wp, zero in columns ≥ Q, after F = (R−1)·Wp + S−1 zeros:
 *   dw[k,c,r,s] += Σ_i dyz[k, F + i] · xp[c, i + r·Wp + s]
 *   dxp[c, j]    = Σ_{k,r,s} w[k,c,R−1−r,S−1−s] · dyz[k, j + r·Wp + s]   (the forward kernel, flipped weights)
 *   dx[c, h, v]  = dxp[c, (h + t)·Wp + v + l]
 * </pre>
 * The zero columns make the wrap-around of a flat shift from one row into the next read zeros (backward) or land
 * in discarded columns (forward), so no index is tested inside the loops.
 */
interface ConvDirect {
    /** y (N,K,P,Q) = x (N,C,H,W) ∗ w (K,C,R,S) + b (K); stride 1; {@code b} and {@code after} may be null. */
    void forward(float[] y, float[] x, float[] w, float[] b, int N, ConvGeometry g, Workspace ws, ImageStep after);

    /** Adds into dw and db, writes dx; stride 1; {@code dx}, {@code db} and {@code before} may be null. */
    void backward(float[] dx, float[] dw, float[] db, float[] dy, float[] x, float[] w, int N, ConvGeometry g,
                  Workspace ws, ImageStep before);
}
