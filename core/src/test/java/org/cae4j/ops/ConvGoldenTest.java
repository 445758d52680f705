package org.cae4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.cae4j.tensor.Tensor;
import org.cae4j.testing.Check;
import org.cae4j.testing.Golden;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link Conv} against PyTorch: every configuration in {@code golden/conv2d.golden}, written by
 * {@code scripts/golden/make_golden.py}. Forward y, then dx, dw, db from backward with dy = r, the random upstream
 * gradient stored with each configuration; each with 1 and with 2 threads.
 */
class ConvGoldenTest {
    private static final String FILE = "golden/conv2d.golden";
    private static final double RTOL = 1e-5;
    private static final Golden.Contents GOLDEN = Golden.load(FILE);
    private static final Map<String, Tensor> T = GOLDEN.tensors();
    private static final double[] WORST = new double[4]; // y, dx, dw, db over all configurations and thread counts

    /** The configuration prefixes, e.g. "cfg03_seed_full_k5_28x28", in file order. */
    static List<String> configs() {
        List<String> names = new ArrayList<>();
        for (String key : T.keySet()) {
            if (key.endsWith(".meta")) names.add(key.substring(0, key.length() - ".meta".length()));
        }
        return names;
    }

    /** meta = [N, C, H, W, K, R, S, sh, sw, pt, pb, pl, pr, mode, hasBias]; mode 0 valid, 1 same, 2 full, 3 explicit. */
    private static int[] meta(String cfg) {
        float[] m = T.get(cfg + ".meta").data;
        assertEquals(15, m.length, cfg + ".meta length");
        int[] v = new int[m.length];
        for (int i = 0; i < m.length; i++) v[i] = Math.round(m[i]);
        return v;
    }

    private static Padding named(int mode, int[] m) {
        return switch (mode) {
            case 0 -> Padding.valid();
            case 1 -> Padding.same();
            case 2 -> Padding.full();
            case 3 -> Padding.of(m[9], m[10], m[11], m[12]);
            default -> throw new IllegalArgumentException("unknown padding mode code " + mode);
        };
    }

    private static ConvGeometry geometry(String cfg) {
        int[] m = meta(cfg);
        return ConvGeometry.of(m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8], Padding.of(m[9], m[10], m[11], m[12]));
    }

    @Test
    void goldenFileHasTheExpectedConfigurations() {
        System.out.println(FILE + ": produced by " + GOLDEN.producer() + ", " + configs().size() + " configurations");
        assertTrue(GOLDEN.producer().startsWith("torch "), "producer " + GOLDEN.producer());
        assertTrue(configs().size() >= 12, "only " + configs().size() + " configurations in " + FILE);
        TreeSet<Integer> modes = new TreeSet<>(), strides = new TreeSet<>(), channels = new TreeSet<>();
        for (String cfg : configs()) {
            int[] m = meta(cfg);
            modes.add(m[13]);
            strides.add(m[7]);
            strides.add(m[8]);
            channels.add(m[1]);
        }
        assertEquals(new TreeSet<>(List.of(0, 1, 2, 3)), modes, "padding modes present");
        assertTrue(strides.containsAll(List.of(1, 2, 3)), "strides present: " + strides);
        assertTrue(channels.containsAll(List.of(1, 3)), "in-channels present: " + channels);
    }

    @TestFactory
    Stream<DynamicTest> namedPaddingResolvesToTheAmountsPyTorchUsed() {
        return configs().stream().map(cfg -> DynamicTest.dynamicTest(cfg, () -> {
            int[] m = meta(cfg);
            ConvGeometry explicit = geometry(cfg);
            ConvGeometry viaMode = ConvGeometry.of(m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8], named(m[13], m));
            int[] expected = {m[9], m[10], m[11], m[12]};
            int[] got = {viaMode.padTop(), viaMode.padBottom(), viaMode.padLeft(), viaMode.padRight()};
            assertArrayEquals(expected, got, cfg + ": padding (t,b,l,r) from mode " + m[13]
                    + " expected " + Arrays.toString(expected) + ", got " + Arrays.toString(got));
            assertEquals(explicit.P(), viaMode.P(), cfg + " P");
            assertEquals(explicit.Q(), viaMode.Q(), cfg + " Q");
            assertArrayEquals(new int[] {m[0], m[4], explicit.P(), explicit.Q()}, T.get(cfg + ".y").shape(),
                    cfg + ": y shape vs geometry " + explicit);
        }));
    }

    @TestFactory
    Stream<DynamicTest> conv2dMatchesPyTorch() {
        return Stream.of(1, 2).flatMap(threads -> configs().stream().map(cfg ->
                DynamicTest.dynamicTest(cfg + " threads=" + threads, () -> check(cfg, threads))));
    }

    private static void check(String cfg, int threads) {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(threads);
            int[] m = meta(cfg);
            int N = m[0];
            boolean hasBias = m[14] == 1;
            assertEquals(hasBias, T.containsKey(cfg + ".b"), cfg + ": meta hasBias vs tensors present");
            ConvGeometry g = geometry(cfg);
            Tensor x = T.get(cfg + ".x"), w = T.get(cfg + ".w"), r = T.get(cfg + ".r");
            float[] b = hasBias ? T.get(cfg + ".b").data : null;
            assertArrayEquals(new int[] {N, g.C(), g.H(), g.W()}, x.shape(), cfg + ": x shape");
            assertArrayEquals(new int[] {g.K(), g.C(), g.R(), g.S()}, w.shape(), cfg + ": w shape");
            String tag = cfg + " threads=" + threads + " ";
            Workspace ws = new Workspace();

            float[] y = new float[N * g.outSize()];
            Conv.conv2dForward(y, x.data, w.data, b, N, g, ws);
            Tensor yGold = T.get(cfg + ".y");
            record(0, Check.assertClose(tag + "y", yGold.data, y, RTOL, yGold.shape()));

            float[] dx = new float[N * g.inSize()], dw = new float[g.weightSize()];
            float[] db = hasBias ? new float[g.K()] : null;
            Conv.conv2dBackward(dx, dw, db, r.data, x.data, w.data, N, g, ws);
            Tensor dxGold = T.get(cfg + ".dx"), dwGold = T.get(cfg + ".dw");
            record(1, Check.assertClose(tag + "dx", dxGold.data, dx, RTOL, dxGold.shape()));
            record(2, Check.assertClose(tag + "dw", dwGold.data, dw, RTOL, dwGold.shape()));
            if (hasBias) record(3, Check.assertClose(tag + "db", T.get(cfg + ".db").data, db, RTOL));
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private static synchronized void record(int which, double err) { WORST[which] = Math.max(WORST[which], err); }

    @AfterAll
    static void printWorst() {
        System.out.printf("ConvGoldenTest (%s): worst rel err y %.3e, dx %.3e, dw %.3e, db %.3e%n",
                GOLDEN.producer(), WORST[0], WORST[1], WORST[2], WORST[3]);
    }
}
