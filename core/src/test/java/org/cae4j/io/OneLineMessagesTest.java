package org.cae4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.cae4j.data.DataFileException;
import org.cae4j.model.Architecture;
import org.cae4j.model.Models;
import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text echoed from a file into an error message cannot break it into lines or make the message itself fail. */
class OneLineMessagesTest {
    @TempDir
    Path dir;

    /** Fuzzer finding: a bad \\u escape whose 4 chars end in half of a surrogate pair threw IllegalArgumentException. */
    @Test
    void badUnicodeEscapeBeforeASurrogatePairIsAJsonException() {
        byte[] input = {'{', '"', '\\', 'u', 'B', 2, 'B', (byte) 0xf3, (byte) 0xae, (byte) 0xae, (byte) 0xa5, 'n', '4', '.'};
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(input));
        assertEquals("JSON error at byte 2: \\u escape needs 4 hex digits, got \"B\\u0002B\\udb7a\"", e.getMessage());
    }

    /** Fuzzer finding: an unknown key holding a newline was printed raw, making a two-line message. */
    @Test
    void unknownArchitectureKeyIsEscaped() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Architecture.parse("{\"in\\nput\": 1, \"encoder\": [], \"decoder\": []}"));
        assertEquals("unknown key \"in\\nput\" (an architecture takes name, description, input, loss, init, naming, "
                + "encoder, decoder)", e.getMessage());
    }

    /** Fuzzer finding (second campaign): an init name with a carriage return, echoed by Init.parse's message. */
    @Test
    void unknownInitNameIsEscaped() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Architecture.parse("{\"init\": \"py\\rtorch\", \"encoder\": [], \"decoder\": []}"));
        assertEquals("\"init\": unknown init 'py\\rtorch': expected pytorch, he-uniform, he-normal, xavier-uniform or "
                + "xavier-normal", e.getMessage());
    }

    @Test
    void metadataAndFileNamesWithControlCharactersStayOnOneLine() {
        Path f = dir.resolve("model.safetensors");
        ModelFile.write(f, Map.of("w", new Tensor(1)), Map.of("format", "cae4j", "format_version", "1", "preset", "a\nb\u0007"));
        assertEquals("model.safetensors: unknown preset 'a\\nb\\u0007', expected one of: seed, bottleneck, keras, dense, "
                + "sparse, vae-dense, vae-conv, stacked", assertThrows(ModelFormatException.class, () -> Models.load(f)).getMessage());
        assertEquals("input shape '1x\\u0001x28': expected CxHxW such as 1x28x28",
                assertThrows(IllegalArgumentException.class, () -> Models.parseShape("1x\u0001x28")).getMessage());
        assertEquals("no such file: a\\nb", new DataFileException("no such file: a\nb").getMessage());
        assertEquals("caf\u00e9 \ud83d\ude00 \"q\"", Json.printable("caf\u00e9 \ud83d\ude00 \"q\""));
        assertEquals("x\\udc00", Json.printable("x\udc00"));
        assertEquals("\\t", Json.printable(new String("\t".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)));
    }
}
