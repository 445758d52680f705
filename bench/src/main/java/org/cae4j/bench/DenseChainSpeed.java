package org.cae4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import org.cae4j.ops.Dense;
import org.cae4j.tensor.Rng;

/**
 * Microseconds per batch of a chain of fully connected forward products on one thread, each layer with its own
 * weight, as a dense autoencoder's forward pass runs them (no activations): {@link Dense#linearForward} in turn.
 * Warms up for 5 s, then prints the median and range of 9 rounds of about 0.5 s, by this thread's CPU time.
 * Usage: {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar
 * org.cae4j.bench.DenseChainSpeed [batch [width ...]]} (default: 64, model D's widths 784 128 64 32 64 128 784).
 */
public final class DenseChainSpeed {
    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int[] widths = args.length > 1 ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {784, 128, 64, 32, 64, 128, 784};
        Rng rng = new Rng(1);
        int layers = widths.length - 1;
        float[][] w = new float[layers][], b = new float[layers][], act = new float[widths.length][];
        for (int l = 0; l < widths.length; l++) act[l] = random(rng, batch * widths[l]);
        for (int l = 0; l < layers; l++) {
            w[l] = random(rng, widths[l + 1] * widths[l]);
            b[l] = random(rng, widths[l + 1]);
        }
        Runnable pass = () -> {
            for (int l = 0; l < layers; l++) Dense.linearForward(act[l + 1], act[l], w[l], b[l], batch, widths[l], widths[l + 1]);
        };
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long end = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < end) pass.run();
        int rounds = 9;
        double[] us = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long w0 = System.nanoTime(), c0 = mx.getCurrentThreadCpuTime();
            long calls = 0;
            do {
                pass.run();
                calls++;
            } while (System.nanoTime() - w0 < 500_000_000L);
            us[r] = (mx.getCurrentThreadCpuTime() - c0) / 1e3 / calls;
        }
        Arrays.sort(us);
        System.out.printf(Locale.ROOT, "dense chain %s, batch %d: %.1f us per pass cpu (%.1f..%.1f)%n",
                Arrays.toString(widths), batch, us[rounds / 2], us[0], us[rounds - 1]);
    }

    private static float[] random(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.uniform(-1, 1);
        return a;
    }
}
