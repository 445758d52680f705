package org.cae4j.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;

/**
 * What every fuzz target of a reader asserts, whatever the bytes: the reader returns, or throws one of its
 * documented exception types with a one-line message. Anything else fails the target and is a finding: another
 * exception ({@code ArithmeticException}, {@code NegativeArraySizeException}, ...), an {@code Error} such as
 * {@code OutOfMemoryError} or {@code StackOverflowError}, a message that is empty or spans lines, more than
 * {@link #allocationLimit} bytes allocated for one input (a lying length field), or a read slower than
 * {@link #MAX_MILLIS} (a near-hang; a true hang is caught by the fuzzer's own per-input timeout).
 *
 * <p>A fuzz target is then a few lines, e.g. for a new reader:
 * <pre>{@code
 * @FuzzTest
 * void npyFile(byte[] input) {
 *     FuzzContract.check(() -> Npy.read(FuzzContract.file("x.npy", input)), input.length, DataFileException.class);
 * }
 * }</pre>
 * with seed inputs in {@code src/test/resources/<package>/<Class>Inputs/npyFile/}.
 */
public final class FuzzContract {
    /** Slowest accepted read of one fuzz input. */
    public static final long MAX_MILLIS = 5_000;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static Path dir;

    private FuzzContract() {}

    /** Bytes a reader may allocate for an input of {@code inputBytes}: 64 MiB plus 32 bytes per input byte. */
    public static long allocationLimit(long inputBytes) {
        return (64L << 20) + 32 * inputBytes;
    }

    /**
     * Runs {@code read} and returns its result, or null when it threw one of {@code documented} with a one-line
     * message; fails (an {@link AssertionError} carrying the unexpected throwable) otherwise.
     */
    @SafeVarargs
    public static <T> T check(Callable<T> read, long inputBytes, Class<? extends Throwable>... documented) {
        return check(read, inputBytes, 0, documented);
    }

    /**
     * As {@link #check(Callable, long, Class[])}, allowing {@code extraBytes} more allocation: for a format whose
     * decoded size is legitimately out of proportion to the file (a compressed image), what the header declares.
     */
    @SafeVarargs
    public static <T> T check(Callable<T> read, long inputBytes, long extraBytes, Class<? extends Throwable>... documented) {
        long limit = allocationLimit(inputBytes) + extraBytes;
        long[] allocated = new long[1];
        T result = once(read, documented, allocated);
        if (allocated[0] > limit) {
            // the first read of a kind loads (and the fuzzer instruments) classes: measure a second read
            once(read, documented, allocated);
            if (allocated[0] > limit) {
                throw new AssertionError("read of " + inputBytes + " bytes allocated " + allocated[0]
                        + " bytes, more than the limit " + limit + (extraBytes > 0 ? " (" + extraBytes
                        + " of it for the declared pixels)" : ""));
            }
        }
        return result;
    }

    private static <T> T once(Callable<T> read, Class<? extends Throwable>[] documented, long[] allocated) {
        boolean measure = THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled();
        long before = measure ? THREADS.getCurrentThreadAllocatedBytes() : 0;
        long start = System.nanoTime();
        T result = null;
        try {
            result = read.call();
        } catch (Throwable t) {
            if (List.of(documented).stream().noneMatch(c -> c.isInstance(t))) {
                throw new AssertionError("undocumented " + t.getClass().getName() + " (expected only "
                        + List.of(documented).stream().map(Class::getSimpleName).toList() + "): " + t, t);
            }
            String m = t.getMessage();
            if (m == null || m.isBlank() || m.contains("\n") || m.contains("\r")) {
                throw new AssertionError("the message of " + t.getClass().getSimpleName()
                        + " is not one non-empty line: " + m, t);
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (millis > MAX_MILLIS) throw new AssertionError("read took " + millis + " ms, more than " + MAX_MILLIS);
        allocated[0] = measure ? THREADS.getCurrentThreadAllocatedBytes() - before : 0;
        return result;
    }

    /**
     * Writes {@code bytes} to a file called {@code name} in a per-JVM scratch folder, replacing the last one;
     * {@code name} may name a sub-folder ({@code images/x}), which is created.
     */
    public static synchronized Path file(String name, byte[] bytes) {
        try {
            if (dir == null) {
                dir = Files.createTempDirectory("cae4j-fuzz");
                dir.toFile().deleteOnExit();
            }
            Path f = dir.resolve(name);
            if (!f.getParent().equals(dir) && !Files.isDirectory(f.getParent())) {
                Files.createDirectories(f.getParent());
                f.getParent().toFile().deleteOnExit();
            }
            Files.write(f, bytes);
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code bytes} gzipped. */
    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
