package org.cae4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Downloads a file over HTTP(S) with {@link HttpClient} and keeps it only if its length and checksums are the
 * expected ones.
 *
 * <p>The body is streamed into a hidden temporary file in the target folder while its SHA-256 (and MD5, when one
 * is expected) are computed; on success the file is forced to disk and renamed over the target, so the target
 * is either absent or complete and verified. A checksum or length mismatch removes the temporary file and is
 * never retried from the same source. A connection error, a body cut short, or an HTTP 5xx or 429 answer is
 * retried from the start (no resuming) up to {@code attempts} times per source; other HTTP errors (404) move on
 * to the next source at once. When every source has failed, the {@link DataFileException} lists each source and
 * why. Verification is fail-closed: a file without an expected SHA-256 is never downloaded.
 */
public final class Downloader {
    /** Told how a download is going; called on the downloading thread after each chunk. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param file  the file's name
         * @param bytes bytes received so far in this attempt
         * @param total the length the server announced, or -1
         */
        void update(String file, long bytes, long total);

        /** Ignores all updates. */
        Progress NONE = (file, bytes, total) -> {};
    }

    /**
     * A file to fetch and what it must be.
     *
     * @param name   the file name, appended to each base URL and used as the target name
     * @param size   its length in bytes, or -1 if unknown
     * @param sha256 its SHA-256, lower-case hex (required)
     * @param md5    its MD5, lower-case hex, or null; checked in addition when given
     */
    public record Expected(String name, long size, String sha256, String md5) {
        public Expected {
            if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                throw new IllegalArgumentException("download file name must be a plain file name, got '" + name + "'");
            }
        }
    }

    private static final int CHUNK = 1 << 16;

    private final HttpClient client;
    private final int attempts;
    private final Duration timeout, backoff;

    /** 3 attempts per source, 30 s to connect and to receive the headers, 2 s then 4 s between attempts. */
    public Downloader() {
        this(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(30)).build(),
                3, Duration.ofSeconds(30), Duration.ofSeconds(2));
    }

    /**
     * @param attempts tries per source for errors worth retrying, at least 1
     * @param timeout  how long to wait for the response headers of each request
     * @param backoff  pause before the second attempt, doubled before each further one
     */
    public Downloader(HttpClient client, int attempts, Duration timeout, Duration backoff) {
        if (attempts < 1) throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
        this.client = client;
        this.attempts = attempts;
        this.timeout = timeout;
        this.backoff = backoff;
    }

    /**
     * Downloads {@code base + file.name()} for each base URL in turn (each ends with {@code /}) until one gives
     * the expected bytes, and stores them as {@code dir/file.name()}.
     *
     * @return the verified file
     * @throws DataFileException naming the target and every source's failure, or if no SHA-256 is known
     */
    public Path fetch(List<URI> bases, Expected file, Path dir, Progress progress) {
        Path target = dir.resolve(file.name());
        if (file.sha256() == null || file.sha256().isEmpty()) {
            throw new DataFileException(target + ": no SHA-256 is known for " + file.name()
                    + ", refusing to download unverified data");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DataFileException(dir + ": cannot create the download folder (" + e + ")", e);
        }
        List<String> failures = new ArrayList<>();
        for (URI base : bases) {
            URI url = base.resolve(file.name());
            for (int attempt = 1; attempt <= attempts; attempt++) {
                if (attempt > 1) pause(attempt);
                Outcome o = once(url, file, target, progress);
                if (o == null) return target;
                if (!o.retry || attempt == attempts) {
                    failures.add(url + ": " + o.reason + (attempt > 1 ? " (after " + attempt + " attempts)" : ""));
                    break;
                }
            }
        }
        throw new DataFileException(target + ": download failed: " + String.join("; ", failures));
    }

    /** Why one attempt failed, and whether trying the same URL again might help. */
    private record Outcome(String reason, boolean retry) {}

    /** One attempt; null on success. */
    private Outcome once(URI url, Expected file, Path target, Progress progress) {
        HttpRequest req = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
        Path tmp = target.resolveSibling("." + file.name() + ".part-"
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
        boolean kept = false;
        try {
            HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = resp.body()) {
                int status = resp.statusCode();
                if (status != 200) {
                    return new Outcome("HTTP " + status + " (expected 200)", status >= 500 || status == 429);
                }
                long announced = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
                MessageDigest sha = digest("SHA-256"), md5 = file.md5() == null ? null : digest("MD5");
                long n = 0;
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    byte[] buf = new byte[CHUNK];
                    for (int r; (r = body.read(buf)) != -1; ) {
                        sha.update(buf, 0, r);
                        if (md5 != null) md5.update(buf, 0, r);
                        ByteBuffer bb = ByteBuffer.wrap(buf, 0, r);
                        while (bb.hasRemaining()) ch.write(bb);
                        n += r;
                        if (file.size() >= 0 && n > file.size()) {
                            return new Outcome("size mismatch: more than the expected " + file.size() + " bytes; the download was removed", false);
                        }
                        progress.update(file.name(), n, announced);
                    }
                    ch.force(true);
                }
                if (announced >= 0 && n != announced) {
                    return new Outcome("body cut short: " + n + " of the announced " + announced + " bytes", true);
                }
                if (file.size() >= 0 && n != file.size()) {
                    return new Outcome("size mismatch: expected " + file.size() + " bytes, got " + n
                            + "; the download was removed", false);
                }
                String gotSha = HexFormat.of().formatHex(sha.digest());
                if (!gotSha.equals(file.sha256().toLowerCase(Locale.ROOT))) {
                    return new Outcome("SHA-256 mismatch: expected " + file.sha256() + ", got " + gotSha
                            + "; the download was removed", false);
                }
                if (md5 != null) {
                    String gotMd5 = HexFormat.of().formatHex(md5.digest());
                    if (!gotMd5.equals(file.md5().toLowerCase(Locale.ROOT))) {
                        return new Outcome("MD5 mismatch: expected " + file.md5() + ", got " + gotMd5
                                + "; the download was removed", false);
                    }
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
                kept = true;
                return null;
            }
        } catch (IOException e) {
            return new Outcome("connection failed or body cut short (" + oneLine(e) + ")", true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataFileException(target + ": download interrupted", e);
        } finally {
            if (!kept) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary name is hidden and random; a leftover is harmless
                }
            }
        }
    }

    private void pause(int attempt) {
        long ms = backoff.toMillis() << Math.min(attempt - 2, 10);
        if (ms <= 0) return;
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataFileException("download interrupted", e);
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every JVM", e);
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return m.replace('\n', ' ').replace('\r', ' ');
    }
}
