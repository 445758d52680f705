package org.cae4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pool runs every chunk exactly once with the documented bounds, in every way it can be called. */
class ParallelTest {
    private final int before = Parallel.threads();

    @AfterEach
    void restore() { Parallel.setThreads(before); }

    /** Runs forChunks over n items many times in a row and checks each item was visited once per call. */
    private static void visitsEveryItemOnce(int n, int calls) { visitsEveryItemOnce(n, Parallel.chunks(n), calls); }

    /** As above with an explicit number of chunks. */
    private static void visitsEveryItemOnce(int n, int chunks, int calls) {
        AtomicIntegerArray seen = new AtomicIntegerArray(n), runs = new AtomicIntegerArray(chunks);
        for (int k = 0; k < calls; k++) {
            Parallel.forChunks(n, chunks, (c, start, end) -> {
                assertEquals(Parallel.chunkStart(c, n, chunks), start);
                assertEquals(Parallel.chunkStart(c + 1, n, chunks), end);
                runs.incrementAndGet(c);
                for (int i = start; i < end; i++) seen.incrementAndGet(i);
            });
        }
        for (int i = 0; i < n; i++) assertEquals(calls, seen.get(i), "item " + i + " of " + n);
        for (int c = 0; c < chunks; c++) assertEquals(calls, runs.get(c), "chunk " + c + " of " + chunks);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 7})
    void everyChunkRunsOnceWithItsBounds(int threads) {
        Parallel.setThreads(threads);
        for (int n : new int[] {1, 2, 3, 5, 64, 1000}) {
            visitsEveryItemOnce(n, 200);
            visitsEveryItemOnce(n, Parallel.balancedChunks(n), 200);
            visitsEveryItemOnce(n, Math.min(n, 11), 50);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void balancedChunksAreSeveralPerThreadAndAtMostN(int threads) {
        Parallel.setThreads(threads);
        assertEquals(threads == 1 ? 1 : threads * Parallel.BALANCED_PER_THREAD, Parallel.balancedChunks(64));
        assertEquals(threads == 1 ? 1 : 3, Parallel.balancedChunks(3));
        assertEquals(1, Parallel.balancedChunks(0));
        assertThrows(IllegalArgumentException.class, () -> Parallel.forChunks(5, 6, (c, s, e) -> { }));
        assertThrows(IllegalArgumentException.class, () -> Parallel.forChunks(5, 0, (c, s, e) -> { }));
    }

    /**
     * A thread held up in chunk 0 (the caller's, unless the worker has already taken the caller's whole run from the
     * back): chunk 3, the last of the caller's run, is done meanwhile by the other thread. Without taking from
     * another's run, the worker would stop after its own chunks 4..7 and chunk 3 would wait for the caller.
     */
    @Test
    void aThreadHeldUpHasItsLastChunksTakenByTheOther() {
        Parallel.setThreads(2);
        int n = 64, chunks = Parallel.balancedChunks(n); // 8: the caller owns 0..3, the worker 4..7
        CountDownLatch lastDone = new CountDownLatch(1);
        AtomicIntegerArray runs = new AtomicIntegerArray(chunks);
        boolean[] sawIt = new boolean[1];
        Parallel.forChunks(n, chunks, (c, s, e) -> {
            runs.incrementAndGet(c);
            if (c == 0) {
                try {
                    sawIt[0] = lastDone.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException ex) {
                    throw new IllegalStateException(ex);
                }
            }
            if (c == 3) lastDone.countDown();
        });
        assertTrue(sawIt[0], "chunk 3 was done while chunk 0 waited for it");
        for (int c = 0; c < chunks; c++) assertEquals(1, runs.get(c), "chunk " + c);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void nestedAndConcurrentCallsRunTheSameChunks(int threads) throws Exception {
        Parallel.setThreads(threads);
        // nested: the inner call runs on whichever thread reaches it, serially there
        int n = 12, m = 10;
        AtomicIntegerArray seen = new AtomicIntegerArray(n * m);
        Parallel.forChunks(n, (c, s, e) -> {
            for (int i = s; i < e; i++) {
                int row = i;
                Parallel.forChunks(m, (c2, s2, e2) -> {
                    for (int j = s2; j < e2; j++) seen.incrementAndGet(row * m + j);
                });
            }
        });
        for (int i = 0; i < n * m; i++) assertEquals(1, seen.get(i), "nested item " + i);
        // two caller threads at once: one gets the pool, the other runs serially; both see every item once
        Throwable[] err = new Throwable[1];
        Thread other = new Thread(() -> {
            try {
                visitsEveryItemOnce(333, 300);
            } catch (Throwable t) {
                err[0] = t;
            }
        });
        other.start();
        visitsEveryItemOnce(517, 300);
        other.join();
        if (err[0] != null) throw new AssertionError(err[0]);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void aFailingChunkFailsTheCallAndThePoolGoesOn(int failing) {
        Parallel.setThreads(2);
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        IllegalArgumentException got = assertThrows(IllegalArgumentException.class, () -> Parallel.forChunks(10, (c, s, e) -> {
            if (c == failing) throw boom;
        }));
        assertSame(boom, got);
        visitsEveryItemOnce(10, 50);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void sumsReducedInChunkOrderAreIdenticalEveryCall(int threads) throws Exception {
        Parallel.setThreads(threads);
        float[] x = new float[10_000];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 0.37) * 1e3f;
        float[] first = null;
        for (int call = 0; call < 100; call++) {
            float[] part = new float[Parallel.chunks(x.length)];
            Parallel.forChunks(x.length, (c, s, e) -> {
                float sum = 0;
                for (int i = s; i < e; i++) sum += x[i];
                part[c] = sum;
            });
            if (first == null) first = part;
            assertArrayEquals(first, part);
            if (call % 10 == 9) Thread.sleep(1); // lets idle workers park, so wake-ups are exercised too
        }
    }
}
