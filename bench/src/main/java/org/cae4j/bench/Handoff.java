package org.cae4j.bench;

import java.util.Arrays;
import java.util.Locale;
import org.cae4j.ops.Parallel;

/**
 * What handing work to the pool costs: {@code Parallel.forChunks} over THREADS chunks whose bodies each do
 * WORK_NS of busy work, back to back, and with a pause of GAP_US between calls (so idle workers may park);
 * prints the median over 11 rounds of the time per call minus the body's own time.
 * Usage: {@code java -cp bench/target/benchmarks.jar org.cae4j.bench.Handoff [THREADS] [WORK_NS] [GAP_US]},
 * defaults {@code 2 2000 0}.
 */
public final class Handoff {
    private Handoff() {}

    static volatile long sink;

    private static void busy(long ns) {
        long t = System.nanoTime() + ns, x = 0;
        while (System.nanoTime() < t) x++;
        sink += x;
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        long work = args.length > 1 ? Long.parseLong(args[1]) : 2000;
        long gap = args.length > 2 ? Long.parseLong(args[2]) * 1000 : 0;
        Parallel.setThreads(threads);
        int calls = gap > 0 ? 2_000 : 20_000;
        double[] over = new double[11];
        for (int round = -3; round < over.length; round++) {
            long total = 0;
            for (int k = 0; k < calls; k++) {
                if (gap > 0) busy(gap);
                long t0 = System.nanoTime();
                Parallel.forChunks(threads, (c, s, e) -> busy(work));
                total += System.nanoTime() - t0;
            }
            if (round >= 0) over[round] = (double) total / calls - work;
        }
        Arrays.sort(over);
        System.out.printf(Locale.ROOT, "threads %d, body %d ns, gap %d us: hand-over %.0f ns per call (median of 11 rounds; min %.0f, max %.0f)%n",
                threads, work, gap / 1000, over[5], over[0], over[10]);
    }
}
