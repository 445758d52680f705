package org.cae4j.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cae4j.io.ModelFile;
import org.cae4j.io.ModelFormatException;
import org.cae4j.model.Autoencoder;
import org.cae4j.model.Models;
import org.cae4j.nn.Parameter;
import org.cae4j.optim.Optimizer;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;

/**
 * A training checkpoint: everything needed to continue a run bit for bit — the model's weights and buffers, the
 * optimizer's state, the {@link Rng} state, the epoch's image order and the {@link Trainer.Progress} — in one
 * safetensors file, written atomically. Tensors are {@code model.<name>}, {@code optim.<name>} and {@code order} (image
 * indices as float32, exact below 2^24); counters and the metrics so far are in {@code __metadata__} next to the
 * model's architecture, with the state of the model's own generators ({@link Autoencoder#generators()}: input
 * noise, VAE sampling) as {@code model_rng}.
 */
public final class Checkpoint {
    /** The largest data set whose order a checkpoint can hold exactly as float32 indices. */
    public static final int MAX_IMAGES = 1 << 24;

    private Checkpoint() {}

    /** A checkpoint read back: the model with its weights, the saved state, and the file's metadata. */
    public record Loaded(Autoencoder model, Map<String, Tensor> optimizerTensors, Map<String, String> optimizerScalars,
                         long[] rngState, Trainer.Progress progress, Map<String, String> metadata) {
        /** Restores the optimizer (built for {@link #model()}'s parameters) to its saved state. */
        public void restore(Optimizer optimizer) { optimizer.loadState(optimizerTensors, optimizerScalars); }
    }

    /** Writes a checkpoint atomically; {@code extra} metadata (run settings) is stored alongside. */
    public static void save(Path file, Autoencoder model, Optimizer optimizer, Rng rng, Trainer.Progress p,
                            Map<String, String> extra) {
        if (p.order().length > MAX_IMAGES) {
            throw new IllegalArgumentException("checkpoint: " + p.order().length + " images exceed the " + MAX_IMAGES
                    + " a checkpoint can order");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            tensors.put("model." + e.getKey(), e.getValue().value);
        }
        for (Map.Entry<String, Tensor> e : model.namedBuffers().entrySet()) tensors.put("model." + e.getKey(), e.getValue());
        Map<String, Tensor> ot = new LinkedHashMap<>();
        Map<String, String> os = new LinkedHashMap<>();
        optimizer.saveState(ot, os);
        for (Map.Entry<String, Tensor> e : ot.entrySet()) tensors.put("optim." + e.getKey(), e.getValue());
        int[] order = p.order();
        float[] of = new float[order.length];
        for (int i = 0; i < order.length; i++) of[i] = order[i];
        tensors.put("order", new Tensor(of, of.length));

        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "cae4j-checkpoint");
        meta.put("format_version", Models.FORMAT_VERSION);
        meta.putAll(model.architecture());
        meta.putAll(extra);
        for (Map.Entry<String, String> e : os.entrySet()) meta.put("optim." + e.getKey(), e.getValue());
        long[] st = rng.state();
        meta.put("rng", encodeState(st));
        List<Rng> own = model.generators();
        if (!own.isEmpty()) {
            StringBuilder ms = new StringBuilder();
            for (Rng r : own) ms.append(ms.length() == 0 ? "" : ";").append(encodeState(r.state()));
            meta.put("model_rng", ms.toString());
        }
        meta.put("epoch", Integer.toString(p.epoch()));
        meta.put("batch", Integer.toString(p.batch()));
        meta.put("step", Long.toString(p.step()));
        meta.put("epoch_loss_sum", Double.toString(p.epochLossSum()));
        meta.put("history", encodeHistory(p.history()));
        ModelFile.write(file, tensors, meta);
    }

    /**
     * Reads a checkpoint, rebuilding the model from its metadata.
     *
     * @throws ModelFormatException naming the file and the first problem found
     */
    public static Loaded load(Path file) {
        ModelFile.Loaded f = ModelFile.read(file);
        String name = String.valueOf(file.getFileName());
        Map<String, String> meta = f.metadata();
        if (!"cae4j-checkpoint".equals(meta.get("format"))) {
            throw new ModelFormatException(name + ": not a cae4j checkpoint (metadata 'format' is "
                    + (meta.containsKey("format") ? "'" + meta.get("format") + "'" : "missing") + ")");
        }
        try {
            Map<String, Tensor> held = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : f.tensors().entrySet()) {
                if (e.getKey().startsWith("model.")) held.put(e.getKey(), e.getValue());
            }
            Models.checkSize(meta, held.values(), "model.* tensors");
            Autoencoder model = Models.fromMetadata(meta, new Rng(0));
            Map<String, Tensor> state = new LinkedHashMap<>();   // parameters, then buffers
            for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) state.put(e.getKey(), e.getValue().value);
            state.putAll(model.namedBuffers());
            for (Map.Entry<String, Tensor> e : state.entrySet()) {
                Tensor t = f.tensors().get("model." + e.getKey());
                Tensor v = e.getValue();
                if (t == null || !t.hasShape(v.shape())) {
                    throw new IllegalArgumentException("tensor 'model." + e.getKey() + "' is "
                            + (t == null ? "missing" : t.shapeString()) + ", the architecture needs " + v.shapeString());
                }
                System.arraycopy(t.data, 0, v.data, 0, v.size());
            }
            Map<String, Tensor> ot = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : f.tensors().entrySet()) {
                if (e.getKey().startsWith("optim.")) ot.put(e.getKey().substring(6), e.getValue());
            }
            Map<String, String> os = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : meta.entrySet()) {
                if (e.getKey().startsWith("optim.")) os.put(e.getKey().substring(6), e.getValue());
            }
            Tensor ordT = f.tensors().get("order");
            if (ordT == null || ordT.rank() != 1) throw new IllegalArgumentException("tensor 'order' is missing or not 1-d");
            int n = ordT.size();
            int[] order = new int[n];
            boolean[] seen = new boolean[n];
            for (int i = 0; i < n; i++) {
                float v = ordT.data[i];
                if (!(v >= 0 && v < n) || v != Math.rint(v) || seen[(int) v]) {
                    throw new IllegalArgumentException("tensor 'order' is not a permutation of 0.." + (n - 1)
                            + " (entry " + i + " is " + v + ")");
                }
                order[i] = (int) v;
                seen[order[i]] = true;
            }
            long[] rng = decodeState("rng", require(meta, "rng"));
            List<Rng> own = model.generators();
            String[] ms = meta.containsKey("model_rng") ? meta.get("model_rng").split(";") : new String[0];
            if (ms.length != own.size()) {
                throw new IllegalArgumentException("metadata 'model_rng' holds " + ms.length + " generator states, the "
                        + "model has " + own.size() + " random layers' generators");
            }
            for (int i = 0; i < ms.length; i++) own.get(i).setState(decodeState("model_rng", ms[i]));
            Trainer.Progress p = new Trainer.Progress(parseInt(meta, "epoch", 1), parseInt(meta, "batch", 0),
                    Long.parseLong(require(meta, "step")), order, Double.parseDouble(require(meta, "epoch_loss_sum")),
                    decodeHistory(require(meta, "history")));
            if (p.step() < 0) throw new IllegalArgumentException("metadata 'step' is negative");
            return new Loaded(model, ot, os, rng, p, meta);
        } catch (IllegalArgumentException e) {
            if (e instanceof ModelFormatException) throw e;
            throw new ModelFormatException(name + ": " + e.getMessage(), e);
        }
    }

    private static String encodeState(long[] st) {
        StringBuilder rs = new StringBuilder();
        for (long l : st) rs.append(rs.length() == 0 ? "" : ",").append(l);
        return rs.toString();
    }

    private static long[] decodeState(String key, String s) {
        String[] rs = s.split(",");
        if (rs.length != Rng.STATE_LONGS) {
            throw new IllegalArgumentException("metadata '" + key + "' must hold " + Rng.STATE_LONGS
                    + " numbers per generator, got " + rs.length + (rs.length == 6 ? " (a checkpoint of cae4j before "
                    + "its generator became PyTorch's mt19937; it cannot be resumed)" : ""));
        }
        long[] st = new long[rs.length];
        for (int i = 0; i < st.length; i++) st[i] = Long.parseLong(rs[i].trim());
        new Rng(0).setState(st); // checks the position and flag here, where the file is named
        return st;
    }

    private static String require(Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) throw new IllegalArgumentException("metadata has no '" + key + "'");
        return v;
    }

    private static int parseInt(Map<String, String> meta, String key, int min) {
        String v = require(meta, key);
        try {
            int i = Integer.parseInt(v.trim());
            if (i < min) throw new NumberFormatException();
            return i;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metadata '" + key + "' is '" + v + "', expected an integer >= " + min);
        }
    }

    /** Epoch metrics as {@code epoch,train_loss,test_mse,seconds,images_per_second} rows joined by ';' (exact doubles). */
    static String encodeHistory(List<Trainer.EpochMetrics> h) {
        StringBuilder b = new StringBuilder();
        for (Trainer.EpochMetrics m : h) {
            if (b.length() > 0) b.append(';');
            b.append(m.epoch()).append(',').append(m.trainLoss()).append(',').append(m.testMse()).append(',')
                    .append(m.seconds()).append(',').append(m.imagesPerSecond());
        }
        return b.toString();
    }

    static List<Trainer.EpochMetrics> decodeHistory(String s) {
        List<Trainer.EpochMetrics> h = new ArrayList<>();
        if (s.isEmpty()) return h;
        for (String row : s.split(";")) {
            String[] f = row.split(",");
            if (f.length != 5) throw new IllegalArgumentException("metadata 'history' row '" + row + "' needs 5 fields");
            h.add(new Trainer.EpochMetrics(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[4])));
        }
        return h;
    }
}
