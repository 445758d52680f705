package org.cae4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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
