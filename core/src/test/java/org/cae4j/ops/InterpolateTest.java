package org.cae4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.cae4j.tensor.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Nearest upsampling against plain loops over PyTorch's definition (y[p, q] = x[⌊p/sh⌋, ⌊q/sw⌋]; dx[src] += dy
 * in row-major order of dy), bit for bit: the shortcuts for factor 2 (copied rows, 2×2 block sums) must give
 * the same values as the general loops, on odd and even sizes and 1 to 3 threads; with the Vector-API kernels
 * (rows of whole vectors that write past a row's end into rows written after it) and, in the plain-kernel run,
 * without.
 */
class InterpolateTest {

    @ParameterizedTest
    @CsvSource({"2,2,7,7,1", "2,2,14,14,2", "2,2,4,5,3", "2,3,5,4,2", "3,2,3,6,1", "1,2,6,3,2", "3,3,4,4,3",
            // rows of one to three vectors and a partial one (the vector kernels), and planes where a row's last
            // vector would write past the plane (the scalar loops)
            "2,2,7,28,2", "2,2,3,17,3", "1,2,9,33,2", "2,2,1,40,2", "2,2,16,16,1", "3,2,2,9,2", "2,2,5,1,1"})
    void nearestMatchesTheDefinition(int sh, int sw, int H, int W, int threads) {
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            int N = 5, C = 3, P = H * sh, Q = W * sw;
            Rng rng = new Rng(H * 31 + W);
            float[] x = new float[N * C * H * W], dy = new float[N * C * P * Q];
            for (int i = 0; i < x.length; i++) x[i] = rng.nextFloat() * 2 - 1;
            for (int i = 0; i < dy.length; i++) dy[i] = rng.nextFloat() * 2 - 1;
            float[] yRef = new float[dy.length], dxRef = new float[x.length];
            for (int plane = 0; plane < N * C; plane++)
                for (int p = 0; p < P; p++)
                    for (int q = 0; q < Q; q++) {
                        int src = plane * H * W + (p / sh) * W + q / sw, dst = plane * P * Q + p * Q + q;
                        yRef[dst] = x[src];
                        dxRef[src] += dy[dst];
                    }
            float[] y = new float[dy.length], dx = new float[x.length];
            java.util.Arrays.fill(y, Float.NaN); // both passes must write every element
            java.util.Arrays.fill(dx, Float.NaN);
            Interpolate.nearest2dForward(y, x, N, C, H, W, sh, sw);
            Interpolate.nearest2dBackward(dx, dy, N, C, H, W, sh, sw);
            assertArrayEquals(yRef, y, "forward");
            assertArrayEquals(dxRef, dx, "backward");
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
