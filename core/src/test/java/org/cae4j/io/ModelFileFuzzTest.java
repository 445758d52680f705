package org.cae4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.Map;
import org.cae4j.model.Models;
import org.cae4j.nn.Parameter;
import org.cae4j.tensor.Tensor;
import org.cae4j.testing.FuzzContract;

/**
 * Fuzz targets of the model file: any bytes either read as tensors whose sizes match their shapes, or fail with a
 * one-line {@link ModelFormatException} (see {@link FuzzContract}); {@link Models#load} either rebuilds a model
 * holding exactly the file's tensors or fails the same way. Seeds: {@code ModelFileFuzzTestInputs/<method>/}.
 */
class ModelFileFuzzTest {
    /** The safetensors layer alone: length field, JSON header, offsets, dtypes. */
    @FuzzTest(maxDuration = "30s")
    void modelFile(byte[] input) {
        Path f = FuzzContract.file("model.safetensors", input);
        ModelFile.Loaded l = FuzzContract.check(() -> ModelFile.read(f), input.length, ModelFormatException.class);
        if (l == null) return;
        long bytes = 0;
        for (Tensor t : l.tensors().values()) {
            assertEquals(Tensor.numel(t.shape()), t.data.length, t.shapeString());
            bytes += t.data.length;
        }
        // every float came from at least two bytes of the file
        assertEquals(true, 2 * bytes <= input.length, "more values than bytes");
    }

    /** A cae4j model: metadata rebuilds the architecture (presets, noise, --arch JSON), tensors fill it. */
    @FuzzTest(maxDuration = "30s")
    void modelLoad(byte[] input) {
        Path f = FuzzContract.file("model.safetensors", input);
        Models.Loaded m = FuzzContract.check(() -> Models.load(f), input.length, ModelFormatException.class);
        if (m == null) return;
        assertEquals("cae4j", m.metadata().get("format"));
        for (Map.Entry<String, Parameter> e : m.model().namedParameters().entrySet()) assertNotNull(e.getValue().value);
    }
}
