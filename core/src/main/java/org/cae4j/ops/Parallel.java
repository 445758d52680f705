package org.cae4j.ops;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One fixed pool of worker threads for the whole process, and a static split of work into chunks.
 *
 * <p>Work of n items is cut into {@code chunks(n)} contiguous ranges whose bounds depend only on n and the
 * thread count, never on timing; callers reduce per-chunk partial results in chunk order, so a result is
 * identical run to run for a given thread count.
 *
 * <p>A training step hands work to the pool a dozen times or more, each time for tens of microseconds, so the
 * hand-over must cost far less than that: the caller publishes the job with one volatile write and runs chunk 0
 * itself; worker w runs chunk w. An idle worker spins for {@link #SPIN_NANOS} before it parks, so the next
 * hand-over of a step finds it awake (a parked thread takes tens of microseconds to wake on a VM). No object
 * is allocated per hand-over. A call from a worker, or while another thread is using the pool, runs its
 * chunks one after another on the calling thread: the same chunks, so the same result.
 */
public final class Parallel {
    /** How long an idle worker spins before parking. */
    static final long SPIN_NANOS = 200_000;
    private static volatile int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static Pool pool;

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
        Pool p = pool();
        if (p == null || Thread.currentThread() instanceof Worker || p.lock.isHeldByCurrentThread() || !p.lock.tryLock()) {
            for (int c = 0; c < chunks; c++) body.run(c, chunkStart(c, n, chunks), chunkStart(c + 1, n, chunks));
            return;
        }
        try {
            p.run(n, chunks, body);
        } finally {
            p.lock.unlock();
        }
    }

    private static synchronized Pool pool() {
        if (pool == null && threads > 1) pool = new Pool(threads - 1);
        return pool;
    }

    /** A pool thread; {@link #forChunks} called on one runs serially. */
    private static final class Worker extends Thread {
        Worker(Runnable r) { super(r, "cae4j-worker"); }
    }

    /**
     * The workers and the job they share. The job's fields are written by the caller before the volatile
     * {@code generation} write that announces it and read by workers after they see it; the caller waits until
     * every worker has acknowledged the job ({@code pending} = 0) before it returns, so jobs never overlap.
     */
    private static final class Pool {
        final ReentrantLock lock = new ReentrantLock();
        final Worker[] workers;
        final AtomicInteger pending = new AtomicInteger();
        final AtomicInteger[] sleeping;
        volatile int generation;
        volatile boolean shutdown;
        ChunkBody body;
        int n, chunks;
        volatile Throwable failure;

        Pool(int count) {
            workers = new Worker[count];
            sleeping = new AtomicInteger[count];
            for (int w = 0; w < count; w++) {
                sleeping[w] = new AtomicInteger();
                int index = w;
                workers[w] = new Worker(() -> loop(index));
                workers[w].setDaemon(true);
                workers[w].start();
            }
        }

        void run(int n, int chunks, ChunkBody body) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            failure = null;
            pending.set(workers.length);
            generation++; // volatile write: publishes the fields above
            for (int w = 0; w < workers.length; w++) {
                if (sleeping[w].get() != 0) LockSupport.unpark(workers[w]);
            }
            Throwable own = null;
            try {
                body.run(0, 0, chunkStart(1, n, chunks));
            } catch (Throwable t) {
                own = t;
            }
            for (int spins = 0; pending.get() != 0; spins++) {
                if (spins < 1 << 16) Thread.onSpinWait();
                else Thread.yield(); // a worker descheduled on a busy machine: let it run
            }
            this.body = null;
            Throwable f = own != null ? own : failure;
            if (f instanceof RuntimeException) throw (RuntimeException) f;
            if (f instanceof Error) throw (Error) f;
            if (f != null) throw new IllegalStateException(f);
        }

        void loop(int w) {
            int seen = 0;
            while (true) {
                long spinUntil = System.nanoTime() + SPIN_NANOS;
                int g;
                while ((g = generation) == seen) {
                    if (shutdown) return;
                    if (System.nanoTime() < spinUntil) {
                        Thread.onSpinWait();
                    } else {
                        // announce the park, then look again: the caller bumps generation before it reads the
                        // flag, so either this thread sees the new job or the caller sees the flag and unparks
                        sleeping[w].set(1);
                        if (generation == seen && !shutdown) LockSupport.park(this);
                        sleeping[w].set(0);
                    }
                }
                seen = g;
                int c = w + 1;
                if (c < chunks) {
                    try {
                        body.run(c, chunkStart(c, n, chunks), chunkStart(c + 1, n, chunks));
                    } catch (Throwable t) {
                        failure = t;
                    }
                }
                pending.decrementAndGet();
            }
        }

        void shutdown() {
            shutdown = true;
            for (Worker t : workers) LockSupport.unpark(t);
        }
    }
}
