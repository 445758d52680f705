package org.cae4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
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
import org.cae4j.io.AtomicFile;
import org.cae4j.io.Json;
import org.cae4j.model.Autoencoder;
import org.cae4j.model.Models;
import org.cae4j.ops.Parallel;
import org.cae4j.tensor.Tensor;
import org.cae4j.viz.Pictures;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cae4j score}: anomaly scores from reconstructions. Every image of the scored split gets its MSE and
 * 1 − mean SSIM; a threshold on the chosen score comes from normal validation images (the last fraction of the
 * training split, optionally only its images of one class); images above it are flagged.
 */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Anomaly scores: each image's reconstruction error as MSE and as 1 - mean SSIM (11x11 window, "
                + "Gaussian sigma 1.5 or uniform), a threshold from normal validation images (a quantile, or mean + k std), "
                + "and in --out: scores.csv, most_anomalous.png, least_anomalous.png, residuals.png and score.json."})
final class ScoreCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.safetensors trained on normal images.")
    Path model;

    @Option(names = "--data", defaultValue = DataOption.EMBEDDED, paramLabel = "PATH", description = DataOption.DESCRIPTION)
    String data;

    @Option(names = "--split", defaultValue = "test", paramLabel = "SPLIT", description = "The split to score: train or test. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--score", defaultValue = "mse", paramLabel = "NAME", description = "The score thresholded and ranked: "
            + "mse or ssim (1 - mean SSIM). Default: ${DEFAULT-VALUE}.")
    String score;

    @Option(names = "--ssim-window", defaultValue = "gaussian", paramLabel = "W", description = "gaussian (11x11, sigma 1.5, "
            + "Wang et al. 2004), uniform (11x11, Bergmann et al. 2019) or none (images smaller than 11x11). Default: ${DEFAULT-VALUE}.")
    String ssimWindow;

    @Option(names = "--quantile", paramLabel = "Q", description = "Threshold: the Q-quantile of the validation scores. "
            + "Default: 0.99 unless --k is given.")
    Double quantile;

    @Option(names = "--k", paramLabel = "K", description = "Threshold: mean + K standard deviations of the validation scores.")
    Double k;

    @Option(names = "--validation", defaultValue = "0.1", paramLabel = "F", description = "Fraction at the end of the training "
            + "split whose scores set the threshold (normal images; ideally not trained on). Default: ${DEFAULT-VALUE}.")
    double validation;

    @Option(names = "--normal-class", paramLabel = "C", description = "Only images of class C are normal: the threshold uses "
            + "validation images of class C, and the ROC AUC of the scored split with C normal is reported.")
    Integer normalClass;

    @Option(names = "--show", defaultValue = "16", paramLabel = "N", description = "Images in each picture. Default: ${DEFAULT-VALUE}.")
    int show;

    @Option(names = "--batch-size", defaultValue = "256", paramLabel = "B", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads. Default: the number of cores.")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: runs/score-<date>-<time>.")
    Path out;

    @CommandLine.Mixin
    ImageShape shape;

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        if (!split.equals("train") && !split.equals("test")) throw new CommandLine.ParameterException(cl, "invalid value for --split: '" + split + "' (expected train or test)");
        Ssim.Window window = null;
        if (!ssimWindow.equals("none")) {
            try {
                window = Ssim.Window.parse(ssimWindow);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, "invalid value for --ssim-window: '" + ssimWindow + "' (expected gaussian, uniform or none)");
            }
        }
        if (!score.equals("mse") && !score.equals("ssim")) throw new CommandLine.ParameterException(cl, "invalid value for --score: '" + score + "' (expected mse or ssim)");
        if (score.equals("ssim") && window == null) throw new CommandLine.ParameterException(cl, "--score ssim needs an SSIM window, not --ssim-window none");
        if (quantile != null && k != null) throw new CommandLine.ParameterException(cl, "--quantile and --k are mutually exclusive (one threshold rule)");
        if (quantile != null && !(quantile >= 0 && quantile <= 1)) throw new CommandLine.ParameterException(cl, "invalid value for --quantile: " + quantile + " (expected 0 to 1)");
        if (k != null && !Double.isFinite(k)) throw new CommandLine.ParameterException(cl, "invalid value for --k: " + k + " (expected a finite number)");
        if (!(validation > 0 && validation < 1)) throw new CommandLine.ParameterException(cl, "invalid value for --validation: " + validation + " (expected a fraction strictly between 0 and 1)");
        if (show < 1) throw new CommandLine.ParameterException(cl, "invalid value for --show: " + show + " (expected a positive number)");
        if (batchSize < 1) throw new CommandLine.ParameterException(cl, "invalid value for --batch-size: " + batchSize + " (expected a positive number)");
        if (threads != null && threads < 1) throw new CommandLine.ParameterException(cl, "invalid value for --threads: " + threads + " (expected a positive number)");
        if (normalClass != null && (normalClass < 0 || normalClass > 255)) throw new CommandLine.ParameterException(cl, "invalid value for --normal-class: " + normalClass + " (expected a label 0..255)");
        ImageShape.Settings given = shape.parse(cl);
        if (threads != null) Parallel.setThreads(threads);
        double q = quantile != null ? quantile : 0.99;

        Models.Loaded loaded = Models.load(model);
        Autoencoder ae = loaded.model();
        Datasets.Split s = DataOption.withTest(DataOption.forModel(data, given, loaded, model), 0.1);
        ImageDataset scored = split.equals("train") ? s.train() : s.test();
        if (window != null && (scored.height() < Ssim.SIZE || scored.width() < Ssim.SIZE)) {
            throw new IllegalArgumentException(scored.name() + ": images are " + scored.height() + "x" + scored.width()
                    + ", smaller than the 11x11 SSIM window; use --ssim-window none");
        }
        if (normalClass != null && !scored.hasLabels()) throw new IllegalArgumentException(scored.name() + ": --normal-class needs labelled images");
        int nVal = (int) Math.round(s.train().size() * validation);
        if (nVal < 1) throw new IllegalArgumentException(s.train().name() + ": no validation images at fraction " + validation);
        ImageDataset val = s.train().slice(s.train().size() - nVal, s.train().size());
        if (normalClass != null) val = val.withLabel(normalClass);
        Path dir = Outputs.folder(out, "score");
        RunFolder.prepare(dir);
        PrintWriter o = cl.getOut();

        ReconstructionScores.Scores vs = ReconstructionScores.score(ae, val, batchSize, window);
        ReconstructionScores.Scores ts = ReconstructionScores.score(ae, scored, batchSize, window);
        double[] v = vs.get(score), t = ts.get(score);
        double threshold = k != null ? ReconstructionScores.meanPlusK(v, k) : ReconstructionScores.quantile(v, q);
        String rule = k != null ? "mean + " + Outputs.num(k) + " std" : Outputs.num(q) + " quantile";
        int flagged = 0;
        for (double x : t) if (x > threshold) flagged++;

        StringBuilder csv = new StringBuilder("index,label,mse,ssim_score,anomalous\n");
        for (int i = 0; i < t.length; i++) {
            csv.append(i).append(',').append(scored.hasLabels() ? Integer.toString(scored.label(i)) : "").append(',')
                    .append(String.format(Locale.ROOT, "%.8g", ts.mse()[i])).append(',')
                    .append(ts.ssim() == null ? "" : String.format(Locale.ROOT, "%.8g", ts.ssim()[i])).append(',')
                    .append(t[i] > threshold ? 1 : 0).append('\n');
        }
        AtomicFile.writeString(dir.resolve("scores.csv"), csv.toString());

        Integer[] order = new Integer[t.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(t[b], t[a])); // most anomalous first; stable for ties
        int m = Math.min(show, t.length);
        int[] most = new int[m], least = new int[m];
        for (int i = 0; i < m; i++) {
            most[i] = order[i];
            least[i] = order[t.length - 1 - i];
        }
        picture(dir.resolve("most_anomalous.png"), ae, scored, most, t, "The " + m + " most anomalous images by " + score, true);
        picture(dir.resolve("least_anomalous.png"), ae, scored, least, t, "The " + m + " least anomalous images by " + score, true);
        picture(dir.resolve("residuals.png"), ae, scored, most, t, "Residual heat maps of the " + m + " most anomalous images", false);

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("model", model.toString());
        summary.put("scored", scored.name());
        summary.put("images", t.length);
        summary.put("score", score);
        summary.put("ssim_window", window == null ? null : window.cliName());
        summary.put("validation", val.name());
        summary.put("validation_images", v.length);
        summary.put("threshold_rule", rule);
        summary.put("threshold", threshold);
        summary.put("flagged", flagged);
        o.printf(Locale.ROOT, "scored %d images of %s: %s mean %.6g (validation %s, %d images: mean %.6g)%s%n", t.length,
                scored.name(), score, mean(t), val.name(), v.length, mean(v),
                score.equals("mse") ? RunFolder.mseSpace(scored.normalization()) : "");
        o.printf(Locale.ROOT, "threshold %.6g (%s of the validation scores): %d of %d images flagged anomalous (%.2f%%)%n",
                threshold, rule, flagged, t.length, 100.0 * flagged / t.length);
        if (normalClass != null) {
            boolean[] anomalous = new boolean[t.length];
            for (int i = 0; i < t.length; i++) anomalous[i] = scored.label(i) != normalClass;
            for (String name : window == null ? List.of("mse") : List.of("mse", "ssim")) {
                double auc = Roc.auc(ts.get(name), anomalous);
                summary.put("auc_" + name, auc);
                o.printf(Locale.ROOT, "ROC AUC with class %d normal, by %s: %.4f%n", normalClass, name, auc);
            }
        }
        AtomicFile.writeString(dir.resolve("score.json"), Json.write(summary) + "\n");
        o.printf("wrote %s: scores.csv, most_anomalous.png, least_anomalous.png, residuals.png, score.json%n", dir);
        o.flush();
        return 0;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    private static void picture(Path png, Autoencoder ae, ImageDataset d, int[] idx, double[] scores, String title,
                                boolean withImages) throws IOException {
        int[] s = ae.inputShape();
        Tensor x = new Tensor(idx.length, s[0], s[1], s[2]);
        d.copyBatch(idx, 0, idx.length, x.data);
        boolean training = ae.isTraining();
        ae.train(false);
        Tensor y = RunFolder.pixels(ae.forward(x), d.normalization());
        ae.train(training);
        String[] captions = new String[idx.length];
        for (int i = 0; i < idx.length; i++) {
            captions[i] = String.format(Locale.ROOT, "#%d%s %.3g", idx[i], d.hasLabels() ? " (" + d.label(idx[i]) + ")" : "",
                    scores[idx[i]]);
        }
        Pictures.residuals(png, RunFolder.pixels(x, d.normalization()), y, captions, title, withImages);
    }
}
