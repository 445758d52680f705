package org.cae4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cae4j.data.Datasets;
import org.cae4j.data.ImageDataset;
import org.cae4j.io.ModelFile;
import org.cae4j.io.ModelFormatException;
import org.cae4j.nn.ConvTranspose2d;
import org.cae4j.nn.GaussianNoise;
import org.cae4j.nn.KlSparsity;
import org.cae4j.nn.Linear;
import org.cae4j.nn.MaskingNoise;
import org.cae4j.nn.Parameter;
import org.cae4j.nn.Reparameterize;
import org.cae4j.nn.SaltAndPepper;
import org.cae4j.ops.Normal;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.cae4j.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Denoising, sparse, tied and variational presets: PyTorch names, parameter counts, sampling, model files. */
class FamilyPresetsTest {
    @TempDir
    Path dir;

    private static Tensor images(int n, int d, int h, int w) {
        Tensor x = new Tensor(n, d, h, w);
        for (int i = 0; i < x.size(); i++) x.data[i] = (float) (0.5 + 0.5 * Math.sin(0.11 * i));
        return x;
    }

    @Test
    void denoisingKeepsTheNamesOfTheCleanModel() {
        for (Autoencoder base : List.of(SeedCae.build(SeedCae.Config.defaults(1, 28, 28), new Rng(0)),
                Presets.bottleneck(1, 28, 28, 20, new Rng(0)), Presets.dense(1, 28, 28, new Rng(0)))) {
            Autoencoder dae = Presets.denoising(base, new GaussianNoise(0.3, true, new Rng(1)));
            assertEquals(base.namedParameters().keySet(), dae.namedParameters().keySet(), base.toString());
            assertEquals(base.parameters(), dae.parameters());
            assertEquals(base.encoder().size() + 1, dae.encoder().size());
            assertArrayEquals(base.codeShape(), dae.codeShape());
            assertEquals("0.3", dae.architecture().get("noise_level"));
            assertEquals("gaussian", dae.architecture().get("noise"));
            assertEquals("true", dae.architecture().get("noise_clip"));
        }
        assertEquals("[0.weight, 0.bias, 2.weight, 2.bias]", Presets.denoising(
                SeedCae.build(SeedCae.Config.defaults(1, 8, 8), new Rng(0)), new MaskingNoise(0.2, new Rng(0)))
                .namedParameters().keySet().toString());
    }

    @Test
    void denoisingCorruptsOnlyInTrainingSoTheTestMseIsThatOfTheCleanModel() {
        Autoencoder base = Presets.dense(1, 28, 28, new Rng(0));
        ImageDataset test = Datasets.embedded().test().subset(100);
        double clean = Trainer.evaluateMse(base, test, 50);
        Autoencoder dae = Presets.denoising(base, new SaltAndPepper(0.5, new Rng(2)));
        assertEquals(clean, Trainer.evaluateMse(dae, test, 50), 0, "evaluation switches the noise off");
        assertTrue(dae.isTraining());
        Tensor x = images(4, 1, 28, 28);
        float[] noisy = dae.forward(x).data.clone();
        base.train(false);
        assertTrue(!java.util.Arrays.equals(noisy, base.forward(x).data), "training forward corrupts the input");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Presets.denoising(dae, new MaskingNoise(0.1, new Rng(0))));
        assertTrue(e.getMessage().contains("already starts with SaltAndPepper"), e.getMessage());
    }

    @Test
    void tiedDenseListsEachSharedWeightOnceUnderItsEncoderName() {
        Autoencoder t = Presets.dense(1, 28, 28, true, new Rng(0));
        assertEquals("[1.weight, 1.bias, 3.weight, 3.bias, 5.weight, 5.bias, 7.bias, 9.bias, 11.bias]",
                t.namedParameters().keySet().toString());
        assertEquals(111792, t.parameterCount());
        assertEquals(9, t.parameters().size());
        Linear enc = (Linear) t.encoder().get(5), dec = (Linear) t.decoder().get(0);
        assertSame(enc.weight(), dec.weight(), "32→64 decodes with the 64→32 weight");
        assertEquals("true", t.architecture().get("tied"));
        Autoencoder s = SeedCae.build(SeedCae.Config.defaults(1, 28, 28).withTied(true), new Rng(0));
        assertEquals("[0.weight, 0.bias, 2.bias]", s.namedParameters().keySet().toString());
        assertSame(s.parameters().get(0), ((ConvTranspose2d) s.decoder().get(0)).weight());
        assertEquals(16 * 25 + 16 + 1, s.parameterCount());
    }

    @Test
    void sparseAndVariationalPresetsHaveThePyTorchLayouts() {
        Autoencoder sp = Presets.sparse(1, 28, 28, 196, 0.1, 3, new Rng(0));
        assertEquals("[1.weight, 1.bias, 4.weight, 4.bias]", sp.namedParameters().keySet().toString());
        assertEquals(784 * 196 + 196 + 196 * 784 + 784, sp.parameterCount());
        Autoencoder v = Presets.vaeDense(1, 28, 28, 400, 20, 1, new Rng(0));
        // PyTorch examples/vae: fc1, fc21 + fc22, fc3, fc4
        assertEquals(652824, v.parameterCount());
        assertEquals("[1.weight, 1.bias, 3.weight, 3.bias, 5.weight, 5.bias, 7.weight, 7.bias]",
                v.namedParameters().keySet().toString());
        assertArrayEquals(new int[] {40, 400}, v.namedParameters().get("3.weight").value.shape());
        assertArrayEquals(new int[] {20}, v.codeShape());
        Autoencoder c = Presets.vaeConv(1, 28, 28, 16, 1, new Rng(0));
        assertEquals("[0.0.weight, 0.0.bias, 0.2.weight, 0.2.bias, 0.5.weight, 0.5.bias, 1.0.weight, 1.0.bias, "
                + "1.3.weight, 1.3.bias, 1.5.weight, 1.5.bias]", c.namedParameters().keySet().toString());
        assertArrayEquals(new int[] {32, 32 * 7 * 7}, c.namedParameters().get("0.5.weight").value.shape());
        assertArrayEquals(new int[] {16}, c.codeShape());
    }

    @Test
    void vaeObjectiveIncludesTheKlTermAndEvaluationDecodesTheMean() {
        Autoencoder v = Presets.vaeDense(1, 6, 6, 10, 3, 0.5, new Rng(0));
        Tensor x = images(4, 1, 6, 6);
        float[] a = v.forward(x).data.clone(), b = v.forward(x).data.clone();
        assertTrue(!java.util.Arrays.equals(a, b), "training samples z anew each forward");
        assertTrue(v.regularizationLoss() > 0);
        v.train(false);
        float[] e1 = v.forward(x).data.clone(), e2 = v.forward(x).data.clone();
        assertArrayEquals(e1, e2, "evaluation decodes μ");
        // the KL term of the encoder's output, by hand
        Tensor h = v.encoder().get(3).forward(v.encoder().get(2).forward(v.encoder().get(1).forward(x.reshape(4, 36))));
        double kl = 0;
        for (int n = 0; n < 4; n++) {
            for (int j = 0; j < 3; j++) {
                double mu = h.data[n * 6 + j], lv = h.data[n * 6 + 3 + j];
                kl += -0.5 * (1 + lv - mu * mu - Math.exp(lv));
            }
        }
        v.forward(x);
        assertEquals(0.5 * kl / 4, v.regularizationLoss(), 1e-6);
    }

    @Test
    void samplesAndTheManifoldDecodePriorCodes() {
        Autoencoder v = Presets.vaeDense(1, 28, 28, 400, 2, 1, new Rng(0));
        Tensor s = v.sample(5, new Rng(3));
        assertArrayEquals(new int[] {5, 1, 28, 28}, s.shape());
        for (float p : s.data) assertTrue(p >= 0 && p <= 1);
        assertArrayEquals(s.data, v.sample(5, new Rng(3)).data, "a seed fixes the samples");
        assertTrue(v.isTraining(), "sampling leaves the mode as it was");
        Tensor m = v.manifold(4);
        assertArrayEquals(new int[] {16, 1, 28, 28}, m.shape());
        // grid cell (i, j) decodes (Φ⁻¹(q_j), Φ⁻¹(q_i)) with q = 0.05, 0.35, 0.65, 0.95
        Tensor z = new Tensor(new float[] {(float) Normal.quantile(0.35), (float) Normal.quantile(0.95)}, 1, 2);
        // within float rounding: a batch of 1 and a batch of 16 may take different GEMM kernels (summation orders)
        assertArrayEquals(v.decode(z).data, java.util.Arrays.copyOfRange(m.data, (3 * 4 + 1) * 784, (3 * 4 + 2) * 784), 1e-6f);
        assertEquals("manifold: needs a 2-d code, this model's code is [20]", assertThrows(IllegalArgumentException.class,
                () -> Presets.vaeDense(1, 28, 28, 400, 20, 1, new Rng(0)).manifold(10)).getMessage());
    }

    @Test
    void normalQuantilesMatchTables() {
        assertEquals(0, Normal.quantile(0.5), 1e-12);
        assertEquals(1.959963985, Normal.quantile(0.975), 1e-8);
        assertEquals(-1.644853627, Normal.quantile(0.05), 1e-8);
        assertEquals(-3.090232306, Normal.quantile(0.001), 1e-8);
        assertEquals(-Normal.quantile(0.3), Normal.quantile(0.7), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Normal.quantile(1));
    }

    private static List<Autoencoder> familyModels() {
        return List.of(
                Presets.denoising(Presets.dense(1, 8, 8, new Rng(1)), new GaussianNoise(0.25, true, new Rng(2))),
                Presets.denoising(Presets.bottleneck(1, 8, 8, 5, new Rng(1)), new MaskingNoise(0.3, new Rng(2))),
                Presets.denoising(SeedCae.build(SeedCae.Config.defaults(3, 8, 8).withFilters(4).withKernel(3), new Rng(1)),
                        new SaltAndPepper(0.1, new Rng(2))),
                Presets.sparse(1, 8, 8, 10, 0.05, 3, new Rng(1)),
                Presets.dense(1, 8, 8, true, new Rng(1)),
                SeedCae.build(SeedCae.Config.defaults(1, 9, 9).withFilters(3).withKernel(3).withStride(2).withTied(true),
                        new Rng(1)),
                Presets.vaeDense(1, 8, 8, 12, 2, 0.5, new Rng(1)),
                Presets.vaeConv(2, 8, 8, 3, 2, new Rng(1)));
    }

    @Test
    void everyFamilyPresetRoundTripsThroughModelFiles() {
        int i = 0;
        for (Autoencoder a : familyModels()) {
            // move the weights away from any init so loading must copy them
            for (Parameter p : a.parameters()) {
                for (int k = 0; k < p.value.size(); k++) p.value.data[k] += 0.01f * (float) Math.sin(k + i);
            }
            Path f = dir.resolve("m" + i++ + ".safetensors");
            Models.save(f, a, Map.of());
            Autoencoder b = Models.load(f).model();
            assertEquals(a.toString(), b.toString());
            assertEquals(a.architecture(), b.architecture());
            assertEquals(a.namedParameters().keySet(), b.namedParameters().keySet());
            assertEquals(ModelFile.read(f).tensors().keySet(), a.namedParameters().keySet(), "each shared tensor stored once");
            for (String k : a.namedParameters().keySet()) {
                assertArrayEquals(a.namedParameters().get(k).value.data, b.namedParameters().get(k).value.data, k);
            }
            a.train(false);
            b.train(false);
            int[] s = a.inputShape();
            Tensor x = images(2, s[0], s[1], s[2]);
            assertArrayEquals(a.forward(x).data.clone(), b.forward(x).data, a.architecture().toString());
        }
    }

    @Test
    void loadingATiedModelRestoresTheTie() {
        Autoencoder a = Presets.dense(1, 8, 8, true, new Rng(1));
        Path f = dir.resolve("tied.safetensors");
        Models.save(f, a, Map.of());
        Autoencoder b = Models.load(f).model();
        Linear enc = (Linear) b.encoder().get(1), dec = (Linear) b.decoder().get(4);
        assertSame(enc.weight(), dec.weight());
        assertArrayEquals(((Linear) a.encoder().get(1)).weight().value.data, dec.weight().value.data);
    }

    @Test
    void familyMetadataIsCheckedWhenLoading() {
        Autoencoder a = Presets.denoising(Presets.sparse(1, 4, 4, 3, 0.1, 1, new Rng(0)), new GaussianNoise(0.1, new Rng(0)));
        Path f = dir.resolve("n.safetensors");
        Models.save(f, a, Map.of());
        ModelFile.Loaded l = ModelFile.read(f);
        for (String[] change : new String[][] {
                {"noise", "speckle", "n.safetensors: unknown noise 'speckle', expected gaussian, masking or salt-and-pepper"},
                {"noise_clip", "yes", "n.safetensors: metadata 'noise_clip' is 'yes', expected true or false"},
                {"rho", "1.5", "n.safetensors: KlSparsity: rho must be in (0, 1), got 1.5"},
                {"noise_level", "lots", "n.safetensors: metadata 'noise_level' is 'lots', expected a number"}}) {
            Map<String, String> meta = new LinkedHashMap<>(l.metadata());
            meta.put(change[0], change[1]);
            ModelFile.write(f, l.tensors(), meta);
            assertEquals(change[2], assertThrows(ModelFormatException.class, () -> Models.load(f)).getMessage());
        }
        assertTrue(a.encoder().get(4) instanceof KlSparsity);
        assertTrue(Presets.vaeDense(1, 4, 4, 3, 2, 1, new Rng(0)).encoder().get(4) instanceof Reparameterize);
    }
}
