package org.cae4j.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.cae4j.io.Json;
import org.cae4j.loss.Loss;
import org.cae4j.nn.Activation;
import org.cae4j.nn.AvgPool2d;
import org.cae4j.nn.BatchNorm1d;
import org.cae4j.nn.BatchNorm2d;
import org.cae4j.nn.Conv2d;
import org.cae4j.nn.ConvTranspose2d;
import org.cae4j.nn.Crop2d;
import org.cae4j.nn.Dropout;
import org.cae4j.nn.Flatten;
import org.cae4j.nn.Init;
import org.cae4j.nn.Layer;
import org.cae4j.nn.Linear;
import org.cae4j.nn.MaxPool2d;
import org.cae4j.nn.Sequential;
import org.cae4j.nn.Unflatten;
import org.cae4j.nn.Upsample;
import org.cae4j.nn.ZeroPad2d;
import org.cae4j.ops.ConvGeometry;
import org.cae4j.ops.Padding;
import org.cae4j.tensor.Rng;

/**
 * An autoencoder described in JSON: an {@code "encoder"} list of layers whose output is the code and a
 * {@code "decoder"} list that must return the input's shape, with layer types and settings named as in PyTorch.
 *
 * <pre>
 * {"name": "tiny", "input": "1x28x28", "loss": "mse",
 *  "encoder": [{"type": "conv2d", "out_channels": 16, "kernel_size": 3, "stride": 2, "padding": 1}, {"type": "relu"}],
 *  "decoder": [{"type": "conv_transpose2d", "out_channels": 1, "kernel_size": 3, "stride": 2, "padding": 1,
 *               "output_padding": 1}, {"type": "sigmoid"}]}
 * </pre>
 *
 * <p>{@link #parse} checks the document: known keys only, every value of the right type and range, so a typo is
 * named with the layer and the accepted keys. {@link #build} infers each layer's input size ({@code in_channels},
 * {@code in_features}, {@code num_features}) from the incoming shape, layer by layer, and refuses a layer that
 * cannot take that shape ({@code encoder layer 3 (linear): expected input (N, 1568), got (N, 32, 6, 6)}), a
 * decoder that does not end at the input's shape, or more than {@value #MAX_PARAMETERS} parameters in all, before
 * it allocates any weight. The model's parameters are named as PyTorch's {@code nn.Sequential(encoder, decoder)}
 * ({@code 0.0.weight}, …, {@code 1.0.weight}; {@code "naming": "flat"} gives {@code nn.Sequential(*encoder,
 * *decoder)}'s), and its metadata holds the document itself ({@code preset=arch}, {@code arch=<compact JSON>}),
 * so {@link Models#load} rebuilds it without the file. The README's "Describing an architecture in JSON" lists
 * every layer type and key.
 */
public final class Architecture {
    /** The {@code preset} metadata value of a model built from a description. */
    public static final String PRESET = "arch";
    /** Most learnable parameters a description may ask for (2^28, 1 GiB of float32). */
    public static final long MAX_PARAMETERS = 1L << 28;
    /** Most elements one sample may have at any layer's output (2^28). */
    public static final long MAX_SAMPLE_ELEMENTS = 1L << 28;
    /** Most layers in the encoder, and in the decoder. */
    public static final int MAX_LAYERS = 1000;
    /** Largest description file read, 1 MiB. */
    public static final int MAX_FILE_BYTES = 1 << 20;
    /** Largest integer setting (channels, kernel size, stride, padding, …), 2^24. */
    static final int MAX_SETTING = 1 << 24;

    private static final List<String> TOP_KEYS =
            List.of("name", "description", "input", "loss", "init", "naming", "encoder", "decoder");

    private final Map<String, Object> doc;
    private final String name, loss;
    private final int[] input;
    private final Autoencoder.Naming naming;
    private final List<Spec> encoder, decoder;

    /** One checked layer entry: where it is, its type, and how to plan it once its input shape is known. */
    private record Spec(String where, String type, Factory factory) {}

    /** Plans a layer for a sample shape {@code in}; throws, without naming the layer, if it cannot take it. */
    private interface Factory {
        Plan plan(int[] in);
    }

    /**
     * A layer's output shape and parameter count, found without allocating its weights, and how to make it once the
     * whole model has been checked ({@code make} draws the initial weights, or dropout's generator, from the Rng).
     */
    private record Plan(int[] out, long parameters, Function<Rng, Layer> make) {
        /** A layer without weights, already built. */
        static Plan of(Layer l, int[] in) { return new Plan(l.outputShape(in), 0, rng -> l); }
    }

    private Architecture(Map<String, Object> doc, String name, String loss, int[] input, Autoencoder.Naming naming,
                         List<Spec> encoder, List<Spec> decoder) {
        this.doc = doc;
        this.name = name;
        this.loss = loss;
        this.input = input;
        this.naming = naming;
        this.encoder = encoder;
        this.decoder = decoder;
    }

    /**
     * Reads and checks a description file (at most {@value #MAX_FILE_BYTES} bytes of UTF-8 JSON).
     *
     * @throws IllegalArgumentException naming the file and the problem
     */
    public static Architecture read(Path file) {
        String shown = String.valueOf(file);
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new IllegalArgumentException(shown + ": " + size + " bytes, more than the " + MAX_FILE_BYTES
                        + " an architecture file may have");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(shown + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(shown + ": cannot be read (" + e.getMessage() + ")");
        }
        try {
            return parse(Json.parse(bytes));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Json.printable(shown + ": " + e.getMessage()), e);
        }
    }

    /**
     * Parses and checks a description; shapes are checked by {@link #build}.
     *
     * @throws IllegalArgumentException naming the layer (e.g. {@code encoder layer 2 (max_pool2d)}), the key, and
     *                                  what was expected and what arrived
     */
    public static Architecture parse(String json) {
        if (json.length() > MAX_FILE_BYTES) {
            throw new IllegalArgumentException("architecture of " + json.length() + " characters, more than the "
                    + MAX_FILE_BYTES + " allowed");
        }
        try {
            return parse(Json.parse(json));
        } catch (IllegalArgumentException e) {
            // the messages echo names and values from the text: keep them on one line
            String m = Json.printable(e.getMessage());
            if (m.equals(e.getMessage())) throw e;
            throw new IllegalArgumentException(m, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Architecture parse(Object parsed) {
        if (!(parsed instanceof Map)) {
            throw new IllegalArgumentException("an architecture is a JSON object with \"encoder\" and \"decoder\" "
                    + "lists, got " + describe(parsed));
        }
        Map<String, Object> doc = (Map<String, Object>) parsed;
        for (String k : doc.keySet()) {
            if (!TOP_KEYS.contains(k)) {
                String hint = k.equals("layers") ? "; describe the layers as two lists, \"encoder\" (whose output is "
                        + "the code) and \"decoder\"" : "";
                throw new IllegalArgumentException("unknown key \"" + Json.printable(k) + "\" (an architecture takes "
                        + String.join(", ", TOP_KEYS) + ")" + hint);
            }
        }
        String name = optString(doc, "name");
        if (name != null && !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("\"name\" must be 1 to 64 letters, digits, '.', '_' or '-' (it names "
                    + "run folders), got " + describe(name));
        }
        optString(doc, "description");
        int[] input = doc.get("input") == null ? null : parseInput(doc.get("input"));
        String loss = optString(doc, "loss");
        if (loss != null) {
            try {
                loss = Loss.parse(loss.replace('_', '-')).cliName();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("\"loss\": " + e.getMessage(), e);
            }
        }
        String initName = optString(doc, "init");
        Init init = initName == null ? Init.PYTORCH : parseInit("\"init\"", initName);
        String namingName = optString(doc, "naming");
        Autoencoder.Naming naming = Autoencoder.Naming.NESTED;
        if (namingName != null) {
            switch (namingName) {
                case "nested": break;
                case "flat": naming = Autoencoder.Naming.FLAT; break;
                default: throw new IllegalArgumentException("\"naming\" must be \"nested\" (nn.Sequential(encoder, "
                        + "decoder), the default) or \"flat\" (nn.Sequential(*encoder, *decoder)), got "
                        + describe(namingName));
            }
        }
        List<Spec> enc = parsePart(doc, "encoder", init), dec = parsePart(doc, "decoder", init);
        return new Architecture(doc, name, loss, input, naming, enc, dec);
    }

    private static String optString(Map<String, Object> doc, String key) {
        Object v = doc.get(key);
        if (v == null || v instanceof String) return (String) v;
        throw new IllegalArgumentException("\"" + key + "\" must be a string, got " + describe(v));
    }

    private static int[] parseInput(Object v) {
        if (v instanceof String s) {
            return Models.parseShape(s);
        }
        if (v instanceof List<?> l && l.size() == 3 && l.stream().allMatch(x -> x instanceof Long)) {
            return Models.parseShape(l.get(0) + "x" + l.get(1) + "x" + l.get(2));
        }
        throw new IllegalArgumentException("\"input\" must be \"CxHxW\" such as \"1x28x28\" or a list [C, H, W], got "
                + describe(v));
    }

    private static Init parseInit(String where, String s) {
        try {
            return Init.parse(s.replace('_', '-'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Spec> parsePart(Map<String, Object> doc, String part, Init init) {
        Object v = doc.get(part);
        if (v == null) {
            throw new IllegalArgumentException("missing \"" + part + "\": an architecture has an \"encoder\" list "
                    + "(its output is the code) and a \"decoder\" list (back to the input's shape)");
        }
        if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException("\"" + part + "\" must be a list of layers, got " + describe(v));
        }
        if (list.isEmpty() || list.size() > MAX_LAYERS) {
            throw new IllegalArgumentException("\"" + part + "\" must have 1 to " + MAX_LAYERS + " layers, got "
                    + list.size());
        }
        List<Spec> specs = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String where = part + " layer " + i;
            Object o = list.get(i);
            if (!(o instanceof Map)) {
                throw new IllegalArgumentException(where + ": expected an object such as {\"type\": \"relu\"}, got "
                        + describe(o));
            }
            Map<String, Object> m = (Map<String, Object>) o;
            Object t = m.get("type");
            if (!(t instanceof String type)) {
                String what = t == null ? "missing \"type\"" : "\"type\" must be a string, got " + describe(t);
                throw new IllegalArgumentException(where + ": " + what + " (types: " + String.join(", ", KINDS.keySet()) + ")");
            }
            Kind kind = KINDS.get(type);
            if (kind == null) {
                String close = null;
                for (String k : KINDS.keySet()) {
                    if (squash(k).equals(squash(type))) close = k;
                }
                throw new IllegalArgumentException(where + ": unknown type \"" + Json.printable(type) + "\""
                        + (close == null ? "" : " (did you mean " + close + "?)") + "; types: "
                        + String.join(", ", KINDS.keySet()));
            }
            where += " (" + type + ")";
            for (String k : m.keySet()) {
                if (!k.equals("type") && !kind.keys().contains(k)) {
                    throw new IllegalArgumentException(where + ": unknown key \"" + Json.printable(k) + "\" (" + type + " takes "
                            + (kind.keys().isEmpty() ? "no settings" : String.join(", ", kind.keys())) + ")");
                }
            }
            specs.add(new Spec(where, type, kind.reader().apply(new Args(where, m, kind.keys(), init))));
        }
        return Collections.unmodifiableList(specs);
    }

    private static String squash(String s) { return s.toLowerCase(Locale.ROOT).replace("_", "").replace("-", ""); }

    /** The name given in the description, or null. */
    public String name() { return name; }

    /** The declared input shape (C,H,W), or null when the description leaves it to the data. */
    public int[] input() { return input == null ? null : input.clone(); }

    /** The loss named in the description ({@link Loss#cliName()}), or null. */
    public String loss() { return loss; }

    /** The description as compact JSON, with {@code "input"} set to {@code inputShape} (CxHxW) when not null. */
    public String toJson(int[] inputShape) {
        Map<String, Object> m = new LinkedHashMap<>(doc);
        if (inputShape != null) m.put("input", inputShape[0] + "x" + inputShape[1] + "x" + inputShape[2]);
        return Json.write(m);
    }

    /** Builds the model for the declared input; throws if the description declares none. */
    public Autoencoder build(Rng rng) {
        if (input == null) {
            throw new IllegalArgumentException("the architecture declares no \"input\"; give the input shape");
        }
        return build(input, rng);
    }

    /**
     * Infers and checks every layer's shape for samples of shape {@code inputShape} (C,H,W) as {@link #build}
     * does, without making any layer, and returns the code's shape.
     *
     * @throws IllegalArgumentException as {@link #build}
     */
    public int[] check(int[] inputShape) {
        return plan(inputShape, new ArrayList<>(), new ArrayList<>());
    }

    /**
     * The number of learnable parameters {@link #build} would make for samples of shape {@code inputShape},
     * computed from the shapes alone (buffers such as batch norm's running statistics not counted).
     *
     * @throws IllegalArgumentException as {@link #build}
     */
    public long parameterCount(int[] inputShape) {
        List<Plan> enc = new ArrayList<>(), dec = new ArrayList<>();
        plan(inputShape, enc, dec);
        long n = 0;
        for (Plan p : enc) n += p.parameters();
        for (Plan p : dec) n += p.parameters();
        return n;
    }

    /** Plans both parts into {@code enc} and {@code dec}; returns the code's shape. */
    private int[] plan(int[] inputShape, List<Plan> enc, List<Plan> dec) {
        if (inputShape.length != 3) {
            throw new IllegalArgumentException("input shape must be (C, H, W), got " + Arrays.toString(inputShape));
        }
        Models.parseShape(inputShape[0] + "x" + inputShape[1] + "x" + inputShape[2]); // the same limits as files
        long[] total = {0};
        int[] code = planPart(encoder, inputShape, total, enc);
        int[] out = planPart(decoder, code, total, dec);
        if (!Arrays.equals(out, inputShape)) {
            throw new IllegalArgumentException("decoder output " + tuple(out) + " does not match the input "
                    + tuple(inputShape) + " (the code is " + tuple(code) + ")");
        }
        return code;
    }

    /**
     * Builds the model for samples of shape {@code inputShape} (C,H,W), which replaces any declared input, with
     * weights (and dropout masks) drawn from {@code rng}.
     *
     * @throws IllegalArgumentException naming the first layer that cannot take its incoming shape, with both
     *                                  shapes, or the decoder's output and the input when they differ
     */
    public Autoencoder build(int[] inputShape, Rng rng) {
        // 1. every shape and the parameter total, before any weight is allocated
        List<Plan> encPlans = new ArrayList<>(), decPlans = new ArrayList<>();
        plan(inputShape, encPlans, decPlans);
        // 2. the layers, in order, so the Rng is drawn from as a hand-written model would draw from it
        List<Layer> enc = new ArrayList<>(), dec = new ArrayList<>();
        for (Plan p : encPlans) enc.add(p.make().apply(rng));
        for (Plan p : decPlans) dec.add(p.make().apply(rng));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("preset", PRESET);
        meta.put("input", inputShape[0] + "x" + inputShape[1] + "x" + inputShape[2]);
        meta.put("arch", toJson(inputShape));
        return new Autoencoder(new Sequential(enc), new Sequential(dec), inputShape, meta, naming);
    }

    /** Plans the layers of one part from its input shape {@code in}, adding parameters to {@code total[0]}. */
    private static int[] planPart(List<Spec> specs, int[] in, long[] total, List<Plan> into) {
        int[] s = in;
        for (Spec sp : specs) {
            Plan p;
            String shown = batchShape(s);
            try {
                p = sp.factory().plan(s);
            } catch (IllegalArgumentException | ArithmeticException e) {
                String m = e.getMessage() == null || e instanceof ArithmeticException ? "output too large" : e.getMessage();
                throw new IllegalArgumentException(sp.where() + ": " + m
                        + (m.contains(shown) ? "" : " (input " + shown + ")"), e);
            }
            if (p.parameters() > MAX_PARAMETERS - total[0]) {
                throw new IllegalArgumentException(sp.where() + ": needs " + p.parameters() + " parameters, which "
                        + "would bring the model to more than the limit of " + MAX_PARAMETERS + " (2^28) (input "
                        + shown + ")");
            }
            if (elements(p.out()) > MAX_SAMPLE_ELEMENTS) {
                throw new IllegalArgumentException(sp.where() + ": output " + batchShape(p.out()) + " has more than "
                        + MAX_SAMPLE_ELEMENTS + " (2^28) elements per sample (input " + shown + ")");
            }
            total[0] += p.parameters();
            into.add(p);
            s = p.out();
        }
        return s;
    }

    /** Product of the dimensions, saturating at Long.MAX_VALUE. */
    private static long elements(int[] s) {
        long n = 1;
        for (int d : s) n = times(n, d);
        return n;
    }

    private static long times(long a, long b) {
        long hi = Math.multiplyHigh(a, b), lo = a * b;
        return (hi == 0 && lo >= 0) || (hi == -1 && lo < 0) ? lo : Long.MAX_VALUE;
    }

    /** {@code (N, 32, 7, 7)}: a sample shape with the batch dimension. */
    static String batchShape(int[] s) {
        StringBuilder b = new StringBuilder("(N");
        for (int d : s) b.append(", ").append(d);
        return b.append(')').toString();
    }

    /** {@code (1, 28, 28)}. */
    private static String tuple(int[] s) {
        return Arrays.toString(s).replace('[', '(').replace(']', ')');
    }

    /** A JSON value as shown in messages, with its kind: {@code "3" (a string)}, {@code 2.5 (a number)}. */
    static String describe(Object v) {
        if (v == null) return "null";
        if (v instanceof String s) {
            int cut = s.length() > 40 && Character.isHighSurrogate(s.charAt(39)) ? 39 : 40;   // never half a pair
            return Json.write(s.length() > 40 ? s.substring(0, cut) + "…" : s) + " (a string)";
        }
        if (v instanceof Long) return v + " (an integer)";
        if (v instanceof Number) return v + " (a number)";
        if (v instanceof Boolean) return v + " (a boolean)";
        String j = Json.write(v);
        if (j.length() > 40) j = j.substring(0, 40) + "…";
        return j + (v instanceof List ? " (a list)" : " (an object)");
    }

    // ------------------------------------------------------------------ layer settings

    /** A layer entry's settings, read with type and range checks; errors name the layer and the key. */
    private static final class Args {
        final String where;
        final Map<String, Object> m;
        final List<String> keys;
        final Init init;

        Args(String where, Map<String, Object> m, List<String> keys, Init init) {
            this.where = where;
            this.m = m;
            this.keys = keys;
            this.init = init;
        }

        /** The raw value, null when absent or JSON null. */
        Object get(String key) {
            if (!keys.contains(key)) throw new AssertionError(where + " reads undeclared key " + key);
            return m.get(key);
        }

        IllegalArgumentException bad(String key, String expected, Object got) {
            return new IllegalArgumentException(where + ": \"" + key + "\" must be " + expected + ", got "
                    + describe(got));
        }

        private String range(int min, int max) {
            return "an integer from " + min + " to " + max;
        }

        /** A required integer in [min, max]. */
        int integer(String key, int min, int max) {
            Integer v = optInteger(key, min, max);
            if (v == null) throw new IllegalArgumentException(where + ": missing \"" + key + "\"");
            return v;
        }

        int integer(String key, int dflt, int min, int max) {
            Integer v = optInteger(key, min, max);
            return v == null ? dflt : v;
        }

        Integer optInteger(String key, int min, int max) {
            Object v = get(key);
            if (v == null) return null;
            if (!(v instanceof Long l) || l < min || l > max) throw bad(key, range(min, max), v);
            return (int) (long) l;
        }

        /** An integer or a list [h, w], each in [min, max]; {@code dflt} when absent (null: required). */
        int[] pair(String key, int[] dflt, int min, int max) {
            Object v = get(key);
            if (v == null) {
                if (dflt == null) throw new IllegalArgumentException(where + ": missing \"" + key + "\"");
                return dflt;
            }
            int[] p = ints(v, 2, min, max);
            if (p == null) throw bad(key, range(min, max) + " or a list [h, w] of such", v);
            return p.length == 1 ? new int[] {p[0], p[0]} : p;
        }

        /** A bare integer (one entry) or a list of {@code n} integers, in [min, max]; null otherwise. */
        static int[] ints(Object v, int n, int min, int max) {
            List<?> l = v instanceof List<?> list ? list : List.of(v);
            if (v instanceof List && l.size() != n) return null;
            int[] r = new int[l.size()];
            for (int i = 0; i < r.length; i++) {
                if (!(l.get(i) instanceof Long x) || x < min || x > max) return null;
                r[i] = (int) (long) x;
            }
            return r;
        }

        /** A pair that must be square, for layers with a single size per setting. */
        int square(String key, int dflt, int min, int max) {
            int[] p = pair(key, new int[] {dflt, dflt}, min, max);
            if (p[0] != p[1]) throw bad(key, "the same on both axes (conv_transpose2d is square)", get(key));
            return p[0];
        }

        double number(String key, double dflt) {
            Object v = get(key);
            if (v == null) return dflt;
            if (!(v instanceof Number n)) throw bad(key, "a number", v);
            return n.doubleValue();
        }

        boolean bool(String key, boolean dflt) {
            Object v = get(key);
            if (v == null) return dflt;
            if (!(v instanceof Boolean b)) throw bad(key, "true or false", v);
            return b;
        }

        String string(String key, String dflt, List<String> allowed) {
            Object v = get(key);
            if (v == null) return dflt;
            if (!(v instanceof String s) || !allowed.contains(s)) {
                throw bad(key, "one of \"" + String.join("\", \"", allowed) + "\"", v);
            }
            return s;
        }

        /** The layer's {@code "init"}, else the description's. */
        Init init() {
            Object v = get("init");
            if (v == null) return init;
            if (!(v instanceof String s)) throw bad("init", "a string such as \"he-uniform\"", v);
            return parseInit(where + ": \"init\"", s);
        }
    }

    private record Kind(List<String> keys, Function<Args, Factory> reader) {}

    private static final Map<String, Kind> KINDS = new LinkedHashMap<>();

    private static void kind(String type, List<String> keys, Function<Args, Factory> reader) {
        KINDS.put(type, new Kind(keys, reader));
    }

    /** Names of the layer types a description may use, in the order the README lists them. */
    public static List<String> layerTypes() { return List.copyOf(KINDS.keySet()); }

    /** The keys (besides {@code "type"}) a layer type accepts. */
    public static List<String> layerKeys(String type) {
        Kind k = KINDS.get(type);
        if (k == null) throw new IllegalArgumentException("unknown layer type '" + type + "'");
        return k.keys();
    }

    private static final int MAX = MAX_SETTING;

    /** C of a (C,H,W) input, checked against a given {@code in_channels}/{@code num_features}. */
    private static int channels(int[] in, Integer given) {
        if (in.length != 3 || given != null && in[0] != given) {
            throw new IllegalArgumentException("expected input (N, " + (given == null ? "C" : given) + ", H, W), got "
                    + batchShape(in));
        }
        return in[0];
    }

    private static long weights(long... dims) {
        long n = 1;
        for (long d : dims) n = times(n, d);
        return n;
    }

    static {
        List<String> convKeys = List.of("in_channels", "out_channels", "kernel_size", "stride", "padding", "bias", "init");
        kind("conv2d", convKeys, a -> {
            Integer inChannels = a.optInteger("in_channels", 1, MAX);
            int out = a.integer("out_channels", 1, MAX);
            int[] k = a.pair("kernel_size", null, 1, MAX), s = a.pair("stride", new int[] {1, 1}, 1, MAX);
            Padding p;
            Object pv = a.get("padding");
            if (pv instanceof String ps && List.of("same", "valid", "full").contains(ps)) {
                p = Padding.parse(ps);
            } else {
                int[] pp = pv == null ? new int[] {0, 0} : Args.ints(pv, 2, 0, MAX);
                if (pp == null) {
                    throw a.bad("padding", "an integer from 0 to " + MAX + ", a list [h, w] of such, \"same\", "
                            + "\"valid\" or \"full\"", pv);
                }
                p = pp.length == 1 ? Padding.of(pp[0]) : Padding.of(pp[0], pp[1]);
            }
            boolean bias = a.bool("bias", true);
            Init init = a.init();
            return in -> {
                int c = channels(in, inChannels);
                ConvGeometry g = ConvGeometry.of(c, in[1], in[2], out, k[0], k[1], s[0], s[1], p);
                return new Plan(new int[] {out, g.P(), g.Q()}, weights(out, c, k[0], k[1]) + (bias ? out : 0),
                        rng -> new Conv2d(c, out, k[0], k[1], s[0], s[1], p, bias, init, rng));
            };
        });
        kind("conv_transpose2d", List.of("in_channels", "out_channels", "kernel_size", "stride", "padding",
                "output_padding", "bias", "init"), a -> {
            Integer inChannels = a.optInteger("in_channels", 1, MAX);
            int out = a.integer("out_channels", 1, MAX);
            if (a.get("kernel_size") == null) throw new IllegalArgumentException(a.where + ": missing \"kernel_size\"");
            int k = a.square("kernel_size", 1, 1, MAX), s = a.square("stride", 1, 1, MAX);
            int p = a.square("padding", 0, 0, MAX), op = a.square("output_padding", 0, 0, MAX);
            boolean bias = a.bool("bias", true);
            Init init = a.init();
            if (op >= s) {
                throw new IllegalArgumentException(a.where + ": \"output_padding\" must be smaller than \"stride\", "
                        + "got output_padding " + op + " and stride " + s);
            }
            return in -> {
                int c = channels(in, inChannels);
                // H = (P − 1)·stride − 2·padding + kernel + output_padding; the conv it is the adjoint of must fit
                long h = (in[1] - 1L) * s - 2L * p + k + op, w = (in[2] - 1L) * s - 2L * p + k + op;
                if (h <= 0 || w <= 0 || h > Integer.MAX_VALUE || w > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("input " + batchShape(in) + " gives an output of " + h + "x"
                            + w);
                }
                ConvGeometry.of(out, (int) h, (int) w, c, k, k, s, s, Padding.of(p));
                return new Plan(new int[] {out, (int) h, (int) w}, weights(c, out, k, k) + (bias ? out : 0),
                        rng -> new ConvTranspose2d(c, out, k, s, p, op, bias, init, rng));
            };
        });
        kind("linear", List.of("in_features", "out_features", "bias", "init"), a -> {
            Integer inFeatures = a.optInteger("in_features", 1, Integer.MAX_VALUE);
            int out = a.integer("out_features", 1, MAX);
            boolean bias = a.bool("bias", true);
            Init init = a.init();
            return in -> {
                if (in.length != 1 || inFeatures != null && in[0] != inFeatures) {
                    throw new IllegalArgumentException("expected input (N, "
                            + (inFeatures == null ? "in_features" : inFeatures) + "), got " + batchShape(in)
                            + (in.length > 1 ? "; put {\"type\": \"flatten\"} before it" : ""));
                }
                return new Plan(new int[] {out}, weights(out, in[0]) + (bias ? out : 0),
                        rng -> new Linear(in[0], out, bias, init, rng));
            };
        });
        kind("flatten", List.of("start_dim", "end_dim"), a -> {
            int start = a.integer("start_dim", 1, -4, 4), end = a.integer("end_dim", -1, -4, 4);
            if (start == 0) throw a.bad("start_dim", "a dimension other than 0 (the batch)", a.get("start_dim"));
            return in -> Plan.of(new Flatten(start, end), in);
        });
        kind("unflatten", List.of("dim", "sizes"), a -> {
            int dim = a.integer("dim", 1, -4, 4);
            if (dim == 0) throw a.bad("dim", "a dimension other than 0 (the batch)", a.get("dim"));
            Object v = a.get("sizes");
            if (v == null) throw new IllegalArgumentException(a.where + ": missing \"sizes\"");
            List<?> l = v instanceof List<?> list ? list : List.of();
            int[] sizes = l.isEmpty() || l.size() > 4 ? null : Args.ints(v, l.size(), 1, MAX);
            if (sizes == null) throw a.bad("sizes", "a list of 1 to 4 integers from 1 to " + MAX, v);
            return in -> Plan.of(new Unflatten(dim, sizes), in);
        });
        for (String type : List.of("max_pool2d", "avg_pool2d")) {
            boolean avg = type.startsWith("avg");
            List<String> keys = avg ? List.of("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad")
                    : List.of("kernel_size", "stride", "padding", "ceil_mode");
            kind(type, keys, a -> {
                int[] k = a.pair("kernel_size", null, 1, MAX);
                int[] s = a.pair("stride", k, 1, MAX), p = a.pair("padding", new int[] {0, 0}, 0, MAX);
                boolean ceil = a.bool("ceil_mode", false);
                boolean countPad = avg && a.bool("count_include_pad", true);
                if (avg) return in -> Plan.of(new AvgPool2d(k[0], k[1], s[0], s[1], p[0], p[1], ceil, countPad), in);
                return in -> Plan.of(new MaxPool2d(k[0], k[1], s[0], s[1], p[0], p[1], ceil), in);
            });
        }
        kind("upsample", List.of("scale_factor", "mode", "align_corners"), a -> {
            int scale = a.integer("scale_factor", 1, MAX);
            Upsample.Mode mode = Upsample.Mode.valueOf(
                    a.string("mode", "nearest", List.of("nearest", "bilinear")).toUpperCase(Locale.ROOT));
            boolean align = a.bool("align_corners", false);
            return in -> Plan.of(new Upsample(scale, mode, align), in);
        });
        kind("dropout", List.of("p"), a -> {
            double p = a.number("p", 0.5);
            if (!(p >= 0 && p <= 1)) throw a.bad("p", "a probability from 0 to 1", a.get("p"));
            return in -> new Plan(in.clone(), 0, rng -> new Dropout(p, rng));
        });
        for (String type : List.of("batch_norm1d", "batch_norm2d")) {
            boolean two = type.endsWith("2d");
            kind(type, List.of("num_features", "eps", "momentum", "affine", "track_running_stats"), a -> {
                Integer features = a.optInteger("num_features", 1, Integer.MAX_VALUE);
                double eps = a.number("eps", 1e-5), momentum = a.number("momentum", 0.1);
                boolean affine = a.bool("affine", true), track = a.bool("track_running_stats", true);
                return in -> {
                    boolean ok = two ? in.length == 3 : in.length == 1 || in.length == 2;
                    if (!ok || features != null && in[0] != features) {
                        String c = features == null ? "C" : features.toString();
                        throw new IllegalArgumentException("expected input " + (two ? "(N, " + c + ", H, W)"
                                : "(N, " + c + ") or (N, " + c + ", L)") + ", got " + batchShape(in));
                    }
                    Layer bn = two ? new BatchNorm2d(in[0], eps, momentum, affine, track)
                            : new BatchNorm1d(in[0], eps, momentum, affine, track);
                    return new Plan(in.clone(), affine ? 2L * in[0] : 0, rng -> bn);
                };
            });
        }
        kind("zero_pad2d", List.of("padding"), a -> {
            Object v = a.get("padding");
            if (v == null) throw new IllegalArgumentException(a.where + ": missing \"padding\"");
            int[] p = Args.ints(v, 4, -MAX, MAX);
            if (p == null) throw a.bad("padding", "an integer or a list [left, right, top, bottom] of integers", v);
            int[] q = p.length == 1 ? new int[] {p[0], p[0], p[0], p[0]} : p;
            return in -> Plan.of(new ZeroPad2d(q[0], q[1], q[2], q[3]), in);
        });
        kind("crop2d", List.of("crop"), a -> {
            Object v = a.get("crop");
            if (v == null) throw new IllegalArgumentException(a.where + ": missing \"crop\"");
            int[] p = Args.ints(v, 4, 0, MAX);
            if (p == null) throw a.bad("crop", "an integer >= 0 or a list [left, right, top, bottom] of such", v);
            int[] q = p.length == 1 ? new int[] {p[0], p[0], p[0], p[0]} : p;
            return in -> Plan.of(new Crop2d(q[0], q[1], q[2], q[3]), in);
        });
        kind("identity", List.of(), a -> in -> Plan.of(Activation.identity(), in));
        kind("sigmoid", List.of(), a -> in -> Plan.of(Activation.sigmoid(), in));
        kind("tanh", List.of(), a -> in -> Plan.of(Activation.tanh(), in));
        kind("relu", List.of(), a -> in -> Plan.of(Activation.relu(), in));
        kind("leaky_relu", List.of("negative_slope"), a -> {
            float slope = (float) a.number("negative_slope", 0.01);
            return in -> Plan.of(Activation.leakyRelu(slope), in);
        });
        kind("elu", List.of("alpha"), a -> {
            float alpha = (float) a.number("alpha", 1.0);
            return in -> Plan.of(Activation.elu(alpha), in);
        });
        kind("softplus", List.of("beta", "threshold"), a -> {
            double beta = a.number("beta", 1.0), threshold = a.number("threshold", 20.0);
            if (!(beta > 0)) throw a.bad("beta", "a number > 0", a.get("beta"));
            return in -> Plan.of(Activation.softplus((float) beta, (float) threshold), in);
        });
    }
}
