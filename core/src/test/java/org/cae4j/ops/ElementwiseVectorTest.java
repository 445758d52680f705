package org.cae4j.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import org.cae4j.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * The Vector-API tanh and sigmoid ({@link ElementwiseVector}) directly, whichever kernels {@link Activations}
 * picked: within one ulp of double references at every float of the ranges where the error peaks, and the same
 * bits wherever a range is split and whether the JIT compiled the code or the interpreter ran it.
 * (All 2^32 floats: {@code org.cae4j.bench.UlpScan}.)
 */
class ElementwiseVectorTest {
    private static final ElementwiseVector VECTOR = new ElementwiseVector();

    private static double ulpError(float got, double want) {
        if (Double.isNaN(want)) return Float.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
        return Math.abs(got - want) / Math.ulp((float) want);
    }

    private static double tanhRef(float x) { return Math.tanh(x); }

    private static double sigmoidRef(float x) { return 1 / (1 + Math.exp(-(double) x)); }

    /** Every float from {@code lo} up to {@code hi}, in order. */
    private static float[] everyFloat(float lo, float hi) {
        int a = Float.floatToIntBits(lo), b = Float.floatToIntBits(hi);
        float[] x = new float[Math.abs(b - a) + 1];
        for (int i = 0; i < x.length; i++) x[i] = Float.intBitsToFloat(a + (a <= b ? i : -i));
        return x;
    }

    private static void assertWithinOneUlp(String name, float[] x, float[] y, DoubleUnaryOperator ref) {
        double worst = 0;
        int at = 0;
        for (int i = 0; i < x.length; i++) {
            double err = ulpError(y[i], ref.applyAsDouble(x[i]));
            if (err > worst) {
                worst = err;
                at = i;
            }
        }
        System.out.printf(Locale.ROOT, "%s over %d floats from %s to %s: worst %.4f ulp at %s%n", name, x.length, x[0],
                x[x.length - 1], worst, x[at]);
        assertTrue(worst <= 1.0, name + ": " + worst + " ulp at x = " + x[at] + ", got " + y[at]);
    }

    @Test
    void tanhIsWithinOneUlpAtEveryFloatAroundItsWorst() {
        // the polynomial's top binade, the switch to 1 − 2/S at 0.5494, and 1 − 2/S where 2/S is largest
        float[] x = everyFloat(0.25f, 1.25f), y = new float[x.length];
        VECTOR.tanh(y, x, 0, x.length);
        assertWithinOneUlp("tanh", x, y, v -> tanhRef((float) v));
        // and the negatives, by symmetry
        float[] ny = new float[x.length];
        for (int i = 0; i < x.length; i++) x[i] = -x[i];
        VECTOR.tanh(ny, x, 0, x.length);
        for (int i = 0; i < x.length; i++) assertEquals(-y[i], ny[i], "tanh(" + x[i] + ")");
    }

    @Test
    void sigmoidIsWithinOneUlpAtEveryFloatAroundItsWorst() {
        // subnormal results (rounded twice), where 2^k + 1 is no longer exact, and around 0
        float[][] ranges = {everyFloat(-104f, -86f), everyFloat(-20f, -16f), everyFloat(-0.5f, -1f), everyFloat(0.5f, 1f)};
        for (float[] x : ranges) {
            float[] y = new float[x.length];
            VECTOR.sigmoid(y, x, 0, x.length);
            assertWithinOneUlp("sigmoid", x, y, v -> sigmoidRef((float) v));
        }
    }

    @Test
    void vectorAndPlainAgreeWithinOneUlpAndExactlyWhereTheyMust() {
        Rng rng = new Rng(7);
        float[] x = new float[50_001];
        double[] scales = {1e-6, 1e-3, 0.1, 0.5, 1, 2, 5, 20, 100};
        for (int i = 0; i < x.length; i++) x[i] = (float) (rng.nextGaussian() * scales[i % scales.length]);
        float[] vt = new float[x.length], vs = new float[x.length];
        VECTOR.tanh(vt, x, 0, x.length);
        VECTOR.sigmoid(vs, x, 0, x.length);
        int sameTanh = 0, sameSigmoid = 0;
        for (int i = 0; i < x.length; i++) {
            float pt = (float) Math.tanh(x[i]), ps = Activations.sigmoid(x[i]);
            assertTrue(Math.abs(vt[i] - pt) <= Math.ulp(pt), "tanh(" + x[i] + "): vector " + vt[i] + ", plain " + pt);
            assertTrue(Math.abs(vs[i] - ps) <= Math.ulp(ps), "sigmoid(" + x[i] + "): vector " + vs[i] + ", plain " + ps);
            if (vt[i] == pt) sameTanh++;
            if (vs[i] == ps) sameSigmoid++;
            // saturation, odd symmetry and a tiny argument's tanh being itself hold bit for bit
            if (Math.abs(pt) == 1f || Math.abs(x[i]) < 1e-4f) assertEquals(pt, vt[i], "tanh(" + x[i] + ")");
            if (ps == 1f || ps == 0f) assertEquals(ps, vs[i], "sigmoid(" + x[i] + ")");
        }
        System.out.printf(Locale.ROOT, "vector = plain bit for bit: tanh %d, sigmoid %d of %d%n", sameTanh, sameSigmoid, x.length);
        assertTrue(sameTanh > 0.99 * x.length && sameSigmoid > 0.99 * x.length, "nearest float far too rarely");
    }

    @Test
    void tanhIsOdd() {
        // every 4099th float from 0 to 12
        float[] x = new float[Float.floatToIntBits(12f) / 4099], nx = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = Float.intBitsToFloat(i * 4099);
            nx[i] = -x[i];
        }
        float[] y = new float[x.length], ny = new float[x.length];
        VECTOR.tanh(y, x, 0, x.length);
        VECTOR.tanh(ny, nx, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToRawIntBits(-y[i]), Float.floatToRawIntBits(ny[i]), "tanh(−" + x[i] + ")");
        }
    }

    @Test
    void resultsDoNotDependOnWhereARangeIsSplit() {
        Rng rng = new Rng(11);
        float[] x = new float[1000];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rng.nextGaussian() * 3);
        float[] whole = new float[x.length], split = new float[x.length];
        for (boolean tanh : new boolean[] {true, false}) {
            if (tanh) VECTOR.tanh(whole, x, 0, x.length);
            else VECTOR.sigmoid(whole, x, 0, x.length);
            // ranges of 1..37 elements: every offset modulo the lane count, and tails of every length
            for (int from = 0, len = 1; from < x.length; from += len, len = len % 37 + 1) {
                int to = Math.min(x.length, from + len);
                if (tanh) VECTOR.tanh(split, x, from, to);
                else VECTOR.sigmoid(split, x, from, to);
            }
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToRawIntBits(whole[i]), Float.floatToRawIntBits(split[i]),
                        (tanh ? "tanh(" : "sigmoid(") + x[i] + ") split differently");
            }
        }
    }

    /** Inputs of the interpreter check: special values and a spread of magnitudes, through both of tanh's paths. */
    static float[] probe() {
        Rng rng = new Rng(3);
        float[] x = new float[512];
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE,
                -Float.MIN_VALUE, 0.5494f, -0.5494f, 9.1f, -88f, -100f, 17.5f};
        System.arraycopy(special, 0, x, 0, special.length);
        // first half: magnitudes 0.01..100 mixed in every vector; second half: small, all on tanh's polynomial
        for (int i = special.length; i < x.length; i++) {
            x[i] = (float) (rng.nextGaussian() * (i < x.length / 2 ? Math.pow(10, i % 5 - 2) : 0.1));
        }
        return x;
    }

    /** A hash of the bits of tanh and sigmoid at {@link #probe()}. */
    static long probeHash() {
        float[] x = probe(), y = new float[x.length];
        long h = 1;
        VECTOR.tanh(y, x, 0, x.length);
        for (float v : y) h = 31 * h + Float.floatToRawIntBits(v);
        VECTOR.sigmoid(y, x, 0, x.length);
        for (float v : y) h = 31 * h + Float.floatToRawIntBits(v);
        return h;
    }

    /** Run in the child JVM: prints {@link #probeHash()}. */
    public static final class Child {
        public static void main(String[] args) { System.out.println("hash " + probeHash()); }
    }

    @Test
    void interpreterGivesTheSameBitsAsCompiledCode() throws IOException, InterruptedException {
        // compiled here: enough calls on a large array that C2 compiles both kernels
        float[] big = new float[1 << 16], out = new float[big.length];
        Rng rng = new Rng(5);
        for (int i = 0; i < big.length; i++) big[i] = (float) rng.nextGaussian();
        for (int rep = 0; rep < 200; rep++) {
            VECTOR.tanh(out, big, 0, big.length);
            VECTOR.sigmoid(out, big, 0, big.length);
        }
        long compiled = probeHash();
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xint", "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), Child.class.getName()).redirectErrorStream(true).start();
        String got = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), got);
        List<String> lines = got.lines().filter(l -> l.startsWith("hash ")).toList();
        assertEquals(List.of("hash " + compiled), lines, "interpreted (-Xint) vs compiled: " + got);
    }
}
