package org.cae4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cae4j.nn.Parameter;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.cae4j.testing.Golden;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Rng} draws what PyTorch 1.13's CPU generator draws for the same seed (scripts/golden/make_golden_rng.py):
 * float and double uniforms, {@code uniform_} bounds, {@code randperm} orders, and the initial weights of the four
 * reference models, bit for bit.
 */
class RngGoldenTest {
    private static final Map<String, Tensor> G = Golden.read("golden/rng.golden");

    private static void assertBits(float want, float got, String what) {
        assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got), what + ": expected " + want + ", got " + got);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 123456789, (1L << 32) + 7})
    void uniformsAndOrdersAreTorchs(long seed) {
        float[] rand = G.get("rand." + seed).data, uniform = G.get("uniform." + seed).data;
        Rng r = new Rng(seed);
        for (int i = 0; i < rand.length; i++) assertBits(rand[i], r.nextFloat(), "torch.rand[" + i + "] seed " + seed);
        r = new Rng(seed);
        for (int i = 0; i < uniform.length; i++) {
            assertBits(uniform[i], r.uniformFloat(-0.2, 0.2), "uniform_(-0.2, 0.2)[" + i + "] seed " + seed);
        }
        float[] d = G.get("rand64." + seed).data;
        r = new Rng(seed);
        for (int i = 0; i < d.length / 4; i++) {
            long bits = 0;
            for (int k = 0; k < 4; k++) bits = bits << 16 | (long) d[4 * i + k];
            assertEquals(bits, Double.doubleToRawLongBits(r.nextDouble()), "torch.rand(float64)[" + i + "] seed " + seed);
        }
        Tensor perms = G.get("randperm." + seed);
        Rng order = new Rng(seed);
        int[] p = new int[60000];
        for (int epoch = 0; epoch < 2; epoch++) {
            order.permutation(p); // as the Trainer draws each epoch's order
            for (int i = 0; i < 1000; i++) {
                assertEquals((int) perms.data[epoch * 1000 + i], p[i], "randperm(60000) call " + (epoch + 1) + " [" + i + "]");
            }
        }
        float[] p10 = G.get("randperm10." + seed).data;
        int[] q = new Rng(seed).permutation(10);
        for (int i = 0; i < 10; i++) assertEquals((int) p10[i], q[i], "randperm(10)[" + i + "] seed " + seed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"A", "B", "C", "D"})
    void referenceModelsStartFromTorchsWeights(String model) {
        Rng rng = new Rng(0);
        Autoencoder ae;
        switch (model) {
            case "A": ae = SeedCae.build(SeedCae.Config.defaults(1, 28, 28), rng); break;
            case "B": ae = Presets.bottleneck(1, 28, 28, 20, rng); break;
            case "C": ae = Presets.keras(1, 28, 28, rng); break;
            default: ae = Presets.dense(1, 28, 28, rng);
        }
        List<String> names = new ArrayList<>();
        for (String k : G.keySet()) if (k.startsWith("init." + model + ".first.")) names.add(k.substring(("init." + model + ".first.").length()));
        List<Parameter> ps = ae.parameters();
        assertEquals(names.size(), ps.size(), "parameter count of " + model + " (torch: " + names + ")");
        for (int t = 0; t < ps.size(); t++) {
            String name = names.get(t), where = model + " " + name + " (cae4j " + ps.get(t).name() + ")";
            float[] v = ps.get(t).value.data, first = G.get("init." + model + ".first." + name).data;
            float[] last = G.get("init." + model + ".last." + name).data;
            for (int i = 0; i < first.length; i++) assertBits(first[i], v[i], where + "[" + i + "]");
            for (int i = 0; i < last.length; i++) {
                int j = v.length - last.length + i;
                assertBits(last[i], v[j], where + "[" + j + "]");
            }
            double sum = 0;
            for (float f : v) sum += f;
            assertBits(G.get("init." + model + ".sum." + name).data[0], (float) sum, where + " sum");
        }
    }
}
