package org.cae4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.cae4j.data.Datasets;
import org.cae4j.data.ImageDataset;
import org.cae4j.loss.MseLoss;
import org.cae4j.model.Autoencoder;
import org.cae4j.model.Presets;
import org.cae4j.model.SeedCae;
import org.cae4j.ops.Parallel;
import org.cae4j.optim.Adam;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.cae4j.train.Trainer;

/**
 * Whole-run benchmark of one reference model, measured the way {@code bench/peer/cae_peer.py} measures PyTorch:
 * trains with batch 64, Adam 1e-3 and MSE, then times inference, and ends with one {@code RESULT} line.
 *
 * <ul>
 *   <li>train img/s: each epoch's first {@value #WARMUP_BATCHES} batches are warm-up and not timed; the rest
 *       is cut into windows of {@value #WINDOW} batches (the last one shorter), and the figure is the median
 *       of the windows' rates over all epochs. The test pass after each epoch is outside every window.
 *   <li>inference img/s: forward only, over the test set at batch 64 and 1000, already converted to floats;
 *       the first pass, then whole passes for {@value #INFER_WARMUP_SECONDS} s of warm-up (at least one),
 *       then the median of {@value #INFER_PASSES} timed passes. The first pass of all, cold for the shape, is printed too: a JIT needs
 *       about a second of a new batch shape before its code is fully compiled (model D at batch 1000 ran its first
 *       passes at half the steady rate).
 *   <li>peak RSS: VmHWM of /proc/self/status at the end.
 *   <li>other_cores: median CPU use of <em>other</em> processes during the training windows, in cores; on a
 *       shared machine, anything well above 0 means the rates are low.
 * </ul>
 * Usage: {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.cae4j.bench.TrainRun
 * [DATA_DIR|embedded] [EPOCHS] [THREADS] [MODEL]}, defaults {@code embedded 1 <cores> A}.
 */
public final class TrainRun {
    /** Batches at the start of each epoch excluded from timing. */
    static final int WARMUP_BATCHES = 20;
    /** Batches per timing window. */
    static final int WINDOW = 50;
    /** Timed inference passes per batch size, after the warm-up. */
    static final int INFER_PASSES = 3;
    /** Inference warm-up per batch size: whole passes until this much time has gone (at least one pass). */
    static final double INFER_WARMUP_SECONDS = 2.0;
    static final int BATCH = 64;
    static final double LR = 1e-3;

    private TrainRun() {}

    /** The reference models of the comparison with the PyTorch peer ({@code bench/peer/cae_peer.py}). */
    enum Model {
        /** Seed CAE: Conv(1→16, k5, pad 4) + tanh → Conv(16→1, k5) + sigmoid. */
        A {
            @Override
            Autoencoder build(int c, int h, int w, Rng rng) {
                return SeedCae.build(SeedCae.Config.defaults(c, h, w), rng);
            }
        },
        /** Strided conv encoder → 20-d linear code → transposed-conv decoder. */
        B {
            @Override
            Autoencoder build(int c, int h, int w, Rng rng) { return Presets.bottleneck(c, h, w, 20, rng); }
        },
        /** Keras tutorial: Conv/MaxPool encoder to 8×4×4, Conv/Upsample decoder. */
        C {
            @Override
            Autoencoder build(int c, int h, int w, Rng rng) { return Presets.keras(c, h, w, rng); }
        },
        /** Dense 784-128-64-32-64-128-784. */
        D {
            @Override
            Autoencoder build(int c, int h, int w, Rng rng) { return Presets.dense(c, h, w, rng); }
        };

        /** The model for C×H×W images with weights drawn from {@code rng}. */
        abstract Autoencoder build(int c, int h, int w, Rng rng);

        static Model parse(String s) {
            for (Model m : values()) if (m.name().equalsIgnoreCase(s.trim())) return m;
            throw new IllegalArgumentException("model '" + s + "': expected one of " + Arrays.toString(values()));
        }
    }

    public static void main(String[] args) {
        if (args.length > 4 || (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help")))) {
            System.err.println("usage: TrainRun [DATA_DIR|embedded] [EPOCHS] [THREADS] [MODEL]  (defaults: embedded 1 "
                    + Runtime.getRuntime().availableProcessors() + " A)");
            System.exit(2);
        }
        String data = args.length > 0 ? args[0] : "embedded";
        int epochs = args.length > 1 ? positive("EPOCHS", args[1]) : 1;
        int threads = args.length > 2 ? positive("THREADS", args[2]) : Runtime.getRuntime().availableProcessors();
        Model model = args.length > 3 ? Model.parse(args[3]) : Model.A;
        Parallel.setThreads(threads);

        Datasets.Split split = data.equals("embedded") ? Datasets.embedded() : Datasets.load(Path.of(data));
        if (!split.hasTest()) throw new IllegalArgumentException(data + ": a train/test set is needed, got no test set");
        ImageDataset train = split.train(), test = split.test();
        Rng rng = new Rng(0);
        Autoencoder ae = model.build(train.channels(), train.height(), train.width(), rng);
        System.out.printf(Locale.ROOT, "%s: %s  params=%d  threads=%d  java=%s  train=%s  test=%s%n", model, ae,
                ae.parameterCount(), threads, System.getProperty("java.version"), train, test);

        Windows windows = new Windows(train.size(), BATCH);
        Trainer t = new Trainer(ae, Adam.adam(ae.parameters(), LR), new MseLoss(), Trainer.Config.of(epochs, BATCH));
        // the order from a second generator of the seed, as ./cae4j train and the PyTorch peer draw it
        List<Trainer.EpochMetrics> history = t.fit(train, test, new Rng(0), windows);

        double[] bs64 = inferRates(ae, test, 64), bs1000 = inferRates(ae, test, 1000);
        double[] warm64 = Arrays.copyOfRange(bs64, 1, bs64.length);
        double[] warm1000 = Arrays.copyOfRange(bs1000, 1, bs1000.length);
        System.out.printf(Locale.ROOT, "  inference img/s bs64 %s  bs1000 %s  (passes after %.0f s of warm-up; the first"
                        + " pass, cold: bs64 %.0f, bs1000 %.0f)%n",
                rates(warm64), rates(warm1000), INFER_WARMUP_SECONDS, bs64[0], bs1000[0]);
        String mse = history.stream().map(m -> String.format(Locale.ROOT, "%.6f", m.testMse()))
                .collect(Collectors.joining(","));
        System.out.printf(Locale.ROOT, "RESULT cae4j %s params=%d threads=%d epochs=%d train_img_s=%.0f "
                        + "infer_img_s_bs64=%.0f infer_img_s_bs1000=%.0f infer_first_bs64=%.0f infer_first_bs1000=%.0f test_mse=%s "
                        + "peak_rss_MiB=%.0f other_cores=%.2f%n",
                model, ae.parameterCount(), threads, epochs, windows.medianRate(), median(warm64), median(warm1000),
                bs64[0], bs1000[0], mse,
                ProcStats.peakRssMiB(), windows.medianOtherCores());
    }

    /**
     * Times training in windows of {@value #WINDOW} batches after each epoch's first {@value #WARMUP_BATCHES},
     * from the end of one optimizer step to the end of another, and prints each epoch's summary.
     */
    static final class Windows implements Trainer.Listener {
        private final int trainSize, batchSize;
        /** Per window: images, seconds, other processes' cores. */
        private final List<double[]> all = new ArrayList<>();
        private final List<double[]> epoch = new ArrayList<>();
        private ProcStats.OtherCores open;
        private int openedAt, images;

        Windows(int trainSize, int batchSize) {
            this.trainSize = trainSize;
            this.batchSize = batchSize;
        }

        @Override
        public void onBatch(int ep, int batch, int batches, double loss, double imagesPerSecond) {
            // batch counts from 1: batch b has just finished, so a window opened here starts with batch b + 1
            if (open != null) {
                images += Math.min(batchSize, trainSize - (batch - 1) * batchSize);
                if (batch - openedAt == WINDOW || batch == batches) {
                    double[] wallCores = open.stop();
                    epoch.add(new double[] {images, wallCores[0], wallCores[1]});
                    open = null;
                }
            }
            if (batch >= WARMUP_BATCHES && (batch - WARMUP_BATCHES) % WINDOW == 0 && batch < batches) {
                open = new ProcStats.OtherCores();
                openedAt = batch;
                images = 0;
            }
        }

        @Override
        public void onEpoch(Trainer.EpochMetrics m) {
            System.out.printf(Locale.ROOT, "  epoch %d: train loss %.6f  test MSE %.6f  train img/s median %.0f over %d"
                            + " windows (min %.0f, max %.0f)  whole epoch %.0f img/s  other_cores %.2f%n",
                    m.epoch(), m.trainLoss(), m.testMse(), median(rates(epoch)), epoch.size(), min(rates(epoch)),
                    max(rates(epoch)), m.imagesPerSecond(), median(column(epoch, 2)));
            all.addAll(epoch);
            epoch.clear();
        }

        /** Median img/s over every window of every epoch; NaN if epochs were too short to have windows. */
        double medianRate() { return median(rates(all)); }

        double medianOtherCores() { return median(column(all, 2)); }

        private static double[] rates(List<double[]> ws) {
            return ws.stream().mapToDouble(w -> w[0] / w[1]).toArray();
        }

        private static double[] column(List<double[]> ws, int i) {
            return ws.stream().mapToDouble(w -> w[i]).toArray();
        }
    }

    /**
     * img/s of forward passes over all of {@code data} in batches of {@code bs}: the first pass, then
     * {@value #INFER_PASSES} passes after a further {@value #INFER_WARMUP_SECONDS} s of warm-up (as cae_peer.py).
     */
    static double[] inferRates(Autoencoder ae, ImageDataset data, int bs) {
        int n = data.size(), c = data.channels(), h = data.height(), w = data.width();
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        List<Tensor> batches = new ArrayList<>();
        for (int from = 0; from < n; from += bs) {
            Tensor x = new Tensor(Math.min(bs, n - from), c, h, w);
            data.copyBatch(all, from, x.dim(0), x.data);
            batches.add(x);
        }
        ae.train(false);
        double[] rates = new double[INFER_PASSES + 1]; // [0]: the first pass; then the timed ones
        rates[0] = passRate(ae, batches, n);
        long warmEnd = System.nanoTime() + (long) (INFER_WARMUP_SECONDS * 1e9);
        while (System.nanoTime() < warmEnd) passRate(ae, batches, n);
        for (int pass = 1; pass <= INFER_PASSES; pass++) rates[pass] = passRate(ae, batches, n);
        ae.train(true);
        return rates;
    }

    /** img/s of one forward pass over the n images of {@code batches}. */
    private static double passRate(Autoencoder ae, List<Tensor> batches, int n) {
        long t0 = System.nanoTime();
        for (Tensor x : batches) ae.forward(x);
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static String rates(double[] r) {
        return Arrays.stream(r).mapToObj(v -> String.format(Locale.ROOT, "%.0f", v))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** Median of the non-NaN values (mean of the middle two for an even count); NaN if there are none. */
    static double median(double[] v) {
        double[] s = Arrays.stream(v).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (s.length == 0) return Double.NaN;
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) { return Arrays.stream(v).min().orElse(Double.NaN); }

    private static double max(double[] v) { return Arrays.stream(v).max().orElse(Double.NaN); }

    static int positive(String what, String s) {
        int v;
        try {
            v = Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a positive integer, got '" + s + "'");
        }
        if (v <= 0) throw new IllegalArgumentException(what + " must be a positive integer, got " + v);
        return v;
    }
}
