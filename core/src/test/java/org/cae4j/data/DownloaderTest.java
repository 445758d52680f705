package org.cae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class DownloaderTest {
    @TempDir
    Path dir;
    LocalHttp http;

    static final byte[] BODY = IdxFixtures.ramp(100_000);

    @BeforeEach
    void start() throws IOException {
        http = new LocalHttp();
    }

    @AfterEach
    void stop() {
        http.close();
    }

    static String hex(String algorithm, byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Downloader quick() {
        return new Downloader(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), 3,
                Duration.ofSeconds(10), Duration.ZERO);
    }

    static Downloader.Expected expected(String name, byte[] body) {
        return new Downloader.Expected(name, body.length, hex("SHA-256", body), hex("MD5", body));
    }

    /** Names in dir, hidden ones included, so leftover temporary files show. */
    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void downloadsVerifiesAndReportsProgress() throws IOException {
        http.on("/d/data.bin", LocalHttp.Answer.ok(BODY));
        List<long[]> seen = new ArrayList<>();
        Path f = quick().fetch(List.of(http.base("/d/")), expected("data.bin", BODY), dir,
                (name, bytes, total) -> seen.add(new long[] {bytes, total}));
        assertEquals(dir.resolve("data.bin"), f);
        assertArrayEquals(BODY, Files.readAllBytes(f));
        assertEquals(List.of("data.bin"), files());
        assertFalse(seen.isEmpty());
        assertArrayEquals(new long[] {BODY.length, BODY.length}, seen.get(seen.size() - 1));
    }

    @Test
    void checksumMismatchRemovesTheFileAndSaysBothSums() throws IOException {
        byte[] other = BODY.clone();
        other[5] ^= 1;
        http.on("/d/data.bin", LocalHttp.Answer.ok(other));
        Downloader.Expected want = expected("data.bin", BODY);
        DataFileException e = assertThrows(DataFileException.class,
                () -> quick().fetch(List.of(http.base("/d/")), want, dir, Downloader.Progress.NONE));
        assertTrue(e.getMessage().startsWith(dir.resolve("data.bin") + ": download failed: " + http.base("/d/data.bin")
                + ": SHA-256 mismatch: expected " + want.sha256() + ", got " + hex("SHA-256", other)
                + "; the download was removed"), e.getMessage());
        assertEquals(List.of(), files());
        assertEquals(1, http.requests.size(), "a checksum mismatch is not retried from the same source");
    }

    @Test
    void notFoundMovesToTheNextSourceAndListsEveryFailure() throws IOException {
        http.on("/b/data.bin", LocalHttp.Answer.ok(BODY));
        Path f = quick().fetch(List.of(http.base("/a/"), http.base("/b/")), expected("data.bin", BODY), dir,
                Downloader.Progress.NONE);
        assertArrayEquals(BODY, Files.readAllBytes(f));
        assertEquals(List.of("/a/data.bin", "/b/data.bin"), http.requests);

        DataFileException e = assertThrows(DataFileException.class, () -> quick().fetch(List.of(http.base("/a/"),
                http.base("/c/")), expected("other.bin", BODY), dir, Downloader.Progress.NONE));
        assertEquals(dir.resolve("other.bin") + ": download failed: " + http.base("/a/other.bin") + ": HTTP 404 (expected 200); "
                + http.base("/c/other.bin") + ": HTTP 404 (expected 200)", e.getMessage());
    }

    @Test
    void truncatedBodyIsRetriedFromTheStartWithoutResuming() throws IOException {
        http.on("/d/data.bin", LocalHttp.Answer.cut(BODY, 1000), LocalHttp.Answer.ok(BODY));
        Path f = quick().fetch(List.of(http.base("/d/")), expected("data.bin", BODY), dir, Downloader.Progress.NONE);
        assertArrayEquals(BODY, Files.readAllBytes(f));
        assertEquals(List.of("/d/data.bin", "/d/data.bin"), http.requests, "two whole requests, no Range header");
        assertEquals(List.of("data.bin"), files());
    }

    @Test
    void truncatedEveryTimeFailsAfterTheAttemptsWithNoFileLeft() throws IOException {
        http.on("/d/data.bin", LocalHttp.Answer.cut(BODY, 1000));
        DataFileException e = assertThrows(DataFileException.class,
                () -> quick().fetch(List.of(http.base("/d/")), expected("data.bin", BODY), dir, Downloader.Progress.NONE));
        assertTrue(e.getMessage().startsWith(dir.resolve("data.bin") + ": download failed: " + http.base("/d/data.bin") + ": "),
                e.getMessage());
        assertTrue(e.getMessage().contains("(after 3 attempts)"), e.getMessage());
        assertEquals(3, http.requests.size());
        assertEquals(List.of(), files());
    }

    @Test
    void serverErrorIsRetried() throws IOException {
        http.on("/d/data.bin", LocalHttp.Answer.status(503), LocalHttp.Answer.ok(BODY));
        Path f = quick().fetch(List.of(http.base("/d/")), expected("data.bin", BODY), dir, Downloader.Progress.NONE);
        assertArrayEquals(BODY, Files.readAllBytes(f));
        assertEquals(2, http.requests.size());
    }

    @Test
    void wrongSizeIsRefusedEvenBeforeHashing() throws IOException {
        http.on("/d/data.bin", LocalHttp.Answer.ok(new byte[10]));
        DataFileException e = assertThrows(DataFileException.class,
                () -> quick().fetch(List.of(http.base("/d/")), expected("data.bin", BODY), dir, Downloader.Progress.NONE));
        assertTrue(e.getMessage().contains("size mismatch: expected 100000 bytes, got 10; the download was removed"), e.getMessage());
        assertEquals(List.of(), files());
    }

    @Test
    void noChecksumMeansNoDownload() {
        Downloader.Expected unknown = new Downloader.Expected("data.bin", -1, null, null);
        DataFileException e = assertThrows(DataFileException.class,
                () -> quick().fetch(List.of(http.base("/d/")), unknown, dir, Downloader.Progress.NONE));
        assertEquals(dir.resolve("data.bin") + ": no SHA-256 is known for data.bin, refusing to download unverified data",
                e.getMessage());
        assertTrue(http.requests.isEmpty());
    }
}
