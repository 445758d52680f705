package org.cae4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.cae4j.model.Architecture;
import org.cae4j.testing.FuzzContract;

/**
 * Fuzz targets of the JSON reader (model file headers, --arch files, run.json): any bytes either parse to a value
 * that the writer writes back to text that parses to an equal value, or fail with a one-line {@link JsonException};
 * an architecture description either builds or fails with a one-line {@link IllegalArgumentException}.
 * Seeds: {@code JsonFuzzTestInputs/<method>/}.
 */
class JsonFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parse(byte[] input) {
        Object v = FuzzContract.check(() -> Json.parse(input), input.length, JsonException.class);
        if (v == null && !new String(input, StandardCharsets.UTF_8).strip().equals("null")) return;
        assertEquals(v, Json.parse(Json.write(v)), "write then parse changed the value");
    }

    /** Architecture.parse (the JSON of --arch and of a model's 'arch' metadata), then the shape check. */
    @FuzzTest(maxDuration = "30s")
    void architecture(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Architecture a = FuzzContract.check(() -> Architecture.parse(text), input.length, IllegalArgumentException.class);
        if (a == null || a.input() == null) return;
        FuzzContract.check(() -> a.check(a.input()), input.length, IllegalArgumentException.class);
    }
}
