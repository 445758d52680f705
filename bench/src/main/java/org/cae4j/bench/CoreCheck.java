package org.cae4j.bench;

import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Whether the machine's CPUs deliver a whole core each right now: per sample, a run of independent 512-bit fused
 * multiply-adds (12 accumulators, in registers) on one thread alone, then on THREADS threads at once; prints each
 * thread's GFLOP/s and, at the end, in how many samples every thread reached 80 % of the one alone.
 *
 * <p>On a virtual machine whose CPUs are hardware threads of a shared host, a CPU whose physical core is also
 * running another guest's thread gets about half the core; on this project's machine, 2 vCPUs, 40 samples on
 * 2026-12-06 gave 218 + 218 GFLOP/s in 24, one thread at about 100 in 9 and both at about 100 in 7. A benchmark
 * that splits work evenly between two threads then runs at the pace of the slower one; run this before and after
 * one to know what the machine was doing.
 * Usage: {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.cae4j.bench.CoreCheck
 * [SAMPLES] [THREADS]}, defaults {@code 10 2}.
 */
public final class CoreCheck {
    private CoreCheck() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Iterations of 12 fused multiply-adds per timed run. */
    private static final int ITERATIONS = 1_000_000;
    static volatile float sink;

    /** 12·n fused multiply-adds on independent accumulators; returns a value so none is dropped. */
    static float fmas(int n) {
        FloatVector a = FloatVector.broadcast(S, 1.0001f), b = FloatVector.broadcast(S, 0.9999f);
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0;
        FloatVector s6 = s0, s7 = s0, s8 = s0, s9 = s0, s10 = s0, s11 = s0;
        for (int i = 0; i < n; i++) {
            s0 = a.fma(b, s0); s1 = a.fma(b, s1); s2 = a.fma(b, s2); s3 = a.fma(b, s3);
            s4 = a.fma(b, s4); s5 = a.fma(b, s5); s6 = a.fma(b, s6); s7 = a.fma(b, s7);
            s8 = a.fma(b, s8); s9 = a.fma(b, s9); s10 = a.fma(b, s10); s11 = a.fma(b, s11);
        }
        return s0.add(s1).add(s2).add(s3).add(s4).add(s5).add(s6).add(s7).add(s8).add(s9).add(s10).add(s11)
                .reduceLanes(VectorOperators.ADD);
    }

    /** GFLOP/s of one timed run of {@link #fmas} on the calling thread. */
    static double gflops() {
        long t0 = System.nanoTime();
        sink += fmas(ITERATIONS);
        return 12.0 * ITERATIONS * S.length() * 2 / (System.nanoTime() - t0);
    }

    public static void main(String[] args) throws Exception {
        int samples = 10, threads = 2;
        try {
            if (args.length > 0) samples = TrainRun.positive("SAMPLES", args[0]);
            if (args.length > 1) threads = TrainRun.positive("THREADS", args[1]);
        } catch (IllegalArgumentException e) {
            System.err.println("CoreCheck: " + e.getMessage());
            System.exit(2);
        }
        for (int w = 0; w < 20; w++) sink += fmas(ITERATIONS / 10); // compiled before the first sample
        int whole = 0;
        for (int k = 0; k < samples; k++) {
            double alone = gflops();
            double[] together = new double[threads];
            Thread[] th = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                int index = t;
                th[t] = new Thread(() -> {
                    sink += fmas(ITERATIONS / 10);
                    together[index] = gflops();
                });
            }
            for (Thread t : th) t.start();
            for (Thread t : th) t.join();
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "sample %2d: alone %5.0f GFLOP/s, together", k + 1, alone));
            boolean all = true;
            for (double g : together) {
                line.append(String.format(Locale.ROOT, " %5.0f", g));
                all &= g >= 0.8 * alone;
            }
            if (all) whole++;
            System.out.println(line);
        }
        System.out.printf(Locale.ROOT, "RESULT corecheck threads=%d samples=%d whole_cores_in=%d%n", threads, samples, whole);
    }
}
