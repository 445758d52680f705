package org.cae4j.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cae4j.nn.Activation;
import org.cae4j.nn.Conv2d;
import org.cae4j.nn.ConvTranspose2d;
import org.cae4j.nn.Flatten;
import org.cae4j.nn.GaussianNoise;
import org.cae4j.nn.InputNoise;
import org.cae4j.nn.KlSparsity;
import org.cae4j.nn.Layer;
import org.cae4j.nn.Linear;
import org.cae4j.nn.MaxPool2d;
import org.cae4j.nn.Reparameterize;
import org.cae4j.nn.Sequential;
import org.cae4j.nn.Unflatten;
import org.cae4j.nn.Upsample;
import org.cae4j.ops.Padding;
import org.cae4j.tensor.Rng;

/**
 * The reference autoencoders besides the seed CAE, layer for layer as the PyTorch peer defines them (for a
 * 1×28×28 input; d channels in and out for other depths), with PyTorch's parameter names:
 * <ul>
 * <li>{@code bottleneck} (model B): Conv(d→16, 3, s2, p1)-ReLU-Conv(16→32, 3, s2, p1)-ReLU-Flatten-Linear(32·7·7→20)
 *     code; Linear(20→32·7·7)-ReLU-Unflatten-ConvT(32→16, 3, s2, p1, op1)-ReLU-ConvT(16→d, 3, s2, p1, op1)-Sigmoid;
 *     73,877 parameters at 1×28×28.</li>
 * <li>{@code keras} (model C, Chollet's Keras blog): Conv16-MaxPool-Conv8-MaxPool-Conv8-MaxPool (3×3 convs,
 *     'same' pooling = ceil_mode) to an 8×4×4 code; Conv8-Up-Conv8-Up-Conv16(valid)-Up-Conv(→d)-Sigmoid,
 *     28→14→7→4→8→16→14→28; 4,385 parameters.</li>
 * <li>{@code dense} (model D): 784-128-64-32-64-128-784, ReLU hidden, sigmoid output; 222,384 parameters;
 *     optionally with tied weights (decoder layer i uses the transpose of encoder layer 4 − i's weight).</li>
 * </ul>
 * and the rest of the autoencoder family:
 * <ul>
 * <li>{@link #denoising}: any of them with an {@link InputNoise} layer first in the encoder.</li>
 * <li>{@code sparse}: d·h·w → hidden (sigmoid) → d·h·w (sigmoid) with a {@link KlSparsity} penalty on the
 *     hidden units (UFLDL's sparse autoencoder).</li>
 * <li>{@code vae-dense}: PyTorch's examples/vae, 784-400-(μ, log σ²)-sampled z-400-784, ReLU, sigmoid output.</li>
 * <li>{@code vae-conv}: model B's strided convolutions around a {@link Reparameterize} code.</li>
 * </ul>
 * A preset's stochastic layers (the VAE's sampling) draw from their own generator, seeded from the preset's
 * {@link Rng} after the weights, so the same seed gives the same weights with or without them.
 */
public final class Presets {
    private Presets() {}

    /** The presets built from command-line settings. */
    public static final String NAMES = "seed, bottleneck, keras, dense";
    /** Every preset {@link Models#fromMetadata} rebuilds. */
    public static final String ALL_NAMES = NAMES + ", sparse, vae-dense, vae-conv, stacked";

    /** Most learnable parameters a preset may have (2^28, 1 GiB of float32), as for {@link Architecture}. */
    public static final long MAX_PARAMETERS = Architecture.MAX_PARAMETERS;

    /** Model B's parameters for a d×h×w input and a {@code code}-d code; checks the settings. */
    public static long bottleneckParameters(int d, int h, int w, int code) {
        if (code <= 0) throw new IllegalArgumentException("bottleneck: code size must be positive, got " + code);
        if (h % 4 != 0 || w % 4 != 0) {
            throw new IllegalArgumentException("bottleneck: input " + h + "x" + w + " must be divisible by 4 "
                    + "(two stride-2 convolutions and two stride-2 transposed convolutions)");
        }
        long flat = 32L * (h / 4) * (w / 4);
        return limit("bottleneck", d, h, w, convs(d) + 2 * times(flat, code) + code + flat);
    }

    /** Model C's parameters for d channels. */
    public static long kerasParameters(int d) {
        return (16L * d * 9 + 16) + (8 * 16 * 9 + 8) + 3 * (8 * 8 * 9 + 8) + (16 * 8 * 9 + 16) + (d * 16L * 9 + d);
    }

    /** Model D's parameters for a d×h×w input, tied or not; checks the size. */
    public static long denseParameters(int d, int h, int w, boolean tied) {
        long n = (long) d * h * w;
        long enc = times(n, 128) + 128 + 128 * 64 + 64 + 64 * 32 + 32;
        long dec = tied ? 64 + 128 + n : 32 * 64 + 64 + 64 * 128 + 128 + times(128, n) + n;
        return limit("dense", d, h, w, enc + dec);
    }

    /** The sparse autoencoder's parameters; checks the settings. */
    public static long sparseParameters(int d, int h, int w, int hidden) {
        if (hidden <= 0) throw new IllegalArgumentException("sparse: hidden size must be positive, got " + hidden);
        long n = (long) d * h * w;
        return limit("sparse", d, h, w, 2 * times(n, hidden) + hidden + n);
    }

    /** The dense VAE's parameters; checks the settings. */
    public static long vaeDenseParameters(int d, int h, int w, int hidden, int latent) {
        if (hidden <= 0 || latent <= 0) {
            throw new IllegalArgumentException("vae-dense: hidden and latent sizes must be positive, got " + hidden
                    + " and " + latent);
        }
        long n = (long) d * h * w;
        return limit("vae-dense", d, h, w, 2 * times(n, hidden) + hidden + n + times(hidden, 3L * latent) + 2L * latent + hidden);
    }

    /** The convolutional VAE's parameters; checks the settings. */
    public static long vaeConvParameters(int d, int h, int w, int latent) {
        if (latent <= 0) throw new IllegalArgumentException("vae-conv: latent size must be positive, got " + latent);
        if (h % 4 != 0 || w % 4 != 0) {
            throw new IllegalArgumentException("vae-conv: input " + h + "x" + w + " must be divisible by 4 "
                    + "(two stride-2 convolutions and two stride-2 transposed convolutions)");
        }
        long flat = 32L * (h / 4) * (w / 4);
        return limit("vae-conv", d, h, w, convs(d) + times(flat, 3L * latent) + 2L * latent + flat);
    }

    /** The four 3×3 convolutions of model B: d→16, 16→32, and back. */
    private static long convs(int d) {
        return (16L * d * 9 + 16) + (32 * 16 * 9 + 32) + (32 * 16 * 9 + 16) + (16L * d * 9 + d);
    }

    /** a·b, saturating at Long.MAX_VALUE (the sizes are positive). */
    private static long times(long a, long b) {
        return a != 0 && b > Long.MAX_VALUE / a ? Long.MAX_VALUE : a * b;
    }

    private static long limit(String preset, int d, int h, int w, long parameters) {
        if (parameters < 0 || parameters > MAX_PARAMETERS) {
            throw new IllegalArgumentException(preset + ": input " + d + "x" + h + "x" + w + " needs "
                    + (parameters < 0 ? "more than 2^63" : Long.toString(parameters)) + " parameters, more than the limit "
                    + MAX_PARAMETERS + " (2^28)");
        }
        return parameters;
    }

    /** Model B with a {@code code}-dimensional linear code. */
    public static Autoencoder bottleneck(int d, int h, int w, int code, Rng rng) {
        bottleneckParameters(d, h, w, code);
        int h4 = h / 4, w4 = w / 4, flat = 32 * h4 * w4;
        Sequential enc = new Sequential(
                new Conv2d(d, 16, 3, 2, Padding.of(1), rng), Activation.relu(),
                new Conv2d(16, 32, 3, 2, Padding.of(1), rng), Activation.relu(),
                new Flatten(), new Linear(flat, code, rng));
        Sequential dec = new Sequential(
                new Linear(code, flat, rng), Activation.relu(), new Unflatten(1, 32, h4, w4),
                new ConvTranspose2d(32, 16, 3, 2, 1, 1, rng), Activation.relu(),
                new ConvTranspose2d(16, d, 3, 2, 1, 1, rng), Activation.sigmoid());
        Map<String, String> meta = meta("bottleneck", d, h, w);
        meta.put("code", Integer.toString(code));
        return new Autoencoder(enc, dec, new int[] {d, h, w}, meta, Autoencoder.Naming.NESTED);
    }

    /** Model C. */
    public static Autoencoder keras(int d, int h, int w, Rng rng) {
        Sequential enc = new Sequential(
                conv(d, 16, 1, rng), Activation.relu(), pool(),
                conv(16, 8, 1, rng), Activation.relu(), pool(),
                conv(8, 8, 1, rng), Activation.relu(), pool());
        Sequential dec = new Sequential(
                conv(8, 8, 1, rng), Activation.relu(), new Upsample(2),
                conv(8, 8, 1, rng), Activation.relu(), new Upsample(2),
                conv(8, 16, 0, rng), Activation.relu(), new Upsample(2),
                conv(16, d, 1, rng), Activation.sigmoid());
        return new Autoencoder(enc, dec, new int[] {d, h, w}, meta("keras", d, h, w), Autoencoder.Naming.NESTED);
    }

    private static Layer conv(int in, int out, int pad, Rng rng) { return new Conv2d(in, out, 3, 1, Padding.of(pad), rng); }

    private static Layer pool() { return new MaxPool2d(2, 2, 0, true); }

    /** Model D: d·h·w-128-64-32-64-128-d·h·w. */
    public static Autoencoder dense(int d, int h, int w, Rng rng) { return dense(d, h, w, false, rng); }

    /**
     * Model D, with {@code tied} weights if asked: each decoder Linear is {@link Linear#tiedTo} the encoder Linear
     * it mirrors (32→64 uses the 64→32 weight transposed, …), with its own bias, so the parameters are the
     * encoder's six tensors and three decoder biases ({@code 7.bias, 9.bias, 11.bias}): 111,792 at 1×28×28.
     */
    public static Autoencoder dense(int d, int h, int w, boolean tied, Rng rng) {
        denseParameters(d, h, w, tied);
        int n = d * h * w;
        int[] dims = {n, 128, 64, 32, 64, 128, n};
        Layer[] e = new Layer[7], dl = new Layer[7];
        e[0] = new Flatten();
        for (int i = 0; i < 3; i++) {
            e[1 + 2 * i] = new Linear(dims[i], dims[i + 1], rng);
            e[2 + 2 * i] = Activation.relu();
        }
        for (int i = 3; i < 6; i++) {
            // decoder layer i mirrors encoder layer 5 − i, at e[1 + 2(5 − i)]
            dl[2 * (i - 3)] = tied ? Linear.tiedTo((Linear) e[1 + 2 * (5 - i)], true, rng) : new Linear(dims[i], dims[i + 1], rng);
            dl[2 * (i - 3) + 1] = i == 5 ? Activation.sigmoid() : Activation.relu();
        }
        dl[6] = new Unflatten(1, d, h, w);
        Map<String, String> meta = meta("dense", d, h, w);
        if (tied) meta.put("tied", "true");
        return new Autoencoder(new Sequential(e), new Sequential(dl), new int[] {d, h, w}, meta);
    }

    /**
     * A denoising autoencoder (Vincent et al. 2008): {@code base} with {@code noise} first in its encoder, so it
     * learns to reconstruct the clean batch from a corrupted one; in evaluation the noise is the identity. The
     * result shares base's layers and weights (use it instead of base), keeps base's parameter names (leading
     * noise takes no index, see {@link Autoencoder}) and adds the noise to the metadata:
     * {@code noise} (its {@link InputNoise#kind()}), {@code noise_level}, and {@code noise_clip} for Gaussian noise.
     */
    public static Autoencoder denoising(Autoencoder base, InputNoise noise) {
        if (base.encoder().size() > 0 && base.encoder().get(0) instanceof InputNoise) {
            throw new IllegalArgumentException("denoising: the model already starts with " + base.encoder().get(0));
        }
        List<Layer> enc = new ArrayList<>();
        enc.add(noise);
        enc.addAll(base.encoder().layers());
        Map<String, String> meta = new LinkedHashMap<>(base.architecture());
        meta.put("noise", noise.kind());
        meta.put("noise_level", Double.toString(noise.level()));
        if (noise instanceof GaussianNoise) meta.put("noise_clip", Boolean.toString(((GaussianNoise) noise).clip()));
        return new Autoencoder(new Sequential(enc), base.decoder(), base.inputShape(), meta, base.naming());
    }

    /**
     * The sparse autoencoder of UFLDL: d·h·w → {@code hidden} sigmoid units → d·h·w sigmoid outputs, with
     * {@link KlSparsity}(ρ, β) on the hidden units. Layers: Flatten, Linear, Sigmoid, KlSparsity | Linear, Sigmoid,
     * Unflatten, so the parameters are {@code 1.weight, 1.bias, 4.weight, 4.bias} (the penalty layer takes index 3,
     * an {@code nn.Identity()} in the equivalent PyTorch module). UFLDL's weight decay (λ/2)·Σ W² is the
     * optimizer's {@code weight_decay} λ (Adam or SGD with L2, which also decays the biases).
     */
    public static Autoencoder sparse(int d, int h, int w, int hidden, double rho, double beta, Rng rng) {
        sparseParameters(d, h, w, hidden);
        int n = d * h * w;
        KlSparsity kl = new KlSparsity(rho, beta);
        Sequential enc = new Sequential(new Flatten(), new Linear(n, hidden, rng), Activation.sigmoid(), kl);
        Sequential dec = new Sequential(new Linear(hidden, n, rng), Activation.sigmoid(), new Unflatten(1, d, h, w));
        Map<String, String> meta = meta("sparse", d, h, w);
        meta.put("hidden", Integer.toString(hidden));
        meta.put("rho", Double.toString(rho));
        meta.put("beta", Double.toString(beta));
        return new Autoencoder(enc, dec, new int[] {d, h, w}, meta);
    }

    /**
     * The variational autoencoder of PyTorch's examples/vae for d·h·w inputs: Flatten, Linear(d·h·w → hidden),
     * ReLU, Linear(hidden → 2·latent), {@link Reparameterize}(latent, β) | Linear(latent → hidden), ReLU,
     * Linear(hidden → d·h·w), Sigmoid, Unflatten. The example's fc21 and fc22 are stacked into the one
     * Linear(hidden → 2·latent) (rows 0..latent−1 give μ, the rest log σ²); parameters {@code 1.*, 3.*, 5.*, 7.*}.
     * The example uses hidden 400 and latent 20 (2 for a {@link Autoencoder#manifold}); train it with
     * {@code new PerSampleSum(new BceLoss())}.
     */
    public static Autoencoder vaeDense(int d, int h, int w, int hidden, int latent, double beta, Rng rng) {
        vaeDenseParameters(d, h, w, hidden, latent);
        int n = d * h * w;
        Linear fc1 = new Linear(n, hidden, rng), fc2 = new Linear(hidden, 2 * latent, rng);
        Linear fc3 = new Linear(latent, hidden, rng), fc4 = new Linear(hidden, n, rng);
        Reparameterize z = new Reparameterize(latent, beta, new Rng(rng.nextLong()));
        Sequential enc = new Sequential(new Flatten(), fc1, Activation.relu(), fc2, z);
        Sequential dec = new Sequential(fc3, Activation.relu(), fc4, Activation.sigmoid(), new Unflatten(1, d, h, w));
        Map<String, String> meta = meta("vae-dense", d, h, w);
        meta.put("hidden", Integer.toString(hidden));
        meta.put("latent", Integer.toString(latent));
        meta.put("beta", Double.toString(beta));
        return new Autoencoder(enc, dec, new int[] {d, h, w}, meta);
    }

    /**
     * A convolutional VAE on model B's layout: Conv(d→16, 3, s2, p1)-ReLU-Conv(16→32, 3, s2, p1)-ReLU-Flatten-
     * Linear(32·h/4·w/4 → 2·latent)-{@link Reparameterize} | model B's decoder from a {@code latent} code. Nested
     * names as model B ({@code 0.0.weight}, …, {@code 1.5.bias}).
     */
    public static Autoencoder vaeConv(int d, int h, int w, int latent, double beta, Rng rng) {
        vaeConvParameters(d, h, w, latent);
        int h4 = h / 4, w4 = w / 4, flat = 32 * h4 * w4;
        Layer c1 = new Conv2d(d, 16, 3, 2, Padding.of(1), rng), c2 = new Conv2d(16, 32, 3, 2, Padding.of(1), rng);
        Layer fc = new Linear(flat, 2 * latent, rng);
        Sequential dec = new Sequential(
                new Linear(latent, flat, rng), Activation.relu(), new Unflatten(1, 32, h4, w4),
                new ConvTranspose2d(32, 16, 3, 2, 1, 1, rng), Activation.relu(),
                new ConvTranspose2d(16, d, 3, 2, 1, 1, rng), Activation.sigmoid());
        Reparameterize z = new Reparameterize(latent, beta, new Rng(rng.nextLong()));
        Sequential enc = new Sequential(c1, Activation.relu(), c2, Activation.relu(), new Flatten(), fc, z);
        Map<String, String> meta = meta("vae-conv", d, h, w);
        meta.put("latent", Integer.toString(latent));
        meta.put("beta", Double.toString(beta));
        return new Autoencoder(enc, dec, new int[] {d, h, w}, meta, Autoencoder.Naming.NESTED);
    }

    private static Map<String, String> meta(String preset, int d, int h, int w) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("preset", preset);
        m.put("input", d + "x" + h + "x" + w);
        return m;
    }
}
