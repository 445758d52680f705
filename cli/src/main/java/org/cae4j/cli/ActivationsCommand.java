package org.cae4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cae4j.data.Datasets;
import org.cae4j.data.ImageDataset;
import org.cae4j.model.Autoencoder;
import org.cae4j.model.Models;
import org.cae4j.tensor.Tensor;
import org.cae4j.viz.Pictures;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cae4j activations}: draws the encoder's feature maps of one image. */
@Command(name = "activations", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draws the encoder's activation maps of one image (from the test split, or all images when there is none).")
final class ActivationsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.safetensors.")
    Path model;

    @Option(names = "--data", defaultValue = DataOption.EMBEDDED, paramLabel = "PATH", description = DataOption.DESCRIPTION)
    String data;

    @Option(names = "--index", defaultValue = "0", paramLabel = "I", description = "Which image. Default: ${DEFAULT-VALUE}.")
    int index;

    @Option(names = "--out", defaultValue = "activations.png", paramLabel = "PNG", description = "Default: ${DEFAULT-VALUE}.")
    Path out;

    @CommandLine.Mixin
    ImageShape shape;

    @Override
    public Integer call() throws IOException {
        if (index < 0) throw new CommandLine.ParameterException(spec.commandLine(), "invalid value for --index: " + index + " (expected >= 0)");
        ImageShape.Settings given = shape.parse(spec.commandLine());
        Models.Loaded loaded = Models.load(model);
        Autoencoder ae = loaded.model();
        Datasets.Split split = DataOption.forModel(data, given, loaded, model);
        ImageDataset images = split.hasTest() ? split.test() : split.train();
        if (index >= images.size()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "invalid value for --index: " + index
                    + " (" + images.name() + " has " + images.size() + " images)");
        }
        int[] s = ae.inputShape();
        Tensor x = new Tensor(1, s[0], s[1], s[2]);
        images.copyBatch(new int[] {index}, 0, 1, x.data);
        ae.train(false);
        Pictures.activations(out, ae.encode(x).copy(), RunFolder.pixels(x, images.normalization()));
        spec.commandLine().getOut().println("wrote " + out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
