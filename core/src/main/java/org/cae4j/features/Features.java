package org.cae4j.features;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.cae4j.data.ImageDataset;
import org.cae4j.model.Autoencoder;
import org.cae4j.nn.InputNoise;
import org.cae4j.nn.Layer;
import org.cae4j.ops.AdaptivePool;
import org.cae4j.tensor.Tensor;

/**
 * Features of images taken from one layer of a trained encoder: that layer's output for each image, its maps
 * optionally adaptive-pooled to an S×S grid (average or maximum), flattened to F numbers per image.
 *
 * <p>Layers are named as in the model's {@code state_dict}: {@code "code"} is the encoder's output (the
 * default); {@code "input"} is the image itself (raw pixels, for comparison); an integer i ≥ 0 is the output
 * of encoder layer i as numbered in the parameter names (for the seed CAE {@code 0} is the convolution, whose
 * parameters are {@code 0.weight, 0.bias}, and {@code 1} the tanh after it, which is the code); a negative i
 * counts from the end ({@code -1} is the code); in a model with nested names ({@code 0.3.weight}) the prefix
 * {@code 0.3} works too. Leading input-noise layers of a denoising model take no number, as in the file, and
 * do nothing here: features are computed in evaluation mode.
 * <pre>
 * N images, C channels, H,W map size, S pooled grid, F features per image
 *   x (N,C_in,H_in,W_in) → layer output (N,C,H,W) → pooled (N,C,S,S) → features (N,F), F = C·S·S
 * </pre>
 * <pre>{@code
 * Features f = Features.of(model, "code", 8, Features.Pooling.AVG);
 * f.stream(dataset, 256, (from, count, feats) -> write(feats, count * f.size()));
 * }</pre>
 */
public final class Features {
    /** How maps are reduced to the S×S grid (see {@link AdaptivePool}). */
    public enum Pooling {
        AVG, MAX;

        /** {@code avg} or {@code max}. */
        public String cliName() { return name().toLowerCase(Locale.ROOT); }

        /** Parses {@code avg} or {@code max}, naming the bad value otherwise. */
        public static Pooling parse(String s) {
            for (Pooling p : values()) if (p.cliName().equals(s)) return p;
            throw new IllegalArgumentException("pooling must be avg or max, got '" + s + "'");
        }
    }

    /** Receives the features of images {@code from .. from+count−1}: {@code feats[i·F + f]}, valid until it returns. */
    @FunctionalInterface
    public interface Sink {
        void accept(int from, int count, float[] feats) throws IOException;
    }

    private final Autoencoder model;
    private final String layerName;
    /** Encoder layers run, 0 for the input itself. */
    private final int depth;
    private final int[] layerShape;
    private final int pool;
    private final Pooling pooling;
    private final int size;

    private Features(Autoencoder model, String layerName, int depth, int pool, Pooling pooling) {
        this.model = model;
        this.layerName = layerName;
        this.depth = depth;
        int[] s = model.inputShape();
        for (int i = 0; i < depth; i++) s = model.encoder().get(i).outputShape(s);
        this.layerShape = s;
        if (pool < 0) throw new IllegalArgumentException("pool size must be >= 0 (0: no pooling), got " + pool);
        if (pool > 0 && (s.length != 3 || pool > s[1] || pool > s[2])) {
            throw new IllegalArgumentException("cannot pool layer " + layerName + " to " + pool + "x" + pool
                    + ": its output is " + Arrays.toString(s) + "; pooling needs (C, H, W) maps at least " + pool
                    + "x" + pool);
        }
        this.pool = pool;
        this.pooling = pooling == null ? Pooling.AVG : pooling;
        this.size = pool > 0 ? s[0] * pool * pool : (int) Tensor.numel(s);
    }

    /**
     * Features of {@code layer} (see the class comment for names), each map pooled to {@code pool}×{@code pool}
     * (0: not pooled).
     *
     * @throws IllegalArgumentException for an unknown layer, listing the names there are, or a pool size the
     *                                  layer's output cannot take
     */
    public static Features of(Autoencoder model, String layer, int pool, Pooling pooling) {
        int depth = depth(model, layer);
        return new Features(model, describe(model, depth), depth, pool, pooling);
    }

    /** Encoder layers to run for {@code layer}: 0 for the input, all of them for the code. */
    static int depth(Autoencoder model, String layer) {
        List<Layer> layers = model.encoder().layers();
        int skip = 0;
        while (skip < layers.size() && layers.get(skip) instanceof InputNoise) skip++;
        int numbered = layers.size() - skip;
        String s = layer == null ? "code" : layer.trim();
        if (s.equals("code")) return layers.size();
        if (s.equals("input")) return 0;
        String index = s;
        if (model.naming() == Autoencoder.Naming.NESTED && s.startsWith("0.")) index = s.substring(2);
        try {
            int i = Integer.parseInt(index);
            if (i < 0) i += numbered;
            if (i >= 0 && i < numbered) return skip + i + 1;
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("unknown layer '" + layer + "'; expected code, input or an encoder layer "
                + names(model));
    }

    /** The encoder's layers as they can be named, e.g. {@code 0 Conv2d(1->16, k=5, s=1, p=4), 1 Tanh}. */
    public static String names(Autoencoder model) {
        List<Layer> layers = model.encoder().layers();
        int skip = 0;
        while (skip < layers.size() && layers.get(skip) instanceof InputNoise) skip++;
        String prefix = model.naming() == Autoencoder.Naming.NESTED ? "0." : "";
        List<String> out = new ArrayList<>();
        for (int i = skip; i < layers.size(); i++) out.add(prefix + (i - skip) + " " + layers.get(i));
        return String.join(", ", out);
    }

    private static String describe(Autoencoder model, int depth) {
        if (depth == 0) return "input";
        List<Layer> layers = model.encoder().layers();
        int skip = 0;
        while (skip < layers.size() && layers.get(skip) instanceof InputNoise) skip++;
        String prefix = model.naming() == Autoencoder.Naming.NESTED ? "0." : "";
        String n = prefix + (depth - 1 - skip) + " " + layers.get(depth - 1);
        return depth == layers.size() ? n + " (code)" : n;
    }

    /** Features per image, F. */
    public int size() { return size; }

    /** The chosen layer's output shape for one image, before pooling. */
    public int[] layerShape() { return layerShape.clone(); }

    /** The layer as resolved, e.g. {@code 1 Tanh (code)} or {@code input}. */
    public String layerName() { return layerName; }

    /** Pool size S, 0 when not pooled. */
    public int pool() { return pool; }

    public Pooling pooling() { return pooling; }

    /**
     * Writes the features (N,F) of a batch x (N,C,H,W) into {@code dst}, in evaluation mode (no noise, no
     * dropout, batch norm's running statistics); the model's mode is restored afterwards.
     */
    public void forward(Tensor x, float[] dst) {
        int[] in = model.inputShape();
        if (x.rank() != 4 || x.dim(1) != in[0] || x.dim(2) != in[1] || x.dim(3) != in[2]) {
            throw new IllegalArgumentException("features: expected input (N, " + in[0] + ", " + in[1] + ", " + in[2]
                    + "), got " + x.shapeString());
        }
        int n = x.dim(0);
        if ((long) n * size > dst.length) {
            throw new IllegalArgumentException("features: " + n + " images need " + (long) n * size
                    + " floats, dst holds " + dst.length);
        }
        boolean training = model.isTraining();
        model.train(false);
        try {
            Tensor h = x;
            for (int i = 0; i < depth; i++) h = model.encoder().get(i).forward(h);
            if (pool > 0) {
                AdaptivePool.adaptivePool2dForward(dst, h.data, n, layerShape[0], layerShape[1], layerShape[2], pool,
                        pool, pooling == Pooling.MAX);
            } else {
                System.arraycopy(h.data, 0, dst, 0, n * size);
            }
        } finally {
            model.train(training);
        }
    }

    /**
     * Runs the images of {@code data} through in batches of {@code batchSize}, in order, handing each batch's
     * features to {@code sink}; only one batch of features is held at a time.
     */
    public void stream(ImageDataset data, int batchSize, Sink sink) throws IOException {
        int[] in = model.inputShape();
        if (data.channels() != in[0] || data.height() != in[1] || data.width() != in[2]) {
            throw new IllegalArgumentException(data.name() + ": images are " + data.channels() + "x" + data.height()
                    + "x" + data.width() + " but the model expects " + in[0] + "x" + in[1] + "x" + in[2]);
        }
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        int n = data.size(), bs = Math.min(batchSize, n);
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        Tensor x = new Tensor(bs, in[0], in[1], in[2]);
        float[] feats = new float[bs * size];
        for (int from = 0; from < n; from += bs) {
            int count = Math.min(bs, n - from);
            Tensor xb = count == bs ? x : new Tensor(count, in[0], in[1], in[2]);
            data.copyBatch(all, from, count, xb.data);
            forward(xb, feats);
            sink.accept(from, count, feats);
        }
    }

    /** The features of all of {@code data} as one row-major (N,F) array. */
    public float[] matrix(ImageDataset data, int batchSize) {
        long total = (long) data.size() * size;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(data.name() + ": " + data.size() + " x " + size + " features do not fit "
                    + "one array; pool the maps (smaller S) or stream them");
        }
        float[] out = new float[(int) total];
        try {
            stream(data, batchSize, (from, count, feats) -> System.arraycopy(feats, 0, out, from * size, count * size));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Override
    public String toString() {
        return "Features(layer " + layerName + (pool > 0 ? ", " + pooling.cliName() + "-pooled to " + pool + "x" + pool : "")
                + ", " + size + " per image)";
    }
}
