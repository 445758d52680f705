package org.cae4j.cli;

import java.nio.file.Path;
import org.cae4j.data.Datasets;
import org.cae4j.data.ImageDataset;

/** Resolves {@code --data}: the bundled Fashion-MNIST subset, an IDX directory, or one IDX image file. */
final class DataOption {
    static final String EMBEDDED = "embedded";
    static final String DESCRIPTION = "IDX data: a directory with train-* and t10k-* image and label files "
            + "(e.g. /usr/share/datasets/fashion-mnist), one IDX image file, or 'embedded' for the bundled "
            + "Fashion-MNIST subset (10,000 train + 2,000 test). Default: ${DEFAULT-VALUE}.";

    private DataOption() {}

    static Datasets.Split load(String data) {
        if (data.equals(EMBEDDED)) return Datasets.embedded();
        return Datasets.load(Path.of(data));
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
     * The split to train on and the one to test on: the data's own test split, or else the last
     * {@code holdout} fraction of the images held out (in file order, so it is the same on every run).
     */
    static Datasets.Split withTest(Datasets.Split s, double holdout) {
        if (s.hasTest()) return s;
        ImageDataset all = s.train();
        int test = (int) Math.round(all.size() * holdout);
        if (test < 1 || test >= all.size()) {
            throw new IllegalArgumentException(all.name() + ": " + all.size() + " images cannot be split into train "
                    + "and a held-out test fraction of " + holdout + "; give a directory with a t10k split");
        }
        return new Datasets.Split(all.slice(0, all.size() - test), all.slice(all.size() - test, all.size()));
    }
}
