package org.cae4j.ops;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One fixed pool of worker threads for the whole process, and a static split of work into chunks.
 *
 * <p>Work of n items is cut into {@code chunks(n)} contiguous ranges whose bounds depend only on n and the
 * thread count, never on timing; callers reduce per-chunk partial results in chunk order, so a result is
 * identical run to run for a given thread count.
 *
 * <p>Each thread owns a contiguous run of the chunks (the caller the first, worker w the (w+1)-th), takes its own
 * from the front and, once they are done, takes other threads' chunks from the back of their runs. A chunk
 * computes the same thing on any thread, so who runs it changes nothing in the result. With one chunk per thread,
 * each thread runs the chunk whose data it used in the step before, and the caller runs a late worker's chunk
 * (descheduled on a busy machine) instead of waiting for it; with several per thread ({@link #balancedChunks}), a
 * thread that is slowed down (on a shared host, a virtual CPU whose physical core is busy with another guest runs
 * at half speed for long stretches) hands its last chunks to the other one, and the rest stay where they were.
 *
 * <p>A training step hands work to the pool a dozen times or more, each time for tens of microseconds, so the hand-over
 * must cost far less than that: the caller publishes the job with volatile writes and runs its own chunks. It waits
 * only for chunks a worker has started, spinning briefly and then parked until that worker unparks it. An idle worker
 * spins for {@link #SPIN_NANOS} before it parks, so the next hand-over of a step finds it awake (a parked thread takes
 * tens of microseconds to wake on a VM). No object is allocated per hand-over. A call from a worker, or while another
 * thread is using the pool, runs its chunks one after another on the calling thread: the same chunks, so the same
 * result.
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

    /** Chunks per thread in {@link #balancedChunks}. */
    static final int BALANCED_PER_THREAD = 4;

    /**
     * Number of chunks for work whose items cost the same and whose chunks carry little overhead (a batch's images
     * through a convolution): {@link #BALANCED_PER_THREAD} per thread, at most n, and 1 on one thread, so that a
     * thread slowed down by the machine hands its last chunks to the others.
     */
    public static int balancedChunks(int n) {
        return threads == 1 ? 1 : Math.max(1, Math.min(threads * BALANCED_PER_THREAD, n));
    }

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

    /** Runs {@code body} over the {@link #chunks} of n items, the calling thread taking part, and waits for all. */
    public static void forChunks(int n, ChunkBody body) { forChunks(n, chunks(n), body); }

    /**
     * Runs {@code body} over n items cut into {@code chunks} ranges (1 ≤ chunks ≤ min(max(1, n), 65535), e.g.
     * {@link #balancedChunks}), and waits for all.
     */
    public static void forChunks(int n, int chunks, ChunkBody body) {
        if (chunks < 1 || chunks > Math.max(1, n) || chunks > MAX_CHUNKS) {
            throw new IllegalArgumentException("chunks must be in [1, min(max(1, n), " + MAX_CHUNKS + ")] with n = "
                    + n + ", got " + chunks);
        }
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

    /** Chunks a job may have: a run's front and back are 16-bit fields. */
    static final int MAX_CHUNKS = 0xFFFF;

    /**
     * The workers and the job they share. The caller writes the job's fields, then publishes it in {@code runs}
     * (per thread: generation in the high 32 bits, then the front and the back of the thread's run of chunks, 16
     * bits each) and in {@code generation}, which idle workers watch. A chunk is claimed by a compare-and-set of a
     * run that keeps the generation, so a worker that wakes late can never take a chunk of a later job by mistake;
     * once it holds a claim, the caller cannot return (it waits for every chunk to be {@code finished}), so the
     * fields it reads are that job's.
     */
    private static final class Pool {
        final ReentrantLock lock = new ReentrantLock();
        final Worker[] workers;
        final AtomicLongArray runs;
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
            runs = new AtomicLongArray(count + 1);
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
            int g = generation + 1, threads = runs.length();
            for (int t = 0; t < threads; t++) { // volatile: publishes the fields above
                runs.set(t, (long) g << 32 | (long) chunkStart(t, chunks, threads) << 16 | chunkStart(t + 1, chunks, threads));
            }
            generation = g;
            for (int w = 0; w < workers.length; w++) {
                if (sleeping[w].get() != 0) LockSupport.unpark(workers[w]);
            }
            for (int c; (c = tryClaim(g, 0)) >= 0; ) runClaimed(c); // its own chunks, then any not yet taken
            int spins = 0;
            while (finished.get() < chunks) {
                if (spins++ < 1 << 12) {
                    Thread.onSpinWait();
                    continue;
                }
                // a worker's chunk takes long, or the worker was descheduled: park until it is done; the worker
                // reads waiting after its finished increment, this thread finished after writing waiting
                waiting = Thread.currentThread();
                if (finished.get() < chunks) LockSupport.parkNanos(this, 1_000_000);
                waiting = null;
            }
            this.body = null;
            Throwable f = failure;
            if (f instanceof RuntimeException) throw (RuntimeException) f;
            if (f instanceof Error) throw (Error) f;
            if (f != null) throw new IllegalStateException(f);
        }

        /**
         * A chunk of job g not yet handed out, now thread t's (0 the caller, w + 1 worker w): the front of its own
         * run, else the back of another's; −1 when none is left (or g is over).
         */
        int tryClaim(int g, int t) {
            int threads = runs.length();
            for (int k = 0; k < threads; k++) {
                int v = (t + k) % threads;
                boolean own = k == 0;
                while (true) {
                    long s = runs.get(v);
                    int front = (int) (s >>> 16) & 0xFFFF, back = (int) s & 0xFFFF;
                    if ((int) (s >>> 32) != g || front >= back) break;
                    if (runs.compareAndSet(v, s, own ? s + (1L << 16) : s - 1)) return own ? front : back - 1;
                }
            }
            return -1;
        }

        /** Runs claimed chunk c of the current job and counts it finished. */
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
                for (int c; (c = tryClaim(g, w + 1)) >= 0; ) runClaimed(c);
            }
        }

        void shutdown() {
            shutdown = true;
            for (Worker t : workers) LockSupport.unpark(t);
        }
    }
}
