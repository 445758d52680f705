package org.cae4j.ops;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * hand-over must cost far less than that: the caller publishes the job with volatile writes and runs chunk 0
 * itself; the other chunks go to whichever thread claims them first, workers or the caller once it is done with
 * its own. A chunk computes the same thing on any thread, so who runs it changes nothing in the result; and when
 * a worker is late (descheduled on a busy machine) the caller does its chunks instead of waiting for it. It waits
 * only for chunks a worker has started, spinning briefly and then parked until that worker unparks it. An idle
 * worker spins for {@link #SPIN_NANOS} before it parks, so the next hand-over of a step finds it awake (a parked
 * thread takes tens of microseconds to wake on a VM). No object is allocated per hand-over. A call from a
 * worker, or while another thread is using the pool, runs its chunks one after another on the calling thread: the
 * same chunks, so the same result.
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

    /**
     * As {@link #forChunks(int, ChunkBody)} when {@code work} is at least {@code minWork}; below it, too little to pay
     * for the hand-over, {@code body} runs once on the calling thread over all n items, as chunk 0.
     */
    public static void forChunks(int n, long work, long minWork, ChunkBody body) {
        if (work < minWork) body.run(0, 0, n);
        else forChunks(n, body);
    }

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
     * The workers and the job they share. The caller writes the job's fields, then publishes it in {@code claim}
     * (generation in the high 32 bits, next chunk to hand out in the low) and in {@code generation}, which idle
     * workers watch. A chunk is claimed by a compare-and-set of {@code claim} that keeps the generation, so a worker
     * that wakes late can never take a chunk of a later job by mistake; once it holds a claim, the caller cannot
     * return (it waits for every claimed chunk to be {@code finished}), so the fields it reads are that job's.
     */
    private static final class Pool {
        final ReentrantLock lock = new ReentrantLock();
        final Worker[] workers;
        final AtomicLong claim = new AtomicLong();
        final AtomicInteger finished = new AtomicInteger();
        final AtomicInteger[] sleeping;
        volatile int generation;
        volatile boolean shutdown;
        /** The caller, while it is parked waiting for workers' chunks; null otherwise. */
        volatile Thread waiting;
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
            finished.set(0);
            int g = generation + 1;
            claim.set((long) g << 32 | 1); // volatile: publishes the fields above; chunk 0 is the caller's
            generation = g;
            for (int w = 0; w < workers.length; w++) {
                if (sleeping[w].get() != 0) LockSupport.unpark(workers[w]);
            }
            Throwable own = null;
            try {
                body.run(0, 0, chunkStart(1, n, chunks));
            } catch (Throwable t) {
                own = t;
            }
            for (int c; (c = tryClaim(g)) >= 0; ) runClaimed(c); // chunks no worker has taken yet
            int spins = 0;
            while (finished.get() < chunks - 1) {
                if (spins++ < 1 << 12) {
                    Thread.onSpinWait();
                    continue;
                }
                // a worker's chunk takes long, or the worker was descheduled: park until it is done; the worker
                // reads waiting after its finished increment, this thread finished after writing waiting
                waiting = Thread.currentThread();
                if (finished.get() < chunks - 1) LockSupport.parkNanos(this, 1_000_000);
                waiting = null;
            }
            this.body = null;
            Throwable f = own != null ? own : failure;
            if (f instanceof RuntimeException) throw (RuntimeException) f;
            if (f instanceof Error) throw (Error) f;
            if (f != null) throw new IllegalStateException(f);
        }

        /** The next chunk of job g not yet handed out, now this thread's, or −1 when none is left (or g is over). */
        int tryClaim(int g) {
            while (true) {
                long s = claim.get();
                int c = (int) s;
                if ((int) (s >>> 32) != g || c >= chunks) return -1;
                if (claim.compareAndSet(s, s + 1)) return c;
            }
        }

        /** Runs claimed chunk c (c ≥ 1) of the current job and counts it finished. */
        void runClaimed(int c) {
            try {
                body.run(c, chunkStart(c, n, chunks), chunkStart(c + 1, n, chunks));
            } catch (Throwable t) {
                failure = t;
            }
            finished.incrementAndGet();
            Thread t = waiting;
            if (t != null) LockSupport.unpark(t);
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
                for (int c; (c = tryClaim(g)) >= 0; ) runClaimed(c);
            }
        }

        void shutdown() {
            shutdown = true;
            for (Worker t : workers) LockSupport.unpark(t);
        }
    }
}
