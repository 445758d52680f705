package org.cae4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.cae4j.loss.LossAndGrad;
import org.cae4j.loss.MseLoss;
import org.cae4j.nn.Parameter;
import org.cae4j.ops.Parallel;
import org.cae4j.optim.Adam;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.cae4j.testing.Check;
import org.cae4j.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Models B, C and D are layer for layer the PyTorch peer's: same names, sizes, and ten identical Adam steps. */
class PresetsTest {

    static Autoencoder build(String preset, Rng rng) {
        switch (preset) {
            case "B": return Presets.bottleneck(1, 28, 28, 20, rng);
            case "C": return Presets.keras(1, 28, 28, rng);
            default: return Presets.dense(1, 28, 28, rng);
        }
    }

    @Test
    void parameterCountsNamesAndCodesAreThoseOfThePyTorchPeer() {
        Autoencoder b = build("B", new Rng(0)), c = build("C", new Rng(0)), d = build("D", new Rng(0));
        assertEquals(73877, b.parameterCount());
        assertEquals(4385, c.parameterCount());
        assertEquals(222384, d.parameterCount());
        assertEquals("[0.0.weight, 0.0.bias, 0.2.weight, 0.2.bias, 0.5.weight, 0.5.bias, 1.0.weight, 1.0.bias, "
                + "1.3.weight, 1.3.bias, 1.5.weight, 1.5.bias]", b.namedParameters().keySet().toString());
        assertEquals("[0.0.weight, 0.0.bias, 0.3.weight, 0.3.bias, 0.6.weight, 0.6.bias, 1.0.weight, 1.0.bias, "
                + "1.3.weight, 1.3.bias, 1.6.weight, 1.6.bias, 1.9.weight, 1.9.bias]", c.namedParameters().keySet().toString());
        assertEquals("[1.weight, 1.bias, 3.weight, 3.bias, 5.weight, 5.bias, 7.weight, 7.bias, 9.weight, 9.bias, "
                + "11.weight, 11.bias]", d.namedParameters().keySet().toString());
        assertArrayEquals(new int[] {20}, b.codeShape());
        assertArrayEquals(new int[] {8, 4, 4}, c.codeShape());
        assertArrayEquals(new int[] {32}, d.codeShape());
    }

    @ParameterizedTest(name = "model {0}, threads {1}")
    @CsvSource({"B,1", "B,2", "C,1", "C,2", "D,1", "D,2"})
    void tenAdamStepsMatchPyTorch(String preset, int threads) {
        Map<String, Tensor> g = Golden.read("golden/presets_adam.golden");
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            Autoencoder ae = build(preset, new Rng(0));
            int t = 0;
            for (Parameter p : ae.namedParameters().values()) {
                for (int i = 0; i < p.value.size(); i++) p.value.data[i] = (float) (0.1 * Math.sin(0.37 * i + 1.3 * t));
                t++;
            }
            Tensor x = new Tensor(8, 1, 28, 28);
            for (int i = 0; i < x.size(); i++) x.data[i] = (float) (0.5 + 0.5 * Math.sin(0.11 * i));
            Adam adam = Adam.adam(ae.parameters(), 1e-3);
            MseLoss mse = new MseLoss();
            float[] losses = new float[10];
            for (int s = 0; s < 10; s++) {
                adam.zeroGrad();
                LossAndGrad lg = mse.forward(ae.forward(x), x);
                losses[s] = (float) lg.value();
                ae.backward(lg.grad());
                adam.step();
            }
            Check.assertClose(preset + " losses", g.get(preset + ".losses").data, losses, 1e-5);
            for (Map.Entry<String, Parameter> e : ae.namedParameters().entrySet()) {
                float[] v = e.getValue().value.data;
                float[] expected = g.get(preset + ".final." + e.getKey()).data;
                // weights at 1e-4: Adam divides by √v, so a parameter whose gradient is near zero turns float
                // rounding differences of the sums into visible steps (seen: 1.5e-5 on model C's first conv)
                Check.assertClose(preset + " " + e.getKey(), expected, java.util.Arrays.copyOf(v, expected.length), 1e-4);
                double sum = 0;
                for (float f : v) sum += f;
                float es = g.get(preset + ".sum." + e.getKey()).data[0];
                double scale = 0;
                for (float f : v) scale += Math.abs(f);
                assertEquals(es, sum, 1e-4 * scale, preset + " sum of " + e.getKey());
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void inputsTheArchitectureCannotTakeAreRefusedBeforeTraining() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Presets.bottleneck(1, 30, 30, 20, new Rng(0)));
        assertTrue(e.getMessage().contains("30x30") && e.getMessage().contains("divisible by 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Presets.keras(1, 32, 32, new Rng(0)));
        assertTrue(e.getMessage().contains("decoder output [1, 28, 28] does not match the input [1, 32, 32]"), e.getMessage());
    }

    @Test
    void presetsRoundTripThroughModelFiles(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        for (String p : new String[] {"B", "C", "D"}) {
            Autoencoder a = build(p, new Rng(3));
            java.nio.file.Path f = dir.resolve(p + ".safetensors");
            Models.save(f, a, Map.of());
            Autoencoder b = Models.load(f).model();
            assertEquals(a.toString(), b.toString());
            assertArrayEquals(a.parameters().get(0).value.data, b.parameters().get(0).value.data);
        }
    }
}
