package org.cae4j.ops;

/**
 * GEMM as plain Java loops ordered so that the innermost loop runs over contiguous memory (the JIT vectorises
 * it). Used when the Vector API module is absent, and as the second implementation the tests compare against.
 */
final class GemmPlain implements GemmKernels {

    @Override
    public String name() { return "plain"; }

    @Override
    public void nn(int M, int N, int K, float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                   float[] C, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < M; i++) {
            int ci = cOff + i * ldc;
            if (!accumulate) java.util.Arrays.fill(C, ci, ci + N, 0f);
            int ai = aOff + i * lda;
            for (int p = 0; p < K; p++) {
                float a = A[ai + p];
                int bp = bOff + p * ldb;
                for (int j = 0; j < N; j++) C[ci + j] += a * B[bp + j];
            }
        }
    }

    /** Each element is a dot product of two rows. */
    @Override
    public void nt(int M, int N, int K, float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                   float[] C, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < M; i++) {
            int ai = aOff + i * lda, ci = cOff + i * ldc;
            for (int j = 0; j < N; j++) {
                float d = dot(A, ai, B, bOff + j * ldb, K);
                C[ci + j] = accumulate ? C[ci + j] + d : d;
            }
        }
    }

    @Override
    public void tn(int M, int N, int K, float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                   float[] C, int cOff, int ldc, boolean accumulate) {
        if (!accumulate) {
            for (int i = 0; i < M; i++) java.util.Arrays.fill(C, cOff + i * ldc, cOff + i * ldc + N, 0f);
        }
        for (int p = 0; p < K; p++) {
            int ap = aOff + p * lda, bp = bOff + p * ldb;
            for (int i = 0; i < M; i++) {
                float a = A[ap + i];
                int ci = cOff + i * ldc;
                for (int j = 0; j < N; j++) C[ci + j] += a * B[bp + j];
            }
        }
    }

    /** Σ x[xOff+i]·y[yOff+i] for i &lt; n, with eight partial sums (fewer rounding steps in a row, and vectorisable). */
    static float dot(float[] x, int xOff, float[] y, int yOff, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            s0 += x[xOff + i] * y[yOff + i];
            s1 += x[xOff + i + 1] * y[yOff + i + 1];
            s2 += x[xOff + i + 2] * y[yOff + i + 2];
            s3 += x[xOff + i + 3] * y[yOff + i + 3];
            s4 += x[xOff + i + 4] * y[yOff + i + 4];
            s5 += x[xOff + i + 5] * y[yOff + i + 5];
            s6 += x[xOff + i + 6] * y[yOff + i + 6];
            s7 += x[xOff + i + 7] * y[yOff + i + 7];
        }
        for (; i < n; i++) s0 += x[xOff + i] * y[yOff + i];
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
