package org.cae4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.cae4j.ops.Parallel;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.cae4j.testing.Check;
import org.cae4j.testing.Golden;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The layers against PyTorch: every configuration in {@code golden/layers.golden}, written by
 * {@code scripts/golden/make_golden_layers.py}. Each layer is built with the stored settings and parameters, run
 * forward on x and backward with dy = r, the stored random upstream gradient; y, dx, the parameter gradients and
 * (batch norm) the updated running statistics must match within 1e-5 of each tensor's largest magnitude.
 */
class LayersGoldenTest {
    private static final String FILE = "golden/layers.golden";
    private static final double RTOL = 1e-5;
    private static final Golden.Contents GOLDEN = Golden.load(FILE);
    private static final Map<String, Tensor> T = GOLDEN.tensors();
    private static final Map<String, Double> WORST = new TreeMap<>(); // "family tensor" -> worst relative error
    private static final List<String> FAMILIES = List.of("maxpool2d", "avgpool2d", "upsample", "linear",
            "batchnorm2d", "batchnorm1d", "zeropad2d", "convtranspose2d");

    /** Configuration names of a family, e.g. "k2s2_ceil_7x7" for "maxpool2d", in file order. */
    static List<String> configs(String family) {
        List<String> names = new ArrayList<>();
        String start = family + ".";
        for (String key : T.keySet()) {
            if (key.startsWith(start) && key.endsWith(".meta")) {
                names.add(key.substring(start.length(), key.length() - ".meta".length()));
            }
        }
        return names;
    }

    private static Tensor get(String prefix, String name) {
        Tensor t = T.get(prefix + name);
        assertNotNull(t, FILE + " has no tensor " + prefix + name);
        return t;
    }

    private static int[] meta(String prefix, int length) {
        float[] m = get(prefix, "meta").data;
        assertEquals(length, m.length, prefix + "meta length");
        int[] v = new int[length];
        for (int i = 0; i < length; i++) v[i] = Math.round(m[i]);
        return v;
    }

    /** A float32 setting such as eps = 1e-5 read back as the decimal it was written from. */
    private static double decimal(float f) { return Double.parseDouble(Float.toString(f)); }

    private static void copy(Tensor from, Tensor into, String what) {
        assertArrayEquals(from.shape(), into.shape(), what + " shape");
        System.arraycopy(from.data, 0, into.data, 0, from.size());
    }

    private static void compare(String family, String prefix, String name, Tensor actual) {
        Tensor expected = get(prefix, name);
        assertArrayEquals(expected.shape(), actual.shape(), prefix + name + " shape");
        double err = Check.assertClose(prefix + name, expected.data, actual.data, RTOL, expected.shape());
        synchronized (WORST) {
            WORST.merge(family + " " + name, err, Math::max);
        }
    }

    /** Forward x, backward r; compares y, dx and d{parameter} for every parameter the file has a gradient of. */
    private static void forwardBackward(String family, String prefix, Layer layer) {
        for (Parameter p : layer.parameters()) p.zeroGrad();
        Tensor y = layer.forward(get(prefix, "x").copy());
        compare(family, prefix, "y", y);
        Tensor dx = layer.backward(get(prefix, "r").copy());
        compare(family, prefix, "dx", dx);
        for (Parameter p : layer.parameters()) {
            assertTrue(T.containsKey(prefix + "d" + p.name()), prefix + ": no golden gradient for " + p.name());
            compare(family, prefix, "d" + p.name(), p.grad);
        }
    }

    private static Stream<DynamicTest> each(String family, Function<String, Layer> build) {
        return configs(family).stream().map(cfg -> DynamicTest.dynamicTest(cfg, () -> {
            String prefix = family + "." + cfg + ".";
            Layer layer = build.apply(prefix);
            System.out.println(prefix + " " + layer);
            forwardBackward(family, prefix, layer);
        }));
    }

    @Test
    void goldenFileHasEveryFamily() {
        System.out.println(FILE + ": produced by " + GOLDEN.producer());
        assertTrue(GOLDEN.producer().startsWith("torch "), "producer " + GOLDEN.producer());
        for (String family : FAMILIES) {
            System.out.println("  " + family + ": " + configs(family));
            assertTrue(configs(family).size() >= 3, family + ": only " + configs(family));
        }
    }

    @TestFactory
    Stream<DynamicTest> maxPool2dMatchesPyTorch() {
        return each("maxpool2d", p -> {
            int[] m = meta(p, 11); // N, C, H, W, kH, kW, sH, sW, pH, pW, ceil
            boolean square = m[4] == m[5] && m[6] == m[7] && m[8] == m[9];
            return square ? new MaxPool2d(m[4], m[6], m[8], m[10] == 1)
                    : new MaxPool2d(m[4], m[5], m[6], m[7], m[8], m[9], m[10] == 1);
        });
    }

    @TestFactory
    Stream<DynamicTest> avgPool2dMatchesPyTorch() {
        return each("avgpool2d", p -> {
            int[] m = meta(p, 12); // N, C, H, W, kH, kW, sH, sW, pH, pW, ceil, count_include_pad
            boolean square = m[4] == m[5] && m[6] == m[7] && m[8] == m[9];
            return square ? new AvgPool2d(m[4], m[6], m[8], m[10] == 1, m[11] == 1)
                    : new AvgPool2d(m[4], m[5], m[6], m[7], m[8], m[9], m[10] == 1, m[11] == 1);
        });
    }

    @TestFactory
    Stream<DynamicTest> upsampleMatchesPyTorch() {
        return each("upsample", p -> {
            int[] m = meta(p, 7); // N, C, H, W, scale, mode (0 nearest, 1 bilinear), align_corners
            return new Upsample(m[4], m[5] == 1 ? Upsample.Mode.BILINEAR : Upsample.Mode.NEAREST, m[6] == 1);
        });
    }

    @TestFactory
    Stream<DynamicTest> linearMatchesPyTorch() {
        return each("linear", p -> {
            int[] m = meta(p, 4); // N, in, out, bias
            Linear l = new Linear(m[1], m[2], m[3] == 1, new Rng(0));
            copy(get(p, "weight"), l.weight().value, p + "weight");
            if (m[3] == 1) copy(get(p, "bias"), l.bias().value, p + "bias");
            return l;
        });
    }

    @TestFactory
    Stream<DynamicTest> batchNorm2dMatchesPyTorch() {
        return batchNorm("batchnorm2d", 9, m -> new BatchNorm2d(Math.round(m[1]), decimal(m[4]), decimal(m[5]),
                m[6] == 1, m[7] == 1), 8);
    }

    @TestFactory
    Stream<DynamicTest> batchNorm1dMatchesPyTorch() {
        return batchNorm("batchnorm1d", 8, m -> new BatchNorm1d(Math.round(m[1]), decimal(m[3]), decimal(m[4]),
                m[5] == 1, m[6] == 1), 7);
    }

    /** Batch norm: also loads and checks the running statistics, as buffers by their state_dict names. */
    private static Stream<DynamicTest> batchNorm(String family, int metaLength, Function<float[], BatchNormBase> build,
                                                 int trainingAt) {
        return configs(family).stream().map(cfg -> DynamicTest.dynamicTest(cfg, () -> {
            String p = family + "." + cfg + ".";
            float[] m = get(p, "meta").data;
            assertEquals(metaLength, m.length, p + "meta length");
            BatchNormBase bn = build.apply(m);
            if (bn.weight() != null) {
                copy(get(p, "weight"), bn.weight().value, p + "weight");
                copy(get(p, "bias"), bn.bias().value, p + "bias");
            }
            Map<String, Tensor> buffers = bn.buffers();
            assertEquals(T.containsKey(p + "running_mean"), !buffers.isEmpty(), p + ": tracked running stats");
            for (Map.Entry<String, Tensor> b : buffers.entrySet()) copy(get(p, b.getKey()), b.getValue(), p + b.getKey());
            bn.train(m[trainingAt] == 1);
            System.out.println(p + " " + bn + (bn.isTraining() ? " train" : " eval"));
            forwardBackward(family, p, bn);
            for (Map.Entry<String, Tensor> b : buffers.entrySet()) compare(family, p, b.getKey() + ".after", b.getValue());
        }));
    }

    @TestFactory
    Stream<DynamicTest> zeroPad2dAndCrop2dMatchPyTorch() {
        return each("zeropad2d", p -> {
            int[] m = meta(p, 8); // N, C, H, W, left, right, top, bottom
            return p.contains(".crop_") ? new Crop2d(-m[4], -m[5], -m[6], -m[7]) : new ZeroPad2d(m[4], m[5], m[6], m[7]);
        });
    }

    @TestFactory
    Stream<DynamicTest> convTranspose2dMatchesPyTorch() {
        String family = "convtranspose2d";
        return Stream.of(1, 2).flatMap(threads -> configs(family).stream().map(cfg ->
                DynamicTest.dynamicTest(cfg + " threads=" + threads, () -> {
                    int saved = Parallel.threads();
                    try {
                        Parallel.setThreads(threads);
                        String p = family + "." + cfg + ".";
                        int[] m = meta(p, 10); // N, in, P, Q, out, k, s, p, output_padding, bias
                        ConvTranspose2d ct = new ConvTranspose2d(m[1], m[4], m[5], m[6], m[7], m[8], m[9] == 1,
                                Init.PYTORCH, new Rng(0));
                        copy(get(p, "weight"), ct.weight().value, p + "weight");
                        if (m[9] == 1) copy(get(p, "bias"), ct.bias().value, p + "bias");
                        System.out.println(p + " " + ct + " threads=" + threads);
                        forwardBackward(family, p, ct);
                    } finally {
                        Parallel.setThreads(saved);
                    }
                })));
    }

    @AfterAll
    static void printWorst() {
        System.out.println("LayersGoldenTest (" + GOLDEN.producer() + "): worst relative errors");
        WORST.forEach((k, v) -> System.out.printf("  %-40s %.3e%n", k, v));
    }
}
