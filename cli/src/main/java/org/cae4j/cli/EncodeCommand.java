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
import org.cae4j.ops.AdaptivePool;
import org.cae4j.tensor.Tensor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cae4j encode}: the code (encoder output) of every image, optionally pooled to a small grid per map, as
 * .npy or CSV, batch by batch so a large data set never sits in memory as features.
 */
@Command(name = "encode", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes the encoder's output (the code) of every image as features: FILE.npy (float32, "
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

    @Option(names = "--pool", defaultValue = "0", paramLabel = "S", description = "Pool each map to S x S (0: no pooling). Default: ${DEFAULT-VALUE}.")
    int pool;

    @Option(names = "--pool-type", defaultValue = "avg", paramLabel = "TYPE", description = "avg or max. Default: ${DEFAULT-VALUE}.")
    String poolType;

    @Option(names = "--batch-size", defaultValue = "256", paramLabel = "B", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "features.npy or features.csv.")
    Path out;

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
        Autoencoder ae = Models.load(model).model();
        Datasets.Split s = DataOption.load(data);
        ImageDataset images = split.equals("train") || !s.hasTest() ? s.train() : s.test();
        DataOption.checkMatches(images, ae, model);
        int[] code = ae.codeShape();
        if (pool > 0 && (code.length != 3 || pool > code[1] || pool > code[2])) {
            throw new CommandLine.ParameterException(cl, "invalid value for --pool: " + pool + " (the code is "
                    + java.util.Arrays.toString(code) + "; pooling needs maps at least " + pool + "x" + pool + ")");
        }
        int features = pool > 0 ? code[0] * pool * pool : (int) Tensor.numel(code);
        int n = images.size();
        int[] in = ae.inputShape();
        int bs = Math.min(batchSize, n);
        Tensor x = new Tensor(bs, in[0], in[1], in[2]);
        float[] feats = new float[bs * features];
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        ae.train(false);
        AtomicFile.write(out, ch -> {
            StringBuilder csv = new StringBuilder();
            if (npy) {
                AtomicFile.writeFully(ch, Npy.header("<f4", n, features));
            } else {
                if (images.hasLabels()) csv.append("label,");
                for (int f = 0; f < features; f++) csv.append(f == 0 ? "" : ",").append('f').append(f);
                csv.append('\n');
                AtomicFile.writeFully(ch, ByteBuffer.wrap(csv.toString().getBytes(StandardCharsets.UTF_8)));
            }
            for (int from = 0; from < n; from += bs) {
                int count = Math.min(bs, n - from);
                Tensor xb = count == bs ? x : new Tensor(count, in[0], in[1], in[2]);
                images.copyBatch(all, from, count, xb.data);
                Tensor z = ae.encode(xb);
                if (pool > 0) {
                    AdaptivePool.adaptivePool2dForward(feats, z.data, count, code[0], code[1], code[2], pool, pool, poolType.equals("max"));
                } else {
                    System.arraycopy(z.data, 0, feats, 0, count * features);
                }
                if (npy) {
                    Npy.writeFloats(ch, feats, 0, count * features);
                } else {
                    csv.setLength(0);
                    for (int i = 0; i < count; i++) {
                        if (images.hasLabels()) csv.append(images.label(from + i)).append(',');
                        for (int f = 0; f < features; f++) csv.append(f == 0 ? "" : ",").append(feats[i * features + f]);
                        csv.append('\n');
                    }
                    AtomicFile.writeFully(ch, ByteBuffer.wrap(csv.toString().getBytes(StandardCharsets.UTF_8)));
                }
            }
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
        cl.getOut().printf(Locale.ROOT, "wrote %d x %d features of %s to %s%s%n", n, features, images.name(), out,
                labels == null ? "" : " and labels to " + labels);
        cl.getOut().flush();
        return 0;
    }
}
