package org.cae4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.cae4j.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * The stride-2 column kernels of this JVM's {@link CorrKernels} ({@link Conv#CORR}) against plain loops written here,
 * on random lengths and offsets: {@link CorrKernels#deinterleave} and {@link CorrKernels#interleave}, row by row and
 * many rows at a time, {@link CorrKernels#crop} and {@link CorrKernels#widen} must give the same values where the
 * contract defines them, leave everything else as the contract says (nothing at or past a limit), and refuse
 * (having done nothing) when a whole-vector read or write would leave its array.
 */
class CorrKernelsParityTest {
    private static final CorrKernels K = Conv.CORR;

    private static float[] uniform(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.uniform(-1, 1);
        return a;
    }

    /** after equals before outside [from, limit): nothing written before the output or at or past the limit. */
    private static void assertUntouchedOutside(float[] before, float[] after, int from, int limit, String where) {
        assertArrayEquals(Arrays.copyOfRange(before, 0, from), Arrays.copyOfRange(after, 0, from), "before the output: " + where);
        assertArrayEquals(Arrays.copyOfRange(before, limit, after.length), Arrays.copyOfRange(after, limit, after.length),
                "at or past limit: " + where);
    }

    @Test
    void interleaveMatchesLoops() {
        Rng rng = new Rng(11);
        int over = K.interleaveOverrun();
        for (int t = 0; t < 400; t++) {
            int n = 1 + rng.nextInt(90), half = (n + 1) / 2, slack = rng.nextInt(3) == 0 ? 0 : 2 * Math.max(over, 1);
            int e0 = rng.nextInt(7), o0 = e0 + half + rng.nextInt(5), d = rng.nextInt(9);
            float[] src = uniform(rng, o0 + half + slack), dst = uniform(rng, d + n + slack), before = dst.clone();
            float add = t % 5 == 0 ? 0f : (float) rng.uniform(-1, 1);
            float[] expect = before.clone();
            for (int i = 0; 2 * i < n; i++) expect[d + 2 * i] = src[e0 + i] + add;
            for (int i = 0; 2 * i + 1 < n; i++) expect[d + 2 * i + 1] = src[o0 + i] + add;
            String at = "n=" + n + " e0=" + e0 + " o0=" + o0 + " d=" + d + " src " + src.length + " dst " + dst.length;
            if (!K.interleave(dst, d, src, e0, o0, n, add)) {
                assertArrayEquals(before, dst, "refused but wrote: " + at);
                assertTrue(over > 0, "the plain loops never refuse: " + at);
                continue;
            }
            assertArrayEquals(Arrays.copyOfRange(expect, 0, d + n), Arrays.copyOfRange(dst, 0, d + n), at);
            int reach = over == 0 ? n : Math.max(n, (n + over - 1) / over * over);
            assertArrayEquals(Arrays.copyOfRange(before, d + reach, dst.length),
                    Arrays.copyOfRange(dst, d + reach, dst.length), "wrote past its whole vectors: " + at);
        }
    }

    @Test
    void interleaveTurnsMinusZeroIntoPlusZero() {
        float[] src = new float[64], dst = new float[64];
        Arrays.fill(src, -0f);
        Arrays.fill(dst, 1f); // so that a kernel that wrote nothing fails too
        assertTrue(K.interleave(dst, 0, src, 0, 32, 8, 0f), "room for whole vectors, yet refused");
        for (int i = 0; i < 8; i++) assertEquals(0, Float.floatToRawIntBits(dst[i]), "dst[" + i + "] is " + dst[i]);
    }

    @Test
    void interleaveRefusesReadsPastSource() {
        if (K.interleaveOverrun() == 0) return;   // the plain loops read exactly what they use
        int n = 6;
        float[] src = new float[6], dst = new float[64], before = dst.clone();
        assertFalse(K.interleave(dst, 0, src, 0, 3, n, 1f));
        assertArrayEquals(before, dst);
    }

    @Test
    void deinterleaveMatchesLoops() {
        Rng rng = new Rng(12);
        int over = K.deinterleaveOverrun();
        for (int t = 0; t < 400; t++) {
            int n = 1 + rng.nextInt(90), ne = (n + 1) / 2, no = n / 2, pad = over + 1;
            int s = rng.nextInt(7), e0 = rng.nextInt(5), o0 = e0 + ne + pad + rng.nextInt(4);
            float[] src = uniform(rng, s + n + (rng.nextInt(3) == 0 ? 0 : 4 * Math.max(over, 1)));
            float[] dst = uniform(rng, o0 + no + pad + 2), before = dst.clone();
            String at = "n=" + n + " s=" + s + " e0=" + e0 + " o0=" + o0 + " src " + src.length;
            if (!K.deinterleave(dst, e0, o0, src, s, n)) {
                assertArrayEquals(before, dst, "refused but wrote: " + at);
                assertTrue(over > 0, "the plain loops never refuse: " + at);
                continue;
            }
            for (int i = 0; i < ne; i++) assertEquals(src[s + 2 * i], dst[e0 + i], "even " + i + " " + at);
            for (int i = 0; i < no; i++) assertEquals(src[s + 2 * i + 1], dst[o0 + i], "odd " + i + " " + at);
            for (int i = 0; i < e0; i++) assertEquals(before[i], dst[i], "before the even run: " + at);
            for (int i = o0 + no + over; i < dst.length; i++) assertEquals(before[i], dst[i], "past the odd run: " + at);
        }
    }

    @Test
    void deinterleaveRowsMatchesLoops() {
        Rng rng = new Rng(13);
        int over = K.deinterleaveOverrun();
        for (int t = 0; t < 300; t++) {
            int n = 1 + rng.nextInt(40), ne = (n + 1) / 2, no = n / 2, rows = 1 + rng.nextInt(12);
            // whole vectors, as many for the odd run as for the even one (one of zeros when n = 1)
            int reachE = over == 0 ? ne : (ne + over - 1) / over * over, reachO = over == 0 ? no : reachE;
            int pitch = ne + rng.nextInt(6), oStart = rows * pitch + reachE + rng.nextInt(5), base = rng.nextInt(4);
            int[] offs = new int[3 + 2 * rows];
            int at = 3;
            for (int h = 0; h < rows; h++) {
                offs[at + 2 * h] = h * pitch;
                offs[at + 2 * h + 1] = oStart + h * pitch;
            }
            int s0 = rng.nextInt(5);
            boolean tight = rng.nextInt(3) == 0;
            float[] src = uniform(rng, s0 + rows * n + (tight ? 0 : 2 * Math.max(over, 1)));
            float[] dst = uniform(rng, base + oStart + rows * pitch + reachO + 3), expect = dst.clone();
            String where = "n=" + n + " rows=" + rows + " pitch=" + pitch + " src " + src.length;
            int done = K.deinterleaveRows(dst, base, offs, at, src, s0, rows, n);
            assertTrue(done >= 0 && done <= rows, "rows done " + done + ": " + where);
            if (!tight) assertEquals(rows, done, "room for every row, yet stopped: " + where);
            for (int h = 0; h < done; h++) { // in order: a row's zeros past its run, then the next row over them
                int e0 = base + offs[at + 2 * h], o0 = base + offs[at + 2 * h + 1], r = s0 + h * n;
                Arrays.fill(expect, e0, e0 + reachE, 0f);
                Arrays.fill(expect, o0, o0 + reachO, 0f);
                for (int i = 0; i < ne; i++) expect[e0 + i] = src[r + 2 * i];
                for (int i = 0; i < no; i++) expect[o0 + i] = src[r + 2 * i + 1];
            }
            assertArrayEquals(expect, dst, where);
        }
    }

    @Test
    void interleaveRowsMatchesLoopsBelowLimit() {
        Rng rng = new Rng(14);
        for (int t = 0; t < 300; t++) {
            int n = 1 + rng.nextInt(40), half = (n + 1) / 2, rows = 1 + rng.nextInt(12), pitch = half + rng.nextInt(4);
            int oStart = rows * pitch + rng.nextInt(3), base = rng.nextInt(4), d = rng.nextInt(5), at = 1;
            int[] offs = new int[at + 2 * rows];
            for (int h = 0; h < rows; h++) {
                offs[at + 2 * h] = h * pitch;
                offs[at + 2 * h + 1] = oStart + h * pitch;
            }
            float[] src = uniform(rng, base + oStart + rows * pitch + 40);
            int limit = d + rows * n + rng.nextInt(20);
            float[] dst = uniform(rng, limit + 8), before = dst.clone();
            float add = t % 4 == 0 ? 0f : (float) rng.uniform(-1, 1);
            String where = "n=" + n + " rows=" + rows + " d=" + d + " limit=" + limit;
            int done = K.interleaveRows(dst, d, limit, src, base, offs, at, rows, n, add);
            assertTrue(done >= 0 && done <= rows, "rows done " + done + ": " + where);
            if (limit >= d + rows * n + 2 * n + 16) assertEquals(rows, done, "room for every row, yet stopped: " + where);
            for (int h = 0; h < done; h++)
                for (int i = 0; i < n; i++) {
                    int from = base + offs[at + 2 * h + i % 2] + i / 2;
                    assertEquals(src[from] + add, dst[d + h * n + i], "row " + h + " column " + i + ": " + where);
                }
            assertUntouchedOutside(before, dst, d, limit, where);
        }
    }

    @Test
    void cropMatchesLoopsBelowLimit() {
        Rng rng = new Rng(15);
        for (int t = 0; t < 300; t++) {
            int P = 1 + rng.nextInt(9), Q = 1 + rng.nextInt(24), stride = Q + rng.nextInt(5), src = rng.nextInt(6);
            int dst = rng.nextInt(6), limit = dst + P * Q + rng.nextInt(24);
            float[] yw = uniform(rng, src + (P - 1) * stride + Q + (rng.nextInt(3) == 0 ? 0 : 20));
            float[] y = uniform(rng, limit + 5), before = y.clone();
            float bk = t % 4 == 0 ? 0f : (float) rng.uniform(-1, 1);
            String where = "P=" + P + " Q=" + Q + " stride=" + stride + " limit=" + limit + " yw " + yw.length;
            K.crop(y, dst, limit, yw, src, P, Q, stride, bk);
            for (int p = 0; p < P; p++)
                for (int q = 0; q < Q; q++)
                    assertEquals(yw[src + p * stride + q] + bk, y[dst + p * Q + q], "(" + p + "," + q + "): " + where);
            assertUntouchedOutside(before, y, dst, limit, where);
        }
    }

    @Test
    void widenMatchesLoopsAndWritesOnlyZerosAround() {
        Rng rng = new Rng(16);
        for (int t = 0; t < 300; t++) {
            int rows = 1 + rng.nextInt(9), len = 1 + rng.nextInt(24), stride = len + rng.nextInt(6);
            int srcOff = rng.nextInt(5), dstOff = 1 + rng.nextInt(5), limit = dstOff + rows * stride + rng.nextInt(24);
            float[] src = uniform(rng, srcOff + rows * len + (rng.nextInt(3) == 0 ? 0 : 20));
            float[] dst = uniform(rng, limit + 5);
            Arrays.fill(dst, dstOff, limit, 0f); // the zeros the contract asks for around the rows
            float[] expect = dst.clone();
            for (int r = 0; r < rows; r++) System.arraycopy(src, srcOff + r * len, expect, dstOff + r * stride, len);
            K.widen(src, srcOff, dst, dstOff, stride, rows, len, limit);
            assertArrayEquals(expect, dst, "rows=" + rows + " len=" + len + " stride=" + stride + " limit=" + limit);
        }
    }
}
