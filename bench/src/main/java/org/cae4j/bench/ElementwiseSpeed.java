package org.cae4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import org.cae4j.ops.Activations;
import org.cae4j.ops.Gemm;
import org.cae4j.tensor.Rng;

/**
 * Nanoseconds per element of the tanh and sigmoid kernels of {@link Activations}, forward and backward, on one
 * thread, by this thread's CPU time (on a shared machine the wall clock also counts others' work). The input is
 * Gaussian with standard deviation SD: with 2, every vector of 16 holds lanes on both sides of the branch points;
 * with 0.1, nearly all lanes of tanh stay on its polynomial, as 93 % of the vectors do when model A trains on
 * Fashion-MNIST. Warms each kernel up for 2 s, then prints the median and range of 7 rounds of about 0.3 s.
 * Usage: {@code java --add-modules jdk.incubator.vector [-Dcae4j.kernels=plain] -cp bench/target/benchmarks.jar
 * org.cae4j.bench.ElementwiseSpeed [N] [SD]}, defaults N = 16384 (one image of model A's tanh layer), SD = 2.
 */
public final class ElementwiseSpeed {
    private ElementwiseSpeed() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? TrainRun.positive("N", args[0]) : 16384;
        double sd = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        Rng rng = new Rng(1);
        float[] x = new float[n], y = new float[n], dy = new float[n], dx = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (sd * rng.nextGaussian());
            dy[i] = (float) rng.nextGaussian();
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "%s kernels on %s, n = %d, sd = %s, one thread%n", Gemm.implementation(),
                Runtime.version(), n, sd);
        System.out.printf(Locale.ROOT, "%-18s %10s %18s%n", "kernel", "ns/elem", "(min..max)");
        String[] names = {"tanh forward", "tanh backward", "sigmoid forward", "sigmoid backward"};
        Runnable[] calls = {() -> Activations.tanhForward(y, x, n), () -> Activations.tanhBackward(dx, dy, y, n),
                () -> Activations.sigmoidForward(y, x, n), () -> Activations.sigmoidBackward(dx, dy, y, n)};
        for (int c = 0; c < calls.length; c++) {
            Runnable call = calls[c];
            if (c % 2 == 1) Activations.tanhForward(y, x, n); // backward reads y: a forward's output
            long end = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < end) call.run();
            int rounds = 7;
            double[] ns = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long w0 = System.nanoTime(), c0 = mx.getCurrentThreadCpuTime();
                long calls0 = 0;
                do {
                    call.run();
                    calls0++;
                } while (System.nanoTime() - w0 < 300_000_000L);
                ns[r] = (double) (mx.getCurrentThreadCpuTime() - c0) / (calls0 * n);
            }
            Arrays.sort(ns);
            System.out.printf(Locale.ROOT, "%-18s %10.3f %18s%n", names[c], ns[rounds / 2],
                    String.format(Locale.ROOT, "(%.3f..%.3f)", ns[0], ns[rounds - 1]));
        }
    }
}
