package org.cae4j.cli;

import java.nio.file.Path;
import org.cae4j.data.Datasets;
import org.cae4j.data.Downloader;
import org.cae4j.data.ImageDataset;
import org.cae4j.data.NamedDatasets;
import org.cae4j.model.Models;

/**
 * Resolves {@code --data} with {@link Datasets#open}: the bundled Fashion-MNIST subset, a named data set, or a path
 * to IDX, CIFAR, NumPy or image-folder data; skipped files and download progress are reported on stderr.
 */
final class DataOption {
    static final String EMBEDDED = Datasets.EMBEDDED;
    static final String DESCRIPTION = "Data: 'embedded' for the bundled Fashion-MNIST subset (10,000 train + 2,000 "
            + "test); fashion-mnist, mnist or cifar10 (found in /usr/share/datasets or ~/.cache/cae4j, else downloaded "
            + "and checksum-verified); or a path: a directory of IDX files (train-*, t10k-*), CIFAR batches "
            + "(data_batch_*.bin) or images (PNG, JPEG, BMP, GIF; class folders, train/ and test/), a single IDX file, "
            + "or a NumPy .npy/.npz file. Default: ${DEFAULT-VALUE}.";

    private DataOption() {}

    static Datasets.Split load(String data) {
        return load(data, ImageShape.Settings.NONE, 0);
    }

    /**
     * Loads {@code data} with the {@code shape} settings: an image folder is converted and resized image by image as it
     * is decoded (with {@code folderChannels}, 1 or 3, when no channels are set; 0 decides by the images), any other
     * data after it is read, channels first as in a folder.
     */
    static Datasets.Split load(String data, ImageShape.Settings shape, int folderChannels) {
        Datasets.Options options = Datasets.Options.defaults()
                .withLocator(NamedDatasets.Locator.defaults().withProgress(new StderrProgress()))
                .withImages(shape.folderOptions(folderChannels));
        Datasets.Loaded loaded = Datasets.open(data, options);
        for (String w : loaded.warnings()) System.err.println("warning: " + w);
        Datasets.Split s = loaded.split();
        if (loaded.imageFolder()) return s;
        ImageDataset train = s.train(), test = s.test();
        if (shape.channels() > 0) {
            train = train.withChannels(shape.channels());
            test = test == null ? null : test.withChannels(shape.channels());
        }
        if (shape.resizes()) {
            train = train.resized(shape.height(), shape.width(), shape.crop());
            test = test == null ? null : test.resized(shape.height(), shape.width(), shape.crop());
        }
        return new Datasets.Split(train, test);
    }

    /**
     * {@code data} as the trained {@code model} needs it: resized and converted by the options given, else as the model
     * was trained (an image folder takes the model's input channels), checked against the model's input shape, and
     * normalised as the model's inputs were in training.
     */
    static Datasets.Split forModel(String data, ImageShape.Settings given, Models.Loaded model, Path modelFile) {
        ImageShape.Settings shape = ImageShape.forModel(given, model.metadata(), String.valueOf(modelFile.getFileName()));
        int c = model.model().inputShape()[0];
        Datasets.Split s = load(data, shape, c == 1 || c == 3 ? c : 0);
        checkMatches(s.train(), model.model(), modelFile, shape);
        if (s.hasTest()) checkMatches(s.test(), model.model(), modelFile, shape);
        return s.withNormalization(model.normalization());
    }

    /** Prints a download's progress to stderr every tenth of the file (or every 8 MB when its length is unknown). */
    private static final class StderrProgress implements Downloader.Progress {
        private String file;
        private long last = -1, next;

        @Override
        public void update(String name, long bytes, long total) {
            if (!name.equals(file) || bytes < last) { // a new file, or a new attempt at the same one
                file = name;
                next = 0;
            }
            last = bytes;
            if (bytes < next && bytes != total) return;
            System.err.printf("downloading %s: %.1f MB%s%n", name, bytes / 1e6,
                    total > 0 ? String.format(" of %.1f MB", total / 1e6) : "");
            next = bytes + (total > 0 ? Math.max(1, total / 10) : 8_000_000);
        }
    }

    /**
     * Throws naming both shapes unless the images have the shape the model was trained on; when {@code shape} could
     * fix it (no resize or channel conversion set), the message says which option would.
     */
    static void checkMatches(ImageDataset images, org.cae4j.model.Autoencoder model, Path modelFile, ImageShape.Settings shape) {
        int[] s = model.inputShape();
        if (images.channels() != s[0] || images.height() != s[1] || images.width() != s[2]) {
            String hint = "";
            if (images.channels() != s[0] && shape.channels() == 0 && (s[0] == 1 || s[0] == 3)
                    && (images.channels() == 1 || images.channels() == 3)) {
                hint = "; --channels " + s[0] + " converts them";
            } else if ((images.height() != s[1] || images.width() != s[2]) && !shape.resizes() && images.channels() == s[0]) {
                hint = "; --resize " + s[1] + "x" + s[2] + " resizes them";
            }
            throw new IllegalArgumentException(images.name() + ": images are " + images.channels() + "x" + images.height()
                    + "x" + images.width() + " but the model " + modelFile.getFileName() + " expects " + s[0] + "x" + s[1]
                    + "x" + s[2] + hint);
        }
    }

    /**
     * The split to train on and the one to test on: the data's own test split, or else a {@code holdout} fraction
     * of the images chosen by a fixed permutation (the same on every run and for every --seed, and spread over
     * classes even when the files are sorted by class); both keep file order.
     */
    static Datasets.Split withTest(Datasets.Split s, double holdout) {
        if (s.hasTest()) return s;
        ImageDataset all = s.train();
        int n = all.size(), test = (int) Math.round(n * holdout);
        if (test < 1 || test >= n) {
            throw new IllegalArgumentException(all.name() + ": " + n + " images cannot be split into train "
                    + "and a held-out test fraction of " + holdout + "; give data with a test split");
        }
        int[] perm = new org.cae4j.tensor.Rng(HOLDOUT_SEED).permutation(n);
        int[] testIdx = java.util.Arrays.copyOf(perm, test), trainIdx = java.util.Arrays.copyOfRange(perm, test, n);
        java.util.Arrays.sort(testIdx);
        java.util.Arrays.sort(trainIdx);
        return new Datasets.Split(all.select(trainIdx, all.name() + " (train part)"),
                all.select(testIdx, all.name() + " (held-out " + holdout + ")"));
    }

    /** Seed of the permutation that picks held-out test images. */
    static final long HOLDOUT_SEED = 0x5EED_7E57L;
}
