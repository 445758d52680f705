package org.cae4j.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.cae4j.ops.Parallel;

/**
 * N images of C×H×W pixels kept compact in memory, with optional labels and class names; batches are converted to
 * normalised floats on the way out.
 *
 * <p>Pixels are stored NCHW either as unsigned bytes (u = p/255; a 60,000-image 28×28 set takes 47 MB instead of
 * 188 MB as floats) or, for data that arrived as float32 and is not exactly p/255, as floats u in [0, 1].
 * {@link #copyBatch} writes y = (u − mean_c)/std_c per the dataset's {@link Normalization} (by default
 * {@link Normalization#unit()}, y = u) straight into the caller's array: bytes go through one 256-entry table per
 * channel, so there is no extra copy and no extra cost. The arrays are not copied in or out, and nothing here
 * mutates them, so a dataset can be shared between threads; {@link #withNormalization} and
 * {@link #withClassNames} return views over the same arrays.
 */
public final class ImageDataset {
    /** p/255 for every byte value p, so conversion is one table look-up per pixel. */
    private static final float[] UNIT = new float[256];

    static {
        for (int p = 0; p < 256; p++) UNIT[p] = p / 255f;
    }

    private final String name;
    private final byte[] pixels;
    private final float[] values;
    private final byte[] labels;
    private final int n, c, h, w;
    private final Normalization normalization;
    /** For byte pixels: y for every (channel, byte value), C·256 entries; UNIT when the normalization is unit. */
    private final float[] table;
    private final List<String> classNames;

    /**
     * Wraps {@code pixels} (N·C·H·W bytes, NCHW) and {@code labels} (N bytes, or null when unlabelled).
     *
     * @param name shown in messages and {@link #toString()}, e.g. {@code fashion-mnist/train}
     */
    public ImageDataset(String name, byte[] pixels, byte[] labels, int n, int c, int h, int w) {
        this(name, checkLength(name, pixels.length, n, c, h, w, "pixel bytes"), pixels, null, labels,
                Normalization.unit(), List.of());
    }

    /**
     * Float pixels u in [0, 1] ({@code values}, N·C·H·W floats, NCHW) with {@code labels} (N bytes, or null).
     * When every value is exactly p/255f for a byte p (as {@code uint8_array / 255} in float32 gives) the pixels are
     * stored as those bytes, losslessly and in a quarter of the memory; otherwise {@code values} is kept as is.
     *
     * @throws IllegalArgumentException if a value is NaN, infinite or outside [0, 1], naming the first one
     */
    public static ImageDataset ofFloats(String name, float[] values, byte[] labels, int n, int c, int h, int w) {
        checkLength(name, values.length, n, c, h, w, "floats");
        int bad = firstOutsideUnit(values);
        if (bad >= 0) {
            int size = c * h * w;
            throw new IllegalArgumentException(name + ": value " + values[bad] + " of image " + bad / size + " (flat index "
                    + bad + ") is outside [0, 1]; expected float pixels in [0, 1]");
        }
        byte[] bytes = exactBytes(values);
        if (bytes != null) return new ImageDataset(name, bytes, labels, n, c, h, w);
        return new ImageDataset(name, null, values, labels, Normalization.unit(), List.of(), n, c, h, w);
    }

    private ImageDataset(String name, int[] nchw, byte[] pixels, float[] values, byte[] labels,
                         Normalization normalization, List<String> classNames) {
        this(name, pixels, values, labels, normalization, classNames, nchw[0], nchw[1], nchw[2], nchw[3]);
    }

    private ImageDataset(String name, byte[] pixels, float[] values, byte[] labels, Normalization normalization,
                         List<String> classNames, int n, int c, int h, int w) {
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException(name + ": expected " + n + " labels (one per image), got " + labels.length);
        }
        if (!normalization.fits(c)) {
            throw new IllegalArgumentException(name + ": normalization " + normalization + " is for "
                    + normalization.channels() + " channels, the images have " + c);
        }
        this.name = name;
        this.pixels = pixels;
        this.values = values;
        this.labels = labels;
        this.n = n;
        this.c = c;
        this.h = h;
        this.w = w;
        this.normalization = normalization;
        this.table = pixels == null ? null : table(normalization, c);
        this.classNames = List.copyOf(classNames);
    }

    private static int[] checkLength(String name, int length, int n, int c, int h, int w, String what) {
        if (n <= 0 || c <= 0 || h <= 0 || w <= 0) {
            throw new IllegalArgumentException(name + ": sizes must be positive, got N=" + n + " C=" + c
                    + " H=" + h + " W=" + w);
        }
        long expected = (long) n * c * h * w;
        if (length != expected) {
            throw new IllegalArgumentException(name + ": expected N·C·H·W = " + n + "·" + c + "·" + h + "·" + w
                    + " = " + expected + " " + what + ", got " + length);
        }
        return new int[] {n, c, h, w};
    }

    private static float[] table(Normalization norm, int channels) {
        if (norm.kind() == Normalization.Kind.UNIT) return UNIT;
        float[] t = new float[channels * 256];
        for (int ch = 0; ch < channels; ch++) {
            for (int p = 0; p < 256; p++) t[ch * 256 + p] = norm.apply(ch, UNIT[p]);
        }
        return t;
    }

    /** The bytes p with p/255f == v for every v, or null if some value is not of that form. */
    private static byte[] exactBytes(float[] v) {
        for (float x : v) {
            if (UNIT[Math.round(x * 255f)] != x) return null;
        }
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) Math.round(v[i] * 255f);
        return b;
    }

    /** Index of the first value that is not in [0, 1] (NaN included), or -1. */
    static int firstOutsideUnit(float[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] >= 0f && v[i] <= 1f)) return i;
        }
        return -1;
    }

    /**
     * Reads an IDX image file (N, H, W) and, unless {@code labelsOrNull} is null, its IDX label file (N); C is 1.
     *
     * @throws DataFileException if either file is missing or malformed, or their counts differ
     */
    public static ImageDataset fromIdx(Path images, Path labelsOrNull) {
        Idx.Contents im = Idx.readImages(images);
        Idx.Contents lb = labelsOrNull == null ? null : Idx.readLabels(labelsOrNull);
        return fromIdx(String.valueOf(images.getFileName()), im, lb);
    }

    /** Pairs checked IDX contents: images (N, H, W), labels (N) or null. */
    static ImageDataset fromIdx(String name, Idx.Contents images, Idx.Contents labels) {
        int[] d = images.dims();
        if (labels != null && labels.dims()[0] != d[0]) {
            throw new DataFileException(images.source() + " holds " + d[0] + " images but " + labels.source()
                    + " holds " + labels.dims()[0] + " labels; expected one label per image");
        }
        return new ImageDataset(name, images.data(), labels == null ? null : labels.data(), d[0], 1, d[1], d[2]);
    }

    /** The name given at construction. */
    public String name() { return name; }

    /** Number of images, N. */
    public int size() { return n; }

    /** Channels per image, C. */
    public int channels() { return c; }

    /** Image height, H. */
    public int height() { return h; }

    /** Image width, W. */
    public int width() { return w; }

    /** Values per image, C·H·W. */
    public int imageSize() { return c * h * w; }

    /** Whether the pixels are stored as floats (4 bytes each) rather than bytes. */
    public boolean storesFloats() { return values != null; }

    /** Whether the images have labels. */
    public boolean hasLabels() { return labels != null; }

    /** The label of image {@code i}, 0..255. */
    public int label(int i) {
        if (labels == null) throw new IllegalStateException(name + " has no labels");
        checkImageIndex(i);
        return labels[i] & 0xff;
    }

    /** The name of each label value (label k is {@code classNames().get(k)}); empty when the source gave none. */
    public List<String> classNames() { return classNames; }

    /** The normalization {@link #copyBatch} applies. */
    public Normalization normalization() { return normalization; }

    /** The same images whose batches {@code norm} normalises; shares the arrays. */
    public ImageDataset withNormalization(Normalization norm) {
        if (norm.equals(normalization)) return this;
        return new ImageDataset(name, pixels, values, labels, norm, classNames, n, c, h, w);
    }

    /**
     * The same images with names for the label values; shares the arrays.
     *
     * @throws IllegalArgumentException if a label is not below {@code names.size()}
     */
    public ImageDataset withClassNames(List<String> names) {
        if (labels != null && !names.isEmpty()) {
            for (int i = 0; i < n; i++) {
                if ((labels[i] & 0xff) >= names.size()) {
                    throw new IllegalArgumentException(name + ": label " + (labels[i] & 0xff) + " of image " + i
                            + " has no class name; " + names.size() + " names given: " + names);
                }
            }
        }
        return new ImageDataset(name, pixels, values, labels, normalization, names, n, c, h, w);
    }

    /**
     * Writes images {@code indices[from..from+count)} into {@code dst} as a (count, C, H, W) batch of normalised
     * values y = (u − mean_c)/std_c, allocating nothing; {@code dst} may be longer than count·C·H·W, the rest is
     * left untouched.
     */
    public void copyBatch(int[] indices, int from, int count, float[] dst) {
        if (from < 0 || count < 0 || from > indices.length - count) {
            throw new IllegalArgumentException(name + ": batch [" + from + ", " + from + " + " + count
                    + ") is outside the " + indices.length + " indices");
        }
        int size = imageSize();
        if ((long) count * size > dst.length) {
            throw new IllegalArgumentException(name + ": batch of " + count + " images " + c + "x" + h + "x" + w
                    + " needs " + (long) count * size + " floats, dst holds " + dst.length);
        }
        for (int b = 0; b < count; b++) checkImageIndex(indices[from + b]);
        Parallel.forChunks(count, (long) count * size, COPY_SPLIT_MIN, (chunk, b0, b1) -> copyImages(indices, from, b0, b1, dst));
    }

    /** Pixels per batch from which {@link #copyBatch} splits its images over the {@link Parallel} threads: a
     *  shuffled batch of 64 Fashion-MNIST images took about 1 µs per image on one thread, most of it waiting for
     *  memory (0.27 µs per image in file order). */
    private static final int COPY_SPLIT_MIN = 1 << 14;

    /** Written only where the JIT cannot tell it is not (see copyImages). */
    private boolean touched;

    /** Images indices[from + b] for b0 ≤ b &lt; b1 (indices already checked) into dst at b·imageSize. */
    private void copyImages(int[] indices, int from, int b0, int b1, float[] dst) {
        int size = imageSize(), plane = h * w;
        boolean unit = normalization.kind() == Normalization.Kind.UNIT;
        if (pixels != null) {
            // one byte of every 64 of each image first: the loads of all the images' cache lines are independent,
            // so the memory serves them together, and the conversion below finds them in cache (a shuffled batch
            // of model D, 2 threads, StepTimes: copy 0.68-0.73 -> 0.46-0.48 us per image)
            int sum = 0;
            for (int b = b0; b < b1; b++)
                for (int k = indices[from + b] * size, end = k + size; k < end; k += 64) sum += pixels[k];
            if (sum == Integer.MIN_VALUE) touched = true; // never: a use of sum, so that the loads stay
        }
        for (int b = b0; b < b1; b++) {
            int i = indices[from + b];
            int src = i * size, out = b * size;
            if (pixels != null) {
                for (int ch = 0; ch < c; ch++) {
                    int t = unit ? 0 : ch * 256, s = src + ch * plane, o = out + ch * plane;
                    for (int k = 0; k < plane; k++) dst[o + k] = table[t + (pixels[s + k] & 0xff)];
                }
            } else if (unit) {
                System.arraycopy(values, src, dst, out, size);
            } else {
                for (int ch = 0; ch < c; ch++) {
                    float mean = normalization.mean(ch), std = normalization.std(ch);
                    int s = src + ch * plane, o = out + ch * plane;
                    for (int k = 0; k < plane; k++) dst[o + k] = (values[s + k] - mean) / std;
                }
            }
        }
    }

    /**
     * The same images with {@code target} channels, copied: grey (1) repeated into RGB (3), or RGB made grey by the
     * ITU-R 601-2 luma L = (19595 R + 38470 G + 7471 B) / 2^16 (rounded for bytes, as {@link ImageFolder} and PIL
     * do); {@code this} when the images already have {@code target} channels.
     *
     * @throws IllegalArgumentException if target is not 1 or 3, the images have another number of channels than 1
     *                                  or 3, or the converted images would not fit one data set
     */
    public ImageDataset withChannels(int target) {
        if (target != 1 && target != 3) {
            throw new IllegalArgumentException(name + ": channels must be 1 (grey) or 3 (RGB), got " + target);
        }
        if (target == c) return this;
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException(name + ": images have " + c + " channels; only grey (1) and RGB (3) images"
                    + " can be converted to " + target);
        }
        long total = (long) n * target * h * w;
        if (total > Idx.MAX_BYTES) {
            throw new IllegalArgumentException(name + ": " + n + " images of " + target + "x" + h + "x" + w + " = " + total
                    + " values, more than the " + Idx.MAX_BYTES + " one data set can hold");
        }
        int plane = h * w, from = c * plane, to = target * plane;
        byte[] p = pixels == null ? null : new byte[(int) total];
        float[] v = values == null ? null : new float[(int) total];
        for (int i = 0; i < n; i++) {
            int s = i * from, o = i * to;
            for (int k = 0; k < plane; k++) {
                if (target == 3) {
                    for (int ch = 0; ch < 3; ch++) {
                        if (p != null) p[o + ch * plane + k] = pixels[s + k];
                        else v[o + ch * plane + k] = values[s + k];
                    }
                } else if (p != null) {
                    int r = pixels[s + k] & 0xff, g = pixels[s + plane + k] & 0xff, b = pixels[s + 2 * plane + k] & 0xff;
                    p[o + k] = (byte) ((19595 * r + 38470 * g + 7471 * b + 0x8000) >> 16);
                } else {
                    v[o + k] = (19595 * values[s + k] + 38470 * values[s + plane + k] + 7471 * values[s + 2 * plane + k]) / 65536f;
                }
            }
        }
        return new ImageDataset(name, p, v, labels, normalization.fits(target) ? normalization : Normalization.unit(),
                classNames, n, target, h, w);
    }

    /**
     * The images resized to {@code height}×{@code width}, copied, by the bilinear interpolation {@link ImageFolder}
     * uses (half-pixel centres, edges clamped, no antialiasing): stretched, or with {@code crop} scaled to cover
     * the target and centre-cropped; {@code this} when they already have that size.
     *
     * @throws IllegalArgumentException if a size is not positive or the result would not fit one data set
     */
    public ImageDataset resized(int height, int width, boolean crop) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException(name + ": resize target must be two positive sizes, got " + height + "x" + width);
        }
        if (height == h && width == w) return this;
        long total = (long) n * c * height * width;
        if (total > Idx.MAX_BYTES) {
            throw new IllegalArgumentException(name + ": " + n + " images of " + c + "x" + height + "x" + width + " = " + total
                    + " values, more than the " + Idx.MAX_BYTES + " one data set can hold; give a smaller resize target");
        }
        ImageFolder.Resize r = new ImageFolder.Resize(h, w, height, width, crop);
        int from = h * w, to = height * width;
        byte[] p = pixels == null ? null : new byte[(int) total];
        float[] v = values == null ? null : new float[(int) total];
        for (int plane = 0; plane < n * c; plane++) {
            if (p != null) r.apply(pixels, plane * from, p, plane * to);
            else r.apply(values, plane * from, v, plane * to);
        }
        return new ImageDataset(name, p, v, labels, normalization, classNames, n, c, height, width);
    }

    /** The first {@code count} images and their labels, copied; {@code this} when count is N. */
    public ImageDataset subset(int count) {
        if (count <= 0 || count > n) {
            throw new IllegalArgumentException(name + ": subset size must be in 1.." + n + ", got " + count);
        }
        return slice(0, count);
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive) and their labels, copied; {@code this} for all. */
    public ImageDataset slice(int from, int to) {
        if (from < 0 || to > n || from >= to) {
            throw new IllegalArgumentException(name + ": slice [" + from + ", " + to + ") must be a non-empty range in 0.." + n);
        }
        if (from == 0 && to == n) return this;
        int size = imageSize();
        return new ImageDataset(name + "[" + from + ":" + to + "]",
                pixels == null ? null : Arrays.copyOfRange(pixels, from * size, to * size),
                values == null ? null : Arrays.copyOfRange(values, from * size, to * size),
                labels == null ? null : Arrays.copyOfRange(labels, from, to), normalization, classNames,
                to - from, c, h, w);
    }

    /** The images at {@code indices} (in that order) and their labels, copied; {@code name} names the result. */
    public ImageDataset select(int[] indices, String name) {
        if (indices.length == 0) throw new IllegalArgumentException(this.name + ": cannot select no images");
        int size = imageSize();
        byte[] p = pixels == null ? null : new byte[indices.length * size];
        float[] v = values == null ? null : new float[indices.length * size];
        byte[] l = labels == null ? null : new byte[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            checkImageIndex(i);
            if (p != null) System.arraycopy(pixels, i * size, p, k * size, size);
            if (v != null) System.arraycopy(values, i * size, v, k * size, size);
            if (l != null) l[k] = labels[i];
        }
        return new ImageDataset(name, p, v, l, normalization, classNames, indices.length, c, h, w);
    }

    /** The images labelled {@code label}, in order, copied; named {@code name[class label]}. */
    public ImageDataset withLabel(int label) {
        if (labels == null) throw new IllegalStateException(name + " has no labels");
        int count = 0;
        for (byte b : labels) if ((b & 0xff) == label) count++;
        if (count == 0) throw new IllegalArgumentException(name + ": no images of class " + label);
        int[] idx = new int[count];
        for (int i = 0, j = 0; i < n; i++) if ((labels[i] & 0xff) == label) idx[j++] = i;
        return select(idx, name + "[class " + label + "]");
    }

    /** The raw pixel bytes, NCHW, or null when stored as floats; shared, not copied, for this package and its tests. */
    byte[] pixels() { return pixels; }

    /** The float pixels, NCHW, or null when stored as bytes; shared, not copied. */
    float[] values() { return values; }

    /** The raw labels or null; shared, not copied. */
    byte[] labels() { return labels; }

    private void checkImageIndex(int i) {
        if (i < 0 || i >= n) {
            throw new IndexOutOfBoundsException(name + ": image index " + i + " is outside 0.." + (n - 1));
        }
    }

    @Override
    public String toString() {
        return name + ": " + n + " images " + c + "x" + h + "x" + w + (labels == null ? ", unlabelled" : ", labelled")
                + (classNames.isEmpty() ? "" : " (" + classNames.size() + " classes)")
                + (values != null ? ", float32" : "")
                + (normalization.kind() == Normalization.Kind.UNIT ? "" : ", normalised " + normalization);
    }
}
