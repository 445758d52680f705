package org.cae4j.model;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cae4j.data.Normalization;
import org.cae4j.io.ModelFile;
import org.cae4j.io.ModelFormatException;
import org.cae4j.nn.Activation;
import org.cae4j.nn.GaussianNoise;
import org.cae4j.nn.Init;
import org.cae4j.nn.InputNoise;
import org.cae4j.nn.MaskingNoise;
import org.cae4j.nn.SaltAndPepper;
import org.cae4j.nn.Parameter;
import org.cae4j.nn.Sequential;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;

/**
 * Saving and loading autoencoders as model files (safetensors; see {@link ModelFile}): the parameters and the
 * buffers (batch norm's running statistics) by PyTorch state_dict name, and the metadata that rebuilds the
 * architecture. The header's {@code __metadata__} holds {@code format=cae4j},
 * {@code format_version}, the preset and its settings, and the input {@link Normalization} the model was trained
 * with ({@code normalization} = {@code unit}, {@code symmetric} or {@code mean_std} with
 * {@code normalization_mean} and {@code normalization_std}; a file without the key was trained on [0, 1] pixels).
 */
public final class Models {
    /** Version of the metadata layout written by this code. */
    public static final String FORMAT_VERSION = "1";
    /** The default pixel scaling, byte value / 255 giving [0, 1], and what a file without the key means. */
    public static final String NORMALIZATION_UNIT = "unit";

    private Models() {}

    /** A model with its metadata as read from a file. */
    public record Loaded(Autoencoder model, Map<String, String> metadata) {
        /** How the model's inputs were normalised in training ({@link Normalization#unit()} for older files). */
        public Normalization normalization() { return Normalization.fromMetadata(metadata); }
    }

    /** Metadata key of a part file: {@code encoder} or {@code decoder}. */
    public static final String PART = "part";
    /** Metadata key of a part file: the code's shape, e.g. {@code 16x32x32} or {@code 20}. */
    public static final String CODE_SHAPE = "code_shape";

    /**
     * Writes one part of {@code model}, {@code "encoder"} or {@code "decoder"}, atomically to {@code file}: its
     * parameters and buffers named as in that {@code nn.Sequential} alone ({@code 0.weight}, ...; a tied decoder
     * carries its own copy of the shared weight), with the whole model's metadata plus {@code part} and
     * {@code code_shape}, so that {@link #loadPart} rebuilds it. {@link #load} refuses such a file.
     */
    public static void savePart(Path file, Autoencoder model, String part, Map<String, String> extra) {
        Sequential layers = part(model, part);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "cae4j");
        meta.put("format_version", FORMAT_VERSION);
        meta.put("normalization", NORMALIZATION_UNIT);
        meta.putAll(model.architecture());
        meta.putAll(extra);
        checkNormalization(meta, model);
        meta.put(PART, part);
        meta.put(CODE_SHAPE, shapeText(model.codeShape()));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : layers.namedParameters("").entrySet()) tensors.put(e.getKey(), e.getValue().value);
        tensors.putAll(layers.namedBuffers(""));
        ModelFile.write(file, tensors, meta);
    }

    /**
     * Reads a part file written by {@link #savePart} and returns that part, {@code "encoder"} (input → code) or
     * {@code "decoder"} (code → input), with its weights, in evaluation mode.
     *
     * @throws ModelFormatException naming the file and the first problem, e.g. a whole model or the other part
     */
    public static Sequential loadPart(Path file, String part) {
        part(null, part);
        ModelFile.Loaded f = ModelFile.read(file);
        Map<String, String> meta = f.metadata();
        String name = String.valueOf(file.getFileName());
        if (!"cae4j".equals(meta.get("format")) || !FORMAT_VERSION.equals(meta.get("format_version"))) {
            throw new ModelFormatException(name + ": not a cae4j model file (metadata 'format' is " + meta.get("format")
                    + ", 'format_version' " + meta.get("format_version") + ")");
        }
        if (!meta.containsKey(PART)) {
            throw new ModelFormatException(name + ": is a whole model, not a part file; write one with"
                    + " 'cae4j export --model " + name + " --part " + part + " --out FILE'");
        }
        if (!part.equals(meta.get(PART))) {
            throw new ModelFormatException(name + ": holds the " + meta.get(PART) + ", not the " + part);
        }
        Sequential layers;
        Autoencoder model;
        try {
            model = fromMetadata(meta, new Rng(0));
            checkNormalization(meta, model);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(name + ": " + e.getMessage(), e);
        }
        layers = part(model, part);
        if (meta.containsKey(CODE_SHAPE) && !meta.get(CODE_SHAPE).equals(shapeText(model.codeShape()))) {
            throw new ModelFormatException(name + ": metadata 'code_shape' is " + meta.get(CODE_SHAPE)
                    + " but the architecture's code is " + shapeText(model.codeShape()));
        }
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : layers.namedParameters("").entrySet()) state.put(e.getKey(), e.getValue().value);
        state.putAll(layers.namedBuffers(""));
        for (String k : f.tensors().keySet()) {
            if (!state.containsKey(k)) {
                throw new ModelFormatException(name + ": unexpected tensor '" + k + "' for the " + part + " of a "
                        + meta.get("preset") + " model (expected " + state.keySet() + ")");
            }
        }
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            Tensor t = f.tensors().get(e.getKey());
            if (t == null) throw new ModelFormatException(name + ": missing tensor '" + e.getKey() + "'");
            if (!t.hasShape(e.getValue().shape())) {
                throw new ModelFormatException(name + ": tensor '" + e.getKey() + "' has shape " + t.shapeString()
                        + ", the " + part + " needs " + e.getValue().shapeString());
            }
            System.arraycopy(t.data, 0, e.getValue().data, 0, t.size());
        }
        model.train(false);
        return layers;
    }

    /** Reads the normalization of {@code meta} and checks that its per-channel values fit the model's input. */
    private static void checkNormalization(Map<String, String> meta, Autoencoder model) {
        Normalization n = Normalization.fromMetadata(meta);
        int c = model.inputShape()[0];
        if (!n.fits(c)) {
            throw new IllegalArgumentException("metadata " + Normalization.MEAN_KEY + " and " + Normalization.STD_KEY
                    + " hold " + n.channels() + " values each, but the model's input has " + c + " channel" + (c == 1 ? "" : "s")
                    + "; expected " + (c == 1 ? "1" : "1 or " + c));
        }
    }

    /** The encoder or decoder of {@code model} (only checks the name when model is null). */
    private static Sequential part(Autoencoder model, String part) {
        if (!"encoder".equals(part) && !"decoder".equals(part)) {
            throw new IllegalArgumentException("part must be encoder or decoder, got '" + part + "'");
        }
        return model == null ? null : part.equals("encoder") ? model.encoder() : model.decoder();
    }

    /** A shape as {@code 16x32x32}. */
    private static String shapeText(int[] shape) {
        StringBuilder b = new StringBuilder();
        for (int d : shape) b.append(b.length() == 0 ? "" : "x").append(d);
        return b.toString();
    }

    /**
     * Writes {@code model} atomically to {@code file}, with {@code extra} metadata (e.g. training settings); the
     * model was trained on [0, 1] pixels unless {@code extra} holds other {@link Normalization#toMetadata()} keys.
     */
    public static void save(Path file, Autoencoder model, Map<String, String> extra) {
        save(file, model, Normalization.unit(), extra);
    }

    /**
     * Writes {@code model}, trained on inputs normalised by {@code normalization}, atomically to {@code file},
     * with {@code extra} metadata; {@link Loaded#normalization()} gives it back.
     *
     * @throws IllegalArgumentException if the normalization has per-channel values for another number of channels
     *                                  than the model's input
     */
    public static void save(Path file, Autoencoder model, Normalization normalization, Map<String, String> extra) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "cae4j");
        meta.put("format_version", FORMAT_VERSION);
        meta.putAll(normalization.toMetadata());
        meta.putAll(model.architecture());
        meta.putAll(extra);
        checkNormalization(meta, model);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) tensors.put(e.getKey(), e.getValue().value);
        tensors.putAll(model.namedBuffers());
        ModelFile.write(file, tensors, meta);
    }

    /**
     * Reads a model file, rebuilds its architecture and copies in its weights.
     *
     * @throws ModelFormatException naming the file and the first problem found
     */
    public static Loaded load(Path file) {
        ModelFile.Loaded f = ModelFile.read(file);
        Map<String, String> meta = f.metadata();
        String name = String.valueOf(file.getFileName());
        if (!"cae4j".equals(meta.get("format"))) {
            throw new ModelFormatException(name + ": not a cae4j model (metadata 'format' is "
                    + (meta.containsKey("format") ? "'" + meta.get("format") + "'" : "missing") + ", expected 'cae4j')");
        }
        if (!FORMAT_VERSION.equals(meta.get("format_version"))) {
            throw new ModelFormatException(name + ": unsupported format_version '" + meta.get("format_version")
                    + "', this cae4j reads version " + FORMAT_VERSION);
        }
        if (meta.containsKey(PART)) {
            throw new ModelFormatException(name + ": holds only the " + meta.get(PART) + " of a model (written by"
                    + " 'cae4j export --part'); this needs the whole model, e.g. the run's model.safetensors");
        }
        Autoencoder model;
        try {
            checkSize(meta, f.tensors().values(), "tensors");
            model = fromMetadata(meta, new Rng(0));
            checkNormalization(meta, model);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(name + ": " + e.getMessage());
        }
        Map<String, Tensor> state = new LinkedHashMap<>();   // parameters, then buffers
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) state.put(e.getKey(), e.getValue().value);
        state.putAll(model.namedBuffers());
        for (String k : f.tensors().keySet()) {
            if (!state.containsKey(k)) {
                throw new ModelFormatException(name + ": unexpected tensor '" + k + "' for a " + meta.get("preset")
                        + " model (expected " + state.keySet() + ")");
            }
        }
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            Tensor t = f.tensors().get(e.getKey());
            Tensor p = e.getValue();
            if (t == null) throw new ModelFormatException(name + ": missing tensor '" + e.getKey() + "'");
            if (!t.hasShape(p.shape())) {
                throw new ModelFormatException(name + ": tensor '" + e.getKey() + "' has shape " + t.shapeString()
                        + ", the architecture needs " + p.shapeString());
            }
            System.arraycopy(t.data, 0, p.data, 0, p.size());
        }
        return new Loaded(model, meta);
    }

    /**
     * The number of learnable parameters of the architecture described by {@code meta}, computed from the
     * settings alone (nothing allocated), so that a file is checked against its metadata before the model is built.
     *
     * @throws IllegalArgumentException as {@link #fromMetadata}
     */
    public static long parameterCount(Map<String, String> meta) {
        String preset = meta.get("preset");
        if (preset == null) throw new IllegalArgumentException("metadata has no 'preset'");
        if (preset.equals("seed")) return seedConfig(meta).parameters();
        if (preset.equals(StackedCae.PRESET)) return StackedCae.Config.fromMetadata(meta).parameters();
        if (!java.util.List.of("bottleneck", "keras", "dense", "sparse", "vae-dense", "vae-conv", Architecture.PRESET)
                .contains(preset)) {
            throw new IllegalArgumentException("unknown preset '" + preset + "', expected one of: " + Presets.ALL_NAMES);
        }
        int[] in = parseShape(require(meta, "input"));
        switch (preset) {
            case "keras": return Presets.kerasParameters(in[0]);
            case "bottleneck": return Presets.bottleneckParameters(in[0], in[1], in[2], parseInt(meta, "code"));
            case "dense": return Presets.denseParameters(in[0], in[1], in[2], tied(meta));
            case "sparse": return Presets.sparseParameters(in[0], in[1], in[2], parseInt(meta, "hidden"));
            case "vae-dense": return Presets.vaeDenseParameters(in[0], in[1], in[2], parseInt(meta, "hidden"), parseInt(meta, "latent"));
            case "vae-conv": return Presets.vaeConvParameters(in[0], in[1], in[2], parseInt(meta, "latent"));
            case Architecture.PRESET: return architecture(meta).parameterCount(in);
            default:
                throw new IllegalArgumentException("unknown preset '" + preset + "', expected one of: " + Presets.ALL_NAMES);
        }
    }

    /** How many parameters beyond the file's values a model may have and still be built to name what is missing. */
    static final long SLACK = 1 << 20;

    /**
     * Refuses, before anything is allocated, an architecture with far more parameters (over {@link #SLACK}) than
     * {@code tensors} hold values (a valid file holds exactly the parameters, plus any buffers), so that a small
     * file cannot make a large model; {@code what} names the tensors. A smaller mismatch is left to the
     * tensor-by-tensor check, whose message names the missing tensor.
     */
    public static void checkSize(Map<String, String> meta, java.util.Collection<Tensor> tensors, String what) {
        long needed = parameterCount(meta);
        long held = 0;
        for (Tensor t : tensors) held += t.size();
        if (needed - held > SLACK) {
            throw new IllegalArgumentException("the architecture in the metadata (preset '" + meta.get("preset")
                    + "', input " + meta.get("input") + ") has " + needed + " parameters, but the file holds only "
                    + held + " values in its " + what);
        }
    }

    /**
     * Builds the architecture described by {@code meta} with weights from {@code rng}: the preset and its
     * settings, {@code tied} weights, and input noise ({@code noise}, {@code noise_level}, {@code noise_clip}) of a
     * denoising model, whose generator is seeded from {@code rng} after the weights.
     */
    public static Autoencoder fromMetadata(Map<String, String> meta, Rng rng) {
        Autoencoder base = presetFromMetadata(meta, rng);
        String noise = meta.get("noise");
        if (noise == null) return base;
        double level = parseDouble(meta, "noise_level");
        Rng noiseRng = new Rng(rng.nextLong());
        InputNoise layer;
        switch (noise) {
            case "gaussian": layer = new GaussianNoise(level, parseBoolean(meta, "noise_clip"), noiseRng); break;
            case "masking": layer = new MaskingNoise(level, noiseRng); break;
            case "salt-and-pepper": layer = new SaltAndPepper(level, noiseRng); break;
            default:
                throw new IllegalArgumentException("unknown noise '" + noise + "', expected gaussian, masking or "
                        + "salt-and-pepper");
        }
        return Presets.denoising(base, layer);
    }

    private static Autoencoder presetFromMetadata(Map<String, String> meta, Rng rng) {
        String preset = meta.get("preset");
        if (preset == null) throw new IllegalArgumentException("metadata has no 'preset'");
        switch (preset) {
            case "seed":
                return SeedCae.build(seedConfig(meta), rng);
            case StackedCae.PRESET:
                return StackedCae.build(StackedCae.Config.fromMetadata(meta), rng);
            case "bottleneck": {
                int[] in = parseShape(require(meta, "input"));
                return Presets.bottleneck(in[0], in[1], in[2], parseInt(meta, "code"), rng);
            }
            case "keras": {
                int[] in = parseShape(require(meta, "input"));
                return Presets.keras(in[0], in[1], in[2], rng);
            }
            case "dense": {
                int[] in = parseShape(require(meta, "input"));
                return Presets.dense(in[0], in[1], in[2], tied(meta), rng);
            }
            case "sparse": {
                int[] in = parseShape(require(meta, "input"));
                return Presets.sparse(in[0], in[1], in[2], parseInt(meta, "hidden"), parseDouble(meta, "rho"),
                        parseDouble(meta, "beta"), rng);
            }
            case "vae-dense": {
                int[] in = parseShape(require(meta, "input"));
                return Presets.vaeDense(in[0], in[1], in[2], parseInt(meta, "hidden"), parseInt(meta, "latent"),
                        parseDouble(meta, "beta"), rng);
            }
            case "vae-conv": {
                int[] in = parseShape(require(meta, "input"));
                return Presets.vaeConv(in[0], in[1], in[2], parseInt(meta, "latent"), parseDouble(meta, "beta"), rng);
            }
            case Architecture.PRESET:
                // the description itself is in the metadata, so the model needs no file besides this one
                return architecture(meta).build(parseShape(require(meta, "input")), rng);
            default:
                throw new IllegalArgumentException("unknown preset '" + preset + "', expected one of: " + Presets.ALL_NAMES);
        }
    }

    private static SeedCae.Config seedConfig(Map<String, String> meta) {
        int[] in = parseShape(require(meta, "input"));
        return new SeedCae.Config(in[0], in[1], in[2], parseInt(meta, "filters"), parseInt(meta, "kernel"),
                parseInt(meta, "stride"), Activation.parse(require(meta, "encoder_activation")).kind(),
                Activation.parse(require(meta, "decoder_activation")).kind(),
                Init.parse(meta.getOrDefault("init", "pytorch")), tied(meta));
    }

    private static Architecture architecture(Map<String, String> meta) {
        try {
            return Architecture.parse(require(meta, "arch"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("metadata 'arch': " + e.getMessage(), e);
        }
    }

    /** Parses {@code CxHxW} such as {@code 1x28x28}. */
    public static int[] parseShape(String shape) {
        String s = org.cae4j.io.Json.printable(shape);
        String[] p = shape.split("x");
        if (p.length != 3) throw new IllegalArgumentException("input shape '" + s + "': expected CxHxW such as 1x28x28");
        int[] v = new int[3];
        try {
            for (int i = 0; i < 3; i++) v[i] = Integer.parseInt(p[i].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("input shape '" + s + "': expected CxHxW such as 1x28x28");
        }
        if (Arrays.stream(v).anyMatch(d -> d <= 0 || d > 1 << 15)) {
            throw new IllegalArgumentException("input shape '" + s + "': every dimension must be in 1..32768");
        }
        return v;
    }

    private static String require(Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) throw new IllegalArgumentException("metadata has no '" + key + "'");
        return v;
    }

    private static boolean tied(Map<String, String> meta) {
        return meta.containsKey("tied") && parseBoolean(meta, "tied");
    }

    private static boolean parseBoolean(Map<String, String> meta, String key) {
        String v = require(meta, key).trim();
        if (v.equals("true")) return true;
        if (v.equals("false")) return false;
        throw new IllegalArgumentException("metadata '" + key + "' is '" + v + "', expected true or false");
    }

    private static double parseDouble(Map<String, String> meta, String key) {
        String v = require(meta, key);
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metadata '" + key + "' is '" + v + "', expected a number");
        }
    }

    private static int parseInt(Map<String, String> meta, String key) {
        String v = require(meta, key);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metadata '" + key + "' is '" + v + "', expected an integer");
        }
    }
}
