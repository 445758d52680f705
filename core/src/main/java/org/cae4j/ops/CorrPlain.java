package org.cae4j.ops;

import java.util.Arrays;

/** {@link CorrKernels} as plain loops, for JVMs without the Vector API or with {@code cae4j.kernels=plain}. */
final class CorrPlain implements CorrKernels {
    private static final int LANES = 8;

    @Override
    public int tile() { return 16; }

    /** corrGrad keeps 8 partial sums per weight, of every 8th product: 8 independent chains of additions. */
    @Override
    public int lanes() { return LANES; }

    /**
     * Long rows: corr's inner loop is over a row, and the JIT's vector loop pays its set-up per row (B's 16→32
     * conv forward, 1 thread: 98 us/img with 10 images per group, 111 with 1, 108 on im2col + plain GEMM).
     */
    @Override
    public int forwardGroupFloats() { return 1 << 17; }

    @Override
    public void corr(float[] out, int outOff, int outStride, int len, float[] in, int[] offs, int crs, float[] wt,
                     int wOff, int Kout) {
        for (int k = 0; k < Kout; k++) {
            int o = outOff + k * outStride, wk = wOff + k * crs;
            Arrays.fill(out, o, o + len, 0f);
            for (int j = 0; j < crs; j++) {
                float wkj = wt[wk + j];
                int src = offs[j];
                for (int i = 0; i < len; i++) out[o + i] += wkj * in[src + i];
            }
        }
    }

    @Override
    public void corrGrad(float[] dwv, float[] dz, int zStride, int zOff, int K, float[] xp, int[] offs, int crs,
                         int len) {
        for (int k = 0; k < K; k++) {
            int z = k * zStride + zOff;
            for (int j = 0; j < crs; j++) {
                int x = offs[j];
                float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
                for (int i = 0; i < len; i += LANES) {
                    s0 += dz[z + i] * xp[x + i];
                    s1 += dz[z + i + 1] * xp[x + i + 1];
                    s2 += dz[z + i + 2] * xp[x + i + 2];
                    s3 += dz[z + i + 3] * xp[x + i + 3];
                    s4 += dz[z + i + 4] * xp[x + i + 4];
                    s5 += dz[z + i + 5] * xp[x + i + 5];
                    s6 += dz[z + i + 6] * xp[x + i + 6];
                    s7 += dz[z + i + 7] * xp[x + i + 7];
                }
                int w = (k * crs + j) * LANES;
                dwv[w] += s0; dwv[w + 1] += s1; dwv[w + 2] += s2; dwv[w + 3] += s3;
                dwv[w + 4] += s4; dwv[w + 5] += s5; dwv[w + 6] += s6; dwv[w + 7] += s7;
            }
        }
    }

    @Override
    public void reduceLanes(float[] dw, float[] dwv, int n) {
        for (int w = 0; w < n; w++) {
            float s = 0f;
            for (int l = 0; l < LANES; l++) s += dwv[w * LANES + l];
            dw[w] += s;
        }
    }

    @Override
    public void gather(float[] dst, int dstOff, float[] src, int srcOff, int[] map, int n, float add) {
        for (int i = 0; i < n; i++) dst[dstOff + i] = src[srcOff + map[i]] + add;
    }

    @Override
    public void scatter(float[] dst, int dstOff, int[] map, float[] src, int srcOff, int n) {
        for (int i = 0; i < n; i++) dst[dstOff + map[i]] = src[srcOff + i];
    }

    @Override
    public void crop(float[] y, int dst, int limit, float[] yw, int src, int P, int Q, int stride, float bk) {
        Conv.crop(y, dst, yw, src, P, Q, stride, bk);
    }

    @Override
    public void widen(float[] src, int srcOff, float[] dst, int dstOff, int dstStride, int rows, int len, int limit) {
        Conv.copyRows(src, srcOff, len, dst, dstOff, dstStride, rows, len);
    }

    @Override
    public void copyRows(float[] src, int srcOff, int srcStride, float[] dst, int dstOff, int dstStride, int rows,
                         int len) {
        Conv.copyRows(src, srcOff, srcStride, dst, dstOff, dstStride, rows, len);
    }

    @Override
    public boolean deinterleave(float[] dst, int e0, int o0, float[] src, int s, int n) {
        for (int i = 0; 2 * i < n; i++) dst[e0 + i] = src[s + 2 * i];
        for (int i = 0; 2 * i + 1 < n; i++) dst[o0 + i] = src[s + 2 * i + 1];
        return true;
    }

    @Override
    public int deinterleaveOverrun() { return 0; }

    @Override
    public boolean interleave(float[] dst, int d, float[] src, int e0, int o0, int n, float add) {
        for (int i = 0; 2 * i < n; i++) dst[d + 2 * i] = src[e0 + i] + add;
        for (int i = 0; 2 * i + 1 < n; i++) dst[d + 2 * i + 1] = src[o0 + i] + add;
        return true;
    }

    @Override
    public int interleaveOverrun() { return 0; }
}
