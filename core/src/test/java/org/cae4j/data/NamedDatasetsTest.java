package org.cae4j.data;

import static org.cae4j.data.IdxFixtures.gzip;
import static org.cae4j.data.IdxFixtures.idx;
import static org.cae4j.data.IdxFixtures.ramp;
import static org.cae4j.data.IdxFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class NamedDatasetsTest {
    @TempDir
    Path dir;
    LocalHttp http;

    @BeforeEach
    void start() throws IOException {
        http = new LocalHttp();
    }

    @AfterEach
    void stop() {
        http.close();
    }

    /** The four IDX files of a tiny set: 3 train and 2 test images of 2x2. */
    static Map<String, byte[]> tinyIdx() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("train-images-idx3-ubyte.gz", gzip(idx(new int[] {3, 2, 2}, ramp(12))));
        m.put("train-labels-idx1-ubyte.gz", gzip(idx(new int[] {3}, new byte[] {1, 2, 3})));
        m.put("t10k-images-idx3-ubyte.gz", gzip(idx(new int[] {2, 2, 2}, ramp(8))));
        m.put("t10k-labels-idx1-ubyte.gz", gzip(idx(new int[] {2}, new byte[] {4, 5})));
        return m;
    }

    static NamedDatasets.Definition idxDefinition(String name, Map<String, byte[]> files) {
        List<Downloader.Expected> expected = new ArrayList<>();
        files.forEach((n, b) -> expected.add(DownloaderTest.expected(n, b)));
        return new NamedDatasets.Definition(name, NamedDatasets.Kind.IDX, List.of(), expected);
    }

    NamedDatasets.Locator locator() {
        return NamedDatasets.Locator.defaults().withDebianRoot(dir.resolve("debian")).withCacheDir(dir.resolve("cache"))
                .withSources(List.of(http.base("/m/"))).withDownloader(DownloaderTest.quick());
    }

    private static void writeAll(Path folder, Map<String, byte[]> files) throws IOException {
        Files.createDirectories(folder);
        for (Map.Entry<String, byte[]> f : files.entrySet()) Files.write(folder.resolve(f.getKey()), f.getValue());
    }

    @Test
    void downloadsIntoTheCacheOnceThenUsesIt() throws IOException {
        Map<String, byte[]> files = tinyIdx();
        files.forEach((n, b) -> http.on("/m/" + n, LocalHttp.Answer.ok(b)));
        NamedDatasets.Definition d = idxDefinition("tiny", files);
        List<String> progress = new ArrayList<>();
        Path got = NamedDatasets.locate(d, null, locator().withProgress((f, n, t) -> progress.add(f)));
        assertEquals(dir.resolve("cache/tiny"), got);
        assertEquals(4, http.requests.size());
        assertTrue(progress.contains("t10k-labels-idx1-ubyte.gz"), progress.toString());
        Datasets.Split s = Datasets.load(got);
        assertEquals(3, s.train().size());
        assertEquals(5, s.test().label(1));
        NamedDatasets.locate(d, null, locator());
        assertEquals(4, http.requests.size(), "the second call finds the cache and downloads nothing");
    }

    @Test
    void resolutionOrderIsExplicitThenDebianThenCache() throws IOException {
        Map<String, byte[]> files = tinyIdx();
        NamedDatasets.Definition d = idxDefinition("tiny", files);
        writeAll(dir.resolve("cache/tiny"), files);
        assertEquals(dir.resolve("cache/tiny"), NamedDatasets.locate(d, null, locator()));
        writeAll(dir.resolve("debian/tiny"), files);
        assertEquals(dir.resolve("debian/tiny"), NamedDatasets.locate(d, null, locator()));
        Path mine = Files.createDirectories(dir.resolve("mine"));
        assertEquals(mine, NamedDatasets.locate(d, mine, locator()));
        assertTrue(http.requests.isEmpty());
        Path none = dir.resolve("absent");
        DataFileException e = assertThrows(DataFileException.class, () -> NamedDatasets.locate(d, none, locator()));
        assertEquals("no such file or directory: " + none + " (given for tiny)", e.getMessage());
    }

    @Test
    void incompleteDebianFolderIsPassedOver() throws IOException {
        Map<String, byte[]> files = tinyIdx();
        NamedDatasets.Definition d = idxDefinition("tiny", files);
        Files.createDirectories(dir.resolve("debian/tiny"));
        Files.write(dir.resolve("debian/tiny/train-images-idx3-ubyte.gz"), files.get("train-images-idx3-ubyte.gz"));
        DataFileException e = assertThrows(DataFileException.class,
                () -> NamedDatasets.locate(d, null, locator().withDownload(false)));
        assertEquals("tiny: not found in " + dir.resolve("debian/tiny") + " or " + dir.resolve("cache/tiny")
                + ", and downloading is off; give the folder that holds the files", e.getMessage());
    }

    @Test
    void corruptDownloadLeavesNothingInTheCache() throws IOException {
        Map<String, byte[]> files = tinyIdx();
        NamedDatasets.Definition d = idxDefinition("tiny", files);
        files.forEach((n, b) -> http.on("/m/" + n, LocalHttp.Answer.ok(b)));
        byte[] bad = files.get("t10k-images-idx3-ubyte.gz").clone();
        bad[bad.length - 1] ^= 1;
        http.on("/m/t10k-images-idx3-ubyte.gz", LocalHttp.Answer.ok(bad));
        DataFileException e = assertThrows(DataFileException.class, () -> NamedDatasets.locate(d, null, locator()));
        assertTrue(e.getMessage().startsWith(dir.resolve("cache/tiny/t10k-images-idx3-ubyte.gz") + ": download failed: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("SHA-256 mismatch"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("cache/tiny/t10k-images-idx3-ubyte.gz")));
    }

    /** A ustar archive of the given (path, bytes) members, gzipped. */
    static byte[] tarGz(Map<String, byte[]> members) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> m : members.entrySet()) {
            byte[] h = new byte[512];
            byte[] name = m.getKey().getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(name, 0, h, 0, name.length);
            put(h, 100, "0000644\0");
            put(h, 108, "0000000\0");
            put(h, 116, "0000000\0");
            put(h, 124, String.format("%011o\0", m.getValue().length));
            put(h, 136, "00000000000\0");
            h[156] = '0';
            put(h, 257, "ustar\0");
            put(h, 263, "00");
            put(h, 148, "        ");
            int sum = 0;
            for (byte b : h) sum += b & 0xff;
            put(h, 148, String.format("%06o\0 ", sum));
            out.writeBytes(h);
            out.writeBytes(m.getValue());
            out.writeBytes(new byte[(512 - m.getValue().length % 512) % 512]);
        }
        out.writeBytes(new byte[1024]);
        return gzip(out.toByteArray());
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    @Test
    void cifarArchiveIsVerifiedExtractedAndDeleted() throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        for (int b = 1; b <= 5; b++) members.put("cifar-10-batches-bin/data_batch_" + b + ".bin", CifarTest.record(b, b));
        members.put("cifar-10-batches-bin/test_batch.bin", CifarTest.record(9, 9));
        members.put("cifar-10-batches-bin/../../evil.bin", new byte[] {1});
        members.put("other/notes.txt", new byte[] {2});
        byte[] archive = tarGz(members);
        http.on("/m/cifar-10-binary.tar.gz", LocalHttp.Answer.ok(archive));
        NamedDatasets.Definition d = new NamedDatasets.Definition("cifar10", NamedDatasets.Kind.CIFAR10_ARCHIVE, List.of(),
                List.of(DownloaderTest.expected("cifar-10-binary.tar.gz", archive)));
        Path got = NamedDatasets.locate(d, null, locator());
        assertEquals(dir.resolve("cache/cifar10"), got);
        try (Stream<Path> s = Files.list(got)) {
            assertEquals(List.of("cifar-10-batches-bin"), s.map(p -> p.getFileName().toString()).toList(),
                    "archive deleted, no temporary folder left");
        }
        assertFalse(Files.exists(dir.resolve("evil.bin")));
        assertFalse(Files.exists(dir.resolve("cache/evil.bin")));
        Datasets.Split s = Cifar.load(got);
        assertEquals(5, s.train().size());
        assertEquals(9, s.test().label(0));
    }

    @Test
    void archiveWithoutAllBatchesIsRefused() throws IOException {
        byte[] archive = tarGz(Map.of("cifar-10-batches-bin/data_batch_1.bin", CifarTest.record(1, 1)));
        Path a = write(dir, "cifar-10-binary.tar.gz", archive);
        DataFileException e = assertThrows(DataFileException.class, () -> NamedDatasets.extractCifar10(a, dir));
        assertTrue(e.getMessage().startsWith(a + ": archive lacks cifar-10-batches-bin/data_batch_2.bin"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("cifar-10-batches-bin")));
    }

    @Test
    void officialDefinitionsCarryFullChecksums() {
        assertEquals(List.of("fashion-mnist", "mnist", "cifar10"), NamedDatasets.names());
        assertEquals(NamedDatasets.FASHION_MNIST, NamedDatasets.find("Fashion_MNIST"));
        assertEquals(NamedDatasets.CIFAR10, NamedDatasets.find("cifar-10"));
        assertNull(NamedDatasets.find("imagenet"));
        for (String n : NamedDatasets.names()) {
            NamedDatasets.Definition d = NamedDatasets.find(n);
            assertFalse(d.sources().isEmpty());
            for (Downloader.Expected f : d.files()) {
                assertTrue(f.sha256().matches("[0-9a-f]{64}"), n + " " + f);
                assertTrue(f.md5().matches("[0-9a-f]{32}"), n + " " + f);
                assertTrue(f.size() > 0, n + " " + f);
            }
        }
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        DataFileException e = assertThrows(DataFileException.class,
                () -> NamedDatasets.load("imagenet", null, locator().withDownload(false)));
        assertEquals("unknown data set name 'imagenet', expected one of [fashion-mnist, mnist, cifar10]", e.getMessage());
    }

    @Test
    void cacheDirectoryCanBeSetBySystemProperty() {
        String old = System.getProperty("cae4j.cache");
        try {
            System.setProperty("cae4j.cache", dir.toString());
            assertEquals(dir, NamedDatasets.defaultCacheDir());
        } finally {
            if (old == null) System.clearProperty("cae4j.cache");
            else System.setProperty("cae4j.cache", old);
        }
    }
}
