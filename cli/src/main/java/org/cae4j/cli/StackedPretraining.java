package org.cae4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.cae4j.data.ImageDataset;
import org.cae4j.model.Autoencoder;
import org.cae4j.model.StackedCae;
import org.cae4j.nn.Parameter;
import org.cae4j.optim.Optimizer;
import org.cae4j.tensor.Rng;
import org.cae4j.train.LayerwiseTrainer;
import org.cae4j.train.Trainer;

/**
 * The greedy phase of {@code train --preset stacked}, before the end-to-end training: each layer in turn learns
 * to reconstruct its input with a fresh optimizer of the run's kind over its own parameters, for
 * {@code --pretrain-epochs}; one line per epoch, the progress bar, and metrics.csv rewritten after each epoch.
 */
final class StackedPretraining {
    private StackedPretraining() {}

    /** Pretrains every layer of {@code model} (a stacked CAE); returns the epochs of each phase, {@code pretrain-l}. */
    static Map<String, List<Trainer.EpochMetrics>> run(Autoencoder model, Function<List<Parameter>, Optimizer> newOptimizer,
                                                       int epochs, int batchSize, ImageDataset train, ImageDataset test,
                                                       Rng rng, ProgressBar bar, PrintWriter o, Path dir) {
        StackedCae stack = StackedCae.of(model);
        int depth = stack.depth();
        Map<String, List<Trainer.EpochMetrics>> phases = new LinkedHashMap<>();
        Path csv = dir.resolve("metrics.csv");
        for (int l = 1; l <= depth; l++) {
            int layer = l;
            List<Trainer.EpochMetrics> rows = new ArrayList<>();
            phases.put("pretrain-" + l, rows);
            Optimizer optim = newOptimizer.apply(stack.parameters(l));
            o.printf(Locale.ROOT, "pretraining layer %d/%d: %s | %s reconstructs %s, %d epoch%s%n", l, depth,
                    stack.encoder(l), stack.decoder(l), l == 1 ? "the images" : "the maps "
                            + Arrays.toString(stack.inputShape(l)) + " of encoder " + (l - 1), epochs, epochs == 1 ? "" : "s");
            o.flush();
            bar.phase("layer " + l + "/" + depth + " ");
            Trainer.Listener listener = new Trainer.Listener() {
                @Override
                public void onBatch(int epoch, int batch, int batches, double loss, double ips) {
                    bar.onBatch(epoch, epochs, batch, batches, batchSize, loss, ips);
                }

                @Override
                public void onEpoch(Trainer.EpochMetrics m) {
                    bar.clear();
                    rows.add(m);
                    o.printf(Locale.ROOT, "layer %d/%d epoch %d/%d  train_loss %.6f  test_mse %.6f  %.1f s  %.0f img/s%n",
                            layer, depth, m.epoch(), epochs, m.trainLoss(), m.testMse(), m.seconds(), m.imagesPerSecond());
                    o.flush();
                    try {
                        RunFolder.writeMetrics(csv, phases, List.of());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(csv + ": " + e.getMessage(), e);
                    }
                }
            };
            new LayerwiseTrainer(stack, l, optim, Trainer.Config.of(epochs, batchSize)).fit(train, test, rng, listener);
        }
        bar.phase("");
        o.printf(Locale.ROOT, "fine-tuning the whole stack end to end%n");
        o.flush();
        return phases;
    }
}
