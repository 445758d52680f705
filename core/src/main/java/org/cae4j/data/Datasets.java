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
 * Finds and loads a train/test pair of IDX data sets from a directory, a single file, or the embedded default.
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

    private static String listed(List<String> names) {
        if (names.size() <= LISTED_NAMES) return names.toString();
        return names.subList(0, LISTED_NAMES).toString().replaceFirst("]$", "")
                + ", ... and " + (names.size() - LISTED_NAMES) + " more]";
    }
}
