package org.cae4j.ops;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ElementwiseKernels} on the Vector API, in float lanes of the preferred species.
 *
 * <p>tanh and sigmoid are built of +, −, ×, ÷, fused multiply-add, compares, blends and bit operations only, never
 * the JDK's lanewise TANH or EXP: those are Intel SVML when the JIT has compiled the caller and {@link Math} in
 * the interpreter, so results would depend on how warm the JVM is, and a resumed run would not repeat an
 * uninterrupted one bit for bit. Float arithmetic alone would lose a few ulp to cancellation in 1 − 2/(e^2x + 1),
 * so e^x is carried as an unevaluated sum 2^k·(1 + p + pe) and the quotients as float pairs (the error-free
 * transformations of Dekker's "double-float" arithmetic, 1971): the result is within one ulp of the true value,
 * checked for every float by {@code org.cae4j.bench.UlpScan}. The last lanes of a range (fewer than a vector)
 * go through the same vector code on a padded copy, so every element gets the same result wherever a range
 * starts or ends (and so for any split over threads).
 */
final class ElementwiseVector implements ElementwiseKernels {
    private static final VectorSpecies<Float> SP = FloatVector.SPECIES_PREFERRED;
    /** Per-thread padded copies of a range's last lanes: input and output. */
    private static final ThreadLocal<float[][]> TAIL = ThreadLocal.withInitial(() -> new float[2][SP.length()]);

    private static final float LOG2E = 1.44269504f;
    /** ln 2 = LN2_HI + LN2_LO; LN2_HI is ln 2 rounded to float, so k·LN2_HI is exact in a fused multiply-add and
     *  a − k·LN2_HI is exact for |a| ≥ 1/4 (both are multiples of 2^−25 and the difference is below 1/2). */
    private static final float LN2_HI = 0x1.62e430p-1f, LN2_LO = -0x1.05c610p-29f;
    // * Fast2Sum (s = a + b rounded, s − a exact, b − (s − a) the rounding error) needs |a| ≥ |b|; where r is
    //   smaller than c, both are below 2^−21 (c ≈ rl) and the pair's error is far below what matters.
    /** Adding 1.5·2^23 to a float of magnitude &lt; 2^22 rounds it to the nearest integer k, which then sits in
     *  the low bits of the sum's mantissa. */
    private static final float ROUND = 0x1.8p23f;
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    /** e^r = 1 + r + r²·(E0 + E1·r + … + E5·r^5) for |r| ≤ ln2/2: minimax, error &lt; 2^−33 (fitted with
     *  coefficients rounded to float one at a time). */
    private static final float E0 = 0x1.000000p-1f, E1 = 0x1.555554p-3f, E2 = 0x1.5554e8p-5f,
            E3 = 0x1.111310p-7f, E4 = 0x1.6d4cc4p-10f, E5 = 0x1.9df764p-13f;
    /** tanh x = x + x³·(T0 + T1·x² + … + T5·x^10) for |x| &lt; TANH_POLY: minimax in relative error, &lt; 2^−33. */
    private static final float T0 = -0x1.555554p-2f, T1 = 0x1.111082p-3f, T2 = -0x1.b9f38cp-5f,
            T3 = 0x1.63b770p-6f, T4 = -0x1.0c7b22p-7f, T5 = 0x1.190126p-9f;
    /** Below this |x| tanh takes the polynomial: above it tanh x ≥ 1/2, so 1 − 2/(e^2|x| + 1) loses at most one
     *  bit to cancellation, which the float pairs make up. */
    private static final float TANH_POLY = 0.5494f;
    /** tanh is 1 in float from |x| ≈ 9.01 on; clamping at 10 keeps e^2|x| finite. */
    private static final float TANH_CLAMP = 10f;
    /** sigmoid is 0 in float below x ≈ −103.97; clamping |x| at 105 keeps 2^k within reach of the scaling below. */
    private static final float SIGMOID_CLAMP = 105f;
    /** sigmoid scales by 2^k with k down to −152, below the normal floats: by 2^(k+64) first, then 2^−64. */
    private static final float TWO_64 = 0x1p64f, TWO_M64 = 0x1p-64f;
    private static final int SIGN = 0x80000000;

    @Override
    public void tanh(float[] y, float[] x, int from, int to) {
        int end = from + SP.loopBound(to - from);
        tanhLanes(y, x, from, end);
        if (end < to) {
            float[][] t = TAIL.get();
            Arrays.fill(t[0], 0f);
            System.arraycopy(x, end, t[0], 0, to - end);
            tanhLanes(t[1], t[0], 0, SP.length());
            System.arraycopy(t[1], 0, y, end, to - end);
        }
    }

    @Override
    public void sigmoid(float[] y, float[] x, int from, int to) {
        int end = from + SP.loopBound(to - from);
        sigmoidLanes(y, x, from, end);
        if (end < to) {
            float[][] t = TAIL.get();
            Arrays.fill(t[0], 0f);
            System.arraycopy(x, end, t[0], 0, to - end);
            sigmoidLanes(t[1], t[0], 0, SP.length());
            System.arraycopy(t[1], 0, y, end, to - end);
        }
    }

    /**
     * y[i] = tanh(x[i]) for from ≤ i &lt; to, (to − from) a multiple of the lane count. Below TANH_POLY an odd
     * polynomial; above, with a = 2|x| = k·ln 2 + r and e^r = 1 + p + pe:
     * tanh|x| = 1 − 2/S, S = e^a + 1 = (2^k + 1) + 2^k·p + 2^k·pe, kept as the float pair sh + sl, and
     * 2/S = qh + ql. One method body with no calls but the Vector API's (a vector passed to a method the JIT
     * does not inline is boxed).
     */
    private static void tanhLanes(float[] y, float[] x, int from, int to) {
        FloatVector one = FloatVector.broadcast(SP, 1f), two = FloatVector.broadcast(SP, 2f);
        FloatVector minusTwo = FloatVector.broadcast(SP, -2f), half = FloatVector.broadcast(SP, 0.5f);
        for (int i = from; i < to; i += SP.length()) {
            FloatVector v = FloatVector.fromArray(SP, x, i);
            FloatVector abs = v.abs();
            // small |x|: |x| + |x|³·T(x²)
            FloatVector v2 = v.mul(v);
            FloatVector t = v2.fma(T5, T4).fma(v2, FloatVector.broadcast(SP, T3)).fma(v2, FloatVector.broadcast(SP, T2))
                    .fma(v2, FloatVector.broadcast(SP, T1)).fma(v2, FloatVector.broadcast(SP, T0));
            FloatVector small = abs.mul(v2).fma(t, abs);
            IntVector sign = v.reinterpretAsInts().and(SIGN);
            VectorMask<Float> large = abs.compare(VectorOperators.GE, TANH_POLY); // false for NaN
            if (!large.anyTrue()) {
                // every lane on the polynomial: 93 % of the vectors when model A trains on Fashion-MNIST
                small.reinterpretAsInts().or(sign).reinterpretAsFloats().intoArray(y, i);
                continue;
            }
            // large |x|: a = 2|x| (clamped; a NaN fails the compare and stays NaN), k = round(a·log2 e)
            FloatVector a = abs.blend(TANH_CLAMP, abs.compare(VectorOperators.GT, TANH_CLAMP)).mul(2f);
            FloatVector kr = a.fma(LOG2E, ROUND);
            FloatVector k = kr.sub(ROUND);
            FloatVector r = k.fma(FloatVector.broadcast(SP, -LN2_HI), a);  // exact
            FloatVector rl = k.mul(-LN2_LO);                             // a = k·ln 2 + r + rl
            // e^(r + rl) = 1 + r + c, c = r²·E(r) + rl·e^r
            FloatVector e = r.fma(E5, E4).fma(r, FloatVector.broadcast(SP, E3)).fma(r, FloatVector.broadcast(SP, E2))
                    .fma(r, FloatVector.broadcast(SP, E1)).fma(r, FloatVector.broadcast(SP, E0));
            FloatVector c0 = r.mul(r).mul(e);
            FloatVector c = rl.fma(r.add(c0).add(one), c0);
            FloatVector p = r.add(c);
            FloatVector pe = c.sub(p.sub(r));                            // p + pe = r + c (Fast2Sum*)
            // 2^k from its bits: biased exponent k + 127 in bits 23..30
            FloatVector pow = kr.reinterpretAsInts().sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23)
                    .reinterpretAsFloats();
            FloatVector u = pow.add(one);                                // exact for k ≤ 23; beyond, 2/S is below 2^−23
            // sh = u + 2^k·p rounded; u − sh is exact (sh/u is within 0.7..1.5), so sl is the rounding error
            FloatVector sh = pow.fma(p, u);
            FloatVector sl = pow.fma(p, u.sub(sh)).add(pow.mul(pe));
            // 2/S = qh + ql: qh rounded, its remainder −(2 − qh·S) = nrem exact but for qh·sl; ql = −nrem/S
            FloatVector qh = two.div(sh);
            FloatVector nrem = qh.fma(sl, qh.fma(sh, minusTwo));
            // 1 − qh − ql, with 1 − qh split exactly into d + dl (Fast2Sum, qh ≤ 1/2), and 1/S ≈ qh/2
            FloatVector d = one.sub(qh);
            FloatVector dl = one.sub(d).sub(qh);
            FloatVector viaExp = d.add(nrem.mul(qh).fma(half, dl));
            // tanh|x| with the sign of x put back (also that of −0 and NaN)
            small.blend(viaExp, large).reinterpretAsInts().or(sign).reinterpretAsFloats().intoArray(y, i);
        }
    }

    /**
     * y[i] = 1/(1 + e^−x[i]) for from ≤ i &lt; to, (to − from) a multiple of the lane count. With
     * −x = k·ln 2 + r and e^−x = 2^k·(1 + p + pe), sigmoid x = 1/S with S = 1 + 2^k·(1 + p + pe) for x ≥ 0
     * (k ≤ 0), and = 2^−k/S with S = 2^−k + (1 + p + pe) for x &lt; 0 (k ≥ 0): 2^−|k| never overflows and
     * nothing cancels. S is kept as the float pair sh + sl, 1/S as zh + zl.
     */
    private static void sigmoidLanes(float[] y, float[] x, int from, int to) {
        FloatVector one = FloatVector.broadcast(SP, 1f), minusOne = FloatVector.broadcast(SP, -1f);
        for (int i = from; i < to; i += SP.length()) {
            FloatVector v = FloatVector.fromArray(SP, x, i);
            VectorMask<Float> neg = v.compare(VectorOperators.LT, 0f);
            // z = −x, clamped to ±SIGMOID_CLAMP (a NaN fails the compare and stays NaN); k = round(z·log2 e)
            FloatVector abs = v.abs();
            abs = abs.blend(SIGMOID_CLAMP, abs.compare(VectorOperators.GT, SIGMOID_CLAMP));
            FloatVector z = abs.neg().blend(abs, neg);
            FloatVector kr = z.fma(LOG2E, ROUND);
            FloatVector k = kr.sub(ROUND);
            FloatVector r = k.fma(FloatVector.broadcast(SP, -LN2_HI), z);  // exact (k = 0 below |x| = ln2/2)
            FloatVector rl = k.mul(-LN2_LO);
            FloatVector e = r.fma(E5, E4).fma(r, FloatVector.broadcast(SP, E3)).fma(r, FloatVector.broadcast(SP, E2))
                    .fma(r, FloatVector.broadcast(SP, E1)).fma(r, FloatVector.broadcast(SP, E0));
            FloatVector c0 = r.mul(r).mul(e);
            FloatVector c = rl.fma(r.add(c0).add(one), c0);
            FloatVector p = r.add(c);
            FloatVector pe = c.sub(p.sub(r));                            // Fast2Sum*
            // j = −|k| (k has the sign of −x) as the biased exponent j + 127; 2^j stops at 2^−40, below which it
            // no longer shows in S (and so stays a normal float)
            IntVector bj = kr.reinterpretAsInts().sub(ROUND_BITS).abs().neg().add(127);
            FloatVector pow = bj.max(127 - 40).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector scale = pow.blend(1f, neg);                      // the factor of 1 + p + pe in S
            FloatVector uh = one.add(pow);
            FloatVector ul = pow.sub(uh.sub(one));                       // Fast2Sum: 1 ≥ 2^j; ul ≠ 0 only below 2^−23
            // sh = uh + scale·p rounded; uh − sh is exact (sh/uh is within 0.7..1.5), so sl gets the rounding error
            FloatVector sh = scale.fma(p, uh);
            FloatVector sl = scale.fma(p, uh.sub(sh)).add(scale.fma(pe, ul));
            // 1/S = zh + zl: zh rounded, its remainder −(1 − zh·S) = nrem exact but for zh·sl; zl = −nrem·zh
            FloatVector zh = one.div(sh);
            FloatVector nrem = zh.fma(sl, zh.fma(sh, minusOne));
            FloatVector s = zh.sub(nrem.mul(zh));
            // times 2^j for x < 0, as 2^(j+64)·2^−64 (j + 64 ≥ −88 is a normal float), else 2^64·2^−64; below the
            // normal floats (x < −87.3) this rounds s a second time, the worst case of all: 0.80 ulp
            FloatVector m = FloatVector.broadcast(SP, TWO_64)
                    .blend(bj.add(64).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats(), neg);
            s.mul(m).mul(TWO_M64).intoArray(y, i);
        }
    }

    @Override
    public void relu(float[] y, float[] x, int from, int to) {
        FloatVector zero = FloatVector.zero(SP);
        int i = from, end = from + SP.loopBound(to - from);
        for (; i < end; i += SP.length()) {
            FloatVector v = FloatVector.fromArray(SP, x, i);
            zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, i);
        }
        for (; i < to; i++) y[i] = x[i] > 0f ? x[i] : 0f;
    }

    @Override
    public void reluBackward(float[] dx, float[] dy, float[] x, int from, int to) {
        FloatVector zero = FloatVector.zero(SP);
        int i = from, end = from + SP.loopBound(to - from);
        for (; i < end; i += SP.length()) {
            VectorMask<Float> pos = FloatVector.fromArray(SP, x, i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(SP, dy, i), pos).intoArray(dx, i);
        }
        for (; i < to; i++) dx[i] = x[i] > 0f ? dy[i] : 0f;
    }

    static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    private static final FloatVector INFINITY = FloatVector.broadcast(SP, Float.POSITIVE_INFINITY);

    /**
     * Lane i takes lane 2i mod V, or 2i + 1 mod V: the even or odd elements of a vector, in both halves; with
     * {@link #UPPER}, two vectors' even or odd elements in one (also {@code ConvDirectVector}'s stride-2 split).
     */
    static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(SP, i -> 2 * i % SP.length()),
            ODD = VectorShuffle.fromOp(SP, i -> (2 * i + 1) % SP.length());
    /** Lanes of the upper half. */
    static final VectorMask<Float> UPPER = VectorMask.fromLong(SP, -1L << (SP.length() / 2));

    /** The even elements of the 2V floats a then b, in one vector. */
    static FloatVector evens(FloatVector a, FloatVector b) { return a.rearrange(EVEN).blend(b.rearrange(EVEN), UPPER); }

    /** The odd elements of the 2V floats a then b, in one vector. */
    static FloatVector odds(FloatVector a, FloatVector b) { return a.rearrange(ODD).blend(b.rearrange(ODD), UPPER); }
    /** 0, 1, 2, …; 0, 2, 4, … */
    static final IntVector IOTA = IntVector.zero(IS).addIndex(1);
    private static final IntVector TWICE_IOTA = IntVector.zero(IS).addIndex(2);

    @Override
    public int lanes() { return SP.length(); }

    /**
     * Row pairs without gathers: two vectors of each of the two rows hold V windows, split into their four
     * pixels by the even/odd shuffles, the first maximum chosen by compares and blends. One flat loop over the
     * rows' vectors (⌈Qf/V⌉ per row); a row's last vector is computed and stored whole (see the interface).
     */
    @Override
    public int maxPool2x2Rows(float[] y, int[] argmax, float[] x, int xOff, int yOff, int p0, int p1, int Qf, int Q,
                              int W) {
        int V = SP.length();
        if (IS.length() != V) return p0; // no such machine in sight; the caller's loop then does it all
        int perRow = (Qf + V - 1) / V, t = p0 * perRow;
        for (; t < p1 * perRow; t++) {
            int p = t / perRow, q = t % perRow * V;
            int top = 2 * p * W + 2 * q, r0 = xOff + top, r1 = r0 + W;
            FloatVector x0 = FloatVector.fromArray(SP, x, r0), x1 = FloatVector.fromArray(SP, x, r0 + V);
            FloatVector x2 = FloatVector.fromArray(SP, x, r1), x3 = FloatVector.fromArray(SP, x, r1 + V);
            FloatVector a = evens(x0, x1), b = odds(x0, x1), c = evens(x2, x3), d = odds(x2, x3);
            FloatVector m = a.max(b).max(c.max(d));
            VectorMask<Float> past = IOTA.compare(VectorOperators.GE, Qf - q).cast(SP); // lanes beyond the row
            if (!m.abs().compare(VectorOperators.LT, INFINITY).or(past).allTrue()) break; // a NaN or ±∞
            VectorMask<Float> ea = a.compare(VectorOperators.EQ, m), eb = b.compare(VectorOperators.EQ, m);
            VectorMask<Float> ec = c.compare(VectorOperators.EQ, m);
            IntVector at = TWICE_IOTA.add(top);
            at = at.add(W + 1).blend(at.add(W), ec.cast(IS)).blend(at.add(1), eb.cast(IS)).blend(at, ea.cast(IS));
            FloatVector v = d.blend(c, ec).blend(b, eb).blend(a, ea);
            int out = yOff + p * Q + q;
            v.intoArray(y, out);
            at.intoArray(argmax, out);
        }
        return t / perRow;
    }

    /** Lane i takes lane i / 2: the lower half of a vector, each element twice. */
    static final VectorShuffle<Float> TWICE = VectorShuffle.fromOp(SP, i -> i / 2);

    @Override
    public void repeatTwice(float[] y, int yo, float[] x, int xo, int n) {
        int half = SP.length() / 2;
        for (int i = 0; i < n; i += half) FloatVector.fromArray(SP, x, xo + i).rearrange(TWICE).intoArray(y, yo + 2 * i);
    }

    @Override
    public void sumPairs2x2(float[] dx, int xo, float[] dy, int a, int b, int n) {
        int V = SP.length();
        for (int i = 0; i < n; i += V) {
            FloatVector a0 = FloatVector.fromArray(SP, dy, a + 2 * i), a1 = FloatVector.fromArray(SP, dy, a + 2 * i + V);
            FloatVector b0 = FloatVector.fromArray(SP, dy, b + 2 * i), b1 = FloatVector.fromArray(SP, dy, b + 2 * i + V);
            FloatVector s = evens(a0, a1).add(odds(a0, a1)).add(evens(b0, b1)).add(odds(b0, b1));
            s.intoArray(dx, xo + i);
        }
    }

    /** Lane i takes lane V/2 + i / 2: the upper half, each element twice ({@link #TWICE} the lower). */
    private static final VectorShuffle<Float> UPPER_TWICE = VectorShuffle.fromOp(SP, i -> SP.length() / 2 + i / 2);
    /** The odd lanes. */
    static final VectorMask<Float> ODD_LANES = VectorMask.fromLong(SP, 0xAAAAAAAAAAAAAAAAL);

    /** e0, o0, e1, o1, …: the lower halves of e and o interleaved (the inverse of {@link #evens}, {@link #odds}). */
    static FloatVector zipLower(FloatVector e, FloatVector o) { return e.rearrange(TWICE).blend(o.rearrange(TWICE), ODD_LANES); }

    /** As {@link #zipLower} for the upper halves. */
    private static FloatVector zipUpper(FloatVector e, FloatVector o) {
        return e.rearrange(UPPER_TWICE).blend(o.rearrange(UPPER_TWICE), ODD_LANES);
    }

    @Override
    public void maxPool2x2RowsBackward(float[] dx, int xOff, float[] dy, int[] argmax, int yOff, int p0, int p1, int Qf,
                                       int Q, int W) {
        int V = SP.length();
        if (IS.length() != V) throw new IllegalStateException("int and float vectors of different lengths");
        FloatVector zero = FloatVector.zero(SP);
        int perRow = (Qf + V - 1) / V;
        for (int t = p0 * perRow; t < p1 * perRow; t++) {
            // a row's vectors last to first: what the last writes past the upper dx row's end (the lower row's
            // start) the first then writes again
            int p = t / perRow, q = (perRow - 1 - t % perRow) * V;
            int top = 2 * p * W + 2 * q, in = yOff + p * Q + q;
            FloatVector g = zero.add(FloatVector.fromArray(SP, dy, in)); // +0 + dy, as a zeroed dx plus dy
            IntVector place = IntVector.fromArray(IS, argmax, in).sub(TWICE_IOTA.add(top)); // 0, 1, W or W + 1
            FloatVector a = zero.blend(g, place.compare(VectorOperators.EQ, 0).cast(SP));
            FloatVector b = zero.blend(g, place.compare(VectorOperators.EQ, 1).cast(SP));
            FloatVector c = zero.blend(g, place.compare(VectorOperators.EQ, W).cast(SP));
            FloatVector d = zero.blend(g, place.compare(VectorOperators.EQ, W + 1).cast(SP));
            int r0 = xOff + top, r1 = r0 + W;
            zipLower(a, b).intoArray(dx, r0);
            zipUpper(a, b).intoArray(dx, r0 + V);
            zipLower(c, d).intoArray(dx, r1);
            zipUpper(c, d).intoArray(dx, r1 + V);
        }
    }

    @Override
    public void adam(float[] w, float[] g, float[] m, float[] v, float[] vmax, int from, int to, float b1, float c1,
                     float b2, float c2, float stepSize, float bc2Sqrt, float eps, boolean l2Decay, float l2,
                     boolean decoupledDecay, float decay) {
        int i = from, end = from + SP.loopBound(to - from);
        for (; i < end; i += SP.length()) {
            FloatVector gi = FloatVector.fromArray(SP, g, i), wi = FloatVector.fromArray(SP, w, i);
            if (decoupledDecay) wi = wi.mul(decay);
            if (l2Decay) gi = gi.add(wi.mul(l2));
            // mul then add, never fma: the plain loop's two roundings
            FloatVector mi = FloatVector.fromArray(SP, m, i).mul(b1).add(gi.mul(c1));
            FloatVector vi = FloatVector.fromArray(SP, v, i).mul(b2).add(gi.mul(c2).mul(gi));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            if (vmax != null) {
                vi = FloatVector.fromArray(SP, vmax, i).max(vi);
                vi.intoArray(vmax, i);
            }
            FloatVector denom = vi.sqrt().div(bc2Sqrt).add(eps);
            wi.sub(mi.mul(stepSize).div(denom)).intoArray(w, i);
        }
        Pointwise.adamPlain(w, g, m, v, vmax, i, to, b1, c1, b2, c2, stepSize, bc2Sqrt, eps, l2Decay, l2, decoupledDecay,
                decay);
    }

    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    /** Per-thread lanes of the squared error's two running sums. */
    private static final ThreadLocal<double[]> SUMS = ThreadLocal.withInitial(() -> new double[2 * DS.length()]);

    @Override
    public double squaredError(float[] d, float[] x, float[] t, float scale, int from, int to) {
        if (2 * DS.length() != SP.length()) return Pointwise.squaredErrorPlain(d, x, t, scale, from, to);
        DoubleVector s0 = DoubleVector.zero(DS), s1 = DoubleVector.zero(DS);
        int i = from, end = from + SP.loopBound(to - from);
        for (; i < end; i += SP.length()) {
            FloatVector e = FloatVector.fromArray(SP, x, i).sub(FloatVector.fromArray(SP, t, i));
            e.mul(scale).intoArray(d, i);
            // e² is exact in double, so fma adds the same as + of the product
            DoubleVector lo = (DoubleVector) e.convertShape(VectorOperators.F2D, DS, 0);
            DoubleVector hi = (DoubleVector) e.convertShape(VectorOperators.F2D, DS, 1);
            s0 = lo.fma(lo, s0);
            s1 = hi.fma(hi, s1);
        }
        // the lanes in a fixed order (reduceLanes leaves the order of a float sum open)
        double[] lanes = SUMS.get();
        s0.intoArray(lanes, 0);
        s1.intoArray(lanes, DS.length());
        double sum = 0;
        for (double l : lanes) sum += l;
        return sum + Pointwise.squaredErrorPlain(d, x, t, scale, i, to);
    }
}
