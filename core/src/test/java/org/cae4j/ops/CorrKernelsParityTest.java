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
 * on random lengths and offsets: {@link CorrKernels#deinterleave} and {@link CorrKernels#interleave} must give the
 * same values where the contract defines them, leave everything else as the contract says, and refuse (having done
 * nothing) when a whole-vector read or write would leave its array.
 */
class CorrKernelsParityTest {
    private static final CorrKernels K = Conv.CORR;

    private static float[] uniform(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.uniform(-1, 1);
        return a;
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
}
