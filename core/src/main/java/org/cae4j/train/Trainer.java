package org.cae4j.train;

import java.util.ArrayList;
import java.util.List;
import org.cae4j.data.ImageDataset;
import org.cae4j.loss.Loss;
import org.cae4j.loss.LossAndGrad;
import org.cae4j.model.Autoencoder;
import org.cae4j.optim.Optimizer;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;

/**
 * Minibatch training of an autoencoder to reconstruct its input: each epoch visits the training images once in
 * a fresh random order (the last batch may be smaller, as PyTorch's default), takes one optimizer step per
 * batch, then measures the per-pixel test MSE.
 *
 * <p>The loss of a batch, reported and checked for divergence, is {@code loss(model(x), x)} plus the model's
 * {@link Autoencoder#regularizationLoss()} (sparsity and KL penalties); the test MSE is the pure reconstruction
 * error of the model in evaluation mode (no input noise, a VAE decoding its mean code).
 *
 * <p>For a given seed and thread count the result is identical run to run: the order comes from the
 * {@link Rng} passed in and the kernels reduce in a fixed order.
 */
public final class Trainer {

    /** Loop settings; {@code evalBatchSize} only affects speed and memory of the test pass. */
    public record Config(int epochs, int batchSize, boolean shuffle, int evalBatchSize) {
        public Config {
            if (epochs <= 0) throw new IllegalArgumentException("epochs must be positive, got " + epochs);
            if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
            if (evalBatchSize <= 0) throw new IllegalArgumentException("eval batch size must be positive, got " + evalBatchSize);
        }

        public static Config of(int epochs, int batchSize) { return new Config(epochs, batchSize, true, 256); }
    }

    /**
     * What one epoch measured: mean training loss (with penalties), per-pixel test MSE (NaN without a test split),
     * wall time.
     */
    public record EpochMetrics(int epoch, double trainLoss, double testMse, double seconds, double imagesPerSecond) {}

    /**
     * Where a run stands between two steps: the current epoch (from 1), the batches of it already done (0: its
     * order is not drawn yet), optimizer steps so far, the epoch's visiting order, the sum of its batch losses
     * weighted by batch size, and the finished epochs. With the model, the optimizer state and the {@link Rng}
     * state, it is everything needed to continue a run exactly.
     */
    public record Progress(int epoch, int batch, long step, int[] order, double epochLossSum,
                           List<EpochMetrics> history) {
        public Progress {
            order = order.clone();
            history = List.copyOf(history);
        }

        /** The start of a run over n images. */
        public static Progress start(int n) {
            int[] order = new int[n];
            for (int i = 0; i < n; i++) order[i] = i;
            return new Progress(1, 0, 0, order, 0, List.of());
        }

        @Override
        public int[] order() { return order.clone(); }
    }

    /** Progress callbacks, on the training thread. */
    public interface Listener {
        /** After each optimizer step; {@code batch} counts from 1 within the epoch. */
        default void onBatch(int epoch, int batch, int batches, double loss, double imagesPerSecond) {}

        /** After each epoch's test pass. */
        default void onEpoch(EpochMetrics m) {}

        /**
         * After every step and after every epoch's end, when the model, optimizer and Rng are between steps: the
         * place to write a checkpoint. {@code progress} builds the {@link Progress} (a copy of the order) only when
         * asked, so a listener that checkpoints rarely costs nothing per step.
         */
        default void onSettled(long step, boolean epochEnd, java.util.function.Supplier<Progress> progress) {}
    }

    /** Thrown when the loss becomes NaN or infinite; names the step. */
    public static final class DivergedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final long step;

        public DivergedException(String msg, long step) {
            super(msg);
            this.step = step;
        }

        /** The step (from 1) whose loss was not finite. */
        public long step() { return step; }
    }

    private final Autoencoder model;
    private final Optimizer optimizer;
    private final Loss loss;
    private final Config config;
    // the run's position, kept in fields so that progress() can report it from inside callbacks
    private int epoch, batch;
    private long step;
    private int[] order;
    private double sum;
    private List<EpochMetrics> history;

    public Trainer(Autoencoder model, Optimizer optimizer, Loss loss, Config config) {
        this.model = model;
        this.optimizer = optimizer;
        this.loss = loss;
        this.config = config;
    }

    /**
     * Trains for the configured epochs on {@code train} (its shape must match the model's input), evaluating
     * on {@code test} (may be null) after each epoch.
     */
    public List<EpochMetrics> fit(ImageDataset train, ImageDataset test, Rng rng, Listener listener) {
        return resume(train, test, rng, listener, Progress.start(train.size()));
    }

    /**
     * Continues a run from {@code from}, with the model, optimizer and {@code rng} restored to that moment; the
     * result is identical to the run that was never interrupted.
     */
    public List<EpochMetrics> resume(ImageDataset train, ImageDataset test, Rng rng, Listener listener, Progress from) {
        checkShape(train);
        if (test != null) checkShape(test);
        int n = train.size(), bs = Math.min(config.batchSize(), n);
        if (from.order().length != n) {
            throw new IllegalArgumentException("resume: the saved order covers " + from.order().length
                    + " images but the training data has " + n);
        }
        int[] sample = model.inputShape();
        Tensor full = new Tensor(bs, sample[0], sample[1], sample[2]);
        int rest = n % bs;
        Tensor last = rest == 0 ? null : new Tensor(rest, sample[0], sample[1], sample[2]);
        int batches = (n + bs - 1) / bs;
        order = from.order();
        history = new ArrayList<>(from.history());
        step = from.step();
        int firstBatch = from.batch();
        sum = from.epochLossSum();
        for (epoch = from.epoch(); epoch <= config.epochs(); epoch++) {
            // a fresh permutation each epoch, torch.randperm(n, generator) of the peer's loop
            if (firstBatch == 0 && config.shuffle()) rng.permutation(order);
            model.train(true);
            long t0 = System.nanoTime();
            for (batch = firstBatch; batch < batches; ) {
                int from0 = batch * bs, count = Math.min(bs, n - from0);
                Tensor x = count == bs ? full : last;
                train.copyBatch(order, from0, count, x.data);
                optimizer.zeroGrad();
                Tensor y = model.forward(x);
                LossAndGrad lg = loss.forward(y, x);
                // the objective: reconstruction plus the model's penalties (sparsity, KL), whose gradients the
                // penalty layers add themselves in backward
                double value = lg.value() + model.regularizationLoss();
                if (!Double.isFinite(value)) {
                    throw new DivergedException("loss became " + value + " at step " + (step + 1) + " (epoch "
                            + epoch + ", batch " + (batch + 1) + "); lower the learning rate or check the input "
                            + "normalisation", step + 1);
                }
                model.backward(lg.grad());
                optimizer.step();
                step++;
                batch++;
                sum += value * count;
                if (listener != null) {
                    double secs = (System.nanoTime() - t0) / 1e9;
                    listener.onBatch(epoch, batch, batches, value, (batch - firstBatch) * (double) bs / Math.max(secs, 1e-9));
                    listener.onSettled(step, false, this::progress);
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double testMse = test == null ? Double.NaN : evaluateMse(model, test, config.evalBatchSize());
            long images = n - Math.min(n, (long) firstBatch * bs);
            EpochMetrics m = new EpochMetrics(epoch, sum / n, testMse, seconds, images / seconds);
            history.add(m);
            firstBatch = 0;
            sum = 0;
            batch = 0;
            if (listener != null) {
                listener.onEpoch(m);
                int next = epoch + 1;
                listener.onSettled(step, true, () -> new Progress(next, 0, step, order, 0, history));
            }
        }
        return List.copyOf(history);
    }

    /** Where the run stands now (see {@link Progress}); valid inside the listener callbacks. */
    private Progress progress() { return new Progress(epoch, batch, step, order, sum, history); }

    /** Per-pixel mean squared reconstruction error of {@code model} over all of {@code data}, summed in double. */
    public static double evaluateMse(Autoencoder model, ImageDataset data, int batchSize) {
        int[] s = model.inputShape();
        int n = data.size(), bs = Math.min(batchSize, n);
        model.train(false);
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        Tensor full = new Tensor(bs, s[0], s[1], s[2]);
        double se = 0;
        for (int from = 0; from < n; from += bs) {
            int count = Math.min(bs, n - from);
            Tensor x = count == bs ? full : new Tensor(count, s[0], s[1], s[2]);
            data.copyBatch(all, from, count, x.data);
            Tensor y = model.forward(x);
            for (int i = 0; i < x.size(); i++) {
                double e = y.data[i] - x.data[i];
                se += e * e;
            }
        }
        model.train(true);
        return se / ((double) n * s[0] * s[1] * s[2]);
    }

    private void checkShape(ImageDataset d) {
        int[] s = model.inputShape();
        if (d.channels() != s[0] || d.height() != s[1] || d.width() != s[2]) {
            throw new IllegalArgumentException("data " + d.channels() + "x" + d.height() + "x" + d.width()
                    + " does not match the model input " + s[0] + "x" + s[1] + "x" + s[2]);
        }
    }
}
