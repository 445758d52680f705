package org.cae4j.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reader for the binary CIFAR-10 and CIFAR-100 batches (https://www.cs.toronto.edu/~kriz/cifar.html).
 *
 * <p>A batch is a run of fixed-size records, with no header: CIFAR-10 records are 1 label byte (0..9) then 3072
 * pixel bytes, CIFAR-100 records are a coarse label byte (0..19), a fine label byte (0..99), then 3072 pixel bytes.
 * The pixels are 32×32 in three planes, red then green then blue, each row-major, which is NCHW with C = 3, so
 * they are copied as they are. The file length must be a whole, positive number of records and every label in
 * range; both are checked before (length) or while (labels) the pixels are read, and every failure is a
 * {@link DataFileException} whose one-line message starts with the file name.
 *
 * <p>A CIFAR-10 directory ({@code cifar-10-batches-bin} from {@code cifar-10-binary.tar.gz}) holds
 * {@code data_batch_1.bin} … {@code data_batch_5.bin}, concatenated in that order into the training set, and
 * {@code test_batch.bin}; a CIFAR-100 directory ({@code cifar-100-binary}) holds {@code train.bin} and
 * {@code test.bin}. The class names come from {@code batches.meta.txt}, {@code fine_label_names.txt} or
 * {@code coarse_label_names.txt} when present.
 */
public final class Cifar {
    /** Pixel bytes per image: 3 planes of 32×32. */
    public static final int IMAGE_BYTES = 3 * 32 * 32;
    /** Most images one dataset can hold: N·3072 must fit in a Java array. */
    public static final int MAX_IMAGES = Idx.MAX_BYTES / IMAGE_BYTES;
    /** The CIFAR-10 training batches, in the order they are concatenated. */
    public static final List<String> CIFAR10_TRAIN = List.of("data_batch_1.bin", "data_batch_2.bin",
            "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    public static final String CIFAR10_TEST = "test_batch.bin", CIFAR100_TRAIN = "train.bin", CIFAR100_TEST = "test.bin";
    /** Folder names inside the official archives. */
    public static final String CIFAR10_FOLDER = "cifar-10-batches-bin", CIFAR100_FOLDER = "cifar-100-binary";

    private Cifar() {}

    /** The two binary layouts. */
    public enum Variant {
        /** 1 label byte + 3072 pixels. */
        CIFAR10("CIFAR-10", 1),
        /** coarse label byte + fine label byte + 3072 pixels. */
        CIFAR100("CIFAR-100", 2);

        final String title;
        final int labelBytes;

        Variant(String title, int labelBytes) {
            this.title = title;
            this.labelBytes = labelBytes;
        }

        /** Bytes per record: label bytes + 3072. */
        public int recordBytes() { return labelBytes + IMAGE_BYTES; }
    }

    /** Which CIFAR-100 label to keep; CIFAR-10 has only one. */
    public enum Labels {
        /** CIFAR-10's label, or CIFAR-100's fine label (0..99). */
        FINE,
        /** CIFAR-100's coarse label (superclass, 0..19). */
        COARSE
    }

    /** Reads one batch file (fine labels for CIFAR-100); the dataset is named after the file. */
    public static ImageDataset read(Path file, Variant variant) {
        return read(List.of(file), String.valueOf(file.getFileName()), variant, Labels.FINE);
    }

    /**
     * Reads {@code files} of one variant and concatenates them in the given order; all lengths are checked
     * before anything is allocated.
     *
     * @throws DataFileException if a file is missing, is not a whole number of records, or has a label out of range
     */
    public static ImageDataset read(List<Path> files, String name, Variant variant, Labels which) {
        int record = variant.recordBytes();
        int[] counts = new int[files.size()];
        long total = 0;
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            long length = length(file);
            if (length == 0 || length % record != 0) {
                throw new DataFileException(file + ": " + length + " bytes is not a whole number of " + variant.title
                        + " records of " + record + " bytes (" + (variant.labelBytes == 1 ? "1 label" : "2 labels")
                        + " + 3072 pixels): " + length / record + " records and " + length % record
                        + " bytes left over; expected a positive multiple of " + record
                        + " (the file is truncated or not a " + variant.title + " batch)");
            }
            counts[f] = (int) Math.min(Integer.MAX_VALUE, length / record);
            total += length / record;
            if (total > MAX_IMAGES) {
                throw new DataFileException(file + ": together with the files before it holds " + total + " "
                        + variant.title + " images, more than the " + MAX_IMAGES + " one dataset can hold");
            }
        }
        int n = (int) total;
        byte[] pixels = new byte[n * IMAGE_BYTES];
        byte[] labels = new byte[n];
        int classes = variant == Variant.CIFAR10 ? 10 : which == Labels.FINE ? 100 : 20;
        int labelAt = variant == Variant.CIFAR10 || which == Labels.COARSE ? 0 : 1;
        int image = 0;
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                byte[] head = new byte[variant.labelBytes];
                for (int r = 0; r < counts[f]; r++, image++) {
                    int got = in.readNBytes(head, 0, head.length);
                    got += in.readNBytes(pixels, image * IMAGE_BYTES, IMAGE_BYTES);
                    if (got < record) {
                        throw new DataFileException(file + ": truncated while reading: record " + r + " of " + counts[f]
                                + " has " + got + " of " + record + " bytes (the file shrank after its length was checked)");
                    }
                    int label = head[labelAt] & 0xff;
                    if (label >= classes) {
                        throw new DataFileException(file + ": record " + r + " has " + labelName(variant, which) + " "
                                + label + ", expected 0.." + (classes - 1) + " (is this a " + variant.title + " batch?)");
                    }
                    labels[image] = (byte) label;
                }
            } catch (IOException e) {
                throw new DataFileException(file + ": cannot read (" + e + ")", e);
            }
        }
        return new ImageDataset(name, pixels, labels, n, 3, 32, 32);
    }

    private static String labelName(Variant v, Labels which) {
        return v == Variant.CIFAR10 ? "label" : which == Labels.FINE ? "fine label" : "coarse label";
    }

    /**
     * The variant whose files {@code dir} holds (looking inside a {@code cifar-10-batches-bin} or
     * {@code cifar-100-binary} sub-folder too), or null when it holds neither {@code data_batch_1.bin} nor
     * {@code test_batch.bin} nor both {@code train.bin} and {@code test.bin}.
     */
    public static Variant detect(Path dir) {
        Path d = folder(dir);
        if (Files.isRegularFile(d.resolve(CIFAR10_TRAIN.get(0))) || Files.isRegularFile(d.resolve(CIFAR10_TEST))) {
            return Variant.CIFAR10;
        }
        if (Files.isRegularFile(d.resolve(CIFAR100_TRAIN)) && Files.isRegularFile(d.resolve(CIFAR100_TEST))) {
            return Variant.CIFAR100;
        }
        return null;
    }

    /** Loads a CIFAR-10 or CIFAR-100 directory (fine labels) as train and test sets. */
    public static Datasets.Split load(Path dir) {
        return load(dir, Labels.FINE);
    }

    /**
     * Loads a CIFAR-10 directory (all five training batches and the test batch are required) or a CIFAR-100
     * directory with the chosen labels; {@code dir} may also be the folder that holds {@code cifar-10-batches-bin}
     * or {@code cifar-100-binary}.
     *
     * @throws DataFileException if a file is missing (the message lists what was found) or malformed
     */
    public static Datasets.Split load(Path dir, Labels which) {
        if (!Files.isDirectory(dir)) throw new DataFileException("no such directory: " + dir);
        Path d = folder(dir);
        Variant v = detect(d);
        if (v == null) {
            throw new DataFileException(d + ": no CIFAR batches: expected " + CIFAR10_TRAIN + " and " + CIFAR10_TEST
                    + " (CIFAR-10) or " + CIFAR100_TRAIN + " and " + CIFAR100_TEST + " (CIFAR-100)");
        }
        List<String> train = v == Variant.CIFAR10 ? CIFAR10_TRAIN : List.of(CIFAR100_TRAIN);
        String test = v == Variant.CIFAR10 ? CIFAR10_TEST : CIFAR100_TEST;
        List<String> missing = new ArrayList<>();
        for (String f : train) if (!Files.isRegularFile(d.resolve(f))) missing.add(f);
        if (!Files.isRegularFile(d.resolve(test))) missing.add(test);
        if (!missing.isEmpty()) {
            throw new DataFileException(d + ": missing " + String.join(", ", missing) + "; a " + v.title
                    + " directory needs " + train + " and " + test + "; found " + Datasets.listFiles(d));
        }
        String set = String.valueOf(d.toAbsolutePath().normalize().getFileName());
        List<Path> trainFiles = train.stream().map(d::resolve).toList();
        ImageDataset tr = read(trainFiles, set + "/train", v, which);
        ImageDataset te = read(List.of(d.resolve(test)), set + "/test", v, which);
        List<String> names = classNames(d, v, which);
        if (!names.isEmpty()) {
            tr = tr.withClassNames(names);
            te = te.withClassNames(names);
        }
        return new Datasets.Split(tr, te);
    }

    /** {@code dir}, or its official sub-folder when it has one. */
    static Path folder(Path dir) {
        for (String sub : new String[] {CIFAR10_FOLDER, CIFAR100_FOLDER}) {
            if (Files.isDirectory(dir.resolve(sub))) return dir.resolve(sub);
        }
        return dir;
    }

    private static List<String> classNames(Path dir, Variant v, Labels which) {
        String file = v == Variant.CIFAR10 ? "batches.meta.txt"
                : which == Labels.FINE ? "fine_label_names.txt" : "coarse_label_names.txt";
        int expected = v == Variant.CIFAR10 ? 10 : which == Labels.FINE ? 100 : 20;
        Path p = dir.resolve(file);
        if (!Files.isRegularFile(p)) return List.of();
        List<String> names;
        try {
            names = Files.readAllLines(p, StandardCharsets.ISO_8859_1).stream()
                    .map(String::trim).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new DataFileException(p + ": cannot read (" + e + ")", e);
        }
        if (names.size() != expected) {
            throw new DataFileException(p + ": " + names.size() + " class names, expected " + expected + " (one per line)");
        }
        return names;
    }

    private static long length(Path file) {
        if (Files.isDirectory(file)) throw new DataFileException(file + ": is a directory, expected a CIFAR batch file");
        try {
            return Files.size(file);
        } catch (IOException e) {
            if (!Files.exists(file)) throw new DataFileException("no such file: " + file, e);
            throw new DataFileException(file + ": cannot read (" + e + ")", e);
        }
    }
}
