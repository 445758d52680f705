package org.cae4j.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.cae4j.data.Datasets;
import org.cae4j.data.ImageDataset;
import org.cae4j.loss.LossAndGrad;
import org.cae4j.loss.MseLoss;
import org.cae4j.model.Autoencoder;
import org.cae4j.ops.Parallel;
import org.cae4j.optim.Adam;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;

/**
 * Where a whole training step's time goes, as {@code Trainer} runs it, on real data: copying the shuffled batch in,
 * zeroing the gradients, forward, the MSE loss, backward, the Adam step; four passes over the training set (a fresh
 * order each), the first a warm-up, and prints microseconds per image of each part for the other three.
 * {@link LayerTimes} splits forward and backward by layer; this shows what lies outside them.
 * Usage: {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.cae4j.bench.StepTimes
 * DATA_DIR|embedded [MODEL] [THREADS]}, defaults {@code A <cores>}.
 */
public final class StepTimes {
    static final int BATCH = 64, PASSES = 4;
    private static final String[] PARTS = {"copy", "zero_grad", "forward", "loss", "backward", "step"};

    private StepTimes() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 3 || args[0].equals("-h") || args[0].equals("--help")) {
            System.err.println("usage: StepTimes DATA_DIR|embedded [MODEL] [THREADS]  (defaults: A "
                    + Runtime.getRuntime().availableProcessors() + ")");
            System.exit(2);
        }
        TrainRun.Model model = args.length > 1 ? TrainRun.Model.parse(args[1]) : TrainRun.Model.A;
        int threads = args.length > 2 ? TrainRun.positive("THREADS", args[2]) : Runtime.getRuntime().availableProcessors();
        Parallel.setThreads(threads);
        ImageDataset train = (args[0].equals("embedded") ? Datasets.embedded() : Datasets.load(Path.of(args[0]))).train();
        Autoencoder ae = model.build(train.channels(), train.height(), train.width(), new Rng(0));
        Adam adam = Adam.adam(ae.parameters(), 1e-3);
        MseLoss mse = new MseLoss();
        int n = train.size() - train.size() % BATCH;
        int[] order = new int[train.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Rng shuffle = new Rng(0);
        Tensor x = new Tensor(BATCH, train.channels(), train.height(), train.width());
        long[] t = new long[PARTS.length];
        ae.train(true);
        for (int pass = 0; pass < PASSES; pass++) {
            shuffle.permutation(order);
            long[] p = pass == 0 ? new long[PARTS.length] : t;
            for (int from = 0; from < n; from += BATCH) {
                long t0 = System.nanoTime();
                train.copyBatch(order, from, BATCH, x.data);
                long t1 = System.nanoTime();
                adam.zeroGrad();
                long t2 = System.nanoTime();
                Tensor y = ae.forward(x);
                long t3 = System.nanoTime();
                LossAndGrad lg = mse.forward(y, x);
                long t4 = System.nanoTime();
                ae.backward(lg.grad());
                long t5 = System.nanoTime();
                adam.step();
                long t6 = System.nanoTime();
                p[0] += t1 - t0; p[1] += t2 - t1; p[2] += t3 - t2; p[3] += t4 - t3; p[4] += t5 - t4; p[5] += t6 - t5;
            }
        }
        double images = (double) (PASSES - 1) * n, total = Arrays.stream(t).sum() / 1e3 / images;
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < PARTS.length; i++) line.append(String.format(Locale.ROOT, "  %s %.2f", PARTS[i], t[i] / 1e3 / images));
        System.out.printf(Locale.ROOT, "model %s, %d threads, batch %d, us per image over %d passes after one:%s  total %.2f"
                + " (%.0f img/s)%n", model, threads, BATCH, PASSES - 1, line, total, 1e6 / total);
    }
}
