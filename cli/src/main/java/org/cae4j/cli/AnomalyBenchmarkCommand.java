package org.cae4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cae4j.anomaly.ReconstructionScores;
import org.cae4j.anomaly.Roc;
import org.cae4j.anomaly.Ssim;
import org.cae4j.data.Datasets;
import org.cae4j.data.ImageDataset;
import org.cae4j.data.Normalization;
import org.cae4j.io.AtomicFile;
import org.cae4j.loss.MseLoss;
import org.cae4j.model.Autoencoder;
import org.cae4j.model.Models;
import org.cae4j.ops.Parallel;
import org.cae4j.optim.Adam;
import org.cae4j.tensor.Rng;
import org.cae4j.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cae4j anomaly-benchmark}: the one-class protocol of the anomaly-detection literature on a labelled data
 * set (e.g. Ruff et al., "Deep one-class classification", 2018, on MNIST and CIFAR-10): for each class c, an
 * autoencoder is trained on the training images of class c alone, every test image is scored by its
 * reconstruction error, and the ROC AUC of those scores with class c normal and all other classes anomalous is
 * reported; the table ends with the mean over classes.
 */
@Command(name = "anomaly-benchmark", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"One-class anomaly benchmark: for each class c, trains a fresh autoencoder on the training images of "
                + "class c only, scores the whole test split by reconstruction error (MSE and 1 - mean SSIM) and reports the "
                + "ROC AUC with c normal; prints the per-class table and the mean, and writes benchmark.csv and roc.png to --out."})
final class AnomalyBenchmarkCommand implements Callable<Integer> {
    /** Where {@code --data fashion-mnist} looks (Debian's dataset-fashion-mnist package). */
    static final String FASHION_MNIST = "/usr/share/datasets/fashion-mnist";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", defaultValue = "fashion-mnist", paramLabel = "PATH", description = "fashion-mnist (the data in "
            + FASHION_MNIST + "), embedded (the bundled subset), or an IDX directory with labelled train and test splits. "
            + "Default: ${DEFAULT-VALUE}.")
    String data;

    @Option(names = "--preset", defaultValue = "seed", description = "seed, bottleneck, keras or dense (as train --preset, "
            + "with their default settings, MSE loss). Default: ${DEFAULT-VALUE}.")
    String preset;

    @Option(names = "--epochs", defaultValue = "5", paramLabel = "E", description = "Epochs per class. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "64", paramLabel = "B", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--lr", defaultValue = "1e-3", paramLabel = "LR", description = "Adam's learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of every class's run. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--classes", paramLabel = "LIST", description = "Normal classes to run, e.g. 0,3,7. Default: every class.")
    String classes;

    @Option(names = "--train-limit", paramLabel = "N", description = "Train on at most the first N images of each class "
            + "(a quicker run). Default: all.")
    Integer trainLimit;

    @Option(names = "--ssim-window", defaultValue = "gaussian", paramLabel = "W", description = "gaussian, uniform or none. "
            + "Default: ${DEFAULT-VALUE}.")
    String ssimWindow;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads. Default: the number of cores.")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: runs/anomaly-<preset>-<date>-<time>.")
    Path out;

    @CommandLine.Mixin
    NormalizeOptions normalization;

    @CommandLine.Mixin
    ImageShape shape;

    static final List<String> PRESETS = List.of("seed", "bottleneck", "keras", "dense");

    /** The default architecture metadata of a preset for images d×h×w. */
    static Map<String, String> presetMetadata(String preset, int d, int h, int w) {
        return presetMetadata(preset, d, h, w, "sigmoid");
    }

    /** The same, the seed preset's decoder ending with {@code decoderActivation}. */
    static Map<String, String> presetMetadata(String preset, int d, int h, int w, String decoderActivation) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("preset", preset);
        m.put("input", d + "x" + h + "x" + w);
        switch (preset) {
            case "seed":
                m.put("filters", "16");
                m.put("kernel", "5");
                m.put("stride", "1");
                m.put("encoder_activation", "tanh");
                m.put("decoder_activation", decoderActivation);
                m.put("init", "pytorch");
                break;
            case "bottleneck": m.put("code", "20"); break;
            default: break;
        }
        return m;
    }

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        if (!PRESETS.contains(preset)) throw new CommandLine.ParameterException(cl, "invalid value for --preset: '" + preset + "' (available: " + String.join(", ", PRESETS) + ")");
        if (epochs < 1) throw new CommandLine.ParameterException(cl, "invalid value for --epochs: " + epochs + " (expected a positive number)");
        if (batchSize < 1) throw new CommandLine.ParameterException(cl, "invalid value for --batch-size: " + batchSize + " (expected a positive number)");
        if (!(lr > 0) || !Double.isFinite(lr)) throw new CommandLine.ParameterException(cl, "invalid value for --lr: " + lr + " (expected a positive number)");
        if (trainLimit != null && trainLimit < 1) throw new CommandLine.ParameterException(cl, "invalid value for --train-limit: " + trainLimit + " (expected a positive number)");
        if (threads != null && threads < 1) throw new CommandLine.ParameterException(cl, "invalid value for --threads: " + threads + " (expected a positive number)");
        Ssim.Window window = null;
        if (!ssimWindow.equals("none")) {
            try {
                window = Ssim.Window.parse(ssimWindow);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, "invalid value for --ssim-window: '" + ssimWindow + "' (expected gaussian, uniform or none)");
            }
        }
        List<Integer> wanted = classes == null ? null : Outputs.list(cl, "--classes", classes, s -> {
            int c = Integer.parseInt(s);
            if (c < 0 || c > 255) throw new IllegalArgumentException("expected a label 0..255");
            return c;
        });
        ImageShape.Settings shaped = shape.parse(cl);
        NormalizeOptions.Choice choice = normalization.parse(cl);
        // as train: the seed preset's output follows the normalization (tanh for [-1, 1], identity for mean/std)
        String output = choice.kind().equals("unit") ? "sigmoid" : choice.kind().equals("symmetric") ? "tanh" : "identity";
        if (threads != null) Parallel.setThreads(threads);

        Datasets.Split split = DataOption.load(data.equals("fashion-mnist") ? FASHION_MNIST : data, shaped, 0);
        if (!split.hasTest() || !split.train().hasLabels() || !split.test().hasLabels()) {
            throw new IllegalArgumentException(split.train().name() + ": the one-class benchmark needs labelled train and test splits");
        }
        ImageDataset train = split.train(), test = split.test();
        if (window != null && (test.height() < Ssim.SIZE || test.width() < Ssim.SIZE)) {
            throw new IllegalArgumentException(test.name() + ": images are " + test.height() + "x" + test.width()
                    + ", smaller than the 11x11 SSIM window; use --ssim-window none");
        }
        List<Integer> present = new ArrayList<>();
        for (int c = 0; c < 256; c++) {
            for (int i = 0; i < train.size(); i++) {
                if (train.label(i) == c) {
                    present.add(c);
                    break;
                }
            }
        }
        if (wanted != null) {
            for (int c : wanted) {
                if (!present.contains(c)) throw new CommandLine.ParameterException(cl, "invalid value for --classes: " + c + " (the training split has classes " + present + ")");
            }
        }
        List<Integer> run = wanted != null ? wanted : present;
        Path dir = Outputs.folder(out, "anomaly-" + preset);
        RunFolder.prepare(dir);
        PrintWriter o = cl.getOut();
        o.printf(Locale.ROOT, "one-class benchmark: preset %s, %d epochs, batch %d, Adam lr %s, seed %d, %d threads; train %s; "
                + "test %s; inputs %s -> %s%n", preset, epochs, batchSize, Outputs.num(lr), seed, Parallel.threads(), train, test,
                choice.kind().equals("mean-std") && choice.given() == null ? "normalised by each class's mean and std"
                        : "normalised " + choice.resolve(train), dir);
        o.printf("%-18s %7s %9s %9s %8s%n", "normal class", "train", "AUC mse", "AUC ssim", "seconds");
        o.flush();

        long start = System.nanoTime();
        List<String> names = new ArrayList<>();
        List<Roc.Point[]> curves = new ArrayList<>();
        List<Double> aucMse = new ArrayList<>(), aucSsim = new ArrayList<>();
        StringBuilder csv = new StringBuilder("class,name,train_images,auc_mse,auc_ssim,seconds\n");
        for (int c : run) {
            long t0 = System.nanoTime();
            ImageDataset normal = train.withLabel(c);
            if (trainLimit != null && trainLimit < normal.size()) normal = normal.subset(trainLimit);
            int bs = Math.min(batchSize, normal.size());
            // mean-std from the normal class's training images, the only images the model may see
            Normalization norm = choice.resolve(normal);
            Rng rng = new Rng(seed);
            Autoencoder model = Models.fromMetadata(presetMetadata(preset, train.channels(), train.height(), train.width(), output), rng);
            if (c == run.get(0)) {
                String warning = OutputRange.warning(model, norm, train.channels(), "the " + preset + " preset's output is fixed;"
                        + " train one with --arch ending with");
                if (warning != null) cl.getErr().println("warning: " + warning);
            }
            Trainer trainer = new Trainer(model, Adam.adam(model.parameters(), lr), new MseLoss(), Trainer.Config.of(epochs, bs));
            trainer.fit(normal.withNormalization(norm), null, rng, null);
            ReconstructionScores.Scores s = ReconstructionScores.score(model, test.withNormalization(norm), 256, window);
            boolean[] anomalous = new boolean[test.size()];
            for (int i = 0; i < anomalous.length; i++) anomalous[i] = test.label(i) != c;
            double am = Roc.auc(s.mse(), anomalous), as = window == null ? Double.NaN : Roc.auc(s.ssim(), anomalous);
            double sec = (System.nanoTime() - t0) / 1e9;
            String name = Charts.className(train.name(), c);
            names.add(name);
            curves.add(Roc.curve(s.mse(), anomalous));
            aucMse.add(am);
            aucSsim.add(as);
            o.printf(Locale.ROOT, "%-18s %7d %9.4f %9s %8.1f%n", name, normal.size(), am, window == null ? "-" : String.format(Locale.ROOT, "%.4f", as), sec);
            o.flush();
            csv.append(String.format(Locale.ROOT, "%d,%s,%d,%.6f,%s,%.1f%n", c, name.replace(',', ' '), normal.size(), am,
                    window == null ? "" : String.format(Locale.ROOT, "%.6f", as), sec));
        }
        double mm = aucMse.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double ms = aucSsim.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double total = (System.nanoTime() - start) / 1e9;
        o.printf(Locale.ROOT, "%-18s %7s %9.4f %9s %8.1f%n", "mean", "", mm, window == null ? "-" : String.format(Locale.ROOT, "%.4f", ms), total);
        csv.append(String.format(Locale.ROOT, "mean,,,%.6f,%s,%.1f%n", mm, window == null ? "" : String.format(Locale.ROOT, "%.6f", ms), total));
        AtomicFile.writeString(dir.resolve("benchmark.csv"), csv.toString());
        Charts.roc(dir.resolve("roc.png"), String.format(Locale.ROOT, "One-class ROC by reconstruction MSE (%s, %d epoch%s): mean AUC %.4f",
                preset, epochs, epochs == 1 ? "" : "s", mm), names, curves, aucMse);
        o.printf("wrote %s: benchmark.csv, roc.png%n", dir);
        o.flush();
        return 0;
    }
}
