package org.cae4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cae4j.data.Datasets;
import org.cae4j.data.ImageDataset;
import org.cae4j.features.Features;
import org.cae4j.io.AtomicFile;
import org.cae4j.model.Autoencoder;
import org.cae4j.model.Models;
import org.cae4j.ops.Parallel;
import org.cae4j.probe.Lbfgs;
import org.cae4j.probe.LogisticRegression;
import org.cae4j.probe.Standardizer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cae4j probe}: how linearly separable the classes are in a model's features. A multinomial logistic
 * regression (L2, on standardised features, fitted by L-BFGS) is trained on the training split's features and
 * tested on the test split; the same probe on raw pixels is the baseline. Given several layers, pool sizes, pool
 * types or L2 strengths, each combination is fitted on the training split less its last --validation fraction
 * and scored on that fraction, and only the best is refitted on the whole training split and tested: the test
 * split is never used to choose.
 */
@Command(name = "probe", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Linear probe: trains an L2-regularised multinomial logistic regression on standardised features "
                + "of the training images, reports its test accuracy and writes a confusion matrix, and does the same on "
                + "raw pixels for comparison.",
                "Lists (comma-separated) of --layer, --pool, --pool-type and --l2 are searched on a validation split "
                + "carved from the end of the training split; the best is refitted on all training images and tested."})
final class ProbeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.safetensors.")
    Path model;

    @Option(names = "--data", defaultValue = DataOption.EMBEDDED, paramLabel = "PATH", description = DataOption.DESCRIPTION)
    String data;

    @Option(names = "--layer", defaultValue = "code", paramLabel = "NAMES", description = "Layers to probe, as for encode "
            + "--layer (code, input, an encoder layer number such as 0, or a state_dict prefix). Default: ${DEFAULT-VALUE}.")
    String layers;

    @Option(names = "--pool", defaultValue = "auto", paramLabel = "SIZES", description = "Pool each map to S x S (0: not "
            + "pooled; auto: 8 for maps of at least 8x8, else not pooled). Default: ${DEFAULT-VALUE}.")
    String pools;

    @Option(names = "--pool-type", defaultValue = "avg", paramLabel = "TYPES", description = "avg, max or both as avg,max. "
            + "Default: ${DEFAULT-VALUE}.")
    String poolTypes;

    @Option(names = "--l2", defaultValue = "1e-4,1e-3,1e-2", paramLabel = "LAMBDAS", description = "L2 strengths λ of "
            + "mean cross-entropy + λ/2·|W|² (scikit-learn's C = 1/(λ·N)). Default: ${DEFAULT-VALUE}.")
    String l2s;

    @Option(names = "--pixels-l2", paramLabel = "LAMBDAS", description = "L2 strengths tried for the raw-pixel baseline. "
            + "Default: those of --l2.")
    String pixelsL2s;

    @Option(names = "--validation", defaultValue = "0.1", paramLabel = "F", description = "Fraction at the end of the "
            + "training split used to choose among several settings. Default: ${DEFAULT-VALUE}.")
    double validation;

    @Option(names = "--max-iterations", defaultValue = "150", paramLabel = "N", description = "L-BFGS iterations at most. "
            + "Default: ${DEFAULT-VALUE}.")
    int maxIterations;

    @Option(names = "--no-pixels", description = "Skip the raw-pixel baseline.")
    boolean noPixels;

    @Option(names = "--train-limit", paramLabel = "N", description = "Use only the first N training images (a quicker probe). "
            + "Default: all.")
    Integer trainLimit;

    @Option(names = "--batch-size", defaultValue = "256", paramLabel = "B", description = "Images encoded at a time. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads. Default: the number of cores.")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder for probe.csv, confusion.png and "
            + "confusion-pixels.png. Default: runs/probe-<date>-<time>.")
    Path out;

    @CommandLine.Mixin
    ImageShape shape;

    /** One setting tried: a layer, its pooling, an L2 strength. */
    record Candidate(String layer, int pool, Features.Pooling pooling, double l2) {}

    /** A fitted and scored setting. */
    record Outcome(String what, Candidate c, String layerName, int features, double validationAccuracy, double testAccuracy,
                   int iterations, double seconds, int[][] confusion) {}

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        List<String> layerList = Outputs.list(cl, "--layer", layers, s -> s);
        List<Integer> poolList = Outputs.list(cl, "--pool", pools, s -> {
            if (s.equals("auto")) return -1;
            int p = Integer.parseInt(s);
            if (p < 0) throw new IllegalArgumentException("expected a size >= 0 or auto");
            return p;
        });
        List<Features.Pooling> typeList = Outputs.list(cl, "--pool-type", poolTypes, Features.Pooling::parse);
        List<Double> l2List = Outputs.list(cl, "--l2", l2s, s -> {
            double v = Double.parseDouble(s);
            if (!(v >= 0) || !Double.isFinite(v)) throw new IllegalArgumentException("expected a number >= 0");
            return v;
        });
        List<Double> pixelL2List = pixelsL2s == null ? l2List : Outputs.list(cl, "--pixels-l2", pixelsL2s, s -> {
            double v = Double.parseDouble(s);
            if (!(v >= 0) || !Double.isFinite(v)) throw new IllegalArgumentException("expected a number >= 0");
            return v;
        });
        if (!(validation > 0 && validation < 1)) {
            throw new CommandLine.ParameterException(cl, "invalid value for --validation: " + validation
                    + " (expected a fraction strictly between 0 and 1)");
        }
        if (maxIterations < 1) throw new CommandLine.ParameterException(cl, "invalid value for --max-iterations: " + maxIterations + " (expected a positive number)");
        if (batchSize < 1) throw new CommandLine.ParameterException(cl, "invalid value for --batch-size: " + batchSize + " (expected a positive number)");
        if (threads != null && threads < 1) throw new CommandLine.ParameterException(cl, "invalid value for --threads: " + threads + " (expected a positive number)");
        if (trainLimit != null && trainLimit < 2) throw new CommandLine.ParameterException(cl, "invalid value for --train-limit: " + trainLimit + " (expected at least 2)");
        ImageShape.Settings given = shape.parse(cl);
        if (threads != null) Parallel.setThreads(threads);

        Models.Loaded loaded = Models.load(model);
        Autoencoder ae = loaded.model();
        List<Candidate> candidates = new ArrayList<>();
        for (String layer : layerList) {
            for (int pool : poolList) {
                for (Features.Pooling type : typeList) {
                    Features f = features(cl, ae, layer, pool, type);
                    for (double l2 : l2List) {
                        Candidate c = new Candidate(layer, f.pool(), type, l2);
                        if (!candidates.contains(c)) candidates.add(c);
                    }
                }
            }
        }
        Datasets.Split s = DataOption.withTest(DataOption.forModel(data, given, loaded, model), 0.1);
        ImageDataset train = s.train(), test = s.test();
        if (trainLimit != null && trainLimit < train.size()) train = train.subset(trainLimit);
        if (!train.hasLabels() || !test.hasLabels()) {
            throw new IllegalArgumentException(train.name() + ": a probe needs labelled training and test images");
        }
        Path dir = Outputs.folder(out, "probe");
        RunFolder.prepare(dir);
        PrintWriter o = cl.getOut();
        Lbfgs.Config cfg = new Lbfgs.Config(maxIterations, 1e-5, 1e-9, 10);
        o.printf(Locale.ROOT, "probe of %s: train %s, test %s, %d threads -> %s%n", model, train, test, Parallel.threads(), dir);
        o.flush();

        List<Outcome> rows = new ArrayList<>();
        Outcome best = evaluate("features", ae, candidates, train, test, cfg, rows, o);
        Outcome pixels = null;
        if (!noPixels) {
            List<Candidate> raw = new ArrayList<>();
            for (double l2 : pixelL2List) raw.add(new Candidate("input", 0, Features.Pooling.AVG, l2));
            pixels = evaluate("pixels", ae, raw, train, test, cfg, rows, o);
        }

        StringBuilder csv = new StringBuilder("representation,layer,pool,pool_type,features,l2,validation_accuracy,"
                + "test_accuracy,iterations,seconds\n");
        for (Outcome r : rows) {
            csv.append(String.format(Locale.ROOT, "%s,%s,%d,%s,%d,%s,%s,%s,%d,%.1f%n",
                    r.what(),
                    r.c().layer(), r.c().pool(), r.c().pool() > 0 ? r.c().pooling().cliName() : "", r.features(), Outputs.num(r.c().l2()),
                    Double.isNaN(r.validationAccuracy()) ? "" : String.format(Locale.ROOT, "%.4f", r.validationAccuracy()),
                    Double.isNaN(r.testAccuracy()) ? "" : String.format(Locale.ROOT, "%.4f", r.testAccuracy()),
                    r.iterations(), r.seconds()));
        }
        AtomicFile.writeString(dir.resolve("probe.csv"), csv.toString());
        Charts.confusion(dir.resolve("confusion.png"), best.confusion(), test.name(), String.format(Locale.ROOT,
                "Linear probe on layer %s: test accuracy %.2f%%", best.layerName(), 100 * best.testAccuracy()));
        o.printf(Locale.ROOT, "test accuracy %.4f on features (layer %s, %s, %d features, l2 %s)%n", best.testAccuracy(),
                best.layerName(), best.c().pool() > 0 ? best.c().pooling().cliName() + "-pooled to " + best.c().pool() + "x"
                        + best.c().pool() : "not pooled", best.features(), Outputs.num(best.c().l2()));
        if (pixels != null) {
            Charts.confusion(dir.resolve("confusion-pixels.png"), pixels.confusion(), test.name(), String.format(Locale.ROOT,
                    "Linear probe on raw pixels: test accuracy %.2f%%", 100 * pixels.testAccuracy()));
            o.printf(Locale.ROOT, "test accuracy %.4f on raw pixels (%d features, l2 %s)%n", pixels.testAccuracy(),
                    pixels.features(), Outputs.num(pixels.c().l2()));
        }
        o.printf("wrote %s: probe.csv, confusion.png%s%n", dir, pixels != null ? ", confusion-pixels.png" : "");
        o.flush();
        return 0;
    }

    private Features features(CommandLine cl, Autoencoder ae, String layer, int pool, Features.Pooling type) {
        try {
            if (pool < 0) { // auto
                int[] shape = Features.of(ae, layer, 0, type).layerShape();
                pool = shape.length == 3 && shape[1] >= 8 && shape[2] >= 8 ? 8 : 0;
            }
            return Features.of(ae, layer, pool, type);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "invalid value for " + (e.getMessage().startsWith("unknown layer")
                    ? "--layer" : "--pool") + ": " + e.getMessage());
        }
    }

    /**
     * Chooses among {@code candidates} on the validation split (when there are several), refits the best on all of
     * {@code train} and tests it; every fit is appended to {@code rows}.
     */
    private Outcome evaluate(String what, Autoencoder ae, List<Candidate> candidates, ImageDataset train, ImageDataset test,
                             Lbfgs.Config cfg, List<Outcome> rows, PrintWriter o) {
        int[] yTrain = labels(train), yTest = labels(test);
        int classes = Math.max(Arrays.stream(yTrain).max().getAsInt(), Arrays.stream(yTest).max().getAsInt()) + 1;
        Candidate chosen = candidates.get(0);
        if (candidates.size() > 1) {
            int nVal = (int) Math.round(train.size() * validation), nFit = train.size() - nVal;
            if (nVal < 1 || nFit < 2) {
                throw new IllegalArgumentException(train.name() + ": " + train.size() + " images leave no validation split "
                        + "of fraction " + validation);
            }
            int[] yFit = Arrays.copyOf(yTrain, nFit), yVal = Arrays.copyOfRange(yTrain, nFit, train.size());
            o.printf(Locale.ROOT, "%s: choosing among %d settings on a validation split of %d images (fit on %d)%n", what,
                    candidates.size(), nVal, nFit);
            double bestAcc = -1;
            Features current = null;
            float[] x = null, xVal = null;
            for (Candidate c : candidates) {
                Features f = Features.of(ae, c.layer(), c.pool(), c.pooling());
                if (current == null || !f.toString().equals(current.toString())) {
                    current = f;
                    x = f.matrix(train, batchSize);
                    Standardizer st = Standardizer.fit(x, nFit, f.size());
                    st.apply(x, train.size());
                    xVal = Arrays.copyOfRange(x, nFit * f.size(), train.size() * f.size());
                }
                long t0 = System.nanoTime();
                LogisticRegression lr = LogisticRegression.fit(x, yFit, nFit, f.size(), classes, c.l2(), cfg, null);
                double acc = LogisticRegression.accuracy(lr.predict(xVal, nVal), yVal);
                double sec = (System.nanoTime() - t0) / 1e9;
                rows.add(new Outcome(what, c, f.layerName(), f.size(), acc, Double.NaN, lr.result().iterations(), sec, null));
                o.printf(Locale.ROOT, "  layer %-22s pool %-8s %5d features  l2 %-6s  validation accuracy %.4f  (%d iterations, %.1f s)%n",
                        f.layerName(), c.pool() > 0 ? c.pool() + "x" + c.pool() + " " + c.pooling().cliName() : "none", f.size(),
                        Outputs.num(c.l2()), acc, lr.result().iterations(), sec);
                o.flush();
                if (acc > bestAcc) {
                    bestAcc = acc;
                    chosen = c;
                }
            }
        }
        Features f = Features.of(ae, chosen.layer(), chosen.pool(), chosen.pooling());
        float[] x = f.matrix(train, batchSize), xt = f.matrix(test, batchSize);
        Standardizer st = Standardizer.fit(x, train.size(), f.size());
        st.apply(x, train.size());
        st.apply(xt, test.size());
        long t0 = System.nanoTime();
        LogisticRegression lr = LogisticRegression.fit(x, yTrain, train.size(), f.size(), classes, chosen.l2(), cfg, null);
        int[] pred = lr.predict(xt, test.size());
        double acc = LogisticRegression.accuracy(pred, yTest), sec = (System.nanoTime() - t0) / 1e9;
        Outcome r = new Outcome(what, chosen, f.layerName(), f.size(), Double.NaN, acc, lr.result().iterations(), sec,
                LogisticRegression.confusion(yTest, pred, classes));
        rows.add(r);
        o.printf(Locale.ROOT, "%s: refitted on all %d training images: layer %s, %d features, l2 %s: test accuracy %.4f "
                + "(objective %.6f after %d iterations, %.1f s, %s)%n", what, train.size(), f.layerName(), f.size(),
                Outputs.num(chosen.l2()), acc, lr.result().value(), lr.result().iterations(), sec, lr.result().stop());
        o.flush();
        return r;
    }

    private static int[] labels(ImageDataset d) {
        int[] y = new int[d.size()];
        for (int i = 0; i < y.length; i++) y[i] = d.label(i);
        return y;
    }
}
