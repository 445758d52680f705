package org.cae4j.cli;

import java.nio.file.Path;
import org.cae4j.data.Datasets;
import org.cae4j.data.Downloader;
import org.cae4j.data.ImageDataset;
import org.cae4j.data.NamedDatasets;

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
        Datasets.Options options = Datasets.Options.defaults()
                .withLocator(NamedDatasets.Locator.defaults().withProgress(new StderrProgress()));
        Datasets.Loaded loaded = Datasets.open(data, options);
        for (String w : loaded.warnings()) System.err.println("warning: " + w);
        return loaded.split();
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

    /** Throws naming both shapes unless the images have the shape the model was trained on. */
    static void checkMatches(ImageDataset images, org.cae4j.model.Autoencoder model, Path modelFile) {
        int[] s = model.inputShape();
        if (images.channels() != s[0] || images.height() != s[1] || images.width() != s[2]) {
            throw new IllegalArgumentException(images.name() + ": images are " + images.channels() + "x" + images.height()
                    + "x" + images.width() + " but the model " + modelFile.getFileName() + " expects " + s[0] + "x" + s[1]
                    + "x" + s[2]);
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
