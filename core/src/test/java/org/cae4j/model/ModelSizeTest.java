package org.cae4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cae4j.io.ModelFile;
import org.cae4j.io.ModelFormatException;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A model's size is known from its metadata before anything is allocated, and a file is checked against it. */
class ModelSizeTest {
    @TempDir
    Path dir;

    private static Map<String, String> meta(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {"1x28x28", "3x8x12", "2x4x4"})
    void parameterCountFromMetadataEqualsTheBuiltModel(String input) {
        String seedAct = "tanh";
        Map<String, String>[] all = new Map[] {
            meta("preset", "seed", "input", input, "filters", "3", "kernel", "3", "stride", "1",
                    "encoder_activation", seedAct, "decoder_activation", "sigmoid"),
            meta("preset", "seed", "input", input, "filters", "4", "kernel", "5", "stride", "2",
                    "encoder_activation", seedAct, "decoder_activation", "sigmoid", "tied", "true"),
            meta("preset", "bottleneck", "input", input, "code", "7"),
            meta("preset", "keras", "input", input),
            meta("preset", "dense", "input", input),
            meta("preset", "dense", "input", input, "tied", "true"),
            meta("preset", "sparse", "input", input, "hidden", "9", "rho", "0.1", "beta", "3"),
            meta("preset", "vae-dense", "input", input, "hidden", "11", "latent", "2", "beta", "1"),
            meta("preset", "vae-conv", "input", input, "latent", "3", "beta", "1"),
        };
        for (Map<String, String> m : all) {
            Autoencoder built;
            try {
                built = Models.fromMetadata(m, new Rng(0));
            } catch (IllegalArgumentException impossible) {
                continue;   // e.g. keras's decoder does not come back to 8x12
            }
            assertEquals(built.parameterCount(), Models.parameterCount(m), m.toString());
        }
        Architecture a = Architecture.parse("{\"encoder\":[{\"type\":\"conv2d\",\"out_channels\":2,\"kernel_size\":3},"
                + "{\"type\":\"batch_norm2d\"}],\"decoder\":[{\"type\":\"conv_transpose2d\",\"out_channels\":"
                + Models.parseShape(input)[0] + ",\"kernel_size\":3}]}");
        Map<String, String> arch = meta("preset", "arch", "input", input, "arch", a.toJson(null));
        assertEquals(Models.fromMetadata(arch, new Rng(0)).parameterCount(), Models.parameterCount(arch));
    }

    @Test
    void presetsRefuseSizesBeyondTheLimitBeforeAllocating() {
        // 4096² inputs: 2^24 pixels, a 2^31-weight first layer (was an ArithmeticException from the tensor's size)
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Presets.dense(1, 4096, 4096, new Rng(0)));
        assertTrue(e.getMessage().contains("dense: input 1x4096x4096 needs") && e.getMessage().contains("2^28"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Presets.sparse(32768, 32768, 32768, 1 << 30, 0.1, 3, new Rng(0)));
        assertThrows(IllegalArgumentException.class, () -> Presets.vaeDense(1, 28, 28, Integer.MAX_VALUE, 2, 1, new Rng(0)));
        assertThrows(IllegalArgumentException.class, () -> Presets.bottleneck(1, 32768, 32768, 1000, new Rng(0)));
    }

    /** Regression (found while writing the fuzz targets): a tiny file whose metadata asks for a huge model. */
    @Test
    void aFileWhoseMetadataAsksForMoreThanItHoldsFailsBeforeBuilding() {
        Path f = dir.resolve("model.safetensors");
        ModelFile.write(f, Map.of("0.weight", new Tensor(2, 2)), meta("format", "cae4j", "format_version", "1",
                "preset", "dense", "input", "1x512x512"));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Models.load(f));
        assertEquals("model.safetensors: the architecture in the metadata (preset 'dense', input 1x512x512) has "
                + Presets.denseParameters(1, 512, 512, false) + " parameters, but the file holds only 4 values in its "
                + "tensors", e.getMessage());
    }
}
