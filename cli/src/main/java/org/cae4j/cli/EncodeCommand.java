package org.cae4j.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cae4j.data.Datasets;
import org.cae4j.data.ImageDataset;
import org.cae4j.io.AtomicFile;
import org.cae4j.io.Npy;
import org.cae4j.model.Autoencoder;
import org.cae4j.model.Models;
import org.cae4j.features.Features;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cae4j encode}: the output of an encoder layer (by default the code) for every image, optionally pooled
 * to a small grid per map, as .npy or CSV, batch by batch so a large data set never sits in memory as features.
 */
@Command(name = "encode", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes the output of an encoder layer (by default the code) for every image as features: FILE.npy (float32, "
                + "N x F, plus FILE-labels.npy when the data has labels) or FILE.csv (label first when present).",
                "With --pool S each feature map is average- (or max-) pooled to an S x S grid first."})
final class EncodeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.safetensors.")
    Path model;

    @Option(names = "--data", defaultValue = DataOption.EMBEDDED, paramLabel = "PATH", description = DataOption.DESCRIPTION)
    String data;

    @Option(names = "--split", defaultValue = "test", paramLabel = "SPLIT", description = "train or test. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--layer", defaultValue = "code", paramLabel = "NAME", description = "Which layer's output: code (the "
            + "encoder's output), input (raw pixels), or an encoder layer by its number in the parameter names (0 is the "
            + "seed CAE's convolution, 0.weight; 1 its tanh), negative from the end, or its state_dict prefix (0.2 in a "
            + "model with nested names). Default: ${DEFAULT-VALUE}.")
    String layer;

    @Option(names = "--pool", defaultValue = "0", paramLabel = "S", description = "Pool each map to S x S (0: no pooling). Default: ${DEFAULT-VALUE}.")
    int pool;

    @Option(names = "--pool-type", defaultValue = "avg", paramLabel = "TYPE", description = "avg or max. Default: ${DEFAULT-VALUE}.")
    String poolType;

    @Option(names = "--batch-size", defaultValue = "256", paramLabel = "B", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "features.npy or features.csv.")
    Path out;

    @CommandLine.Mixin
    ImageShape shape;

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean npy = name.endsWith(".npy");
        if (!npy && !name.endsWith(".csv")) throw new CommandLine.ParameterException(cl, "invalid value for --out: " + out + " (expected a .npy or .csv file)");
        if (pool < 0) throw new CommandLine.ParameterException(cl, "invalid value for --pool: " + pool + " (expected >= 0)");
        if (batchSize <= 0) throw new CommandLine.ParameterException(cl, "invalid value for --batch-size: " + batchSize + " (expected a positive number)");
        if (!poolType.equals("avg") && !poolType.equals("max")) throw new CommandLine.ParameterException(cl, "invalid value for --pool-type: '" + poolType + "' (expected avg or max)");
        if (!split.equals("train") && !split.equals("test")) throw new CommandLine.ParameterException(cl, "invalid value for --split: '" + split + "' (expected train or test)");
        Features.Pooling pooling = Features.Pooling.parse(poolType);
        ImageShape.Settings given = shape.parse(cl);
        Models.Loaded loaded = Models.load(model);
        Autoencoder ae = loaded.model();
        Features f;
        try {
            f = Features.of(ae, layer, pool, pooling);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "invalid value for " + (e.getMessage().startsWith("unknown layer")
                    ? "--layer" : "--pool") + ": " + e.getMessage());
        }
        Datasets.Split s = DataOption.forModel(data, given, loaded, model);
        ImageDataset images = split.equals("train") || !s.hasTest() ? s.train() : s.test();
        int features = f.size();
        int n = images.size();
        AtomicFile.write(out, ch -> {
            StringBuilder csv = new StringBuilder();
            if (npy) {
                AtomicFile.writeFully(ch, Npy.header("<f4", n, features));
            } else {
                if (images.hasLabels()) csv.append("label,");
                for (int j = 0; j < features; j++) csv.append(j == 0 ? "" : ",").append('f').append(j);
                csv.append('\n');
                AtomicFile.writeFully(ch, ByteBuffer.wrap(csv.toString().getBytes(StandardCharsets.UTF_8)));
            }
            f.stream(images, batchSize, (from, count, feats) -> {
                if (npy) {
                    Npy.writeFloats(ch, feats, 0, count * features);
                } else {
                    csv.setLength(0);
                    for (int i = 0; i < count; i++) {
                        if (images.hasLabels()) csv.append(images.label(from + i)).append(',');
                        for (int j = 0; j < features; j++) csv.append(j == 0 ? "" : ",").append(feats[i * features + j]);
                        csv.append('\n');
                    }
                    AtomicFile.writeFully(ch, ByteBuffer.wrap(csv.toString().getBytes(StandardCharsets.UTF_8)));
                }
            });
        });
        Path labels = null;
        if (npy && images.hasLabels()) {
            labels = out.resolveSibling(out.getFileName().toString().replaceAll("(?i)\\.npy$", "") + "-labels.npy");
            AtomicFile.write(labels, ch -> {
                AtomicFile.writeFully(ch, Npy.header("|u1", n));
                byte[] lb = new byte[n];
                for (int i = 0; i < n; i++) lb[i] = (byte) images.label(i);
                AtomicFile.writeFully(ch, ByteBuffer.wrap(lb));
            });
        }
        cl.getOut().printf(Locale.ROOT, "wrote %d x %d features (%s) of %s to %s%s%n", n, features, f, images.name(), out,
                labels == null ? "" : " and labels to " + labels);
        cl.getOut().flush();
        return 0;
    }
}
