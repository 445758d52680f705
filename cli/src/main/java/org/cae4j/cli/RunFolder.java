package org.cae4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.cae4j.data.ImageDataset;
import org.cae4j.io.AtomicFile;
import org.cae4j.model.Autoencoder;
import org.cae4j.nn.Layer;
import org.cae4j.nn.Parameter;
import org.cae4j.tensor.Tensor;
import org.cae4j.train.Trainer;
import org.cae4j.viz.Pictures;

/** The files of a training run: metrics table and pictures. */
final class RunFolder {
    /** Test images shown in reconstructions.png. */
    static final int SHOWN = 8;

    private RunFolder() {}

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

    /** reconstructions.png, filters.png, activations.png and loss.png. */
    static void writePictures(Path dir, Autoencoder model, ImageDataset test, List<Trainer.EpochMetrics> history)
            throws IOException {
        int[] s = model.inputShape();
        int count = Math.min(SHOWN, test.size());
        int[] idx = new int[count];
        for (int i = 0; i < count; i++) idx[i] = i;
        Tensor x = new Tensor(count, s[0], s[1], s[2]);
        test.copyBatch(idx, 0, count, x.data);
        model.train(false);
        Tensor y = model.forward(x).copy();
        Pictures.reconstructions(dir.resolve("reconstructions.png"), x, y, count);

        Layer first = model.encoder().get(0);
        Parameter w = first.parameters().get(0);
        Pictures.filters(dir.resolve("filters.png"), w.value);

        Tensor one = new Tensor(1, s[0], s[1], s[2]);
        System.arraycopy(x.data, 0, one.data, 0, one.size());
        Tensor maps = model.encode(one);
        Pictures.activations(dir.resolve("activations.png"), maps.copy(), one);

        double[] train = new double[history.size()], testMse = new double[history.size()];
        for (int i = 0; i < history.size(); i++) {
            train[i] = history.get(i).trainLoss();
            testMse[i] = history.get(i).testMse();
        }
        Pictures.lossCurve(dir.resolve("loss.png"), train, testMse, "loss");
    }
}
