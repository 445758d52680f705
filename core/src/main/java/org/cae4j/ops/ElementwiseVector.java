package org.cae4j.ops;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ElementwiseKernels} on the Vector API; a scalar tail for the last lanes.
 *
 * <p>tanh and sigmoid are computed in double lanes from an exp built of +, ×, fused multiply-add and exact
 * conversions only, never the JDK's lanewise TANH or EXP: those are Intel SVML when the JIT has compiled the
 * caller and {@link Math} in the interpreter, so results would depend on how warm the JVM is, and a resumed run
 * would not repeat an uninterrupted one bit for bit. The double result rounds to the float nearest the true
 * value but for rare ties (error ≈ 1e-11 relative before rounding).
 */
final class ElementwiseVector implements ElementwiseKernels {
    private static final VectorSpecies<Float> SP = FloatVector.SPECIES_PREFERRED;
    /**
     * Doubles in the same bits. Floats are widened into a double scratch by plain loops (which the JIT
     * vectorises), not by a float vector of half width: using a second float species anywhere in the process
     * makes the type profiles of the shared Vector-API code polymorphic, and kernels the JIT compiles afterwards
     * (GEMM) then box every vector: measured 60 to 150 times slower.
     */
    private static final VectorSpecies<Double> DSP =
            VectorSpecies.of(double.class, VectorShape.forBitSize(SP.vectorBitSize()));
    /** Elements widened at a time; the per-thread scratch holds this many doubles. */
    private static final int BLOCK = 1024;
    private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[BLOCK]);
    private static final ThreadLocal<double[]> SCRATCH_E = ThreadLocal.withInitial(() -> new double[BLOCK]);
    private static final double LOG2E = 1.4426950408889634;
    /** ln 2 split so that k·LN2_HI is exact for |k| &lt; 2^11 (fdlibm's constants). */
    private static final double LN2_HI = 6.93147180369123816490e-01, LN2_LO = 1.90821492927058770002e-10;
    /** Adding 1.5·2^52 to a double of magnitude &lt; 2^51 rounds it to the nearest integer k, which then sits in
     *  the low bits of the sum's mantissa. */
    private static final double ROUND = 0x1.8p52;
    /** Taylor coefficients 1/n! for n = 2..9 of e^r, |r| ≤ ln2/2: truncation error &lt; 1e-11 relative. */
    private static final double[] INV_FACT = {1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040,
            1.0 / 40320, 1.0 / 362880};

    /**
     * e[i] = e^e[i] for i &lt; n (a multiple of the lane count), |e[i]| ≤ 708 (callers clamp):
     * e^x = 2^k · e^r, k = round(x·log2 e), r = x − k·ln 2. Each step of tanh and sigmoid is a loop over a block
     * of doubles, not a method taking vectors: a vector passed to a method the JIT did not inline (it stops
     * inlining a method once its own compiled code is large) is boxed, which made exp alone twice as slow.
     */
    static void exp(double[] e, int n) {
        for (int i = 0; i < n; i += DSP.length()) {
            DoubleVector x = DoubleVector.fromArray(DSP, e, i);
            DoubleVector kr = x.mul(LOG2E).add(ROUND);   // raw bits: those of ROUND plus k
            DoubleVector k = kr.sub(ROUND);
            DoubleVector r = k.fma(DoubleVector.broadcast(DSP, -LN2_HI), x);
            r = k.fma(DoubleVector.broadcast(DSP, -LN2_LO), r);
            // Horner, written out: a loop would carry the vector around a back edge, where the JIT boxes it
            DoubleVector p = DoubleVector.broadcast(DSP, INV_FACT[7]);
            p = p.fma(r, DoubleVector.broadcast(DSP, INV_FACT[6]));
            p = p.fma(r, DoubleVector.broadcast(DSP, INV_FACT[5]));
            p = p.fma(r, DoubleVector.broadcast(DSP, INV_FACT[4]));
            p = p.fma(r, DoubleVector.broadcast(DSP, INV_FACT[3]));
            p = p.fma(r, DoubleVector.broadcast(DSP, INV_FACT[2]));
            p = p.fma(r, DoubleVector.broadcast(DSP, INV_FACT[1]));
            p = p.fma(r, DoubleVector.broadcast(DSP, INV_FACT[0]));
            p = p.fma(r, DoubleVector.broadcast(DSP, 1.0)).fma(r, DoubleVector.broadcast(DSP, 1.0));
            // 2^k from its bits: biased exponent k + 1023 in bits 52..62
            LongVector bits = kr.reinterpretAsLongs().sub(Double.doubleToRawLongBits(ROUND) - 1023);
            p.mul(bits.lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles()).intoArray(e, i);
        }
    }

    /**
     * y[i] = tanh(x[i]) for i &lt; n (a multiple of the lane count), using e as scratch:
     * 1 − 2/(e^{2|x|} + 1) with the sign of x; x·(1 − x²/3) below 1e-4, where that subtraction would cancel.
     */
    static void tanh(double[] y, double[] x, double[] e, int n) {
        for (int i = 0; i < n; i += DSP.length()) {
            DoubleVector.fromArray(DSP, x, i).abs().min(20.0).mul(2.0).intoArray(e, i); // tanh(20) is 1 in float
        }
        exp(e, n);
        for (int i = 0; i < n; i += DSP.length()) {
            DoubleVector v = DoubleVector.fromArray(DSP, x, i);
            DoubleVector t = DoubleVector.broadcast(DSP, 1.0)
                    .sub(DoubleVector.broadcast(DSP, 2.0).div(DoubleVector.fromArray(DSP, e, i).add(1.0)));
            t = t.blend(t.neg(), v.compare(VectorOperators.LT, 0.0));
            DoubleVector small = v.mul(v.mul(v).div(-3.0).add(1.0)); // keeps the sign of −0
            t.blend(small, v.abs().compare(VectorOperators.LT, 1e-4)).intoArray(y, i);
        }
    }

    /** y[i] = 1/(1 + e^−x[i]) for i &lt; n (a multiple of the lane count), e^−x clamped to stay finite; e is scratch. */
    static void sigmoid(double[] y, double[] x, double[] e, int n) {
        for (int i = 0; i < n; i += DSP.length()) {
            DoubleVector.fromArray(DSP, x, i).neg().max(-708.0).min(708.0).intoArray(e, i);
        }
        exp(e, n);
        for (int i = 0; i < n; i += DSP.length()) {
            DoubleVector.broadcast(DSP, 1.0).div(DoubleVector.fromArray(DSP, e, i).add(1.0)).intoArray(y, i);
        }
    }

    @Override
    public void tanh(float[] y, float[] x, int from, int to) { apply(y, x, from, to, true); }

    @Override
    public void sigmoid(float[] y, float[] x, int from, int to) { apply(y, x, from, to, false); }

    /** y = tanh(x) or sigmoid(x) over [from, to), in blocks widened to double, computed, narrowed back. */
    private static void apply(float[] y, float[] x, int from, int to, boolean tanh) {
        double[] d = SCRATCH.get(), e = SCRATCH_E.get();
        for (int b = from; b < to; b += BLOCK) {
            int n = Math.min(BLOCK, to - b), vn = DSP.loopBound(n);
            for (int i = 0; i < n; i++) d[i] = x[b + i];
            if (tanh) tanh(d, d, e, vn);
            else sigmoid(d, d, e, vn);
            for (int i = 0; i < vn; i++) y[b + i] = (float) d[i];
            for (int i = vn; i < n; i++) y[b + i] = tanh ? (float) Math.tanh(x[b + i]) : Activations.sigmoid(x[b + i]);
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
}
