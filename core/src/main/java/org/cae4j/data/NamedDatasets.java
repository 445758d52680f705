package org.cae4j.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The data sets cae4j knows by name: {@code fashion-mnist}, {@code mnist} and {@code cifar10}.
 *
 * <p>A name is resolved, in order, to: an explicit path, when one is given; the Debian location
 * {@code /usr/share/datasets/NAME} when it holds the files (the {@code dataset-fashion-mnist} package installs
 * Fashion-MNIST there; Debian has no MNIST or CIFAR package); the cache folder {@code CACHE/NAME}; otherwise a
 * download into the cache. The cache folder is the system property {@code cae4j.cache}, else the environment
 * variable {@code CAE4J_CACHE}, else {@code $XDG_CACHE_HOME/cae4j}, else {@code ~/.cache/cae4j}.
 *
 * <p>Downloads come from the official sources (MNIST's mirrors after Yann LeCun's page) through
 * {@link Downloader}, which keeps a file only if its length, SHA-256 and MD5 equal the values written below.
 * Their provenance: the MD5 sums are the ones the data sets' own pages publish (the Fashion-MNIST README, the
 * CIFAR page; for MNIST, which publishes none, the ones torchvision checks); the lengths and SHA-256 sums are the
 * ones TensorFlow Datasets records for the same URLs ({@code url_checksums/}). CIFAR-10 arrives as
 * {@code cifar-10-binary.tar.gz}; its batches are extracted (regular files with known names only) into a
 * temporary folder that is renamed to {@code cifar-10-batches-bin} when complete, and the archive is deleted.
 */
public final class NamedDatasets {
    private NamedDatasets() {}

    /** How a data set's files are laid out once fetched. */
    public enum Kind {
        /** The four MNIST-style IDX files, loaded by {@link Datasets#load}. */
        IDX,
        /** {@code cifar-10-binary.tar.gz}, extracted to {@code cifar-10-batches-bin}, loaded by {@link Cifar#load}. */
        CIFAR10_ARCHIVE
    }

    /**
     * A data set that can be fetched: its name (also its folder), layout, base URLs tried in order, and files.
     */
    public record Definition(String name, Kind kind, List<URI> sources, List<Downloader.Expected> files) {
        public Definition {
            sources = List.copyOf(sources);
            files = List.copyOf(files);
        }
    }

    public static final Definition FASHION_MNIST = new Definition("fashion-mnist", Kind.IDX,
            List.of(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")), List.of(
            new Downloader.Expected("train-images-idx3-ubyte.gz", 26_421_880,
                    "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
            new Downloader.Expected("train-labels-idx1-ubyte.gz", 29_515,
                    "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845", "25c81989df183df01b3e8a0aad5dffbe"),
            new Downloader.Expected("t10k-images-idx3-ubyte.gz", 4_422_102,
                    "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073", "bef4ecab320f06d8554ea6380940ec79"),
            new Downloader.Expected("t10k-labels-idx1-ubyte.gz", 5_148,
                    "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5", "bb300cfdad3c16e7a12a480ee83cd310")));

    public static final Definition MNIST = new Definition("mnist", Kind.IDX, List.of(
            URI.create("http://yann.lecun.com/exdb/mnist/"),
            URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"),
            URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/")), List.of(
            new Downloader.Expected("train-images-idx3-ubyte.gz", 9_912_422,
                    "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
            new Downloader.Expected("train-labels-idx1-ubyte.gz", 28_881,
                    "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", "d53e105ee54ea40749a09fcbcd1e9432"),
            new Downloader.Expected("t10k-images-idx3-ubyte.gz", 1_648_877,
                    "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", "9fb629c4189551a2d022fa330f9573f3"),
            new Downloader.Expected("t10k-labels-idx1-ubyte.gz", 4_542,
                    "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", "ec29112dd5afa0611ce80d1b7f02629c")));

    public static final Definition CIFAR10 = new Definition("cifar10", Kind.CIFAR10_ARCHIVE,
            List.of(URI.create("https://www.cs.toronto.edu/~kriz/")), List.of(
            new Downloader.Expected("cifar-10-binary.tar.gz", 170_052_171,
                    "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd", "c32a1d4ab5d03f1284b67883e8d87530")));

    private static final List<Definition> ALL = List.of(FASHION_MNIST, MNIST, CIFAR10);

    /** Files taken out of the CIFAR-10 archive. */
    private static final Set<String> CIFAR10_MEMBERS = Set.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin", "batches.meta.txt", "readme.html");

    /** The names, as accepted by {@link #find}. */
    public static List<String> names() {
        return ALL.stream().map(Definition::name).toList();
    }

    /** The definition called {@code name} ({@code fashion_mnist} and {@code cifar-10} are accepted too), or null. */
    public static Definition find(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace('_', '-');
        if (n.equals("cifar-10")) n = "cifar10";
        for (Definition d : ALL) if (d.name.equals(n)) return d;
        return null;
    }

    /**
     * Where and how to look for and fetch named data sets.
     *
     * @param debianRoot folder of Debian's {@code dataset-*} packages, normally {@code /usr/share/datasets}
     * @param cacheDir   folder for downloads, see {@link #defaultCacheDir()}
     * @param download   whether to download what is found nowhere
     * @param sources    base URLs to use instead of each data set's own (for tests and mirrors), or null
     */
    public record Locator(Path debianRoot, Path cacheDir, boolean download, List<URI> sources, Downloader downloader,
                          Downloader.Progress progress) {
        /** {@code /usr/share/datasets}, the default cache, downloads allowed from the official sources, no progress. */
        public static Locator defaults() {
            return new Locator(Path.of("/usr/share/datasets"), defaultCacheDir(), true, null, null, Downloader.Progress.NONE);
        }

        public Locator withDebianRoot(Path p) { return new Locator(p, cacheDir, download, sources, downloader, progress); }

        public Locator withCacheDir(Path p) { return new Locator(debianRoot, p, download, sources, downloader, progress); }

        public Locator withDownload(boolean d) { return new Locator(debianRoot, cacheDir, d, sources, downloader, progress); }

        public Locator withSources(List<URI> s) { return new Locator(debianRoot, cacheDir, download, s, downloader, progress); }

        public Locator withDownloader(Downloader d) { return new Locator(debianRoot, cacheDir, download, sources, d, progress); }

        public Locator withProgress(Downloader.Progress p) { return new Locator(debianRoot, cacheDir, download, sources, downloader, p); }
    }

    /** {@code -Dcae4j.cache}, else {@code $CAE4J_CACHE}, else {@code $XDG_CACHE_HOME/cae4j}, else {@code ~/.cache/cae4j}. */
    public static Path defaultCacheDir() {
        String p = System.getProperty("cae4j.cache");
        if (p == null || p.isBlank()) p = System.getenv("CAE4J_CACHE");
        if (p != null && !p.isBlank()) return Path.of(p);
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "cae4j");
        return Path.of(System.getProperty("user.home"), ".cache", "cae4j");
    }

    /** Resolves and loads the data set called {@code name}; see {@link #locate}. */
    public static Datasets.Split load(String name, Path explicit, Locator loc) {
        Definition d = find(name);
        if (d == null) throw new DataFileException("unknown data set name '" + name + "', expected one of " + names());
        Path dir = locate(d, explicit, loc);
        return d.kind == Kind.IDX ? Datasets.load(dir) : Cifar.load(dir);
    }

    /**
     * The folder that holds {@code d}'s files: {@code explicit} if not null, else the Debian folder, else the cache
     * folder, else the cache folder after downloading into it.
     *
     * @throws DataFileException if the explicit path is missing, or the files are found nowhere and cannot be fetched
     */
    public static Path locate(Definition d, Path explicit, Locator loc) {
        if (explicit != null) {
            if (!Files.exists(explicit)) throw new DataFileException("no such file or directory: " + explicit + " (given for " + d.name + ")");
            return explicit;
        }
        Path debian = loc.debianRoot() == null ? null : loc.debianRoot().resolve(d.name);
        if (debian != null && complete(d, debian)) return debian;
        Path cache = loc.cacheDir().resolve(d.name);
        if (complete(d, cache)) return cache;
        if (!loc.download()) {
            throw new DataFileException(d.name + ": not found in " + (debian == null ? "" : debian + " or ") + cache
                    + ", and downloading is off; give the folder that holds the files");
        }
        Downloader dl = loc.downloader() == null ? new Downloader() : loc.downloader();
        List<URI> sources = loc.sources() == null ? d.sources : loc.sources();
        if (d.kind == Kind.IDX) {
            for (Downloader.Expected f : d.files) {
                if (!Files.isRegularFile(cache.resolve(f.name()))) dl.fetch(sources, f, cache, loc.progress());
            }
        } else {
            Path archive = dl.fetch(sources, d.files.get(0), cache, loc.progress());
            extractCifar10(archive, cache);
            try {
                Files.deleteIfExists(archive);
            } catch (IOException e) {
                // keeping a verified archive is harmless
            }
        }
        if (!complete(d, cache)) throw new DataFileException(cache + ": incomplete after download (" + d.name + ")");
        return cache;
    }

    /** Whether {@code dir} holds every file {@code d} needs. */
    static boolean complete(Definition d, Path dir) {
        if (d.kind == Kind.IDX) {
            for (Downloader.Expected f : d.files) if (!Files.isRegularFile(dir.resolve(f.name()))) return false;
            return true;
        }
        Path b = dir.resolve(Cifar.CIFAR10_FOLDER);
        for (String f : Cifar.CIFAR10_TRAIN) if (!Files.isRegularFile(b.resolve(f))) return false;
        return Files.isRegularFile(b.resolve(Cifar.CIFAR10_TEST));
    }

    /**
     * Extracts the CIFAR-10 batches from {@code archive} (a gzipped ustar file) into {@code dest/cifar-10-batches-bin}:
     * only regular files named {@code cifar-10-batches-bin/KNOWN_NAME} are written, into a hidden temporary folder
     * that is renamed when every batch is there.
     */
    static void extractCifar10(Path archive, Path dest) {
        Path tmp = dest.resolve("." + Cifar.CIFAR10_FOLDER + ".part-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
        Path target = dest.resolve(Cifar.CIFAR10_FOLDER);
        try {
            Files.createDirectories(tmp);
            try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive), 1 << 16), 1 << 16)) {
                byte[] header = new byte[512];
                while (true) {
                    int got = in.readNBytes(header, 0, 512);
                    if (got == 0) break;
                    if (got < 512) throw new DataFileException(archive + ": tar header cut short (" + got + " of 512 bytes)");
                    if (isZero(header)) break;
                    String name = field(header, 0, 100);
                    String prefix = field(header, 345, 155);
                    if (field(header, 257, 5).equals("ustar") && !prefix.isEmpty()) name = prefix + "/" + name;
                    long size = octal(header, 124, 12, archive);
                    char type = (char) header[156];
                    boolean regular = type == '0' || type == '\0';
                    String base = name.startsWith(Cifar.CIFAR10_FOLDER + "/") ? name.substring(Cifar.CIFAR10_FOLDER.length() + 1) : null;
                    long padded = (size + 511) / 512 * 512;
                    if (regular && base != null && CIFAR10_MEMBERS.contains(base)) {
                        try (OutputStream out = Files.newOutputStream(tmp.resolve(base))) {
                            long left = size;
                            byte[] buf = new byte[1 << 16];
                            while (left > 0) {
                                int r = in.read(buf, 0, (int) Math.min(buf.length, left));
                                if (r < 0) throw new DataFileException(archive + ": " + name + " cut short in the archive");
                                out.write(buf, 0, r);
                                left -= r;
                            }
                        }
                        in.skipNBytes(padded - size);
                    } else {
                        in.skipNBytes(padded);
                    }
                }
            }
            List<String> missing = new ArrayList<>();
            for (String f : Cifar.CIFAR10_TRAIN) if (!Files.isRegularFile(tmp.resolve(f))) missing.add(f);
            if (!Files.isRegularFile(tmp.resolve(Cifar.CIFAR10_TEST))) missing.add(Cifar.CIFAR10_TEST);
            if (!missing.isEmpty()) {
                throw new DataFileException(archive + ": archive lacks " + Cifar.CIFAR10_FOLDER + "/" + String.join(", ", missing));
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException | DirectoryNotEmptyException e) {
                if (!Files.isDirectory(target)) throw e; // else another process finished first; keep its copy
            }
        } catch (java.io.EOFException e) {
            throw new DataFileException(archive + ": archive ends early (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new DataFileException(archive + ": cannot extract (" + e + ")", e);
        } finally {
            deleteTree(tmp);
        }
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private static String field(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) end++;
        return new String(h, off, end - off, StandardCharsets.US_ASCII).trim();
    }

    private static long octal(byte[] h, int off, int len, Path archive) {
        String s = field(h, off, len);
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new DataFileException(archive + ": tar header has size '" + s + "', expected an octal number");
        }
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        } catch (IOException e) {
            // a hidden leftover folder is harmless
        }
    }
}
