package org.cae4j.data;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * N images of C×H×W unsigned bytes kept compact in memory, with optional labels; batches are converted to float
 * on the way out.
 *
 * <p>Pixels are stored NCHW, one byte each (a 10,000-image 28×28 set takes 7.8 MB instead of 31 MB as floats);
 * {@link #copyBatch} maps a byte p to p/255 in [0, 1]. The arrays are not copied in or out, and nothing here
 * mutates them, so a dataset can be shared between threads.
 */
public final class ImageDataset {
    /** p/255 for every byte value p, so conversion is one table look-up per pixel. */
    private static final float[] UNIT = new float[256];

    static {
        for (int p = 0; p < 256; p++) UNIT[p] = p / 255f;
    }

    private final String name;
    private final byte[] pixels;
    private final byte[] labels;
    private final int n, c, h, w;

    /**
     * Wraps {@code pixels} (N·C·H·W bytes, NCHW) and {@code labels} (N bytes, or null when unlabelled).
     *
     * @param name shown in messages and {@link #toString()}, e.g. {@code fashion-mnist/train}
     */
    public ImageDataset(String name, byte[] pixels, byte[] labels, int n, int c, int h, int w) {
        if (n <= 0 || c <= 0 || h <= 0 || w <= 0) {
            throw new IllegalArgumentException(name + ": sizes must be positive, got N=" + n + " C=" + c
                    + " H=" + h + " W=" + w);
        }
        long expected = (long) n * c * h * w;
        if (pixels.length != expected) {
            throw new IllegalArgumentException(name + ": expected N·C·H·W = " + n + "·" + c + "·" + h + "·" + w
                    + " = " + expected + " pixel bytes, got " + pixels.length);
        }
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException(name + ": expected " + n + " labels (one per image), got " + labels.length);
        }
        this.name = name;
        this.pixels = pixels;
        this.labels = labels;
        this.n = n;
        this.c = c;
        this.h = h;
        this.w = w;
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

    /** Whether the images have labels. */
    public boolean hasLabels() { return labels != null; }

    /** The label of image {@code i}, 0..255. */
    public int label(int i) {
        if (labels == null) throw new IllegalStateException(name + " has no labels");
        checkImageIndex(i);
        return labels[i] & 0xff;
    }

    /**
     * Writes images {@code indices[from..from+count)} into {@code dst} as a (count, C, H, W) batch of p/255 values,
     * allocating nothing; {@code dst} may be longer than count·C·H·W, the rest is left untouched.
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
        for (int b = 0; b < count; b++) {
            int i = indices[from + b];
            checkImageIndex(i);
            int src = i * size, out = b * size;
            for (int k = 0; k < size; k++) dst[out + k] = UNIT[pixels[src + k] & 0xff];
        }
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
                Arrays.copyOfRange(pixels, from * size, to * size),
                labels == null ? null : Arrays.copyOfRange(labels, from, to), to - from, c, h, w);
    }

    /** The images at {@code indices}, in that order, with their labels, copied; {@code name} names the result. */
    public ImageDataset select(String name, int[] indices) {
        if (indices.length == 0) throw new IllegalArgumentException(this.name + ": selecting no images");
        int size = imageSize();
        byte[] px = new byte[indices.length * size];
        byte[] lb = labels == null ? null : new byte[indices.length];
        for (int j = 0; j < indices.length; j++) {
            int i = indices[j];
            checkImageIndex(i);
            System.arraycopy(pixels, i * size, px, j * size, size);
            if (lb != null) lb[j] = labels[i];
        }
        return new ImageDataset(name, px, lb, indices.length, c, h, w);
    }

    /** The images labelled {@code label}, in order, copied; named {@code name[class label]}. */
    public ImageDataset withLabel(int label) {
        if (labels == null) throw new IllegalStateException(name + " has no labels");
        int count = 0;
        for (byte b : labels) if ((b & 0xff) == label) count++;
        if (count == 0) throw new IllegalArgumentException(name + ": no images of class " + label);
        int[] idx = new int[count];
        for (int i = 0, j = 0; i < n; i++) if ((labels[i] & 0xff) == label) idx[j++] = i;
        return select(name + "[class " + label + "]", idx);
    }

    /** The raw pixel bytes, NCHW; shared, not copied, for readers in this package and its tests. */
    byte[] pixels() { return pixels; }

    private void checkImageIndex(int i) {
        if (i < 0 || i >= n) {
            throw new IndexOutOfBoundsException(name + ": image index " + i + " is outside 0.." + (n - 1));
        }
    }

    @Override
    public String toString() {
        return name + ": " + n + " images " + c + "x" + h + "x" + w + (labels == null ? ", unlabelled" : ", labelled");
    }
}
