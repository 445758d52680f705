package org.cae4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Image data sets from NumPy files: a {@code .npy} array of images, or a {@code .npz} archive of images and
 * labels (as {@code np.savez} and {@code np.savez_compressed} write them, and as Keras ships {@code mnist.npz}).
 *
 * <p>Images are uint8 ({@code |u1}, stored as bytes, u = p/255) or float32 ({@code <f4}) with every value in
 * [0, 1]: float data whose every value is exactly p/255 is stored as bytes, other float data as floats; values
 * outside [0, 1], NaN or infinity are refused, naming the first one (divide by 255 first, or save uint8).
 * Shapes: (N, H, W) is one channel; (N, C, H, W) is channels-first; (N, H, W, C) is channels-last and is
 * transposed to NCHW on loading. With {@link Layout#AUTO} a 4-D shape is channels-first when dimension 1 is 1 or
 * 3 and dimension 3 is not, channels-last in the opposite case, and an error otherwise; an explicit layout
 * accepts any number of channels.
 *
 * <p>Names read from a {@code .npz} (each member is {@code NAME.npy}): the training images are {@code x_train},
 * else {@code x}, else {@code images}, with labels {@code y_train}, {@code y} or {@code labels} respectively;
 * the test set is {@code x_test} with labels {@code y_test}. An archive with none of these names uses its first
 * array as unlabelled training images. Labels are integers of any width, shape (N) or (N, 1), with values in
 * 0..255, one per image. Other members are ignored.
 */
public final class NumpyData {
    private NumpyData() {}

    /** Where the channel axis of a 4-D image array is. */
    public enum Layout {
        /** Decide from the shape, as described in the class comment. */
        AUTO,
        /** (N, C, H, W). */
        CHANNELS_FIRST,
        /** (N, H, W, C), as Keras and PIL arrays are. */
        CHANNELS_LAST
    }

    /** Member name pairs (images, labels) tried in order for the training set. */
    static final String[][] TRAIN_NAMES = {{"x_train", "y_train"}, {"x", "y"}, {"images", "labels"}};
    static final String TEST_IMAGES = "x_test", TEST_LABELS = "y_test";

    /** Loads a {@code .npy} image array (unlabelled, no test set) or a {@code .npz} archive, told apart by content. */
    public static Datasets.Split load(Path file, Layout layout) {
        if (!Files.exists(file)) throw new DataFileException("no such file: " + file);
        byte[] head = Datasets.head(file, 4);
        if (isZip(head)) return loadNpz(file, layout);
        NpyReader.Array x = NpyReader.read(file);
        return new Datasets.Split(images(x, null, String.valueOf(file.getFileName()), layout), null);
    }

    /** Whether {@code head} starts a zip archive: a local file header or, for an empty archive, the end record. */
    static boolean isZip(byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K'
                && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
    }

    /** Loads a {@code .npz} archive as described in the class comment. */
    public static Datasets.Split loadNpz(Path file, Layout layout) {
        String name = String.valueOf(file.getFileName());
        try (ZipFile zip = new ZipFile(file.toFile())) {
            List<ZipEntry> entries = entries(zip, file);
            Map<String, ZipEntry> members = new LinkedHashMap<>();
            for (ZipEntry e : entries) {
                if (!e.isDirectory() && e.getName().endsWith(".npy")) {
                    members.put(e.getName().substring(0, e.getName().length() - 4), e);
                }
            }
            if (members.isEmpty()) {
                List<String> all = new ArrayList<>();
                for (ZipEntry e : entries) all.add(e.getName());
                throw new DataFileException(file + ": a zip archive with no .npy member, expected arrays such as "
                        + "x_train.npy and y_train.npy; found " + all);
            }
            String xName = null, yName = null;
            for (String[] pair : TRAIN_NAMES) {
                if (members.containsKey(pair[0])) {
                    xName = pair[0];
                    yName = members.containsKey(pair[1]) ? pair[1] : null;
                    break;
                }
            }
            if (xName == null) xName = members.keySet().iterator().next();
            ImageDataset train = images(member(zip, file, members.get(xName)),
                    yName == null ? null : member(zip, file, members.get(yName)), name + ":" + xName, layout);
            ImageDataset test = null;
            if (members.containsKey(TEST_IMAGES) && !xName.equals(TEST_IMAGES)) {
                test = images(member(zip, file, members.get(TEST_IMAGES)),
                        members.containsKey(TEST_LABELS) ? member(zip, file, members.get(TEST_LABELS)) : null,
                        name + ":" + TEST_IMAGES, layout);
                if (test.channels() != train.channels() || test.height() != train.height() || test.width() != train.width()) {
                    throw new DataFileException(file + ": " + xName + " images are " + train.channels() + "x" + train.height()
                            + "x" + train.width() + " but " + TEST_IMAGES + " images are " + test.channels() + "x"
                            + test.height() + "x" + test.width() + "; expected the same size");
                }
            }
            return new Datasets.Split(train, test);
        } catch (ZipException e) {
            throw new DataFileException(file + ": not a readable .npz (zip) archive (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new DataFileException(file + ": cannot read (" + e + ")", e);
        }
    }

    /** The archive's entries; a name that is not valid UTF-8 (java.util.zip throws IllegalArgumentException) is a DataFileException. */
    private static List<ZipEntry> entries(ZipFile zip, Path file) {
        try {
            return new ArrayList<ZipEntry>(Collections.list(zip.entries()));
        } catch (IllegalArgumentException e) {
            throw new DataFileException(file + ": not a readable .npz (zip) archive (an entry name is not valid UTF-8: "
                    + e.getMessage() + ")", e);
        }
    }

    private static NpyReader.Array member(ZipFile zip, Path file, ZipEntry e) throws IOException {
        InputStream in = zip.getInputStream(e);
        return NpyReader.read(in, file + ":" + e.getName(), e.getSize());
    }

    /**
     * Images from array {@code x} and optional labels {@code y}, checked against each other.
     *
     * @throws DataFileException naming the array when a shape, dtype or value does not fit
     */
    public static ImageDataset images(NpyReader.Array x, NpyReader.Array y, String name, Layout layout) {
        int[] s = x.shape();
        if (x.dtype() != NpyReader.DType.U1 && x.dtype() != NpyReader.DType.F4) {
            throw new DataFileException(x.source() + ": images of dtype '" + x.descr() + "' are not supported, expected '|u1' "
                    + "(uint8) or '<f4' (float32 in [0, 1])");
        }
        int n, c, h, w;
        boolean last;
        if (s.length == 3) {
            n = s[0]; c = 1; h = s[1]; w = s[2];
            last = false;
        } else if (s.length == 4) {
            boolean firstFits = s[1] == 1 || s[1] == 3, lastFits = s[3] == 1 || s[3] == 3;
            if (layout == Layout.CHANNELS_FIRST) last = false;
            else if (layout == Layout.CHANNELS_LAST) last = true;
            else if (firstFits != lastFits) last = lastFits;
            else {
                throw new DataFileException(x.source() + ": cannot tell the channel axis of shape " + x.shapeText()
                        + (firstFits ? " (dimensions 1 and 3 could both be channels)" : " (expected 1 or 3 channels in dimension 1 or 3)")
                        + "; give the layout explicitly (channels-first NCHW or channels-last NHWC)");
            }
            n = s[0];
            c = last ? s[3] : s[1];
            h = last ? s[1] : s[2];
            w = last ? s[2] : s[3];
        } else {
            throw new DataFileException(x.source() + ": image array has shape " + x.shapeText() + ", expected (N, H, W), "
                    + "(N, C, H, W) or (N, H, W, C)");
        }
        if (n == 0 || c == 0 || h == 0 || w == 0) {
            throw new DataFileException(x.source() + ": image array " + x.shapeText() + " is empty, expected every dimension > 0");
        }
        byte[] labels = y == null ? null : labels(y, x, n);
        if (x.dtype() == NpyReader.DType.U1) {
            byte[] p = last ? toChannelsFirst(x.bytes(), n, h, w, c) : x.bytes();
            return new ImageDataset(name, p, labels, n, c, h, w);
        }
        float[] v = x.floats();
        int bad = ImageDataset.firstOutsideUnit(v);
        if (bad >= 0) {
            throw new DataFileException(x.source() + ": float32 value " + v[bad] + " at flat index " + bad + " (image "
                    + bad / (c * h * w) + ") is outside [0, 1]; expected float images in [0, 1] (divide by 255, or save uint8)");
        }
        return ImageDataset.ofFloats(name, last ? toChannelsFirst(v, n, h, w, c) : v, labels, n, c, h, w);
    }

    private static byte[] labels(NpyReader.Array y, NpyReader.Array x, int n) {
        int[] s = y.shape();
        boolean vector = s.length == 1 || (s.length == 2 && s[1] == 1);
        if (!y.dtype().isInteger() || !vector) {
            throw new DataFileException(y.source() + ": labels are '" + y.descr() + "' " + y.shapeText()
                    + ", expected integers of shape (N,) or (N, 1)");
        }
        if (s[0] != n) {
            throw new DataFileException(x.source() + " holds " + n + " images but " + y.source() + " holds " + s[0]
                    + " labels; expected one label per image");
        }
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            long v = y.bytes() != null ? y.bytes()[i] & 0xff : y.longs()[i];
            if (v < 0 || v > 255) {
                throw new DataFileException(y.source() + ": label " + i + " is " + v + ", expected 0..255");
            }
            out[i] = (byte) v;
        }
        return out;
    }

    // N images, H rows, W columns, C channels: (N,H,W,C) -> (N,C,H,W)
    static byte[] toChannelsFirst(byte[] src, int n, int h, int w, int c) {
        byte[] dst = new byte[src.length];
        int plane = h * w;
        for (int i = 0; i < n; i++) {
            int base = i * plane * c;
            for (int k = 0; k < plane; k++) {
                for (int ch = 0; ch < c; ch++) dst[base + ch * plane + k] = src[base + k * c + ch];
            }
        }
        return dst;
    }

    static float[] toChannelsFirst(float[] src, int n, int h, int w, int c) {
        float[] dst = new float[src.length];
        int plane = h * w;
        for (int i = 0; i < n; i++) {
            int base = i * plane * c;
            for (int k = 0; k < plane; k++) {
                for (int ch = 0; ch < c; ch++) dst[base + ch * plane + k] = src[base + k * c + ch];
            }
        }
        return dst;
    }
}
