package org.cae4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Finds and loads a train/test pair of image data sets: {@link #open} takes what a user types ({@code embedded},
 * a data set name, or a path in any supported format, recognised by content); {@link #load} reads an IDX
 * directory or file; {@link #embedded} the bundled Fashion-MNIST subset.
 */
public final class Datasets {
    /** Classpath folder, relative to this class, of the embedded Fashion-MNIST subset. */
    private static final String EMBEDDED_DIR = "fashion-mnist-subset/";
    /** How many found file names an error message lists before eliding the rest. */
    private static final int LISTED_NAMES = 20;

    private Datasets() {}

    /** A training set and a test set; {@code test} is null when the source has none. */
    public record Split(ImageDataset train, ImageDataset test) {
        public Split {
            if (train == null) throw new IllegalArgumentException("a split needs a training set, got null");
        }

        /** Whether there is a test set. */
        public boolean hasTest() { return test != null; }

        /** Both sets with batches normalised by {@code n}; shares the pixel arrays. */
        public Split withNormalization(Normalization n) {
            return new Split(train.withNormalization(n), test == null ? null : test.withNormalization(n));
        }
    }

    /**
     * How {@link #open} reads what it finds.
     *
     * @param images  channels and resizing for image folders
     * @param layout  channel axis of 4-D NumPy arrays
     * @param locator where named data sets are looked for and whether they may be downloaded
     */
    public record Options(ImageFolder.Options images, NumpyData.Layout layout, NamedDatasets.Locator locator) {
        /** Automatic channels and no resizing, layout from the shape, the default locations, downloads allowed. */
        public static Options defaults() {
            return new Options(ImageFolder.Options.defaults(), NumpyData.Layout.AUTO, NamedDatasets.Locator.defaults());
        }

        public Options withImages(ImageFolder.Options o) { return new Options(o, layout, locator); }

        public Options withLayout(NumpyData.Layout l) { return new Options(images, l, locator); }

        public Options withLocator(NamedDatasets.Locator l) { return new Options(images, layout, l); }
    }

    /**
     * What {@link #open} loaded.
     *
     * @param format      what was recognised and where, e.g. {@code IDX files in /data/fashion-mnist}
     * @param warnings    files skipped or ignored (image folders only), one line each, for the user to see
     * @param imageFolder whether it was an image folder, the only source {@link Options#images} applies to
     */
    public record Loaded(Split split, String format, List<String> warnings, boolean imageFolder) {
        /** Not an image folder. */
        public Loaded(Split split, String format, List<String> warnings) {
            this(split, format, warnings, false);
        }
    }

    /** The spec that means {@link #embedded()}. */
    public static final String EMBEDDED = "embedded";

    /** {@link #open(String, Options)} with {@link Options#defaults()}. */
    public static Loaded open(String spec) {
        return open(spec, Options.defaults());
    }

    /**
     * Loads what {@code spec} names: {@code embedded}; a data set name ({@code fashion-mnist}, {@code mnist},
     * {@code cifar10}; a name wins over a relative path of the same name, write {@code ./mnist} for the folder),
     * located as {@link NamedDatasets} describes; or a path. A file is recognised by its first bytes: NumPy
     * {@code .npy} ({@code \x93NUMPY}), {@code .npz} (a zip archive), an IDX image file (raw or gzipped); a
     * CIFAR batch, which has no magic number, by its name ({@code data_batch_N.bin}, {@code test_batch.bin} for
     * CIFAR-10, {@code train.bin}, {@code test.bin} for CIFAR-100). A directory is, in this order, a CIFAR
     * directory (by its file names), an IDX directory (if a file in it starts with an IDX magic number), or an
     * image folder (if ImageIO recognises a file in it or one or two folders down).
     *
     * @throws DataFileException if nothing matches (the message lists what was found) or the data is malformed
     */
    public static Loaded open(String spec, Options options) {
        if (spec.equals(EMBEDDED)) return new Loaded(embedded(), "the embedded Fashion-MNIST subset", List.of());
        NamedDatasets.Definition named = NamedDatasets.find(spec);
        if (named != null) {
            Path dir = NamedDatasets.locate(named, null, options.locator());
            Split s = named.kind() == NamedDatasets.Kind.IDX ? load(dir) : Cifar.load(dir);
            return new Loaded(s, named.name() + " from " + dir, List.of());
        }
        Path p = Path.of(spec);
        if (!Files.exists(p)) {
            throw new DataFileException("no such file or directory: " + p + " (expected " + EMBEDDED + ", one of "
                    + NamedDatasets.names() + ", or a path)");
        }
        return Files.isDirectory(p) ? openDirectory(p, options) : openFile(p, options);
    }

    private static Loaded openFile(Path p, Options options) {
        Sniffed kind = sniff(p);
        String name = String.valueOf(p.getFileName());
        switch (kind) {
            case NPY: return new Loaded(NumpyData.load(p, options.layout()), "a NumPy .npy file", List.of());
            case ZIP: return new Loaded(NumpyData.loadNpz(p, options.layout()), "a NumPy .npz archive", List.of());
            case IDX: case IDX_GZIP: return new Loaded(load(p), "an IDX file", List.of());
            case TAR_GZIP:
                throw new DataFileException(p + ": a gzipped tar archive; extract it first (tar xzf " + name
                        + ") and give the folder it makes");
            case IMAGE:
                throw new DataFileException(p + ": a single image; give the folder that holds the images");
            default:
        }
        if (name.matches("data_batch_[1-5]\\.bin|test_batch\\.bin")) {
            return new Loaded(new Split(Cifar.read(p, Cifar.Variant.CIFAR10), null), "a CIFAR-10 batch", List.of());
        }
        if (name.equals(Cifar.CIFAR100_TRAIN) || name.equals(Cifar.CIFAR100_TEST)) {
            return new Loaded(new Split(Cifar.read(p, Cifar.Variant.CIFAR100), null), "a CIFAR-100 batch", List.of());
        }
        throw new DataFileException(p + ": not a data file cae4j recognises (starts with " + hex(head(p, 8))
                + "); expected an IDX file (00 00 08 03, raw or gzipped), a .npy (93 4E 55 4D 50 59) or .npz (zip, 50 4B)"
                + " file, or a CIFAR batch named data_batch_N.bin, test_batch.bin, train.bin or test.bin");
    }

    private static Loaded openDirectory(Path p, Options options) {
        Cifar.Variant v = Cifar.detect(p);
        if (v != null) {
            return new Loaded(Cifar.load(p), (v == Cifar.Variant.CIFAR10 ? "CIFAR-10" : "CIFAR-100")
                    + " binary batches in " + Cifar.folder(p), List.of());
        }
        List<String> names = listFiles(p);
        for (String n : names) {
            Sniffed k = sniff(p.resolve(n));
            if (k == Sniffed.IDX || k == Sniffed.IDX_GZIP) return new Loaded(load(p), "IDX files in " + p, List.of());
        }
        if (ImageFolder.containsImages(p)) {
            ImageFolder.Loaded l = ImageFolder.load(p, options.images());
            return new Loaded(l.split(), "an image folder " + p, l.warnings(), true);
        }
        List<String> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(p)) {
            s.filter(q -> !q.getFileName().toString().startsWith(".")).sorted()
                    .forEach(q -> found.add(q.getFileName() + (Files.isDirectory(q) ? "/" : "")));
        } catch (IOException e) {
            throw new DataFileException(p + ": cannot list directory (" + e + ")", e);
        }
        throw new DataFileException(p + ": no data set recognised; expected IDX files (e.g. train-images-idx3-ubyte.gz),"
                + " CIFAR batches (data_batch_1.bin .. data_batch_5.bin and test_batch.bin, or train.bin and test.bin),"
                + " or images (PNG, JPEG, BMP, GIF) directly, in class folders or under train/ and test/; found "
                + listed(found));
    }

    /** What a file's first bytes say it is. */
    enum Sniffed { IDX, IDX_GZIP, TAR_GZIP, GZIP, NPY, ZIP, IMAGE, UNKNOWN }

    static Sniffed sniff(Path file) {
        byte[] h = head(file, 8);
        if (h.length >= 6 && (h[0] & 0xff) == 0x93 && h[1] == 'N' && h[2] == 'U' && h[3] == 'M' && h[4] == 'P' && h[5] == 'Y') {
            return Sniffed.NPY;
        }
        if (NumpyData.isZip(h)) return Sniffed.ZIP;
        if (isIdxMagic(h)) return Sniffed.IDX;
        if (h.length >= 2 && (h[0] & 0xff) == 0x1f && (h[1] & 0xff) == 0x8b) {
            try (InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
                byte[] inner = in.readNBytes(512);
                if (isIdxMagic(inner)) return Sniffed.IDX_GZIP;
                if (inner.length == 512 && new String(inner, 257, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("ustar")) {
                    return Sniffed.TAR_GZIP;
                }
            } catch (IOException e) {
                return Sniffed.GZIP;
            }
            return Sniffed.GZIP;
        }
        if (ImageFolder.isImage(file)) return Sniffed.IMAGE;
        return Sniffed.UNKNOWN;
    }

    private static boolean isIdxMagic(byte[] h) {
        return h.length >= 4 && h[0] == 0 && h[1] == 0 && h[2] == 0x08 && h[3] >= 1 && h[3] <= 4;
    }

    private static String hex(byte[] b) {
        if (b.length == 0) return "nothing, it is empty";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < b.length; i++) s.append(i == 0 ? "" : " ").append(String.format("%02X", b[i] & 0xff));
        return s.toString();
    }

    /**
     * Loads {@code path}: a directory holding one IDX set, or a single IDX image file.
     *
     * <p>A directory must hold exactly one file for each of train images, train labels, test images and test
     * labels, raw or gzipped. A file's role comes from its name: it contains {@code train}, or {@code test} or
     * {@code t10k}, and {@code images} or {@code labels}, case-insensitively; so both the MNIST names
     * ({@code train-images-idx3-ubyte.gz}, {@code t10k-labels-idx1-ubyte}) and the EMNIST names
     * ({@code emnist-balanced-test-images-idx3-ubyte}) work. Hidden files and names that fit no role are ignored;
     * a missing role or two files for one role (e.g. a file next to its {@code .gz}) is an error listing what
     * was found. Train and test images must have the same height and width.
     *
     * <p>A single IDX image file becomes the training set, unlabelled, and there is no test set.
     *
     * @throws DataFileException if the path is missing, the files cannot be matched, or a file is malformed
     */
    public static Split load(Path path) {
        if (Files.isRegularFile(path)) {
            return new Split(ImageDataset.fromIdx(path, null), null);
        }
        if (!Files.isDirectory(path)) throw new DataFileException("no such file or directory: " + path);

        List<String> names = listFiles(path);
        List<List<String>> matches = new ArrayList<>();
        for (Role r : Role.values()) matches.add(new ArrayList<>());
        for (String name : names) {
            Role r = Role.of(name);
            if (r != null) matches.get(r.ordinal()).add(name);
        }
        List<String> missing = new ArrayList<>();
        for (Role r : Role.values()) {
            List<String> m = matches.get(r.ordinal());
            if (m.size() > 1) {
                throw new DataFileException(path + ": " + m.size() + " files could be the " + r.text + ": " + m
                        + "; expected exactly one (keep one set per directory, or pass an image file directly)");
            }
            if (m.isEmpty()) missing.add(r.text);
        }
        if (!missing.isEmpty()) {
            throw new DataFileException(path + ": missing " + String.join(", ", missing)
                    + "; expected train images, train labels, test images and test labels, named with train or"
                    + " test/t10k and images or labels (e.g. train-images-idx3-ubyte.gz); found " + listed(names));
        }
        String set = String.valueOf(path.toAbsolutePath().normalize().getFileName());
        ImageDataset train = ImageDataset.fromIdx(set + "/train",
                Idx.readImages(path.resolve(matches.get(Role.TRAIN_IMAGES.ordinal()).get(0))),
                Idx.readLabels(path.resolve(matches.get(Role.TRAIN_LABELS.ordinal()).get(0))));
        ImageDataset test = ImageDataset.fromIdx(set + "/test",
                Idx.readImages(path.resolve(matches.get(Role.TEST_IMAGES.ordinal()).get(0))),
                Idx.readLabels(path.resolve(matches.get(Role.TEST_LABELS.ordinal()).get(0))));
        if (train.height() != test.height() || train.width() != test.width()) {
            throw new DataFileException(path + ": train images are " + train.height() + "x" + train.width()
                    + " but test images are " + test.height() + "x" + test.width() + "; expected the same size");
        }
        return new Split(train, test);
    }

    /**
     * The bundled default: the first 10,000 Fashion-MNIST training and first 2,000 test images (1×28×28) with
     * labels 0..9, read from the classpath through the same checks as {@link #load}; read afresh on each call.
     */
    public static Split embedded() {
        return new Split(
                ImageDataset.fromIdx("fashion-mnist-subset/train",
                        resource("train-images-idx3-ubyte.gz", true), resource("train-labels-idx1-ubyte.gz", false)),
                ImageDataset.fromIdx("fashion-mnist-subset/test",
                        resource("t10k-images-idx3-ubyte.gz", true), resource("t10k-labels-idx1-ubyte.gz", false)));
    }

    private static Idx.Contents resource(String file, boolean images) {
        String source = "classpath:org/cae4j/data/" + EMBEDDED_DIR + file;
        InputStream in = Datasets.class.getResourceAsStream(EMBEDDED_DIR + file);
        if (in == null) throw new DataFileException("no such file: " + source);
        return images ? Idx.readImages(in, source) : Idx.readLabels(in, source);
    }

    /** The four files of a set, told apart by name. */
    private enum Role {
        TRAIN_IMAGES("train images"), TRAIN_LABELS("train labels"),
        TEST_IMAGES("test images"), TEST_LABELS("test labels");

        final String text;

        Role(String text) { this.text = text; }

        /** The role a file name plays, or null when it fits none or more than one. */
        static Role of(String fileName) {
            String s = fileName.toLowerCase(Locale.ROOT);
            boolean train = s.contains("train"), test = s.contains("test") || s.contains("t10k");
            boolean images = s.contains("images"), labels = s.contains("labels");
            if (train == test || images == labels) return null;
            return train ? (images ? TRAIN_IMAGES : TRAIN_LABELS) : (images ? TEST_IMAGES : TEST_LABELS);
        }
    }

    static List<String> listFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new DataFileException(dir + ": cannot list directory (" + e + ")", e);
        }
    }

    /** The first {@code n} bytes of {@code file} (fewer if it is shorter). */
    static byte[] head(Path file, int n) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        } catch (IOException e) {
            if (!Files.exists(file)) throw new DataFileException("no such file: " + file, e);
            throw new DataFileException(file + ": cannot read (" + e + ")", e);
        }
    }

    static String listed(List<String> names) {
        if (names.size() <= LISTED_NAMES) return names.toString();
        return names.subList(0, LISTED_NAMES).toString().replaceFirst("]$", "")
                + ", ... and " + (names.size() - LISTED_NAMES) + " more]";
    }
}
