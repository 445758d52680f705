package org.cae4j.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cae4j.nn.Activation;
import org.cae4j.nn.Conv2d;
import org.cae4j.nn.Init;
import org.cae4j.nn.Layer;
import org.cae4j.nn.MaxPool2d;
import org.cae4j.nn.Parameter;
import org.cae4j.nn.Sequential;
import org.cae4j.nn.Upsample;
import org.cae4j.ops.Padding;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;

/**
 * A stack of L convolutional autoencoder layers (Masci et al. 2011, "Stacked convolutional auto-encoders for
 * hierarchical feature extraction"), each a small CAE over the maps of the layer below:
 *
 * <pre>
 *   encoder l: Conv2d(c_l → n_l, k, padding same), a, MaxPool2d(2)         c_1 = d (image), c_l = n_(l−1)
 *   decoder l: Upsample(2), Conv2d(n_l → c_l, k, padding same), a_l         a_1 = decoder activation, a_l = a (l &gt; 1)
 *   model:     encoder 1 … encoder L | decoder L … decoder 1
 * </pre>
 * Without pooling the MaxPool2d and Upsample layers are left out. Decoder l ends in the nonlinearity of what it
 * reconstructs: the image's (sigmoid, pixels in [0, 1]) for l = 1, the encoder's (tanh maps) above. With pooling,
 * height and width must be divisible by 2^L. The model is an ordinary {@link Autoencoder} with flat names, as
 * PyTorch's {@code nn.Sequential(*encoder, *decoder)}: for two pooled layers {@code 0.*, 3.*} (encoders) and
 * {@code 7.*, 10.*} (decoder 2, decoder 1).
 *
 * <p>It is trained greedily: layer l alone learns to reconstruct its input, the fixed maps of encoders 1..l−1
 * ({@link org.cae4j.train.LayerwiseTrainer}), then the whole stack is fine-tuned end to end on the images as any
 * autoencoder. {@link #of} gives the per-layer view of a built or loaded model:
 * <pre>{@code
 * Autoencoder ae = StackedCae.build(StackedCae.Config.defaults(1, 28, 28), rng);   // filters 16, 8
 * StackedCae stack = StackedCae.of(ae);
 * stack.encoder(2);   // Sequential(Conv2d(16->8, k=5, s=1, p=same), Tanh, MaxPool2d(...))
 * }</pre>
 */
public final class StackedCae {
    /** Name of the preset in model metadata. */
    public static final String PRESET = "stacked";
    /** Most layers in a stack. */
    public static final int MAX_LAYERS = 16;

    private final Autoencoder model;
    private final Config config;
    private final List<Sequential> encoders, decoders;   // index l − 1 holds layer l

    private StackedCae(Autoencoder model, Config config, List<Sequential> encoders, List<Sequential> decoders) {
        this.model = model;
        this.config = config;
        this.encoders = encoders;
        this.decoders = decoders;
    }

    /**
     * Settings of a stack: the input d×h×w, {@code filters[l − 1]} = n_l maps in layer l (so L =
     * filters.length), one kernel size for every convolution, 2×2 max pooling after each encoder or none, the
     * encoder activation and the image decoder's activation, and the weight initialisation.
     */
    public record Config(int channels, int height, int width, int[] filters, int kernel, boolean pooling,
                         Activation.Kind encoderActivation, Activation.Kind decoderActivation, Init init) {
        public Config {
            positive("channels", channels);
            positive("height", height);
            positive("width", width);
            positive("kernel", kernel);
            if (filters == null || filters.length == 0 || filters.length > MAX_LAYERS) {
                throw new IllegalArgumentException("stacked CAE: expected 1 to " + MAX_LAYERS + " layers (one filter count "
                        + "each), got " + (filters == null ? 0 : filters.length));
            }
            filters = filters.clone();
            for (int n : filters) positive("filter count", n);
            if (pooling) {
                int f = 1 << filters.length;
                if (height % f != 0 || width % f != 0) {
                    throw new IllegalArgumentException("stacked CAE: " + filters.length + " max-pooled layers need a "
                            + "height and width divisible by " + f + ", got " + height + "x" + width
                            + " (use fewer layers or no pooling)");
                }
            }
            long p = parameters(channels, filters, kernel);
            if (p > Presets.MAX_PARAMETERS) {
                throw new IllegalArgumentException("stacked CAE: filters " + text(filters) + " of " + kernel + "x" + kernel
                        + " need " + p + " parameters, more than the limit " + Presets.MAX_PARAMETERS + " (2^28)");
            }
        }

        /** Two layers of 16 and 8 maps, 5×5 kernels, max pooling, tanh, sigmoid, PyTorch init, for a C×H×W input. */
        public static Config defaults(int channels, int height, int width) {
            return new Config(channels, height, width, new int[] {16, 8}, 5, true, Activation.Kind.TANH,
                    Activation.Kind.SIGMOID, Init.PYTORCH);
        }

        @Override
        public int[] filters() { return filters.clone(); }

        /** L, the number of layers. */
        public int depth() { return filters.length; }

        /** Learnable parameters: per layer an encoder and a decoder convolution with their biases. */
        public long parameters() { return parameters(channels, filters, kernel); }

        public Config withFilters(int... f) {
            return new Config(channels, height, width, f, kernel, pooling, encoderActivation, decoderActivation, init);
        }

        public Config withKernel(int k) {
            return new Config(channels, height, width, filters, k, pooling, encoderActivation, decoderActivation, init);
        }

        public Config withPooling(boolean p) {
            return new Config(channels, height, width, filters, kernel, p, encoderActivation, decoderActivation, init);
        }

        public Config withActivations(Activation.Kind enc, Activation.Kind dec) {
            return new Config(channels, height, width, filters, kernel, pooling, enc, dec, init);
        }

        public Config withInit(Init i) {
            return new Config(channels, height, width, filters, kernel, pooling, encoderActivation, decoderActivation, i);
        }

        /** The settings as model-file metadata ({@code filters} as {@code 16,8}, {@code pooling} max or none). */
        public Map<String, String> toMetadata() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("preset", PRESET);
            m.put("input", channels + "x" + height + "x" + width);
            m.put("filters", text(filters));
            m.put("kernel", Integer.toString(kernel));
            m.put("pooling", pooling ? "max" : "none");
            m.put("encoder_activation", encoderActivation.cliName());
            m.put("decoder_activation", decoderActivation.cliName());
            m.put("init", init.cliName());
            return m;
        }

        /** Reads {@link #toMetadata()}; throws naming the bad key and its value. */
        public static Config fromMetadata(Map<String, String> meta) {
            int[] in = Models.parseShape(require(meta, "input"));
            String k = require(meta, "kernel");
            int kernel;
            try {
                kernel = Integer.parseInt(k.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("metadata 'kernel' is '" + org.cae4j.io.Json.printable(k)
                        + "', expected an integer");
            }
            String pool = require(meta, "pooling").trim();
            if (!pool.equals("max") && !pool.equals("none")) {
                throw new IllegalArgumentException("metadata 'pooling' is '" + org.cae4j.io.Json.printable(pool)
                        + "', expected max or none");
            }
            return new Config(in[0], in[1], in[2], parseFilters(require(meta, "filters")), kernel, pool.equals("max"),
                    Activation.parse(require(meta, "encoder_activation")).kind(),
                    Activation.parse(require(meta, "decoder_activation")).kind(),
                    Init.parse(meta.getOrDefault("init", "pytorch")));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Config c && c.toMetadata().equals(toMetadata());
        }

        @Override
        public int hashCode() { return toMetadata().hashCode(); }

        @Override
        public String toString() { return "StackedCae.Config" + toMetadata(); }

        private static void positive(String what, int v) {
            if (v <= 0) throw new IllegalArgumentException("stacked CAE: " + what + " must be positive, got " + v);
        }

        private static long parameters(int d, int[] filters, int kernel) {
            try {
                long total = 0, kk = Math.multiplyExact((long) kernel, kernel);
                int c = d;
                for (int n : filters) {
                    long w = Math.multiplyExact(Math.multiplyExact(kk, c), n);
                    total = Math.addExact(total, Math.addExact(Math.multiplyExact(2, w), (long) n + c));
                    c = n;
                }
                return total;
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }
    }

    /** Parses filter counts written as {@code 16,8}; each must be a positive integer. */
    public static int[] parseFilters(String text) {
        String s = org.cae4j.io.Json.printable(text);
        String[] parts = text.split(",", -1);
        if (parts.length > MAX_LAYERS) {
            throw new IllegalArgumentException("filters '" + s + "': at most " + MAX_LAYERS + " layers, got " + parts.length);
        }
        int[] f = new int[parts.length];
        try {
            for (int i = 0; i < f.length; i++) f[i] = Integer.parseInt(parts[i].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("filters '" + s + "': expected counts separated by commas, such as 16,8");
        }
        return f;
    }

    private static String text(int[] filters) {
        StringBuilder b = new StringBuilder();
        for (int n : filters) b.append(b.length() == 0 ? "" : ",").append(n);
        return b.toString();
    }

    private static String require(Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) throw new IllegalArgumentException("metadata has no '" + key + "'");
        return v;
    }

    /** Builds the stack with weights drawn from {@code rng} layer by layer: encoder 1, decoder 1, encoder 2, … */
    public static Autoencoder build(Config c, Rng rng) {
        int[] f = c.filters();
        int k = c.kernel();
        List<Layer> enc = new ArrayList<>();
        List<List<Layer>> dec = new ArrayList<>();
        for (int l = 0; l < f.length; l++) {
            int in = l == 0 ? c.channels() : f[l - 1];
            enc.add(new Conv2d(in, f[l], k, k, 1, 1, Padding.same(), true, c.init(), rng));
            enc.add(Activation.of(c.encoderActivation()));
            if (c.pooling()) enc.add(new MaxPool2d(2));
            List<Layer> d = new ArrayList<>();
            if (c.pooling()) d.add(new Upsample(2));
            d.add(new Conv2d(f[l], in, k, k, 1, 1, Padding.same(), true, c.init(), rng));
            d.add(Activation.of(l == 0 ? c.decoderActivation() : c.encoderActivation()));
            dec.add(d);
        }
        List<Layer> decoder = new ArrayList<>();
        for (int l = f.length - 1; l >= 0; l--) decoder.addAll(dec.get(l));
        return new Autoencoder(new Sequential(enc), new Sequential(decoder),
                new int[] {c.channels(), c.height(), c.width()}, c.toMetadata());
    }

    /**
     * The per-layer view of a stacked model (built by {@link #build} or loaded from a file): its encoders and
     * decoders share the model's layers and weights.
     *
     * @throws IllegalArgumentException if {@code model} is not a stacked CAE, naming its preset
     */
    public static StackedCae of(Autoencoder model) {
        Map<String, String> meta = model.architecture();
        if (!PRESET.equals(meta.get("preset")) || meta.containsKey("noise")) {
            throw new IllegalArgumentException("expected a stacked CAE (preset '" + PRESET + "' without input noise), got "
                    + "preset '" + meta.get("preset") + "'" + (meta.containsKey("noise") ? " with noise" : ""));
        }
        Config c = Config.fromMetadata(meta);
        int per = c.pooling() ? 3 : 2, depth = c.depth();
        Sequential e = model.encoder(), d = model.decoder();
        if (e.size() != depth * per || d.size() != depth * per) {
            throw new IllegalArgumentException("stacked CAE: expected " + depth * per + " encoder and decoder layers for "
                    + depth + " layers " + (c.pooling() ? "with" : "without") + " pooling, got " + e.size() + " and " + d.size());
        }
        List<Sequential> encoders = new ArrayList<>(), decoders = new ArrayList<>();
        for (int l = 0; l < depth; l++) {
            encoders.add(new Sequential(e.layers().subList(l * per, (l + 1) * per)));
            decoders.add(new Sequential(d.layers().subList((depth - 1 - l) * per, (depth - l) * per)));
        }
        return new StackedCae(model, c, List.copyOf(encoders), List.copyOf(decoders));
    }

    /** The whole stack, encoder 1 … encoder L | decoder L … decoder 1. */
    public Autoencoder model() { return model; }

    public Config config() { return config; }

    /** L, the number of layers. */
    public int depth() { return encoders.size(); }

    /** Encoder l (1 ≤ l ≤ L): maps (c_l, h, w) → (n_l, h/2, w/2) with pooling. */
    public Sequential encoder(int layer) { return encoders.get(check(layer) - 1); }

    /** Decoder l: the inverse shape of encoder l. */
    public Sequential decoder(int layer) { return decoders.get(check(layer) - 1); }

    /** Layer l's learnable parameters, encoder's then decoder's (what its greedy phase trains). */
    public List<Parameter> parameters(int layer) {
        List<Parameter> p = new ArrayList<>(encoder(layer).parameters());
        p.addAll(decoder(layer).parameters());
        return List.copyOf(p);
    }

    /** One sample's shape of the maps layer l takes in and reconstructs: the image for l = 1. */
    public int[] inputShape(int layer) {
        int[] s = model.inputShape();
        for (int i = 1; i < check(layer); i++) s = encoders.get(i - 1).outputShape(s);
        return s;
    }

    /**
     * What layer l reconstructs for a batch of images x (N,C,H,W): x itself for l = 1, else the maps of encoders
     * 1..l−1 (the result is then the last encoder's buffer, valid until its next forward). Run it in evaluation
     * mode; nothing is kept for a backward through those encoders.
     */
    public Tensor layerInput(int layer, Tensor x) {
        check(layer);
        int[] s = model.inputShape();
        if (x.rank() != 4 || x.dim(1) != s[0] || x.dim(2) != s[1] || x.dim(3) != s[2]) {
            throw new IllegalArgumentException("stacked CAE: expected images (N, " + s[0] + ", " + s[1] + ", " + s[2]
                    + "), got " + x.shapeString());
        }
        Tensor h = x;
        for (int i = 1; i < layer; i++) h = encoders.get(i - 1).forward(h);
        return h;
    }

    private int check(int layer) {
        if (layer < 1 || layer > encoders.size()) {
            throw new IllegalArgumentException("stacked CAE: layer must be 1 to " + encoders.size() + ", got " + layer);
        }
        return layer;
    }

    @Override
    public String toString() { return "StackedCae(" + Arrays.toString(config.filters()) + ", " + model + ")"; }
}
