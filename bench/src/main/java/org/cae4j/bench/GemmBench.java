package org.cae4j.bench;

import java.util.concurrent.TimeUnit;
import org.cae4j.ops.Gemm;
import org.cae4j.tensor.Rng;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of {@link Gemm}'s three products, single-threaded: square 256³ and 512³, and the GEMMs one image
 * of model A's convolutions makes (see {@link Shape}).
 *
 * <p>The primary score is products per second; the secondary {@code gflop} score is 2·M·N·K per product in
 * GFLOP/s. Each product is called with the {@code accumulate} flag {@code Conv} uses: nn and tn overwrite C,
 * nt adds into it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBench {

    /**
     * The per-image GEMMs of model A (conv1: 1→16 channels, 5×5, pad 4, 28→32; conv2: 16→1, 5×5, valid, 32→28),
     * as {@code Conv} calls them. Letters are Gemm's: C (M,N), K summed. conv1's backward-data product is listed
     * for completeness; training skips it because the first layer needs no input gradient.
     */
    public enum Shape {
        //                      op    M     N     K
        CONV1_FORWARD         ("nn",   16, 1024,   25),  // y (16, 32·32) = w (16, 1·5·5) · col (25, 1024)
        CONV1_BACKWARD_WEIGHTS("nt",   16,   25, 1024),  // dw (16, 25) += dy (16, 1024) · colᵀ
        CONV1_BACKWARD_DATA   ("tn",   25, 1024,   16),  // dcol (25, 1024) = wᵀ · dy (16, 1024)
        CONV2_FORWARD         ("nn",    1,  784,  400),  // y (1, 28·28) = w (1, 16·5·5) · col (400, 784)
        CONV2_BACKWARD_WEIGHTS("nt",    1,  400,  784),  // dw (1, 400) += dy (1, 784) · colᵀ
        CONV2_BACKWARD_DATA   ("tn",  400,  784,    1);  // dcol (400, 784) = wᵀ · dy (1, 784)

        final String op;
        final int M, N, K;

        Shape(String op, int M, int N, int K) {
            this.op = op;
            this.M = M;
            this.N = N;
            this.K = K;
        }
    }

    /** Operands of one product, filled with uniform values in [−1, 1) from a fixed seed. */
    static final class Operands {
        final int M, N, K;
        final float[] a, b, c;

        /** A, B sized for the op's storage: nn A (M,K) B (K,N); nt A (M,K) B (N,K); tn A (K,M) B (K,N). */
        Operands(int M, int N, int K) {
            this.M = M;
            this.N = N;
            this.K = K;
            Rng rng = new Rng(42);
            a = random(M * K, rng);
            b = random(K * N, rng);
            c = new float[M * N];
        }

        private static float[] random(int n, Rng rng) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = rng.nextFloat() * 2 - 1;
            return v;
        }

        float[] nn() {
            Gemm.nn(M, N, K, a, 0, K, b, 0, N, c, 0, N, false);
            return c;
        }

        float[] nt() {
            Gemm.nt(M, N, K, a, 0, K, b, 0, K, c, 0, N, true);
            return c;
        }

        float[] tn() {
            Gemm.tn(M, N, K, a, 0, M, b, 0, N, c, 0, N, false);
            return c;
        }

        double gflop() { return 2.0 * M * N * K * 1e-9; }
    }

    /** M = N = K = size. */
    @State(Scope.Thread)
    public static class Square {
        @Param({"256", "512"})
        public int size;

        Operands ops;

        @Setup(Level.Trial)
        public void setUp() { ops = new Operands(size, size, size); }
    }

    /** One of model A's shapes, with the op it belongs to. */
    @State(Scope.Thread)
    public static class ModelA {
        @Param({"CONV1_FORWARD", "CONV1_BACKWARD_WEIGHTS", "CONV1_BACKWARD_DATA",
                "CONV2_FORWARD", "CONV2_BACKWARD_WEIGHTS", "CONV2_BACKWARD_DATA"})
        public Shape shape;

        Operands ops;

        @Setup(Level.Trial)
        public void setUp() { ops = new Operands(shape.M, shape.N, shape.K); }
    }

    /** Secondary score: floating-point operations done, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        /** GFLOP done in this iteration; JMH divides by the iteration time. */
        public double gflop;

        @Setup(Level.Iteration)
        public void reset() { gflop = 0; }
    }

    @Benchmark
    public float[] nn(Square s, Flops f) {
        f.gflop += s.ops.gflop();
        return s.ops.nn();
    }

    @Benchmark
    public float[] nt(Square s, Flops f) {
        f.gflop += s.ops.gflop();
        return s.ops.nt();
    }

    @Benchmark
    public float[] tn(Square s, Flops f) {
        f.gflop += s.ops.gflop();
        return s.ops.tn();
    }

    @Benchmark
    public float[] modelA(ModelA s, Flops f) {
        f.gflop += s.ops.gflop();
        switch (s.shape.op) {
            case "nn": return s.ops.nn();
            case "nt": return s.ops.nt();
            default: return s.ops.tn();
        }
    }
}
