package org.cae4j.ops;

import java.util.Arrays;

/** {@link CorrKernels} as plain loops, for JVMs without the Vector API or with {@code cae4j.kernels=plain}. */
final class CorrPlain implements CorrKernels {
    @Override
    public int tile() { return 16; }

    @Override
    public int lanes() { return 1; }

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
                int src = offs[j];
                float s = 0f;
                for (int i = 0; i < len; i++) s += dz[z + i] * xp[src + i];
                dwv[k * crs + j] += s;
            }
        }
    }

    @Override
    public void reduceLanes(float[] dw, float[] dwv, int n) {
        for (int w = 0; w < n; w++) dw[w] += dwv[w];
    }

    @Override
    public void gather(float[] dst, int dstOff, float[] src, int srcOff, int[] map, int n, float add) {
        for (int i = 0; i < n; i++) dst[dstOff + i] = src[srcOff + map[i]] + add;
    }

    @Override
    public void scatter(float[] dst, int dstOff, int[] map, float[] src, int srcOff, int n) {
        for (int i = 0; i < n; i++) dst[dstOff + map[i]] = src[srcOff + i];
    }
}
