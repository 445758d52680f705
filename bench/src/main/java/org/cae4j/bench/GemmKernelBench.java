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
 * GFLOP/s of {@link Gemm#nn}, {@link Gemm#nt}, {@link Gemm#tn} on one thread, for the plain and the Vector-API
 * kernels: cubes of 256, 512, 1024 and the per-image products of the seed CAE (model A, 28×28, 16 filters 5×5):
 * <pre>
 *   forward          nn 16x1024x25 (conv1)   nn 1x784x400 (conv2)
 *   weight gradient  nt 16x25x1024           nt 1x400x784
 *   input gradient   tn 25x1024x16           tn 400x784x1
 * </pre>
 * The {@code gflop} column is the rate (2·M·N·K flops per call); {@code ops/s} is calls per second. Each
 * (impl, shape) runs in its own forked JVM, which picks the kernels from {@code cae4j.kernels} before {@link Gemm}
 * loads. Run: {@code java -jar bench/target/benchmarks.jar GemmKernelBench -p impl=vector -p shape=nn:256x256x256}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class GemmKernelBench {
    @Param({"plain", "vector"})
    public String impl;

    /** op:MxNxK; nt accumulates (as the weight gradient does), nn and tn overwrite C. */
    @Param({"nn:256x256x256", "nt:256x256x256", "tn:256x256x256",
            "nn:512x512x512", "nt:512x512x512", "tn:512x512x512",
            "nn:1024x1024x1024", "nt:1024x1024x1024", "tn:1024x1024x1024",
            "nn:16x1024x25", "nn:1x784x400", "nt:16x25x1024", "nt:1x400x784", "tn:25x1024x16", "tn:400x784x1"})
    public String shape;

    private String op;
    private int M, N, K;
    private float[] A, B, C;

    /** Floating-point work done, in GFLOP; JMH reports it per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Work {
        public double gflop;
    }

    @Setup(Level.Trial)
    public void setUp() {
        System.setProperty(Gemm.PROPERTY, impl);
        if (!Gemm.implementation().equals(impl)) {
            throw new IllegalStateException("Gemm already loaded with " + Gemm.implementation() + ", wanted " + impl
                    + "; run each parameter in its own fork (no -f 0)");
        }
        String[] parts = shape.split("[:x]");
        op = parts[0];
        M = Integer.parseInt(parts[1]);
        N = Integer.parseInt(parts[2]);
        K = Integer.parseInt(parts[3]);
        Rng rng = new Rng(1);
        A = random(rng, M * K);
        B = random(rng, K * N);
        C = new float[M * N];
    }

    private static float[] random(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.uniform(-1, 1);
        return a;
    }

    @Benchmark
    public float gemm(Work w) {
        switch (op) {
            case "nn" -> Gemm.nn(M, N, K, A, 0, K, B, 0, N, C, 0, N, false);
            case "nt" -> Gemm.nt(M, N, K, A, 0, K, B, 0, K, C, 0, N, true);
            case "tn" -> Gemm.tn(M, N, K, A, 0, M, B, 0, N, C, 0, N, false);
            default -> throw new IllegalArgumentException("op must be nn, nt or tn, got " + op);
        }
        w.gflop += 2.0 * M * N * K * 1e-9;
        return C[0];
    }
}
