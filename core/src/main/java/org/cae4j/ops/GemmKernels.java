package org.cae4j.ops;

/**
 * One implementation of the three products of {@link Gemm}. Arguments are already checked by {@link Gemm};
 * M, N, K are positive.
 */
interface GemmKernels {
    /** "plain" or "vector". */
    String name();

    /** C (M,N) = [C +] A (M,K) · B (K,N). */
    void nn(int M, int N, int K, float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
            float[] C, int cOff, int ldc, boolean accumulate);

    /** C (M,N) = [C +] A (M,K) · Bᵀ, B stored (N,K). */
    void nt(int M, int N, int K, float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
            float[] C, int cOff, int ldc, boolean accumulate);

    /** C (M,N) = [C +] Aᵀ · B, A stored (K,M), B (K,N). */
    void tn(int M, int N, int K, float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
            float[] C, int cOff, int ldc, boolean accumulate);
}
