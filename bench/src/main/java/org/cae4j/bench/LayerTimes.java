package org.cae4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cae4j.model.Autoencoder;
import org.cae4j.nn.Layer;
import org.cae4j.ops.Parallel;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;

/**
 * Where a training step's time goes, layer by layer: times {@code forward} and {@code backward} of every layer of a
 * reference model on one batch of 64 random images, after {@value #WARMUP_SECONDS} s of untimed steps, over the next 300, and prints
 * microseconds per image; then the same steps through the model as training runs them, with a conv and the
 * activation after it fused ({@code -Dcae4j.fuse=false}: not fused). No loss or optimizer step; the backward pass
 * starts from the model's own output.
 * Usage: {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar
 * org.cae4j.bench.LayerTimes [MODEL] [THREADS]}, defaults {@code A <cores>}.
 */
public final class LayerTimes {
    static final int BATCH = 64, TIMED = 300;
    /**
     * Untimed steps first, for this long: with 100 steps (about 0.3 s for model B) the JIT was still compiling, and
     * B's Linear(20->1568) forward printed 2.3 to 20.9 us per image from one JVM to the next, against 0.9-1.4 in a
     * loop of 1500 steps.
     */
    static final long WARMUP_SECONDS = 3;

    private LayerTimes() {}

    public static void main(String[] args) {
        if (args.length > 2 || (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help")))) {
            System.err.println("usage: LayerTimes [MODEL] [THREADS]  (defaults: A " + Runtime.getRuntime().availableProcessors() + ")");
            System.exit(2);
        }
        TrainRun.Model model = args.length > 0 ? TrainRun.Model.parse(args[0]) : TrainRun.Model.A;
        int threads = args.length > 1 ? TrainRun.positive("THREADS", args[1]) : Runtime.getRuntime().availableProcessors();
        Parallel.setThreads(threads);
        Autoencoder ae = model.build(1, 28, 28, new Rng(0));
        Tensor x = new Tensor(BATCH, 1, 28, 28);
        Rng rng = new Rng(1);
        for (int i = 0; i < x.data.length; i++) x.data[i] = rng.nextFloat();
        List<Layer> layers = new ArrayList<>(ae.encoder().layers());
        layers.addAll(ae.decoder().layers());
        ae.train(true);
        double[] fwd = new double[layers.size()], bwd = new double[layers.size()];
        long warmEnd = System.nanoTime() + WARMUP_SECONDS * 1_000_000_000L;
        for (int step = 0, timedSteps = 0; timedSteps < TIMED; step++) {
            boolean timed = System.nanoTime() >= warmEnd;
            if (timed) timedSteps++;
            Tensor h = x;
            for (int i = 0; i < layers.size(); i++) {
                long t0 = System.nanoTime();
                h = layers.get(i).forward(h);
                if (timed) fwd[i] += System.nanoTime() - t0;
            }
            Tensor d = h;
            for (int i = layers.size() - 1; i >= 0; i--) {
                long t0 = System.nanoTime();
                Tensor dx = layers.get(i).backward(d);
                if (timed) bwd[i] += System.nanoTime() - t0;
                if (dx == null) break; // a layer that needs no input gradient (the first weighted one): done
                d = dx;
            }
        }
        double perImage = 1e3 * TIMED * BATCH, total = 0;
        System.out.printf(Locale.ROOT, "model %s, %d threads, batch %d, microseconds per image (mean over %d steps)%n",
                model, threads, BATCH, TIMED);
        for (int i = 0; i < layers.size(); i++) {
            System.out.printf(Locale.ROOT, "  %-58s forward %7.1f  backward %7.1f%n", layers.get(i), fwd[i] / perImage, bwd[i] / perImage);
            total += fwd[i] + bwd[i];
        }
        double us = total / perImage;
        System.out.printf(Locale.ROOT, "  total %.1f us per image: %.0f img/s for the layers alone%n", us, 1e6 / us);
        // the whole model as training runs it: Sequential fuses a conv and the activation after it
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long wall = 0, cpu = 0;
        warmEnd = System.nanoTime() + WARMUP_SECONDS * 1_000_000_000L;
        for (int timedSteps = 0; timedSteps < TIMED; ) {
            long t0 = System.nanoTime(), c0 = mx.getCurrentThreadCpuTime();
            ae.backward(ae.forward(x));
            if (t0 >= warmEnd) {
                timedSteps++;
                wall += System.nanoTime() - t0;
                cpu += mx.getCurrentThreadCpuTime() - c0;
            }
        }
        System.out.printf(Locale.ROOT, "  model forward + backward as trained (fused pairs%s): %.1f us per image, calling thread's CPU %.1f%n",
                "false".equals(System.getProperty("cae4j.fuse")) ? " off" : "", // as Sequential reads it
                wall / perImage, cpu / perImage);
    }
}
