package org.cae4j.data;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a pixel becomes a network input: y = (u − mean_c) / std_c, where u in [0, 1] is the stored pixel (a byte p
 * gives u = p/255) and c its channel, as {@code torchvision.transforms.Normalize} does after {@code ToTensor}.
 *
 * <p>Three kinds: {@link #unit()} keeps u (mean 0, std 1, the default); {@link #symmetric()} maps to [−1, 1]
 * (mean 0.5, std 0.5, for a tanh decoder); {@link #meanStd} subtracts a per-channel mean and divides by a
 * per-channel standard deviation, given or {@linkplain #meanStd(ImageDataset) computed on the training set}.
 * {@link #toMetadata()} and {@link #fromMetadata} turn it into model-file metadata and back, so a model
 * remembers the inputs it was trained on; {@link #invert} maps outputs back to [0, 1] for pictures.
 */
public final class Normalization {
    /** Metadata keys written by {@link #toMetadata()}. */
    public static final String KEY = "normalization", MEAN_KEY = "normalization_mean", STD_KEY = "normalization_std";

    /** The kinds, by the name stored in metadata. */
    public enum Kind {
        /** y = u, in [0, 1]. */
        UNIT("unit"),
        /** y = (u − 0.5)/0.5 = 2u − 1, in [−1, 1]. */
        SYMMETRIC("symmetric"),
        /** y = (u − mean_c)/std_c. */
        MEAN_STD("mean_std");

        final String id;

        Kind(String id) { this.id = id; }

        /** The name stored in metadata and accepted on the command line. */
        public String id() { return id; }
    }

    private static final Normalization UNIT = new Normalization(Kind.UNIT, new float[] {0f}, new float[] {1f});
    private static final Normalization SYMMETRIC = new Normalization(Kind.SYMMETRIC, new float[] {0.5f}, new float[] {0.5f});

    private final Kind kind;
    /** One entry for every channel, or a single entry that applies to all. */
    private final float[] mean, std;

    private Normalization(Kind kind, float[] mean, float[] std) {
        this.kind = kind;
        this.mean = mean;
        this.std = std;
    }

    /** y = u: pixels in [0, 1], what {@link ImageDataset#copyBatch} has always produced. */
    public static Normalization unit() { return UNIT; }

    /** y = 2u − 1 in [−1, 1], i.e. mean 0.5 and std 0.5 for every channel. */
    public static Normalization symmetric() { return SYMMETRIC; }

    /**
     * y = (u − mean[c]) / std[c], one mean and one standard deviation per channel (a single value applies to all).
     *
     * @throws IllegalArgumentException if the lengths differ or are 0, a mean is not finite, or a std is not
     *                                  finite and positive
     */
    public static Normalization meanStd(float[] mean, float[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("normalization: expected as many means as standard deviations (at least 1), got "
                    + mean.length + " means " + Arrays.toString(mean) + " and " + std.length + " stds " + Arrays.toString(std));
        }
        for (int c = 0; c < mean.length; c++) {
            if (!Float.isFinite(mean[c])) {
                throw new IllegalArgumentException("normalization: mean of channel " + c + " is " + mean[c] + ", expected a finite number");
            }
            if (!(std[c] > 0) || !Float.isFinite(std[c])) {
                throw new IllegalArgumentException("normalization: std of channel " + c + " is " + std[c]
                        + ", expected a finite number > 0");
            }
        }
        return new Normalization(Kind.MEAN_STD, mean.clone(), std.clone());
    }

    /**
     * The per-channel mean and (population) standard deviation of u = p/255 over every pixel of {@code train},
     * accumulated in double precision, as a {@link Kind#MEAN_STD} normalization.
     *
     * @throws IllegalArgumentException if a channel is constant (standard deviation 0)
     */
    public static Normalization meanStd(ImageDataset train) {
        int channels = train.channels(), plane = train.height() * train.width();
        double[] sum = new double[channels], sumSq = new double[channels];
        float[] image = new float[train.imageSize()];
        int[] one = new int[1];
        ImageDataset raw = train.withNormalization(UNIT);
        for (int i = 0; i < train.size(); i++) {
            one[0] = i;
            raw.copyBatch(one, 0, 1, image);
            for (int c = 0; c < channels; c++) {
                double s = 0, s2 = 0;
                for (int k = c * plane, end = k + plane; k < end; k++) {
                    s += image[k];
                    s2 += (double) image[k] * image[k];
                }
                sum[c] += s;
                sumSq[c] += s2;
            }
        }
        double count = (double) train.size() * plane;
        float[] mean = new float[channels], std = new float[channels];
        for (int c = 0; c < channels; c++) {
            double m = sum[c] / count;
            double var = Math.max(0, sumSq[c] / count - m * m);
            mean[c] = (float) m;
            std[c] = (float) Math.sqrt(var);
            if (!(std[c] > 0)) {
                throw new IllegalArgumentException(train.name() + ": channel " + c + " has standard deviation 0 (every pixel is "
                        + mean[c] + "), cannot normalise by it");
            }
        }
        return new Normalization(Kind.MEAN_STD, mean, std);
    }

    /** Parses a command-line name: {@code unit}, {@code symmetric} ({@code [-1,1]} too) or {@code [0,1]}. */
    public static Normalization parse(String name) {
        switch (name) {
            case "unit": case "[0,1]": return UNIT;
            case "symmetric": case "[-1,1]": return SYMMETRIC;
            default:
                throw new IllegalArgumentException("unknown normalization '" + name + "', expected unit ([0,1]) or symmetric ([-1,1]); "
                        + "mean/std comes from meanStd(train) or meanStd(mean, std)");
        }
    }

    /** The kind. */
    public Kind kind() { return kind; }

    /** The mean subtracted from channel c. */
    public float mean(int c) { return mean.length == 1 ? mean[0] : mean[c]; }

    /** The standard deviation channel c is divided by. */
    public float std(int c) { return std.length == 1 ? std[0] : std[c]; }

    /** How many channels the means and stds are for; 0 when one value applies to every channel. */
    public int channels() { return kind == Kind.MEAN_STD ? mean.length : 0; }

    /** Whether this can be applied to images of {@code c} channels. */
    public boolean fits(int c) { return mean.length == 1 || mean.length == c; }

    /** y = (u − mean_c) / std_c. */
    public float apply(int c, float u) {
        return (u - mean(c)) / std(c);
    }

    /** u = y·std_c + mean_c, the inverse of {@link #apply}, e.g. to show a reconstruction as a picture. */
    public float invert(int c, float y) {
        return y * std(c) + mean(c);
    }

    /**
     * Maps {@code count} images of {@code channels} planes of {@code plane} normalised values, NCHW from offset 0,
     * back to u = y·std_c + mean_c in place (to draw them, or to measure SSIM in pixel units); nothing to do for
     * {@link #unit()}.
     */
    public void invertInPlace(float[] nchw, int count, int channels, int plane) {
        if (kind == Kind.UNIT) return;
        if (!fits(channels)) {
            throw new IllegalArgumentException("normalization " + this + " is for " + mean.length + " channels, got " + channels);
        }
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < channels; c++) {
                float m = mean(c), s = std(c);
                for (int k = (i * channels + c) * plane, end = k + plane; k < end; k++) nchw[k] = nchw[k] * s + m;
            }
        }
    }

    /**
     * The settings as model-file metadata: {@code normalization} = {@code unit}, {@code symmetric} or
     * {@code mean_std}, and for mean_std {@code normalization_mean} and {@code normalization_std} as
     * comma-separated floats that read back exactly.
     */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(KEY, kind.id);
        if (kind == Kind.MEAN_STD) {
            m.put(MEAN_KEY, join(mean));
            m.put(STD_KEY, join(std));
        }
        return m;
    }

    /**
     * Reads what {@link #toMetadata()} wrote; metadata without the {@code normalization} key (a model file from
     * before normalization was stored) gives {@link #unit()}.
     *
     * @throws IllegalArgumentException naming the key and value when a value cannot be read
     */
    public static Normalization fromMetadata(Map<String, String> meta) {
        String id = meta.get(KEY);
        if (id == null || id.equals(Kind.UNIT.id)) return UNIT;
        if (id.equals(Kind.SYMMETRIC.id)) return SYMMETRIC;
        if (!id.equals(Kind.MEAN_STD.id)) {
            throw new IllegalArgumentException("metadata " + KEY + " = '" + id + "': expected unit, symmetric or mean_std");
        }
        return meanStd(floats(meta, MEAN_KEY), floats(meta, STD_KEY));
    }

    private static float[] floats(Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) throw new IllegalArgumentException("metadata " + KEY + " = mean_std but '" + key + "' is missing");
        String[] parts = v.split(",", -1);
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Float.parseFloat(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("metadata " + key + " = '" + v + "': expected comma-separated numbers");
            }
        }
        return out;
    }

    private static String join(float[] v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) b.append(i == 0 ? "" : ",").append(v[i]);
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && n.kind == kind && Arrays.equals(n.mean, mean) && Arrays.equals(n.std, std);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * kind.hashCode() + Arrays.hashCode(mean)) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case UNIT -> "[0, 1]";
            case SYMMETRIC -> "[-1, 1]";
            case MEAN_STD -> "mean " + Arrays.toString(mean) + " std " + Arrays.toString(std);
        };
    }
}
