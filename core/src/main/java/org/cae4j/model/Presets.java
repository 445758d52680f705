package org.cae4j.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cae4j.nn.Activation;
import org.cae4j.nn.Conv2d;
import org.cae4j.nn.ConvTranspose2d;
import org.cae4j.nn.Flatten;
import org.cae4j.nn.Layer;
import org.cae4j.nn.Linear;
import org.cae4j.nn.MaxPool2d;
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
 * <li>{@code dense} (model D): 784-128-64-32-64-128-784, ReLU hidden, sigmoid output; 222,384 parameters.</li>
 * </ul>
 */
public final class Presets {
    private Presets() {}

    /** Names accepted by {@link #build}. */
    public static final String NAMES = "seed, bottleneck, keras, dense";

    /** Model B with a {@code code}-dimensional linear code. */
    public static Autoencoder bottleneck(int d, int h, int w, int code, Rng rng) {
        if (code <= 0) throw new IllegalArgumentException("bottleneck: code size must be positive, got " + code);
        if (h % 4 != 0 || w % 4 != 0) {
            throw new IllegalArgumentException("bottleneck: input " + h + "x" + w + " must be divisible by 4 "
                    + "(two stride-2 convolutions and two stride-2 transposed convolutions)");
        }
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
    public static Autoencoder dense(int d, int h, int w, Rng rng) {
        int n = d * h * w;
        int[] dims = {n, 128, 64, 32, 64, 128, n};
        Layer[] e = new Layer[7], dl = new Layer[7];
        e[0] = new Flatten();
        for (int i = 0; i < 3; i++) {
            e[1 + 2 * i] = new Linear(dims[i], dims[i + 1], rng);
            e[2 + 2 * i] = Activation.relu();
        }
        for (int i = 3; i < 6; i++) {
            dl[2 * (i - 3)] = new Linear(dims[i], dims[i + 1], rng);
            dl[2 * (i - 3) + 1] = i == 5 ? Activation.sigmoid() : Activation.relu();
        }
        dl[6] = new Unflatten(1, d, h, w);
        return new Autoencoder(new Sequential(e), new Sequential(dl), new int[] {d, h, w}, meta("dense", d, h, w));
    }

    private static Map<String, String> meta(String preset, int d, int h, int w) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("preset", preset);
        m.put("input", d + "x" + h + "x" + w);
        return m;
    }
}
