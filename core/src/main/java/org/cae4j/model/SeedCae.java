package org.cae4j.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cae4j.nn.Activation;
import org.cae4j.nn.Conv2d;
import org.cae4j.nn.ConvTranspose2d;
import org.cae4j.nn.Init;
import org.cae4j.nn.Layer;
import org.cae4j.nn.Sequential;
import org.cae4j.ops.Padding;
import org.cae4j.tensor.Rng;

/**
 * The seed convolutional autoencoder: n learned (2k+1)×(2k+1) filters over a d-channel image.
 *
 * <pre>
 *   encoder: z_m = a(I ∗ F_m + b_m), m = 1..n, the input zero-padded by (2k+1) − 1 on each side ("full"),
 *            so each map is (H + 2k)/s + 1 on a side: 28×28, 5×5 filters, stride 1 → 32×32
 *   decoder: x̂ = a'(Σ_m z_m ∗ F'_m + c), a "valid" convolution with d filters (2k+1, 2k+1, n): 32×32 → 28×28
 * </pre>
 * With stride s &gt; 1 the decoder is the encoder's adjoint, a transposed convolution with the same kernel,
 * stride s, padding 2k and output_padding (H + 2k − 1) mod s, so the reconstruction is exactly H×W.
 * Defaults (n = 16, 5×5, tanh, sigmoid) are model A of the PyTorch peer:
 * {@code nn.Sequential(nn.Conv2d(1, 16, 5, padding=4), nn.Tanh(), nn.Conv2d(16, 1, 5), nn.Sigmoid())}.
 *
 * <p>With tied weights (Config {@code tied}) the decoder filters are the encoder's, F'_m = flipped F_m: the
 * decoder is always that transposed convolution, sharing the encoder's (n, d, R, R) weight, with padding 2k
 * and its own bias, i.e. PyTorch's {@code F.conv_transpose2d(z, enc.weight, dec_bias, stride, padding=k-1,
 * output_padding)}. Its parameters are {@code 0.weight, 0.bias, 2.bias}.
 */
public final class SeedCae {
    /** Largest weight tensor accepted (2^26 floats, 256 MiB), so a bad setting fails before allocating. */
    public static final long MAX_WEIGHTS = 1L << 26;

    private SeedCae() {}

    /**
     * Settings of a seed CAE; {@code kernel} = 2k+1; {@code tied}: the decoder is the transposed convolution by
     * the encoder's own filters (see {@link SeedCae}).
     */
    public record Config(int channels, int height, int width, int filters, int kernel, int stride,
                         Activation.Kind encoderActivation, Activation.Kind decoderActivation, Init init, boolean tied) {
        public Config {
            positive("channels", channels);
            positive("height", height);
            positive("width", width);
            positive("filters", filters);
            positive("kernel", kernel);
            positive("stride", stride);
            long weights = (long) filters * channels * kernel * kernel;
            if (weights > MAX_WEIGHTS) {
                throw new IllegalArgumentException("seed CAE: " + filters + " filters of " + channels + "x" + kernel
                        + "x" + kernel + " is " + weights + " weights per layer, more than the limit " + MAX_WEIGHTS);
            }
        }

        /** Learnable parameters: the encoder's weight and bias, the decoder's weight (unless tied) and bias. */
        public long parameters() {
            long w = (long) filters * channels * kernel * kernel;   // at most MAX_WEIGHTS, checked above
            return w + filters + (tied ? 0 : w) + channels;
        }

        /** Untied settings. */
        public Config(int channels, int height, int width, int filters, int kernel, int stride,
                      Activation.Kind encoderActivation, Activation.Kind decoderActivation, Init init) {
            this(channels, height, width, filters, kernel, stride, encoderActivation, decoderActivation, init, false);
        }

        private static void positive(String what, int v) {
            if (v <= 0) throw new IllegalArgumentException("seed CAE: " + what + " must be positive, got " + v);
        }

        /** Model A: 16 filters 5×5, stride 1, tanh, sigmoid, PyTorch init, for a C×H×W input. */
        public static Config defaults(int channels, int height, int width) {
            return new Config(channels, height, width, 16, 5, 1, Activation.Kind.TANH, Activation.Kind.SIGMOID,
                    Init.PYTORCH);
        }

        public Config withFilters(int n) {
            return new Config(channels, height, width, n, kernel, stride, encoderActivation, decoderActivation, init, tied);
        }

        public Config withKernel(int k) {
            return new Config(channels, height, width, filters, k, stride, encoderActivation, decoderActivation, init, tied);
        }

        public Config withStride(int s) {
            return new Config(channels, height, width, filters, kernel, s, encoderActivation, decoderActivation, init, tied);
        }

        public Config withActivations(Activation.Kind enc, Activation.Kind dec) {
            return new Config(channels, height, width, filters, kernel, stride, enc, dec, init, tied);
        }

        public Config withInit(Init i) {
            return new Config(channels, height, width, filters, kernel, stride, encoderActivation, decoderActivation, i, tied);
        }

        /** Tied (true) or separate (false) decoder filters. */
        public Config withTied(boolean t) {
            return new Config(channels, height, width, filters, kernel, stride, encoderActivation, decoderActivation, init, t);
        }

        /** The settings as model-file metadata. */
        public Map<String, String> toMetadata() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("preset", "seed");
            m.put("input", channels + "x" + height + "x" + width);
            m.put("filters", Integer.toString(filters));
            m.put("kernel", Integer.toString(kernel));
            m.put("stride", Integer.toString(stride));
            m.put("encoder_activation", encoderActivation.cliName());
            m.put("decoder_activation", decoderActivation.cliName());
            m.put("init", init.cliName());
            if (tied) m.put("tied", "true");
            return m;
        }
    }

    /** Builds the model with weights drawn from {@code rng}. */
    public static Autoencoder build(Config c, Rng rng) {
        int k = c.kernel();
        Conv2d enc = new Conv2d(c.channels(), c.filters(), k, k, c.stride(), c.stride(), Padding.full(), true, c.init(), rng);
        Layer dec;
        if (c.tied()) {
            // the adjoint of the encoder: padding k − 1 makes it "valid", output_padding restores H at stride s
            int op = outputPadding(c);
            dec = ConvTranspose2d.tiedTo(enc, k - 1, op, true, c.init(), rng);
        } else if (c.stride() == 1) {
            dec = new Conv2d(c.filters(), c.channels(), k, k, 1, 1, Padding.valid(), true, c.init(), rng);
        } else {
            dec = new ConvTranspose2d(c.filters(), c.channels(), k, c.stride(), k - 1, outputPadding(c), true,
                    c.init(), rng);
        }
        return new Autoencoder(
                new Sequential(enc, Activation.of(c.encoderActivation())),
                new Sequential(dec, Activation.of(c.decoderActivation())),
                new int[] {c.channels(), c.height(), c.width()}, c.toMetadata());
    }

    /** The transposed convolution's output_padding that gives back H×W. */
    private static int outputPadding(Config c) {
        // maps are P = (H + k − 2)/s + 1; a transposed conv with padding k − 1 gives (P − 1)s − k + 2 + op
        int k = c.kernel();
        int opH = (c.height() + k - 2) % c.stride(), opW = (c.width() + k - 2) % c.stride();
        if (opH != opW) {
            throw new IllegalArgumentException("seed CAE: stride " + c.stride() + " needs output_padding "
                    + opH + " on height and " + opW + " on width for a " + c.height() + "x" + c.width()
                    + " input; use a square input or stride 1");
        }
        return opH;
    }
}
