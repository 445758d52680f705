package org.cae4j.bench;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.cae4j.ops.Activations;
import org.cae4j.ops.Gemm;

/**
 * The error of {@link Activations#tanhForward} and {@link Activations#sigmoidForward} at every one of the 2^32
 * floats, in ulp of the float nearest a double reference ({@link Math#tanh}, 1/(1 + {@link Math#exp}(−x))),
 * the measure of {@code ElementwiseAccuracyTest}. Prints the worst error and where, how many results are not
 * the nearest float (error above 1/2 ulp), and counts breaches of the exact rules: NaN gives NaN, ±0 keeps its
 * sign, a result whose nearest float is ±1 (or 0) is exactly that, results never leave [−1, 1] ([0, 1]) and
 * never step back as x grows (checked between neighbours within each block of 2^24 floats).
 * Usage: {@code java --add-modules jdk.incubator.vector [-Dcae4j.kernels=plain] -cp bench/target/benchmarks.jar
 * org.cae4j.bench.UlpScan [tanh|sigmoid|both] [THREADS]}, defaults {@code both <cores>}.
 */
public final class UlpScan {
    /** Floats per work unit: consecutive bit patterns. */
    private static final int BLOCK = 1 << 24, CHUNK = 1 << 14, BLOCKS = (int) ((1L << 32) / BLOCK);

    private UlpScan() {}

    /** The worst error and breaches found over some blocks. */
    private static final class Result {
        double worst = -1;
        float worstX, worstGot;
        double worstWant;
        long notNearest, nanBreaches, zeroBreaches, saturationBreaches, rangeBreaches, monotoneBreaches;
        /** The worst error per binade of |x|, by biased exponent. */
        final double[] byBinade = new double[256];

        void add(Result o) {
            if (o.worst > worst) {
                worst = o.worst;
                worstX = o.worstX;
                worstGot = o.worstGot;
                worstWant = o.worstWant;
            }
            notNearest += o.notNearest;
            nanBreaches += o.nanBreaches;
            zeroBreaches += o.zeroBreaches;
            saturationBreaches += o.saturationBreaches;
            rangeBreaches += o.rangeBreaches;
            monotoneBreaches += o.monotoneBreaches;
            for (int e = 0; e < byBinade.length; e++) byBinade[e] = Math.max(byBinade[e], o.byBinade[e]);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        String which = args.length > 0 ? args[0] : "both";
        int threads = args.length > 1 ? TrainRun.positive("THREADS", args[1]) : Runtime.getRuntime().availableProcessors();
        if (!which.equals("tanh") && !which.equals("sigmoid") && !which.equals("both")) {
            System.err.println("usage: UlpScan [tanh|sigmoid|both] [THREADS]");
            System.exit(2);
        }
        System.out.printf(Locale.ROOT, "%s kernels, %s, all 2^32 floats, %d threads%n", Gemm.implementation(),
                Runtime.version(), threads);
        if (!which.equals("sigmoid")) scan(true, threads);
        if (!which.equals("tanh")) scan(false, threads);
    }

    private static void scan(boolean tanh, int threads) throws InterruptedException {
        long t0 = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        Result[] parts = new Result[threads];
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            Result part = parts[t] = new Result();
            workers[t] = new Thread(() -> {
                float[] x = new float[CHUNK], y = new float[CHUNK];
                for (int b; (b = next.getAndIncrement()) < BLOCKS; ) scanBlock(tanh, b, x, y, part);
            });
            workers[t].start();
        }
        Result all = new Result();
        for (int t = 0; t < threads; t++) {
            workers[t].join();
            all.add(parts[t]);
        }
        System.out.printf(Locale.ROOT, "%-7s worst %.4f ulp at x = %s (%s): got %s, want %.12g%n", tanh ? "tanh" : "sigmoid",
                all.worst, all.worstX, Integer.toHexString(Float.floatToRawIntBits(all.worstX)), all.worstGot, all.worstWant);
        System.out.printf(Locale.ROOT, "        not the nearest float: %d of 2^32; breaches: NaN %d, signed zero %d, saturation %d,"
                        + " range %d, monotone %d (%.0f s)%n", all.notNearest, all.nanBreaches, all.zeroBreaches,
                all.saturationBreaches, all.rangeBreaches, all.monotoneBreaches, (System.nanoTime() - t0) / 1e9);
        StringBuilder b = new StringBuilder("        worst by binade of |x|, where above 1/2 ulp:");
        for (int e = 0; e < all.byBinade.length; e++) {
            if (all.byBinade[e] > 0.5) b.append(String.format(Locale.ROOT, " 2^%d %.3f", e - 127, all.byBinade[e]));
        }
        System.out.println(b);
    }

    /** Scans the floats with bits block·2^24 .. (block+1)·2^24 − 1, in chunks. */
    private static void scanBlock(boolean tanh, int block, float[] x, float[] y, Result r) {
        float prevX = Float.NaN, prevY = Float.NaN;
        float lo = tanh ? -1f : 0f;
        for (int c = 0; c < BLOCK; c += CHUNK) {
            int base = block * BLOCK + c;
            for (int i = 0; i < CHUNK; i++) x[i] = Float.intBitsToFloat(base + i);
            if (tanh) Activations.tanhForward(y, x, CHUNK);
            else Activations.sigmoidForward(y, x, CHUNK);
            for (int i = 0; i < CHUNK; i++) {
                float xi = x[i], got = y[i];
                double want = tanh ? Math.tanh(xi) : 1 / (1 + Math.exp(-(double) xi));
                if (Float.isNaN(xi)) {
                    if (!Float.isNaN(got)) r.nanBreaches++;
                    continue;
                }
                if (Float.isNaN(got)) {
                    r.nanBreaches++;
                    r.worst = Double.POSITIVE_INFINITY;
                    r.worstX = xi;
                    r.worstGot = got;
                    r.worstWant = want;
                    continue;
                }
                float nearest = (float) want;
                double err = Math.abs(got - want) / Math.ulp(nearest);
                if (err > r.worst) {
                    r.worst = err;
                    r.worstX = xi;
                    r.worstGot = got;
                    r.worstWant = want;
                }
                int binade = (Float.floatToRawIntBits(xi) >>> 23) & 0xff;
                r.byBinade[binade] = Math.max(r.byBinade[binade], err);
                if (got != nearest) r.notNearest++;
                if (tanh && xi == 0 && Float.floatToRawIntBits(got) != Float.floatToRawIntBits(xi)) r.zeroBreaches++;
                if ((nearest == 1f || nearest == -1f || nearest == 0f) && got != nearest) r.saturationBreaches++;
                if (!(got >= lo && got <= 1f)) r.rangeBreaches++;
                // as bits grow, positive floats grow and negative ones shrink
                if (!Float.isNaN(prevX) && (xi > prevX ? got < prevY : got > prevY)) r.monotoneBreaches++;
                prevX = xi;
                prevY = got;
            }
        }
    }
}
