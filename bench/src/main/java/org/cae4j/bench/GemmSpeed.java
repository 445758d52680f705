package org.cae4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import org.cae4j.ops.Gemm;
import org.cae4j.tensor.Rng;

/**
 * GFLOP/s of {@link Gemm} per shape on one thread, by wall clock and by this thread's CPU time: on a machine
 * shared with other work the CPU-time rate shows the kernel's speed while it runs, the wall rate what is left.
 * Warms each shape up for 2 s, then prints the median and range of 7 rounds of about 0.3 s.
 * Usage: {@code java --add-modules jdk.incubator.vector [-Dcae4j.kernels=plain] -cp bench/target/benchmarks.jar
 * org.cae4j.bench.GemmSpeed [op:MxNxK ...]} (default: the shapes of {@link GemmKernelBench}).
 */
public final class GemmSpeed {
    private static final String[] DEFAULT = {"nn:256x256x256", "nt:256x256x256", "tn:256x256x256",
            "nn:512x512x512", "nt:512x512x512", "tn:512x512x512",
            "nn:1024x1024x1024", "nt:1024x1024x1024", "tn:1024x1024x1024",
            "nn:16x1024x25", "nn:1x784x400", "nt:16x25x1024", "nt:1x400x784", "tn:25x1024x16", "tn:400x784x1"};

    public static void main(String[] args) {
        String[] shapes = args.length > 0 ? args : DEFAULT;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        System.out.printf("Gemm %s on %s%n", Gemm.implementation(), Runtime.version());
        System.out.printf("%-20s %12s %18s %12s %18s%n", "shape", "GFLOP/s cpu", "(min..max)", "GFLOP/s wall", "(min..max)");
        for (String shape : shapes) {
            String[] p = shape.split("[:x]");
            String op = p[0];
            int M = Integer.parseInt(p[1]), N = Integer.parseInt(p[2]), K = Integer.parseInt(p[3]);
            Rng rng = new Rng(1);
            float[] A = random(rng, M * K), B = random(rng, K * N), C = new float[M * N];
            double flop = 2.0 * M * N * K;
            Runnable call = switch (op) {
                case "nn" -> () -> Gemm.nn(M, N, K, A, 0, K, B, 0, N, C, 0, N, false);
                case "nt" -> () -> Gemm.nt(M, N, K, A, 0, K, B, 0, K, C, 0, N, true);
                case "tn" -> () -> Gemm.tn(M, N, K, A, 0, M, B, 0, N, C, 0, N, false);
                default -> throw new IllegalArgumentException("op must be nn, nt or tn, got " + op);
            };
            long end = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < end) call.run();
            int rounds = 7;
            double[] cpu = new double[rounds], wall = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long w0 = System.nanoTime(), c0 = mx.getCurrentThreadCpuTime();
                long calls = 0;
                do {
                    call.run();
                    calls++;
                } while (System.nanoTime() - w0 < 300_000_000L);
                long c1 = mx.getCurrentThreadCpuTime(), w1 = System.nanoTime();
                cpu[r] = calls * flop / (c1 - c0);
                wall[r] = calls * flop / (w1 - w0);
            }
            Arrays.sort(cpu);
            Arrays.sort(wall);
            System.out.printf("%-20s %12.1f %18s %12.1f %18s%n", shape, cpu[rounds / 2],
                    String.format("(%.1f..%.1f)", cpu[0], cpu[rounds - 1]), wall[rounds / 2],
                    String.format("(%.1f..%.1f)", wall[0], wall[rounds - 1]));
        }
    }

    private static float[] random(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.uniform(-1, 1);
        return a;
    }
}
