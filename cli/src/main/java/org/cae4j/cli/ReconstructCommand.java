package org.cae4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cae4j.data.Datasets;
import org.cae4j.data.ImageDataset;
import org.cae4j.model.Autoencoder;
import org.cae4j.model.Models;
import org.cae4j.ops.Parallel;
import org.cae4j.tensor.Tensor;
import org.cae4j.train.Trainer;
import org.cae4j.viz.Pictures;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cae4j reconstruct}: runs a trained model over data, reports the MSE, writes reconstructions.png. */
@Command(name = "reconstruct", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Reconstructs images with a trained model, prints the per-pixel MSE over the test split (or all "
                + "images when the data has no test split) and writes reconstructions.png into --out. The data is resized, "
                + "converted and normalised as the model was trained; the MSE is measured on the normalised inputs (the "
                + "training loss's space), the pictures show pixels in [0, 1].")
final class ReconstructCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.safetensors written by cae4j train.")
    Path model;

    @Option(names = "--data", defaultValue = DataOption.EMBEDDED, paramLabel = "PATH", description = DataOption.DESCRIPTION)
    String data;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write reconstructions.png. Default: <model folder>/reconstruct.")
    Path out;

    @Option(names = "--count", defaultValue = "16", paramLabel = "N", description = "Images shown. Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--batch-size", defaultValue = "256", paramLabel = "B", description = "Images per forward pass. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads. Default: the number of cores.")
    Integer threads;

    @CommandLine.Mixin
    ImageShape shape;

    @Override
    public Integer call() throws IOException {
        if (count <= 0) throw new CommandLine.ParameterException(spec.commandLine(), "invalid value for --count: " + count + " (expected a positive number)");
        if (batchSize <= 0) throw new CommandLine.ParameterException(spec.commandLine(), "invalid value for --batch-size: " + batchSize + " (expected a positive number)");
        if (threads != null && threads <= 0) throw new CommandLine.ParameterException(spec.commandLine(), "invalid value for --threads: " + threads + " (expected a positive number)");
        ImageShape.Settings given = shape.parse(spec.commandLine());
        if (threads != null) Parallel.setThreads(threads);
        Path dir = out != null ? out : model.toAbsolutePath().getParent().resolve("reconstruct");
        Models.Loaded loaded = Models.load(model);
        Autoencoder ae = loaded.model();
        RunFolder.prepare(dir);
        Datasets.Split split = DataOption.forModel(data, given, loaded, model);
        ImageDataset images = split.hasTest() ? split.test() : split.train();
        int[] s = ae.inputShape();
        double mse = Trainer.evaluateMse(ae, images, batchSize);
        int shown = Math.min(count, images.size());
        int[] idx = new int[shown];
        for (int i = 0; i < shown; i++) idx[i] = i;
        Tensor x = new Tensor(shown, s[0], s[1], s[2]);
        images.copyBatch(idx, 0, shown, x.data);
        ae.train(false);
        Tensor y = RunFolder.pixels(ae.forward(x), images.normalization());
        Path png = dir.resolve("reconstructions.png");
        Pictures.reconstructions(png, RunFolder.pixels(x, images.normalization()), y, shown);
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "MSE %.6f per pixel%s over %d images of %s; wrote %s%n", mse,
                RunFolder.mseSpace(images.normalization()), images.size(), images.name(), png);
        o.flush();
        return 0;
    }
}
