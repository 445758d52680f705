package org.cae4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cae4j.data.Datasets;
import org.cae4j.data.ImageDataset;
import org.cae4j.features.Features;
import org.cae4j.model.Autoencoder;
import org.cae4j.model.Models;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cae4j latent}: the latent map, codes of images projected on their first two principal components. */
@Command(name = "latent", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draws the codes (or any layer's features) of the first --limit images projected on their first two "
                + "principal components (PCA), coloured by label, as a PNG scatter plot.")
final class LatentCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.safetensors.")
    Path model;

    @Option(names = "--data", defaultValue = DataOption.EMBEDDED, paramLabel = "PATH", description = DataOption.DESCRIPTION)
    String data;

    @Option(names = "--split", defaultValue = "test", paramLabel = "SPLIT", description = "train or test. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--layer", defaultValue = "code", paramLabel = "NAME", description = "As for encode --layer. Default: ${DEFAULT-VALUE}.")
    String layer;

    @Option(names = "--pool", defaultValue = "8", paramLabel = "S", description = "Maps average-pooled to at most S x S first "
            + "(0: not pooled). Default: ${DEFAULT-VALUE}.")
    int pool;

    @Option(names = "--limit", defaultValue = "2000", paramLabel = "N", description = "Images drawn. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--out", defaultValue = "latent.png", paramLabel = "FILE", description = "Default: ${DEFAULT-VALUE}.")
    Path out;

    @CommandLine.Mixin
    ImageShape shape;

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        if (!split.equals("train") && !split.equals("test")) throw new CommandLine.ParameterException(cl, "invalid value for --split: '" + split + "' (expected train or test)");
        if (pool < 0) throw new CommandLine.ParameterException(cl, "invalid value for --pool: " + pool + " (expected >= 0)");
        if (limit < 3) throw new CommandLine.ParameterException(cl, "invalid value for --limit: " + limit + " (expected at least 3)");
        ImageShape.Settings given = shape.parse(cl);
        Models.Loaded loaded = Models.load(model);
        Autoencoder ae = loaded.model();
        Features f;
        try {
            int[] shape = Features.of(ae, layer, 0, Features.Pooling.AVG).layerShape();
            int p = shape.length == 3 ? Math.min(pool, Math.min(shape[1], shape[2])) : 0;
            f = Features.of(ae, layer, p, Features.Pooling.AVG);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "invalid value for --layer: " + e.getMessage());
        }
        Datasets.Split s = DataOption.forModel(data, given, loaded, model);
        ImageDataset images = split.equals("train") || !s.hasTest() ? s.train() : s.test();
        double[] r = Latent.draw(out, f, images, limit);
        cl.getOut().printf(Locale.ROOT, "wrote %s: %d images of %s, %s; the two components explain %.1f%% and %.1f%% of the variance%n",
                out, Math.min(limit, images.size()), images.name(), f, 100 * r[0], 100 * r[1]);
        cl.getOut().flush();
        return 0;
    }
}
