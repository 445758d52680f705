package org.cae4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cae4j.data.Normalization;
import org.cae4j.io.AtomicFile;
import org.cae4j.io.Json;

/**
 * {@code run.json}: the settings a training run was started with, so that {@code train --resume DIR} needs
 * nothing else (an {@code --arch} description is stored whole, under {@code arch}). Written once, atomically,
 * when a run starts.
 */
final class RunSettings {
    static final String FILE = "run.json";

    private RunSettings() {}

    static void write(Path file, TrainCommand t) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", t.data);
        m.put("preset", t.preset);
        // the description itself, so that --resume needs neither the file nor its unchanged content
        m.put("arch", t.archJson == null ? null : Json.parse(t.archJson));
        m.put("arch_file", t.arch == null ? null : t.arch.toString());
        m.put("code", t.code);
        m.put("hidden", t.hidden);
        m.put("latent", t.latent);
        m.put("rho", t.rho);
        m.put("beta", t.beta);
        m.put("tied", t.tied);
        m.put("noise", t.noise);
        m.put("noise_level", t.noiseLevel);
        // one count as a number (as before the stacked preset), several as a list
        m.put("filters", t.filters.length == 1 ? (Object) t.filters[0] : t.filters);
        if ("stacked".equals(t.preset)) {
            m.put("pretrain_epochs", t.pretrainEpochs);
            m.put("pooling", t.pooling);
        }
        m.put("kernel", t.kernel);
        m.put("stride", t.stride);
        m.put("encoder_activation", t.encoderActivation);
        m.put("decoder_activation", t.decoderActivation);
        m.put("init", t.init);
        m.put("loss", t.loss);
        m.put("optimizer", t.optimizer);
        m.put("lr", t.lr);
        m.put("momentum", t.momentum);
        m.put("nesterov", t.nesterov);
        m.put("weight_decay", t.weightDecay);
        m.put("epochs", t.epochs);
        m.put("batch_size", t.batchSize);
        m.put("seed", t.seed);
        m.put("holdout", t.holdout);
        m.put("checkpoint_every", t.checkpointEvery);
        m.put("keep_checkpoints", t.keepCheckpoints);
        // the normalization itself, so that a resumed run uses the same mean and std without recomputing them
        Normalization n = t.normalizationUsed;
        m.put("normalize", t.normalization.normalize);
        m.put("mean", n.kind() == Normalization.Kind.MEAN_STD ? values(n, true) : null);
        m.put("std", n.kind() == Normalization.Kind.MEAN_STD ? values(n, false) : null);
        m.put("resize", t.shape.resize);
        m.put("crop", t.shape.crop);
        m.put("channels", t.shape.channels);
        AtomicFile.writeString(file, Json.write(m) + "\n");
    }

    /** Sets {@code t}'s options from a run.json; throws naming the file and the bad entry. */
    static void read(Path file, TrainCommand t) {
        Map<?, ?> m;
        try {
            Object o = Json.parse(Files.readAllBytes(file));
            if (!(o instanceof Map)) throw new IllegalArgumentException("expected a JSON object");
            m = (Map<?, ?>) o;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file.getParent() + ": not a cae4j run folder (no " + FILE + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read (" + e.getMessage() + ")");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
        t.data = str(file, m, "data");
        t.preset = str(file, m, "preset");
        Object arch = m.get("arch");
        if (arch != null && !(arch instanceof Map)) {
            throw new IllegalArgumentException(file + ": 'arch' must be an object, got " + arch);
        }
        t.archJson = arch == null ? null : Json.write(arch);
        t.code = (int) num(file, m, "code");
        t.hidden = m.get("hidden") == null ? null : (int) num(file, m, "hidden");
        t.latent = (int) num(file, m, "latent");
        t.rho = num(file, m, "rho");
        t.beta = m.get("beta") == null ? null : num(file, m, "beta");
        t.tied = Boolean.TRUE.equals(m.get("tied"));
        t.noise = m.get("noise") == null ? null : str(file, m, "noise");
        t.noiseLevel = m.get("noise_level") == null ? null : num(file, m, "noise_level");
        t.filters = counts(file, m, "filters");
        t.pretrainEpochs = m.get("pretrain_epochs") == null ? null : (int) num(file, m, "pretrain_epochs");
        if (m.get("pooling") != null) t.pooling = str(file, m, "pooling");
        t.kernel = (int) num(file, m, "kernel");
        t.stride = (int) num(file, m, "stride");
        t.encoderActivation = str(file, m, "encoder_activation");
        t.decoderActivation = str(file, m, "decoder_activation");
        t.init = str(file, m, "init");
        t.loss = str(file, m, "loss");
        t.optimizer = str(file, m, "optimizer");
        t.lr = num(file, m, "lr");
        t.momentum = num(file, m, "momentum");
        t.nesterov = Boolean.TRUE.equals(m.get("nesterov"));
        t.weightDecay = m.get("weight_decay") == null ? null : num(file, m, "weight_decay");
        t.epochs = (int) num(file, m, "epochs");
        t.batchSize = (int) num(file, m, "batch_size");
        t.seed = (long) num(file, m, "seed");
        t.holdout = num(file, m, "holdout");
        t.checkpointEvery = (int) num(file, m, "checkpoint_every");
        t.keepCheckpoints = (int) num(file, m, "keep_checkpoints");
        // runs from before normalization and image shapes were options have none of these keys
        t.normalization.normalize = m.get("normalize") == null ? "unit" : str(file, m, "normalize");
        t.normalization.mean = null;
        t.normalization.std = null;
        try {
            t.normalizationUsed = switch (t.normalization.normalize) {
                case "unit" -> Normalization.unit();
                case "symmetric" -> Normalization.symmetric();
                case "mean-std" -> Normalization.meanStd(floats(file, m, "mean"), floats(file, m, "std"));
                default -> throw new IllegalArgumentException("'normalize' is '" + t.normalization.normalize
                        + "', expected unit, symmetric or mean-std");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().startsWith(file.toString()) ? e.getMessage() : file + ": " + e.getMessage(), e);
        }
        t.shape.resize = m.get("resize") == null ? null : str(file, m, "resize");
        t.shape.crop = Boolean.TRUE.equals(m.get("crop"));
        t.shape.channels = m.get("channels") == null ? null : (int) num(file, m, "channels");
    }

    private static java.util.List<Double> values(Normalization n, boolean mean) {
        java.util.List<Double> v = new java.util.ArrayList<>();
        for (int c = 0; c < Math.max(1, n.channels()); c++) v.add((double) (mean ? n.mean(c) : n.std(c)));
        return v;
    }

    private static float[] floats(Path file, Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof java.util.List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException(file + ": '" + key + "' must be a list of numbers, got " + v);
        }
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Number x)) {
                throw new IllegalArgumentException(file + ": '" + key + "' must be a list of numbers, got " + v);
            }
            out[i] = x.floatValue();
        }
        return out;
    }

    private static String str(Path file, Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof String)) throw new IllegalArgumentException(file + ": '" + key + "' must be a string, got " + v);
        return (String) v;
    }

    /** A number, or a non-empty list of numbers, as int[]. */
    private static int[] counts(Path file, Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v instanceof java.util.List<?> list && !list.isEmpty()) {
            int[] r = new int[list.size()];
            for (int i = 0; i < r.length; i++) {
                if (!(list.get(i) instanceof Number)) {
                    throw new IllegalArgumentException(file + ": '" + key + "' must be a number or a list of numbers, got " + v);
                }
                r[i] = ((Number) list.get(i)).intValue();
            }
            return r;
        }
        if (!(v instanceof Number)) {
            throw new IllegalArgumentException(file + ": '" + key + "' must be a number or a list of numbers, got " + v);
        }
        return new int[] {((Number) v).intValue()};
    }

    private static double num(Path file, Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number)) throw new IllegalArgumentException(file + ": '" + key + "' must be a number, got " + v);
        return ((Number) v).doubleValue();
    }

}
