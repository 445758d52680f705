package org.cae4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.cae4j.data.ImageDataset;
import org.cae4j.data.Normalization;
import org.cae4j.io.AtomicFile;
import org.cae4j.model.Autoencoder;
import org.cae4j.nn.Layer;
import org.cae4j.tensor.Tensor;
import org.cae4j.train.Trainer;
import org.cae4j.viz.Pictures;

/** The files of a training run: metrics table and pictures. */
final class RunFolder {
    /** Test images shown in reconstructions.png. */
    static final int SHOWN = 8;
    /** Seed of the prior samples drawn for samples.png (fixed, so the picture is the same for the same model). */
    static final long SAMPLE_SEED = 1;

    private RunFolder() {}

    /** A copy of a (N, C, H, W) batch of network inputs or outputs mapped back to pixels in [0, 1], to draw. */
    static Tensor pixels(Tensor batch, Normalization n) {
        Tensor t = batch.copy();
        n.invertInPlace(t.data, t.dim(0), t.dim(1), t.dim(2) * t.dim(3));
        return t;
    }

    /** How a reported MSE is measured: {@code ""} for [0, 1] pixels, else the normalised space it is in. */
    static String mseSpace(Normalization n) {
        return n.kind() == Normalization.Kind.UNIT ? "" : " (on inputs normalised " + n + ", the loss's space)";
    }

    /** Creates {@code dir} and checks a file can be written in it, before any training starts. */
    static void prepare(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("output directory " + dir + " is not writable (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    /** metrics.csv: one row per epoch, {@code epoch,train_loss,test_mse,seconds,images_per_second}. */
    static void writeMetrics(Path csv, List<Trainer.EpochMetrics> history) throws IOException {
        StringBuilder b = new StringBuilder("epoch,train_loss,test_mse,seconds,images_per_second\n");
        for (Trainer.EpochMetrics m : history) {
            b.append(String.format(Locale.ROOT, "%d,%.8g,%.8g,%.3f,%.1f%n", m.epoch(), m.trainLoss(), m.testMse(),
                    m.seconds(), m.imagesPerSecond()));
        }
        AtomicFile.writeString(csv, b.toString());
    }

    /**
     * metrics.csv of a run with earlier phases (a stacked CAE's greedy pretraining): the rows of each phase,
     * named by its key ({@code pretrain-1}, …), then those of {@code history} as {@code finetune}, with a last
     * column {@code phase}; without earlier phases, as {@link #writeMetrics(Path, List)}.
     */
    static void writeMetrics(Path csv, java.util.Map<String, List<Trainer.EpochMetrics>> phases,
                             List<Trainer.EpochMetrics> history) throws IOException {
        if (phases.isEmpty()) {
            writeMetrics(csv, history);
            return;
        }
        StringBuilder b = new StringBuilder("epoch,train_loss,test_mse,seconds,images_per_second,phase\n");
        java.util.Map<String, List<Trainer.EpochMetrics>> all = new java.util.LinkedHashMap<>(phases);
        all.put(FINETUNE, history);
        for (java.util.Map.Entry<String, List<Trainer.EpochMetrics>> p : all.entrySet()) {
            for (Trainer.EpochMetrics m : p.getValue()) {
                b.append(String.format(Locale.ROOT, "%d,%.8g,%.8g,%.3f,%.1f,%s%n", m.epoch(), m.trainLoss(), m.testMse(),
                        m.seconds(), m.imagesPerSecond(), p.getKey()));
            }
        }
        AtomicFile.writeString(csv, b.toString());
    }

    /** The phase name of the end-to-end training rows in a stacked run's metrics.csv. */
    static final String FINETUNE = "finetune";

    /**
     * The first learned layer's weights as (K,C,R,S) tiles: a convolution's filters, or a dense layer's rows
     * reshaped to the input image (what each hidden unit looks for).
     */
    static Tensor firstFilters(Autoencoder model) {
        int[] s = model.inputShape();
        for (Layer l : model.encoder().layers()) {
            if (l.parameters().isEmpty()) continue;
            Tensor w = l.parameters().get(0).value;
            if (w.rank() == 4) return w;
            if (w.rank() == 2 && w.dim(1) == s[0] * s[1] * s[2]) return w.reshape(w.dim(0), s[0], s[1], s[2]);
            break;
        }
        throw new IllegalArgumentException("the first learned layer of " + model + " has no filters to draw");
    }

    /**
     * The feature maps (K,P,Q) of one image after the first encoder activation that yields maps; for an encoder
     * without maps (dense), its code laid out as one map of ⌈√F⌉ columns.
     */
    static Tensor firstMaps(Autoencoder model, Tensor image) {
        Tensor h = image;
        boolean afterWeights = false;
        for (Layer l : model.encoder().layers()) {
            h = l.forward(h);
            if (!l.parameters().isEmpty()) afterWeights = true;
            if (afterWeights && l instanceof org.cae4j.nn.Activation && h.rank() == 4) {
                return h.copy().reshape(h.dim(1), h.dim(2), h.dim(3));
            }
        }
        int f = h.size(), cols = (int) Math.ceil(Math.sqrt(f)), rows = (f + cols - 1) / cols;
        float[] grid = java.util.Arrays.copyOf(h.data, rows * cols);
        return new Tensor(grid, 1, rows, cols);
    }

    /**
     * reconstructions.png, filters.png, activations.png, loss.png (XChart) and latent.png (PCA of the test codes);
     * filters.png only when the first learned
     * layer has filters to draw (not, say, a batch norm). Returns the names of the files written.
     */
    static List<String> writePictures(Path dir, Autoencoder model, ImageDataset test, List<Trainer.EpochMetrics> history)
            throws IOException {
        List<String> written = new java.util.ArrayList<>();
        int[] s = model.inputShape();
        int count = Math.min(SHOWN, test.size());
        int[] idx = new int[count];
        for (int i = 0; i < count; i++) idx[i] = i;
        Tensor x = new Tensor(count, s[0], s[1], s[2]);
        test.copyBatch(idx, 0, count, x.data);
        model.train(false);
        Normalization norm = test.normalization();
        Tensor y = pixels(model.forward(x), norm);
        Pictures.reconstructions(dir.resolve("reconstructions.png"), pixels(x, norm), y, count);
        written.add("reconstructions.png");

        Tensor filters = null;
        try {
            filters = firstFilters(model);
        } catch (IllegalArgumentException e) {
            // an architecture that starts with, say, batch norm: nothing to draw
        }
        if (filters != null) {
            Pictures.filters(dir.resolve("filters.png"), filters);
            written.add("filters.png");
        }

        Tensor one = new Tensor(1, s[0], s[1], s[2]);
        System.arraycopy(x.data, 0, one.data, 0, one.size());
        Pictures.activations(dir.resolve("activations.png"), firstMaps(model, one), pixels(one, norm));
        written.add("activations.png");

        Charts.loss(dir.resolve("loss.png"), history);
        written.add("loss.png");

        Latent.draw(dir.resolve("latent.png"), Latent.runFeatures(model), test, Latent.RUN_IMAGES);
        written.add("latent.png");

        // a variational model also shows what it generates: decoded prior samples, and its 2-d latent manifold
        if (model.architecture().getOrDefault("preset", "").startsWith("vae")) {
            Tensor samples = model.sample(64, new org.cae4j.tensor.Rng(SAMPLE_SEED));
            Pictures.imageGrid(dir.resolve("samples.png"), pixels(samples, norm), 8, "64 samples from the prior",
                    "decoded z ~ N(0, I) of the " + model.codeShape()[0] + "-d latent space");
            written.add("samples.png");
            if (model.codeShape()[0] == 2) {
                int side = 20;
                Pictures.imageGrid(dir.resolve("manifold.png"), pixels(model.manifold(side), norm), side, "Latent manifold",
                        "decoded grid z = (Φ⁻¹(q_j), Φ⁻¹(q_i)), q evenly spaced in [0.05, 0.95]");
                written.add("manifold.png");
            }
        }
        return written;
    }
}
