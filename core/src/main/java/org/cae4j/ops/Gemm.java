package org.cae4j.ops;

/**
 * Single-precision matrix products on row-major arrays with offsets and leading dimensions, as the
 * convolution and dense layers need them: C = A·B, C = A·Bᵀ, C = Aᵀ·B, each optionally added into C.
 *
 * <p>Letters: M rows of C, N columns of C, K the summed dimension; element (i, j) of a matrix X stored with
 * offset xOff and leading dimension ldx is {@code X[xOff + i·ldx + j]}.
 *
 * <p>The work is done by one of two implementations, chosen once when this class is loaded: the blocked
 * Vector-API kernels ("vector", see {@code GemmVector}) when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}, otherwise plain loops ("plain"). The system property
 * {@code cae4j.kernels=plain|vector} forces one. Both give deterministic results: for a given implementation,
 * vector width and shape the order of every sum is fixed, whatever the thread or timing.
 */
public final class Gemm {
    /** System property that forces an implementation: {@code plain} or {@code vector}. */
    public static final String PROPERTY = "cae4j.kernels";
    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final GemmKernels KERNELS = choose(System.getProperty(PROPERTY));

    private Gemm() {}

    /** The implementation in use: "vector" or "plain". */
    public static String implementation() { return KERNELS.name(); }

    /** C (M,N) = [C +] A (M,K) · B (K,N). {@code accumulate} false overwrites C. */
    public static void nn(int M, int N, int K, float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                          float[] C, int cOff, int ldc, boolean accumulate) {
        checkSizes("nn", M, N, K);
        checkMatrix("nn", "A", A, aOff, lda, M, K, "M", "K");
        checkMatrix("nn", "B", B, bOff, ldb, K, N, "K", "N");
        checkMatrix("nn", "C", C, cOff, ldc, M, N, "M", "N");
        if (trivial(M, N, K, C, cOff, ldc, accumulate)) return;
        KERNELS.nn(M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
    }

    /** C (M,N) = [C +] A (M,K) · Bᵀ, with B stored (N,K). Each element is a dot product of two rows. */
    public static void nt(int M, int N, int K, float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                          float[] C, int cOff, int ldc, boolean accumulate) {
        checkSizes("nt", M, N, K);
        checkMatrix("nt", "A", A, aOff, lda, M, K, "M", "K");
        checkMatrix("nt", "B", B, bOff, ldb, N, K, "N", "K");
        checkMatrix("nt", "C", C, cOff, ldc, M, N, "M", "N");
        if (trivial(M, N, K, C, cOff, ldc, accumulate)) return;
        KERNELS.nt(M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
    }

    /** C (M,N) = [C +] Aᵀ · B, with A stored (K,M) and B (K,N). */
    public static void tn(int M, int N, int K, float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                          float[] C, int cOff, int ldc, boolean accumulate) {
        checkSizes("tn", M, N, K);
        checkMatrix("tn", "A", A, aOff, lda, K, M, "K", "M");
        checkMatrix("tn", "B", B, bOff, ldb, K, N, "K", "N");
        checkMatrix("tn", "C", C, cOff, ldc, M, N, "M", "N");
        if (trivial(M, N, K, C, cOff, ldc, accumulate)) return;
        KERNELS.tn(M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
    }

    /** The kernels named by {@code forced} (null: vector when its module is present, else plain). */
    static GemmKernels choose(String forced) {
        boolean present = ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
        if (forced == null) return present ? vector() : new GemmPlain();
        switch (forced) {
            case "plain":
                return new GemmPlain();
            case "vector":
                if (!present) {
                    throw new IllegalStateException(PROPERTY + "=vector, but module " + VECTOR_MODULE
                            + " is not loaded; run java with --add-modules " + VECTOR_MODULE);
                }
                return vector();
            default:
                throw new IllegalArgumentException(PROPERTY + " must be plain or vector, got '" + forced + "'");
        }
    }

    /** Loads GemmVector by name, so that its Vector-API references are resolved only when the module is present. */
    private static GemmKernels vector() {
        try {
            return (GemmKernels) Class.forName("org.cae4j.ops.GemmVector").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the Vector-API GEMM kernels", e);
        }
    }

    /** Handles an empty C or an empty sum (K = 0: C = 0, or C unchanged when accumulating); true when done. */
    private static boolean trivial(int M, int N, int K, float[] C, int cOff, int ldc, boolean accumulate) {
        if (M == 0 || N == 0) return true;
        if (K > 0) return false;
        if (!accumulate) {
            for (int i = 0; i < M; i++) java.util.Arrays.fill(C, cOff + i * ldc, cOff + i * ldc + N, 0f);
        }
        return true;
    }

    private static void checkSizes(String op, int M, int N, int K) {
        if (M < 0 || N < 0 || K < 0) {
            throw new IllegalArgumentException("Gemm." + op + ": sizes must be >= 0, got M=" + M + ", N=" + N + ", K=" + K);
        }
    }

    /** X (rows, cols) at xOff with leading dimension ld must lie inside x; nothing is read when it is empty. */
    private static void checkMatrix(String op, String name, float[] x, int xOff, int ld, int rows, int cols,
                                    String rowLetter, String colLetter) {
        if (rows == 0 || cols == 0) return;
        String ldName = "ld" + name.toLowerCase(java.util.Locale.ROOT);
        if (ld < cols) {
            throw new IllegalArgumentException("Gemm." + op + ": " + ldName + " must be >= " + colLetter + " = " + cols
                    + ", got " + ld);
        }
        long end = (long) xOff + (long) (rows - 1) * ld + cols;
        if (xOff < 0 || end > x.length) {
            throw new IllegalArgumentException("Gemm." + op + ": " + name + " (" + rowLetter + "=" + rows + ", "
                    + colLetter + "=" + cols + ") at offset " + xOff + " with " + ldName + " " + ld + " needs elements ["
                    + xOff + ", " + end + "), the array has " + x.length);
        }
    }
}
