package org.cae4j.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.cae4j.data.ImageDataset;
import org.cae4j.loss.LossAndGrad;
import org.cae4j.loss.MseLoss;
import org.cae4j.model.StackedCae;
import org.cae4j.nn.Parameter;
import org.cae4j.nn.Sequential;
import org.cae4j.optim.Optimizer;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;

/**
 * The greedy phase of a {@link StackedCae} (Masci et al. 2011): layer l alone, encoder l then decoder l, learns
 * to reconstruct its input t, the maps of the already trained encoders 1..l−1 (the images for l = 1), by
 * minimising the mean squared error mean((decoder_l(encoder_l(t)) − t)²). Encoders 1..l−1 only run forward, so
 * their weights and every other layer's stay as they are; the optimizer must update exactly layer l's parameters.
 *
 * <p>Epochs, batches, shuffling (from the {@link Rng} passed in), divergence checks and the listener calls are
 * those of {@link Trainer}; an epoch's {@code testMse} is the per-element MSE of layer l's reconstruction of its
 * own input on the test images. After the L phases, train {@link StackedCae#model()} end to end with a
 * {@link Trainer}:
 * <pre>{@code
 * StackedCae stack = StackedCae.of(ae);
 * for (int l = 1; l <= stack.depth(); l++) {
 *     new LayerwiseTrainer(stack, l, Adam.adam(stack.parameters(l), 1e-3), Trainer.Config.of(1, 64))
 *             .fit(data.train(), data.test(), rng, null);
 * }
 * new Trainer(ae, Adam.adam(ae.parameters(), 1e-3), new MseLoss(), Trainer.Config.of(5, 64)).fit(...);
 * }</pre>
 */
public final class LayerwiseTrainer {
    private final StackedCae stack;
    private final int layer;
    private final Optimizer optimizer;
    private final Trainer.Config config;
    private final MseLoss loss = new MseLoss();

    /**
     * @throws IllegalArgumentException if {@code optimizer} does not update exactly layer l's parameters
     */
    public LayerwiseTrainer(StackedCae stack, int layer, Optimizer optimizer, Trainer.Config config) {
        List<Parameter> own = stack.parameters(layer);
        Set<Parameter> ours = Collections.newSetFromMap(new IdentityHashMap<>());
        ours.addAll(own);
        Set<Parameter> theirs = Collections.newSetFromMap(new IdentityHashMap<>());
        theirs.addAll(optimizer.parameters());
        if (!ours.equals(theirs)) {
            throw new IllegalArgumentException("pretraining layer " + layer + ": expected an optimizer over layer " + layer
                    + "'s " + own.size() + " parameters " + own + ", got one over " + optimizer.parameters().size()
                    + " parameters " + optimizer.parameters());
        }
        this.stack = stack;
        this.layer = layer;
        this.optimizer = optimizer;
        this.config = config;
    }

    /**
     * Trains layer l for the configured epochs on {@code train} (images of the model's input shape), measuring
     * on {@code test} (may be null) after each epoch; returns the epochs' metrics.
     */
    public List<Trainer.EpochMetrics> fit(ImageDataset train, ImageDataset test, Rng rng, Trainer.Listener listener) {
        checkShape(train);
        if (test != null) checkShape(test);
        int n = train.size(), bs = Math.min(config.batchSize(), n);
        int[] s = stack.model().inputShape();
        Tensor full = new Tensor(bs, s[0], s[1], s[2]);
        int rest = n % bs;
        Tensor last = rest == 0 ? null : new Tensor(rest, s[0], s[1], s[2]);
        int batches = (n + bs - 1) / bs;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Sequential enc = stack.encoder(layer), dec = stack.decoder(layer);
        List<Trainer.EpochMetrics> history = new ArrayList<>();
        long step = 0;
        // the layer's input is data here: its first convolution need not compute dL/dt (restored below, where the
        // whole stack backpropagates through every layer above the first)
        enc.setInputGradNeeded(false);
        try {
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                if (config.shuffle()) rng.permutation(order);
                stack.model().train(true);
                long t0 = System.nanoTime();
                double sum = 0;
                for (int batch = 0; batch < batches; ) {
                    int from = batch * bs, count = Math.min(bs, n - from);
                    Tensor x = count == bs ? full : last;
                    train.copyBatch(order, from, count, x.data);
                    Tensor t = stack.layerInput(layer, x);
                    optimizer.zeroGrad();
                    Tensor y = dec.forward(enc.forward(t));
                    LossAndGrad lg = loss.forward(y, t);
                    double value = lg.value();
                    if (!Double.isFinite(value)) {
                        throw new Trainer.DivergedException("pretraining layer " + layer + ": loss became " + value
                                + " at step " + (step + 1) + " (epoch " + epoch + ", batch " + (batch + 1) + "); lower "
                                + "the learning rate or check the input normalisation", step + 1);
                    }
                    enc.backward(dec.backward(lg.grad()));
                    optimizer.step();
                    step++;
                    batch++;
                    sum += value * count;
                    if (listener != null) {
                        double secs = (System.nanoTime() - t0) / 1e9;
                        listener.onBatch(epoch, batch, batches, value, batch * (double) bs / Math.max(secs, 1e-9));
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                double testMse = test == null ? Double.NaN : evaluateMse(stack, layer, test, config.evalBatchSize());
                Trainer.EpochMetrics m = new Trainer.EpochMetrics(epoch, sum / n, testMse, seconds, n / seconds);
                history.add(m);
                if (listener != null) listener.onEpoch(m);
            }
        } finally {
            enc.setInputGradNeeded(layer > 1);
        }
        return List.copyOf(history);
    }

    /**
     * Mean squared error per element of layer l's reconstruction of its input (the maps of encoders 1..l−1, or
     * the images for l = 1) over all of {@code data}, summed in double, in evaluation mode.
     */
    public static double evaluateMse(StackedCae stack, int layer, ImageDataset data, int batchSize) {
        int[] s = stack.model().inputShape();
        int n = data.size(), bs = Math.min(batchSize, n);
        Sequential enc = stack.encoder(layer), dec = stack.decoder(layer);
        stack.model().train(false);
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        Tensor full = new Tensor(bs, s[0], s[1], s[2]);
        double se = 0;
        long count = 0;
        try {
            for (int from = 0; from < n; from += bs) {
                int c = Math.min(bs, n - from);
                Tensor x = c == bs ? full : new Tensor(c, s[0], s[1], s[2]);
                data.copyBatch(all, from, c, x.data);
                Tensor t = stack.layerInput(layer, x);
                Tensor y = dec.forward(enc.forward(t));
                for (int i = 0; i < t.size(); i++) {
                    double e = y.data[i] - t.data[i];
                    se += e * e;
                }
                count += t.size();
            }
        } finally {
            stack.model().train(true);
        }
        return se / count;
    }

    private void checkShape(ImageDataset d) {
        int[] s = stack.model().inputShape();
        if (d.channels() != s[0] || d.height() != s[1] || d.width() != s[2]) {
            throw new IllegalArgumentException("data " + d.channels() + "x" + d.height() + "x" + d.width()
                    + " does not match the model input " + s[0] + "x" + s[1] + "x" + s[2]);
        }
    }
}
