package org.cae4j.tensor;

/**
 * The one seeded random generator behind every random choice in cae4j (init, shuffling, noise).
 *
 * <p>It is PyTorch's CPU generator: the 32-bit Mersenne Twister mt19937 (Matsumoto and Nishimura 1998), seeded
 * as {@code torch.manual_seed(seed)} seeds it (the low 32 bits of the seed), and its draws are made as PyTorch
 * makes them: a float uniform takes the low 24 bits of one 32-bit output ({@code Tensor.uniform_}), a double the
 * low 53 bits of two ({@link #nextLong()} puts the first in the high half), and {@link #permutation(int)} is
 * {@code torch.randperm}. So a model built from {@code new Rng(s)} has the weights PyTorch draws after
 * {@code torch.manual_seed(s)} for the same layers built in the same order, and the orders of
 * {@code torch.randperm(n, generator=torch.Generator().manual_seed(s))} are those of
 * {@code new Rng(s).permutation(n)} (both pinned by {@code RngGoldenTest} against PyTorch 1.13). Gaussians are
 * cae4j's own (Marsaglia's polar method), not PyTorch's.
 *
 * <p>The whole state (624 words, the position in them and a spare gaussian) is readable and restorable, so a
 * run can be checkpointed and resumed bit for bit.
 */
public final class Rng {
    private static final int N = 624, M = 397;
    private static final int UPPER = 0x80000000, LOWER = 0x7fffffff, MATRIX_A = 0x9908b0df;
    /** The length of {@link #state()}: 312 longs of packed words, the position, the spare gaussian and its flag. */
    public static final int STATE_LONGS = N / 2 + 3;
    private final int[] mt = new int[N];
    private int next;
    private double spareGaussian;
    private boolean hasSpare;

    /** A generator whose sequence is fixed by {@code seed}; as in PyTorch, only its low 32 bits count. */
    public Rng(long seed) {
        mt[0] = (int) seed;
        for (int j = 1; j < N; j++) mt[j] = 1812433253 * (mt[j - 1] ^ (mt[j - 1] >>> 30)) + j;
        next = N;
    }

    /** 32 random bits: the next mt19937 output, as an int. */
    public int nextInt32() {
        if (next == N) twist();
        int y = mt[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        return y ^ (y >>> 18);
    }

    /** Refills the 624 words (the generator's recurrence). */
    private void twist() {
        for (int k = 0; k < N; k++) {
            int y = (mt[k] & UPPER) | (mt[(k + 1) % N] & LOWER);
            mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) == 0 ? 0 : MATRIX_A);
        }
        next = 0;
    }

    /** 64 random bits from two outputs, the first in the high half (PyTorch's {@code random64}). */
    public long nextLong() {
        long hi = nextInt32() & 0xFFFFFFFFL;
        return hi << 32 | (nextInt32() & 0xFFFFFFFFL);
    }

    /** Uniform in [0, 1) with 53 random bits (PyTorch's double {@code uniform_}). */
    public double nextDouble() { return (nextLong() & ((1L << 53) - 1)) * 0x1.0p-53; }

    /** Uniform in [0, 1) with 24 random bits (PyTorch's float {@code uniform_}). */
    public float nextFloat() { return (nextInt32() & 0xFFFFFF) * 0x1.0p-24f; }

    /** Uniform in [lo, hi) in double. */
    public double uniform(double lo, double hi) { return lo + (hi - lo) * nextDouble(); }

    /**
     * Uniform in [lo, hi) rounded to float, exactly as PyTorch's {@code Tensor.uniform_(lo, hi)} on a float tensor
     * draws each element: the bounds rounded to float, then u·(hi − lo) + lo in double (ATen's accumulate type for
     * float on the CPU), u = {@link #nextFloat()}, and the result rounded to float.
     */
    public float uniformFloat(double lo, double hi) {
        double from = (float) lo, to = (float) hi;
        return (float) (nextFloat() * (to - from) + from);
    }

    /** Uniform integer in [0, bound), without modulo bias (Lemire 2019). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive, got " + bound);
        long m = (nextInt32() & 0xFFFFFFFFL) * bound;
        long l = m & 0xFFFFFFFFL;
        if (l < bound) {
            long t = (0x1_0000_0000L - bound) % bound;
            while (l < t) {
                m = (nextInt32() & 0xFFFFFFFFL) * bound;
                l = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Standard normal, by the Marsaglia polar method. */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u, v, s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = Math.sqrt(-2 * Math.log(s) / s);
        spareGaussian = v * f;
        hasSpare = true;
        return u * f;
    }

    /** A random permutation of 0..n-1, the one {@code torch.randperm(n)} draws from the same state. */
    public int[] permutation(int n) {
        int[] p = new int[n];
        permutation(p);
        return p;
    }

    /** Fills {@code out} with the permutation of 0..out.length-1 that {@code torch.randperm(out.length)} draws. */
    public void permutation(int[] out) {
        for (int i = 0; i < out.length; i++) out[i] = i;
        shuffle(out);
    }

    /**
     * Shuffles {@code a} in place with {@code torch.randperm}'s swaps: for i = 0..n−2, swap a[i] and a[i + z],
     * z = (next 32-bit output) mod (n − i). (The modulo favours small z by at most n/2^32, as in PyTorch.)
     */
    public void shuffle(int[] a) {
        int n = a.length;
        for (int i = 0; i < n - 1; i++) {
            int j = i + (int) ((nextInt32() & 0xFFFFFFFFL) % (n - i));
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** The complete state, for checkpoints ({@link #STATE_LONGS} longs): the words two to a long, the position, the spare gaussian's bits and its flag. */
    public long[] state() {
        long[] st = new long[STATE_LONGS];
        for (int i = 0; i < N / 2; i++) st[i] = (long) mt[2 * i] << 32 | (mt[2 * i + 1] & 0xFFFFFFFFL);
        st[N / 2] = next;
        st[N / 2 + 1] = Double.doubleToRawLongBits(spareGaussian);
        st[N / 2 + 2] = hasSpare ? 1 : 0;
        return st;
    }

    /** Restores a state returned by {@link #state()}. */
    public void setState(long[] st) {
        if (st.length != STATE_LONGS) {
            throw new IllegalArgumentException("Rng state: expected " + STATE_LONGS + " longs, got " + st.length);
        }
        if (st[N / 2] < 0 || st[N / 2] > N) {
            throw new IllegalArgumentException("Rng state: position " + st[N / 2] + " outside 0.." + N);
        }
        if (st[N / 2 + 2] != 0 && st[N / 2 + 2] != 1) {
            throw new IllegalArgumentException("Rng state: spare flag " + st[N / 2 + 2] + ", expected 0 or 1");
        }
        for (int i = 0; i < N / 2; i++) {
            mt[2 * i] = (int) (st[i] >>> 32);
            mt[2 * i + 1] = (int) st[i];
        }
        next = (int) st[N / 2];
        spareGaussian = Double.longBitsToDouble(st[N / 2 + 1]);
        hasSpare = st[N / 2 + 2] != 0;
    }
}
