package org.cae4j.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

/**
 * Image data sets from a folder of picture files, read with {@code javax.imageio} (PNG, JPEG, BMP, GIF, WBMP).
 *
 * <p>Layout. A folder that has a {@code train} sub-folder is split: {@code train/} is the training set and
 * {@code test/}, when present, the test set (other entries are ignored with a warning). Each set's folder either
 * holds the image files directly (unlabelled) or holds one sub-folder per class (labelled): the class names of
 * train and test together, sorted, give the label indices 0, 1, ... (at most 256 classes), and are kept as
 * {@link ImageDataset#classNames()}. Files are taken in sorted order, so loading is deterministic. Hidden names
 * (starting with a dot) are ignored silently.
 *
 * <p>Pixels. Channels are 1 (grey) or 3 (RGB) as {@link Options#channels} says; by default (0) grey when every
 * image's colour model is grey (one colour component, or a palette whose entries all have R = G = B), else RGB.
 * Colour becomes grey by the ITU-R 601-2 luma (L = (19595 R + 38470 G + 7471 B + 2^15) >> 16, as PIL does); grey
 * becomes RGB by repeating it; alpha is dropped; 16-bit samples are rounded to 8 bits; only the first frame of
 * an animated GIF is read. Without a resize target every image must have the same size, or loading fails naming
 * two files of different sizes; with one, each image is resized by bilinear interpolation (half-pixel centres,
 * edges clamped, no antialiasing), either stretched to the target or, with {@code crop}, scaled so that it covers
 * the target and centre-cropped.
 *
 * <p>Policy for bad files: a file that is not an image ImageIO can decode (a README, a truncated PNG) is skipped
 * and reported in {@link Loaded#warnings()}, one line each starting with the file; if that leaves a set with no
 * image, or the folder has no file at all, loading fails with a {@link DataFileException}. Every header is read,
 * and every size checked, before the pixel array is allocated. An image whose header declares more than
 * {@link #MAX_PIXELS} pixels is skipped the same way before it is decoded, since a few bytes of compressed data
 * can declare a picture that takes gigabytes to decode (Pillow refuses such "decompression bombs" likewise).
 */
public final class ImageFolder {
    /** Most pixels (height × width) an image may declare to be decoded: 2^26, 8192×8192, a 67-megapixel photo. */
    public static final long MAX_PIXELS = 1L << 26;

    private ImageFolder() {}

    /**
     * How images are turned into one tensor shape.
     *
     * @param channels 1 (grey), 3 (RGB) or 0 (grey when all images are grey, else RGB)
     * @param height   target height, or 0 to keep the images' common size
     * @param width    target width, or 0 with height 0
     * @param crop     scale to cover the target and centre-crop, instead of stretching to it
     */
    public record Options(int channels, int height, int width, boolean crop) {
        public Options {
            if (channels != 0 && channels != 1 && channels != 3) {
                throw new IllegalArgumentException("image channels must be 1, 3 or 0 (automatic), got " + channels);
            }
            if (height < 0 || width < 0 || (height == 0) != (width == 0)) {
                throw new IllegalArgumentException("resize target must be two positive sizes (or none), got "
                        + height + "x" + width);
            }
            if (crop && height == 0) throw new IllegalArgumentException("centre-crop needs a target size");
        }

        /** Automatic channels, no resizing. */
        public static Options defaults() { return new Options(0, 0, 0, false); }

        /** With 1, 3 or 0 (automatic) channels. */
        public Options withChannels(int c) { return new Options(c, height, width, crop); }

        /** Stretching every image to {@code h}×{@code w}. */
        public Options withResize(int h, int w) { return new Options(channels, h, w, false); }

        /** Scaling every image to cover {@code h}×{@code w} and cutting out the centre. */
        public Options withResizeAndCrop(int h, int w) { return new Options(channels, h, w, true); }
    }

    /**
     * What was loaded and what was skipped.
     *
     * @param classNames the sorted class folder names (label k is {@code classNames.get(k)}), empty when unlabelled
     * @param warnings   one line per skipped or ignored file, starting with its path
     */
    public record Loaded(Datasets.Split split, List<String> classNames, List<String> warnings) {}

    /** An image file whose header has been read. */
    private record Probe(Path file, int label, int height, int width, boolean grey) {}

    /** Loads {@code dir} as described in the class comment. */
    public static Loaded load(Path dir, Options options) {
        if (!Files.isDirectory(dir)) {
            throw new DataFileException(Files.exists(dir) ? dir + ": not a directory, expected a folder of images"
                    : "no such directory: " + dir);
        }
        List<String> warnings = new ArrayList<>();
        Path trainDir = dir, testDir = null;
        if (Files.isDirectory(dir.resolve("train"))) {
            trainDir = dir.resolve("train");
            if (Files.isDirectory(dir.resolve("test"))) testDir = dir.resolve("test");
            for (Path p : list(dir)) {
                String n = p.getFileName().toString();
                if (!n.equals("train") && !n.equals("test")) {
                    warnings.add(p + ": ignored (with a train/ folder present, only train/ and test/ are read)");
                }
            }
        }
        List<Path> trainClasses = classFolders(trainDir);
        List<Path> testClasses = testDir == null ? List.of() : classFolders(testDir);
        if (testDir != null && trainClasses.isEmpty() != testClasses.isEmpty()) {
            throw new DataFileException(dir + ": " + (trainClasses.isEmpty() ? "test/ has class folders but train/ has none"
                    : "train/ has class folders but test/ has none") + "; expected both labelled (a folder per class) or both not");
        }
        TreeSet<String> names = new TreeSet<>();
        for (Path p : trainClasses) names.add(p.getFileName().toString());
        for (Path p : testClasses) names.add(p.getFileName().toString());
        List<String> classNames = List.copyOf(names);
        if (classNames.size() > 256) {
            throw new DataFileException(dir + ": " + classNames.size() + " class folders, at most 256 are supported (labels are bytes)");
        }
        List<Probe> train = probeSet(trainDir, trainClasses, classNames, warnings);
        List<Probe> test = testDir == null ? List.of() : probeSet(testDir, testClasses, classNames, warnings);

        int h = options.height(), w = options.width();
        if (h == 0) {
            Probe first = train.get(0);
            for (List<Probe> set : List.of(train, test)) {
                for (Probe p : set) {
                    if (p.height != first.height || p.width != first.width) {
                        throw new DataFileException(first.file + " is " + first.height + "x" + first.width + " (HxW) but "
                                + p.file + " is " + p.height + "x" + p.width + "; expected every image the same size, "
                                + "or give a resize target (--resize HxW)");
                    }
                }
            }
            h = first.height;
            w = first.width;
        }
        int c = options.channels();
        if (c == 0) {
            c = 1;
            for (List<Probe> set : List.of(train, test)) for (Probe p : set) if (!p.grey) c = 3;
        }
        String base = String.valueOf(dir.toAbsolutePath().normalize().getFileName());
        ImageDataset tr = decodeSet(trainDir, train, testDir == null ? base : base + "/train", c, h, w, options, warnings);
        ImageDataset te = testDir == null ? null : decodeSet(testDir, test, base + "/test", c, h, w, options, warnings);
        if (!classNames.isEmpty()) {
            tr = tr.withClassNames(classNames);
            if (te != null) te = te.withClassNames(classNames);
        }
        return new Loaded(new Datasets.Split(tr, te), classNames, List.copyOf(warnings));
    }

    /** Whether {@code dir} has a file ImageIO recognises among its first entries, directly or one or two levels down. */
    static boolean containsImages(Path dir) {
        return containsImages(dir, 2);
    }

    private static boolean containsImages(Path dir, int depth) {
        for (Path p : list(dir)) {
            if (Files.isRegularFile(p) && isImage(p)) return true;
            if (depth > 0 && Files.isDirectory(p) && containsImages(p, depth - 1)) return true;
        }
        return false;
    }

    /** Whether an ImageIO reader recognises the file's first bytes. */
    static boolean isImage(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            return in != null && ImageIO.getImageReaders(in).hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Path> classFolders(Path setDir) {
        return list(setDir).stream().filter(Files::isDirectory).toList();
    }

    private static List<Probe> probeSet(Path setDir, List<Path> classes, List<String> classNames, List<String> warnings) {
        List<Probe> out = new ArrayList<>();
        int files = 0;
        if (classes.isEmpty()) {
            for (Path f : list(setDir)) {
                files++;
                probe(f, -1, out, warnings);
            }
        } else {
            for (Path f : list(setDir)) {
                if (!Files.isDirectory(f)) warnings.add(f + ": skipped, not inside a class folder");
            }
            for (Path cls : classes) {
                int label = classNames.indexOf(cls.getFileName().toString());
                for (Path f : list(cls)) {
                    if (Files.isDirectory(f)) {
                        warnings.add(f + ": ignored, class folders are read one level deep");
                        continue;
                    }
                    files++;
                    probe(f, label, out, warnings);
                }
            }
        }
        if (files == 0) {
            throw new DataFileException(setDir + ": empty folder, expected image files (PNG, JPEG, BMP, GIF)"
                    + (classes.isEmpty() ? "" : " in its class folders " + names(classes)));
        }
        if (out.isEmpty()) {
            throw new DataFileException(setDir + ": none of its " + files + " files is a readable image (e.g. "
                    + warnings.get(warnings.size() - 1) + ")");
        }
        return out;
    }

    private static void probe(Path f, int label, List<Probe> out, List<String> warnings) {
        try (ImageInputStream in = ImageIO.createImageInputStream(f.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                warnings.add(f + ": skipped, not an image ImageIO can read (starts with " + hexHead(f) + ")");
                return;
            }
            ImageReader r = readers.next();
            try {
                r.setInput(in, true, true);
                int h = r.getHeight(0), w = r.getWidth(0);
                ImageTypeSpecifier type = r.getRawImageType(0);
                if (type == null) {
                    Iterator<ImageTypeSpecifier> types = r.getImageTypes(0);
                    type = types.hasNext() ? types.next() : null;
                }
                if (h <= 0 || w <= 0 || type == null) {
                    warnings.add(f + ": skipped, " + r.getFormatName() + " header gives no usable size or colour type");
                    return;
                }
                if ((long) h * w > MAX_PIXELS) {
                    warnings.add(f + ": skipped, its " + r.getFormatName() + " header declares " + h + "x" + w + " (HxW) = "
                            + (long) h * w + " pixels, more than the " + MAX_PIXELS + " cae4j decodes");
                    return;
                }
                out.add(new Probe(f, label, h, w, isGrey(type.getColorModel())));
            } finally {
                r.dispose();
            }
        } catch (IOException | RuntimeException e) {
            warnings.add(f + ": skipped, cannot read the image header (" + oneLine(e) + ")");
        }
    }

    private static boolean isGrey(ColorModel cm) {
        if (cm instanceof IndexColorModel icm) {
            for (int i = 0; i < icm.getMapSize(); i++) {
                if (icm.getRed(i) != icm.getGreen(i) || icm.getGreen(i) != icm.getBlue(i)) return false;
            }
            return true;
        }
        return cm.getNumColorComponents() == 1;
    }

    private static ImageDataset decodeSet(Path setDir, List<Probe> probes, String name, int c, int h, int w,
                                          Options options, List<String> warnings) {
        long total = (long) probes.size() * c * h * w;
        if (total > Idx.MAX_BYTES) {
            throw new DataFileException(setDir + ": " + probes.size() + " images of " + c + "x" + h + "x" + w + " = "
                    + total + " bytes, more than the " + Idx.MAX_BYTES + " one dataset can hold; give a smaller resize target");
        }
        int size = c * h * w;
        byte[] pixels = new byte[(int) total];
        byte[] labels = probes.get(0).label < 0 ? null : new byte[probes.size()];
        int n = 0;
        for (Probe p : probes) {
            BufferedImage im;
            try {
                im = ImageIO.read(p.file.toFile());
            } catch (IOException | RuntimeException e) {
                warnings.add(p.file + ": skipped, cannot decode (" + oneLine(e) + ")");
                continue;
            }
            if (im == null) {
                warnings.add(p.file + ": skipped, cannot decode (no reader after the header was read)");
                continue;
            }
            byte[] src = planes(im, c);
            int h0 = im.getHeight(), w0 = im.getWidth();
            if (h0 == h && w0 == w) {
                System.arraycopy(src, 0, pixels, n * size, size);
            } else if (options.height() == 0) {
                // the header promised the common size but the decoder disagrees
                warnings.add(p.file + ": skipped, decodes to " + h0 + "x" + w0 + " although its header says " + p.height + "x" + p.width);
                continue;
            } else {
                Resize r = new Resize(h0, w0, h, w, options.crop());
                for (int ch = 0; ch < c; ch++) r.apply(src, ch * h0 * w0, pixels, n * size + ch * h * w);
            }
            if (labels != null) labels[n] = (byte) p.label;
            n++;
        }
        if (n == 0) throw new DataFileException(setDir + ": no image could be decoded (e.g. " + warnings.get(0) + ")");
        if (n < probes.size()) {
            pixels = Arrays.copyOf(pixels, n * size);
            if (labels != null) labels = Arrays.copyOf(labels, n);
        }
        return new ImageDataset(name, pixels, labels, n, c, h, w);
    }

    /** The decoded image as c planes of h×w bytes (c = 1 grey, 3 RGB). */
    static byte[] planes(BufferedImage im, int c) {
        int h = im.getHeight(), w = im.getWidth(), plane = h * w;
        byte[] out = new byte[c * plane];
        ColorModel cm = im.getColorModel();
        Raster r = im.getRaster();
        if (cm instanceof ComponentColorModel && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            // read grey samples directly: getRGB would apply a linear-to-sRGB curve to the grey colour space
            int bits = cm.getComponentSize(0);
            long max = (1L << bits) - 1;
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    byte v = (byte) (bits == 8 ? row[x] : ((row[x] & 0xffffffffL) * 255 + max / 2) / max);
                    for (int ch = 0; ch < c; ch++) out[ch * plane + y * w + x] = v;
                }
            }
            return out;
        }
        int[] rgb = new int[w];
        for (int y = 0; y < h; y++) {
            im.getRGB(0, y, w, 1, rgb, 0, w);
            for (int x = 0; x < w; x++) {
                int p = rgb[x], red = (p >> 16) & 0xff, green = (p >> 8) & 0xff, blue = p & 0xff, k = y * w + x;
                if (c == 1) {
                    out[k] = (byte) ((19595 * red + 38470 * green + 7471 * blue + 0x8000) >> 16);
                } else {
                    out[k] = (byte) red;
                    out[plane + k] = (byte) green;
                    out[2 * plane + k] = (byte) blue;
                }
            }
        }
        return out;
    }

    /**
     * Bilinear resize of one h0×w0 plane to h×w with half-pixel centres (as OpenCV's INTER_LINEAR and PyTorch's
     * align_corners=False): stretched, or with {@code crop} scaled to (rh, rw), the smallest size that covers h×w
     * keeping the aspect ratio, and the centre h×w cut out. Output pixel (y, x) samples the source at
     * ((y + top + 0.5)·h0/rh − 0.5, (x + left + 0.5)·w0/rw − 0.5), clamped to the image; bytes round half up.
     */
    static final class Resize {
        private final int h0, w0, h, w;
        private final int[] x0, x1, y0, y1;
        private final double[] fx, fy;

        Resize(int h0, int w0, int h, int w, boolean crop) {
            this.h0 = h0;
            this.w0 = w0;
            this.h = h;
            this.w = w;
            int rh = h, rw = w;
            if (crop) {
                double scale = Math.max((double) h / h0, (double) w / w0);
                rh = Math.max(h, (int) Math.round(h0 * scale));
                rw = Math.max(w, (int) Math.round(w0 * scale));
            }
            x0 = new int[w];
            x1 = new int[w];
            fx = new double[w];
            y0 = new int[h];
            y1 = new int[h];
            fy = new double[h];
            axis((rw - w) / 2, (double) w0 / rw, w0, x0, x1, fx);
            axis((rh - h) / 2, (double) h0 / rh, h0, y0, y1, fy);
        }

        private static void axis(int offset, double step, int size, int[] i0, int[] i1, double[] f) {
            for (int x = 0; x < i0.length; x++) {
                double p = Math.max(0, (x + offset + 0.5) * step - 0.5);
                i0[x] = Math.min((int) p, size - 1);
                i1[x] = Math.min(i0[x] + 1, size - 1);
                f[x] = p - i0[x];
            }
        }

        /** src plane (h0, w0) at srcOff → dst plane (h, w) at dstOff. */
        void apply(byte[] src, int srcOff, byte[] dst, int dstOff) {
            for (int y = 0; y < h; y++) {
                int r0 = srcOff + y0[y] * w0, r1 = srcOff + y1[y] * w0, o = dstOff + y * w;
                for (int x = 0; x < w; x++) {
                    double a = src[r0 + x0[x]] & 0xff, b = src[r0 + x1[x]] & 0xff;
                    double c = src[r1 + x0[x]] & 0xff, d = src[r1 + x1[x]] & 0xff;
                    double top = a + (b - a) * fx[x], bottom = c + (d - c) * fx[x];
                    dst[o + x] = (byte) Math.min(255, (int) Math.floor(top + (bottom - top) * fy[y] + 0.5));
                }
            }
        }

        /** As {@link #apply(byte[], int, byte[], int)} for float pixels, not rounded. */
        void apply(float[] src, int srcOff, float[] dst, int dstOff) {
            for (int y = 0; y < h; y++) {
                int r0 = srcOff + y0[y] * w0, r1 = srcOff + y1[y] * w0, o = dstOff + y * w;
                for (int x = 0; x < w; x++) {
                    double a = src[r0 + x0[x]], b = src[r0 + x1[x]], c = src[r1 + x0[x]], d = src[r1 + x1[x]];
                    double top = a + (b - a) * fx[x], bottom = c + (d - c) * fx[x];
                    dst[o + x] = (float) (top + (bottom - top) * fy[y]);
                }
            }
        }
    }

    /** Non-hidden entries of {@code dir}, sorted by name. */
    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new DataFileException(dir + ": cannot list directory (" + e + ")", e);
        }
    }

    private static List<String> names(List<Path> paths) {
        return paths.stream().map(p -> p.getFileName().toString()).toList();
    }

    private static String hexHead(Path f) {
        byte[] b = Datasets.head(f, 4);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < b.length; i++) s.append(i == 0 ? "" : " ").append(String.format("%02X", b[i] & 0xff));
        return b.length == 0 ? "nothing, it is empty" : s.toString();
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        return m.replace('\n', ' ').replace('\r', ' ');
    }
}
