package org.cae4j.ops;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * One fixed pool of worker threads for the whole process, and a static split of work into chunks.
 *
 * <p>Work of n items is cut into {@code chunks(n)} contiguous ranges whose bounds depend only on n and the
 * thread count, never on timing; callers reduce per-chunk partial results in chunk order, so a result is
 * identical run to run for a given thread count.
 */
public final class Parallel {
    private static volatile int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static ExecutorService pool;

    private Parallel() {}

    /** Number of threads kernels use. */
    public static int threads() { return threads; }

    /** Sets the thread count (≥ 1) for all later work. */
    public static synchronized void setThreads(int t) {
        if (t < 1) throw new IllegalArgumentException("threads must be >= 1, got " + t);
        if (t != threads && pool != null) {
            pool.shutdown();
            pool = null;
        }
        threads = t;
    }

    /** Number of chunks n items are split into: min(threads, n), at least 1. */
    public static int chunks(int n) { return Math.max(1, Math.min(threads, n)); }

    /** Start of chunk {@code c} of {@code n} items split into {@code chunks} ranges. */
    public static int chunkStart(int c, int n, int chunks) { return (int) ((long) c * n / chunks); }

    /** A body run once per chunk: chunk index, first item, one past the last item. */
    @FunctionalInterface
    public interface ChunkBody { void run(int chunk, int start, int end); }

    /** Runs {@code body} over the chunks of n items, the first on the calling thread, and waits for all. */
    public static void forChunks(int n, ChunkBody body) {
        int chunks = chunks(n);
        if (chunks == 1) {
            body.run(0, 0, n);
            return;
        }
        ExecutorService p = pool();
        List<Future<?>> fs = new ArrayList<>(chunks - 1);
        for (int c = 1; c < chunks; c++) {
            final int cc = c;
            fs.add(p.submit(() -> body.run(cc, chunkStart(cc, n, chunks), chunkStart(cc + 1, n, chunks))));
        }
        body.run(0, 0, chunkStart(1, n, chunks));
        try {
            for (Future<?> f : fs) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for worker threads", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) throw (RuntimeException) cause;
            if (cause instanceof Error) throw (Error) cause;
            throw new IllegalStateException(cause);
        }
    }

    private static synchronized ExecutorService pool() {
        if (pool == null) {
            pool = Executors.newFixedThreadPool(Math.max(1, threads - 1), r -> {
                Thread t = new Thread(r, "cae4j-worker");
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }
}
