package org.cae4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cae4j.data.Normalization;
import org.cae4j.io.ModelFile;
import org.cae4j.io.ModelFormatException;
import org.cae4j.nn.Activation;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsTest {
    @TempDir
    Path dir;

    @Test
    void savedModelLoadsWithTheSameArchitectureAndWeights() {
        Autoencoder a = SeedCae.build(SeedCae.Config.defaults(3, 12, 12).withFilters(5).withKernel(3).withStride(2)
                .withActivations(Activation.Kind.RELU, Activation.Kind.SIGMOID), new Rng(4));
        Path f = dir.resolve("model.safetensors");
        Models.save(f, a, Map.of("epochs", "3"));
        Models.Loaded l = Models.load(f);
        assertEquals(a.toString(), l.model().toString());
        assertEquals("3", l.metadata().get("epochs"));
        assertEquals("unit", l.metadata().get("normalization"));
        for (String k : a.namedParameters().keySet()) {
            assertArrayEquals(a.namedParameters().get(k).value.data, l.model().namedParameters().get(k).value.data, k);
        }
        Tensor x = new Tensor(2, 3, 12, 12);
        for (int i = 0; i < x.size(); i++) x.data[i] = (i % 17) / 17f;
        assertArrayEquals(a.forward(x).data.clone(), l.model().forward(x).data);
    }

    @Test
    void normalizationIsStoredAndReadBack() {
        Autoencoder a = SeedCae.build(SeedCae.Config.defaults(3, 8, 8).withFilters(2).withKernel(3), new Rng(0));
        Path f = dir.resolve("n.safetensors");
        Normalization cifar = Normalization.meanStd(new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.247f, 0.2435f, 0.2616f});
        Models.save(f, a, cifar, Map.of("epochs", "1"));
        Models.Loaded l = Models.load(f);
        assertEquals(cifar, l.normalization());
        assertEquals("0.4914,0.4822,0.4465", l.metadata().get("normalization_mean"));
        Models.save(f, a, Normalization.symmetric(), Map.of());
        assertEquals(Normalization.symmetric(), Models.load(f).normalization());
        Models.save(f, a, Map.of());
        assertEquals(Normalization.unit(), Models.load(f).normalization());
        Path part = dir.resolve("enc.safetensors");
        Models.savePart(part, a, "encoder", Normalization.symmetric().toMetadata());
        assertEquals("symmetric", ModelFile.read(part).metadata().get("normalization"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.save(f, a,
                Normalization.meanStd(new float[] {0.5f, 0.5f}, new float[] {1f, 1f}), Map.of()));
        assertEquals("metadata normalization_mean and normalization_std hold 2 values each, but the model's input has 3 channels; expected 1 or 3",
                e.getMessage());
    }

    @Test
    void aFileWithoutNormalizationLoadsAsUnitAndBadValuesAreRejected() {
        Map<String, String> none = new LinkedHashMap<>();
        none.put("normalization", null);
        assertEquals(Normalization.unit(), Models.load(withMetadata(none, null)).normalization());
        assertEquals("m.safetensors: metadata normalization = 'zscore': expected unit, symmetric or mean_std",
                loadError(withMetadata(Map.of("normalization", "zscore"), null)));
        assertEquals("m.safetensors: metadata normalization = mean_std but 'normalization_std' is missing",
                loadError(withMetadata(Map.of("normalization", "mean_std", "normalization_mean", "0.5"), null)));
        assertEquals("m.safetensors: normalization: std of channel 0 is -1.0, expected a finite number > 0",
                loadError(withMetadata(Map.of("normalization", "mean_std", "normalization_mean", "0.5",
                        "normalization_std", "-1"), null)));
        assertEquals("m.safetensors: metadata normalization_mean and normalization_std hold 3 values each, but the model's input has 1 channel; expected 1",
                loadError(withMetadata(Map.of("normalization", "mean_std", "normalization_mean", "0.5,0.5,0.5",
                        "normalization_std", "1,1,1"), null)));
    }

    private Path withMetadata(Map<String, String> changes, Map<String, Tensor> tensors) {
        Autoencoder a = SeedCae.build(SeedCae.Config.defaults(1, 8, 8).withFilters(2).withKernel(3), new Rng(0));
        Path f = dir.resolve("m.safetensors");
        Models.save(f, a, Map.of());
        ModelFile.Loaded l = ModelFile.read(f);
        Map<String, String> meta = new LinkedHashMap<>(l.metadata());
        for (Map.Entry<String, String> e : changes.entrySet()) {
            if (e.getValue() == null) meta.remove(e.getKey());
            else meta.put(e.getKey(), e.getValue());
        }
        ModelFile.write(f, tensors == null ? l.tensors() : tensors, meta);
        return f;
    }

    private static String loadError(Path f) {
        return assertThrows(ModelFormatException.class, () -> Models.load(f)).getMessage();
    }

    @Test
    void badMetadataIsRejectedNamingTheFileAndTheProblem() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", null);
        assertEquals("m.safetensors: not a cae4j model (metadata 'format' is missing, expected 'cae4j')",
                loadError(withMetadata(m, null)));
        assertEquals("m.safetensors: unknown preset 'resnet', expected one of: seed, bottleneck, keras, dense, sparse, vae-dense, vae-conv, stacked",
                loadError(withMetadata(Map.of("preset", "resnet"), null)));
        assertEquals("m.safetensors: metadata 'filters' is 'many', expected an integer",
                loadError(withMetadata(Map.of("filters", "many"), null)));
        assertEquals("m.safetensors: seed CAE: kernel must be positive, got -3",
                loadError(withMetadata(Map.of("kernel", "-3"), null)));
        assertEquals("m.safetensors: unsupported format_version '9', this cae4j reads version 1",
                loadError(withMetadata(Map.of("format_version", "9"), null)));
    }

    @Test
    void tensorsThatDoNotFitTheArchitectureAreRejected() {
        Map<String, Tensor> t = new LinkedHashMap<>(ModelFile.read(withMetadata(Map.of(), null)).tensors());
        t.put("0.weight", new Tensor(2, 1, 5, 5));
        assertEquals("m.safetensors: tensor '0.weight' has shape [2, 1, 5, 5], the architecture needs [2, 1, 3, 3]",
                loadError(withMetadata(Map.of(), t)));
        t.remove("0.weight");
        assertEquals("m.safetensors: missing tensor '0.weight'", loadError(withMetadata(Map.of(), t)));
        t.put("0.weight", new Tensor(2, 1, 3, 3));
        t.put("9.weight", new Tensor(1));
        assertEquals("m.safetensors: unexpected tensor '9.weight' for a seed model (expected [0.weight, 0.bias, 2.weight, 2.bias])",
                loadError(withMetadata(Map.of(), t)));
    }

    @Test
    void savingLeavesNoTemporaryFile() throws Exception {
        Autoencoder a = SeedCae.build(SeedCae.Config.defaults(1, 8, 8), new Rng(0));
        Models.save(dir.resolve("model.safetensors"), a, Map.of());
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }
}
