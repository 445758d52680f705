package org.cae4j.ops;

/**
 * The inner loops of the direct convolutions ({@link ConvPhase}): a correlation of shifted rows with broadcast
 * weights, its weight gradient as dot products of shifted rows, and the gathers and scatters that move images in
 * and out of the padded layouts they run on. On the Vector API
 * ({@code ConvDirectVector}) or plain loops ({@link CorrPlain}); both sum in an order fixed by the shape alone.
 *
 * <pre>
 * corr:     out[outOff + k·outStride + i] = Σ_{j &lt; crs} wt[wOff + k·crs + j] · in[i + offs[j]]      k &lt; Kout, i &lt; len
 * corrGrad: dwv[(k·crs + j)·lanes() ..] += Σ_{i &lt; len} dz[k·zStride + zOff + i] · xp[i + offs[j]]   k &lt; K, j &lt; crs
 * </pre>
 * A weight's sum in corrGrad stays split over {@link #lanes()} partial sums until {@link #reduceLanes} adds them
 * in lane order, once per batch.
 */
interface CorrKernels {
    /** Every length handed to corr and corrGrad is a multiple of this. */
    int tile();

    /** Partial sums per weight in corrGrad's accumulator. */
    int lanes();

    /** Most floats of one group's buffers in {@link ConvPhase}'s forward passes. */
    int forwardGroupFloats();

    /** out (Kout rows, len) = wt (Kout, crs) times the crs shifted rows of in; overwrites. */
    void corr(float[] out, int outOff, int outStride, int len, float[] in, int[] offs, int crs, float[] wt, int wOff,
              int Kout);

    /** dwv (K·crs, lanes) += dz rows (K, len) times the crs shifted rows of xp, transposed. */
    void corrGrad(float[] dwv, float[] dz, int zStride, int zOff, int K, float[] xp, int[] offs, int crs, int len);

    /** dw[w] += the lanes of dwv[w·lanes() ..] added in lane order, for w &lt; n. */
    void reduceLanes(float[] dw, float[] dwv, int n);

    /** dst[dstOff + i] = src[srcOff + map[i]] + add for i &lt; n. */
    void gather(float[] dst, int dstOff, float[] src, int srcOff, int[] map, int n, float add);

    /** dst[dstOff + map[i]] = src[srcOff + i] for i &lt; n; the map holds no index twice. */
    void scatter(float[] dst, int dstOff, int[] map, float[] src, int srcOff, int n);

    /**
     * y[dst + p·Q + q] = yw[src + p·stride + q] + bk for p &lt; P, q &lt; Q: wide rows cropped to Q, plus the bias (also
     * when it is 0, so −0 becomes +0). As {@link Conv#crop}, except that y from dst + P·Q up to {@code limit} may be
     * overwritten with other values (the caller writes it afterwards).
     */
    void crop(float[] y, int dst, int limit, float[] yw, int src, int P, int Q, int stride, float bk);

    /**
     * dst[dstOff + r·dstStride + i] = src[srcOff + r·len + i] for r &lt; rows, i &lt; len: packed rows into wider rows
     * whose other floats are zeros. Those zeros may be written again, and the zeros after each row up to
     * {@code limit} too: a run of them past a row may reach the next rows, which the caller writes afterwards.
     */
    void widen(float[] src, int srcOff, float[] dst, int dstOff, int dstStride, int rows, int len, int limit);

    /** rows rows of len floats, srcStride apart from srcOff, to dstStride apart from dstOff. As {@link Conv#copyRows}. */
    void copyRows(float[] src, int srcOff, int srcStride, float[] dst, int dstOff, int dstStride, int rows, int len);

    /**
     * The columns of a row split by parity, for stride 2: dst[e0 + i] = src[s + 2i] for i &lt; ⌈n/2⌉ and dst[o0 + i] =
     * src[s + 2i + 1] for i &lt; ⌊n/2⌋. The vector kernels work in whole vectors: they read up to 2V floats past
     * src[s] per vector and write zeros past each of the two runs up to the end of its last vector; the caller
     * makes sure both are allowed. Returns false, having done nothing, when a read would leave src.
     */
    boolean deinterleave(float[] dst, int e0, int o0, float[] src, int s, int n);

    /** Whether {@link #deinterleave} writes past its runs (by up to this many floats after each). */
    int deinterleaveOverrun();

    /**
     * {@link #deinterleave} of rows after rows: row h of n floats at src[s + h·n] to e0 = base + offs[at + 2h], o0 =
     * base + offs[at + 2h + 1], for h from 0 on, in order, while the reads stay inside src; returns how many rows it
     * did. The caller makes sure the writes of all those rows are allowed, as for one row.
     */
    default int deinterleaveRows(float[] dst, int base, int[] offs, int at, float[] src, int s, int rows, int n) {
        int h = 0;
        while (h < rows && deinterleave(dst, base + offs[at + 2 * h], base + offs[at + 2 * h + 1], src, s + h * n, n))
            h++;
        return h;
    }

    /**
     * The inverse of {@link #deinterleave}, plus {@code add} (also when it is 0, so −0 becomes +0): dst[d + 2i] =
     * src[e0 + i] + add for 2i &lt; n and dst[d + 2i + 1] = src[o0 + i] + add for 2i + 1 &lt; n. The vector kernels
     * write whole vectors, up to {@link #interleaveOverrun} floats from d (values past n are of no use), and read
     * whole vectors from e0 and o0; the caller makes sure the writes are allowed. Returns false, having done
     * nothing, when a read or write would leave its array.
     */
    boolean interleave(float[] dst, int d, float[] src, int e0, int o0, int n, float add);

    /** 0 when {@link #interleave} writes exactly dst[d .. d + n); else V: it writes ⌈n/V⌉ whole vectors of V floats from d. */
    int interleaveOverrun();

    /**
     * {@link #interleave} of rows after rows: row h of n floats to dst[d + h·n ..] from e0 = base + offs[at + 2h], o0 =
     * base + offs[at + 2h + 1], for h from 0 on, in order, while its writes stay below limit and its reads inside
     * src; returns how many rows it did. Values it writes past a row are overwritten by the next rows.
     */
    default int interleaveRows(float[] dst, int d, int limit, float[] src, int base, int[] offs, int at, int rows, int n,
                               float add) {
        int over = interleaveOverrun(), reach = over == 0 ? n : (n + over - 1) / over * over, h = 0;
        while (h < rows && d + h * n + reach <= limit
                && interleave(dst, d + h * n, src, base + offs[at + 2 * h], base + offs[at + 2 * h + 1], n, add)) h++;
        return h;
    }
}
