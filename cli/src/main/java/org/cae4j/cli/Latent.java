package org.cae4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.cae4j.data.ImageDataset;
import org.cae4j.features.Features;
import org.cae4j.model.Autoencoder;
import org.cae4j.probe.Pca;
import org.cae4j.tensor.Rng;

/** The latent map: codes projected on their first two principal components, coloured by label. */
final class Latent {
    /** Images drawn in a training run's latent.png. */
    static final int RUN_IMAGES = 2000;
    /** Code maps larger than this are average-pooled to it before the projection in a run's latent.png. */
    static final int RUN_POOL = 8;
    /** Seed of the projection's random start (the result does not depend on it beyond rounding). */
    static final long SEED = 1;

    private Latent() {}

    /** The features a training run projects: the code, maps average-pooled to at most 8×8. */
    static Features runFeatures(Autoencoder model) {
        int[] code = model.codeShape();
        int pool = code.length == 3 ? Math.min(RUN_POOL, Math.min(code[1], code[2])) : 0;
        return Features.of(model, "code", pool, Features.Pooling.AVG);
    }

    /**
     * Projects the features of the first {@code limit} images of {@code data} with PCA and draws them; returns
     * the fraction of variance along the two components.
     */
    static double[] draw(Path png, Features f, ImageDataset data, int limit) throws IOException {
        int n = Math.min(limit, data.size());
        if (n < 3) throw new IllegalArgumentException(data.name() + ": a latent map needs at least 3 images, got " + n);
        ImageDataset d = data.subset(n);
        float[] x = f.matrix(d, 256);
        Pca p = Pca.fit(x, n, f.size(), 2, new Rng(SEED));
        double[] xy = p.transform(x, n);
        int[] labels = null;
        if (d.hasLabels()) {
            labels = new int[n];
            for (int i = 0; i < n; i++) labels[i] = d.label(i);
        }
        double[] r = p.explainedVarianceRatio();
        Charts.scatter(png, xy, labels, d.name(), String.format(Locale.ROOT, "PCA of %d images' layer %s%s", n, f.layerName(),
                        f.pool() > 0 ? ", " + f.pooling().cliName() + "-pooled to " + f.pool() + "x" + f.pool() : ""),
                String.format(Locale.ROOT, "PC 1 (%.1f%% of the variance)", 100 * r[0]),
                String.format(Locale.ROOT, "PC 2 (%.1f%%)", 100 * r[1]));
        return r;
    }
}
