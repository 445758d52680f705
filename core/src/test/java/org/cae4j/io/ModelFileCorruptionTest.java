package org.cae4j.io;

import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each malformed file gives a one-line {@link ModelFormatException} that starts with the file name and names the problem. */
class ModelFileCorruptionTest {

    @TempDir
    Path dir;

    private Path file(byte[] bytes) throws IOException {
        Path file = dir.resolve("model.safetensors");
        Files.write(file, bytes);
        return file;
    }

    /** A file whose header is {@code json} (unpadded) followed by {@code dataBytes} zero bytes. */
    private Path withHeader(String json, int dataBytes) throws IOException {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        return file(ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).array());
    }

    private static String tensor(String name, String dtype, String shape, String offsets) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
    }

    /** The problem reported for {@code file}, after checking the message is one line naming the file. */
    private static String problem(Path file) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.read(file));
        String m = e.getMessage();
        assertFalse(m.contains("\n") || m.contains("\r"), () -> "message is not one line: " + m);
        assertTrue(m.startsWith("model.safetensors: "), () -> "message does not start with the file name: " + m);
        return m.substring("model.safetensors: ".length());
    }

    private static void assertContains(String message, String part) {
        assertTrue(message.contains(part), () -> "message \"" + message + "\" lacks \"" + part + "\"");
    }

    @Test
    void validBaselineIsAccepted() throws IOException {
        // The helpers build valid files, so each test below differs from a readable file in one point.
        Path f = withHeader("{" + tensor("a", "F32", "[2]", "[0,8]") + "," + tensor("b", "F32", "[]", "[8,12]") + "}", 12);
        assertEquals(2, ModelFile.read(f).tensors().size());
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope.safetensors");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.read(missing));
        assertEquals("no such file: " + missing, e.getMessage());
    }

    @Test
    void directoryIsNotAModelFile() {
        assertEquals(dir.getFileName() + ": is a directory, expected a model file",
                assertThrows(ModelFormatException.class, () -> ModelFile.read(dir)).getMessage());
    }

    // ------------------------------------------------------------------ length field and header

    @Test
    void fileShorterThan8BytesIsRejected() throws IOException {
        assertEquals("file is 5 bytes, too short for the 8-byte header length", problem(file(new byte[5])));
        assertEquals("file is 0 bytes, too short for the 8-byte header length", problem(file(new byte[0])));
    }

    @Test
    void headerLengthBeyondTheFileIsRejected() throws IOException {
        byte[] b = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN).putLong(100).array();
        assertEquals("header length 100 exceeds the 10 bytes after the length field", problem(file(b)));
    }

    @Test
    void headerLengthAbove2To63IsReadUnsigned() throws IOException {
        byte[] b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).array();
        assertEquals("header length 18446744073709551615 exceeds the 8 bytes after the length field", problem(file(b)));
    }

    @Test
    void headerLongerThan100MiBIsRejectedBeforeReadingIt() throws IOException {
        Path f = dir.resolve("model.safetensors");
        long n = ModelFile.MAX_HEADER_BYTES + 1;
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(8 + n);   // sparse: costs no disk space
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(n).array());
        }
        assertEquals("header length 104857601 exceeds the limit of 104857600 bytes (100 MiB)", problem(f));
    }

    @Test
    void headerThatIsNotJsonIsRejectedWithThePosition() throws IOException {
        assertEquals("header is not valid JSON: JSON error at byte 1: expected a string key or '}', got 'n'",
                problem(withHeader("{not json}", 0)));
        assertContains(problem(withHeader("", 0)), "header is not valid JSON: JSON error at byte 0: expected a value");
        assertContains(problem(withHeader("{} trailing", 0)), "expected end of input");
    }

    @Test
    void headerThatIsNotUtf8IsRejected() throws IOException {
        byte[] b = ByteBuffer.allocate(8 + 6).order(ByteOrder.LITTLE_ENDIAN).putLong(6)
                .put(new byte[] {'{', '"', (byte) 0xFF, '"', ':', '}'}).array();
        assertContains(problem(file(b)), "header is not valid JSON: JSON error at byte 2: invalid UTF-8");
    }

    @Test
    void headerThatIsNotAnObjectIsRejected() throws IOException {
        assertEquals("header is a JSON array, expected an object", problem(withHeader("[1, 2]", 0)));
        assertEquals("header is a JSON null, expected an object", problem(withHeader("null", 0)));
    }

    // ------------------------------------------------------------------ metadata

    @Test
    void nonStringMetadataValueIsRejected() throws IOException {
        assertEquals("__metadata__ must map strings to strings, but key 'epoch' holds a JSON number",
                problem(withHeader("{\"__metadata__\":{\"format\":\"cae4j\",\"epoch\":3}}", 0)));
        assertContains(problem(withHeader("{\"__metadata__\":{\"n\":null}}", 0)), "key 'n' holds a JSON null");
        assertContains(problem(withHeader("{\"__metadata__\":{\"o\":{}}}", 0)), "key 'o' holds a JSON object");
    }

    @Test
    void metadataThatIsNotAnObjectIsRejected() throws IOException {
        assertEquals("__metadata__ is a JSON string, expected an object of strings",
                problem(withHeader("{\"__metadata__\":\"cae4j\"}", 0)));
    }

    // ------------------------------------------------------------------ tensor entries

    @Test
    void unknownDtypeIsNamedWithItsTensor() throws IOException {
        assertEquals("tensor 'enc.weight' has dtype \"I64\"; cae4j reads F32 (and converts F64, F16, BF16 to F32)",
                problem(withHeader("{" + tensor("enc.weight", "I64", "[1]", "[0,8]") + "}", 8)));
        assertContains(problem(withHeader("{" + tensor("w", "f32", "[1]", "[0,4]") + "}", 4)), "dtype \"f32\"");
        assertContains(problem(withHeader("{\"w\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}", 4)),
                "tensor 'w' has dtype 4;");
    }

    @Test
    void negativeShapeIsRejected() throws IOException {
        assertEquals("tensor 'w' has shape [2, -1]; expected a list of integers in [0, 2147483647]",
                problem(withHeader("{" + tensor("w", "F32", "[2,-1]", "[0,8]") + "}", 8)));
    }

    @Test
    void nonIntegerShapeIsRejected() throws IOException {
        assertEquals("tensor 'w' has shape [2.0]; expected a list of integers in [0, 2147483647]",
                problem(withHeader("{" + tensor("w", "F32", "[2.0]", "[0,8]") + "}", 8)));
        assertContains(problem(withHeader("{" + tensor("w", "F32", "[\"2\"]", "[0,8]") + "}", 8)), "shape [\"2\"]");
        assertContains(problem(withHeader("{" + tensor("w", "F32", "[2147483648]", "[0,8]") + "}", 8)),
                "shape [2147483648]");
        assertEquals("tensor 'w' has shape 2; expected a list of non-negative integers",
                problem(withHeader("{" + tensor("w", "F32", "2", "[0,8]") + "}", 8)));
    }

    @Test
    void shapeWhoseProductOverflowsIsRejected() throws IOException {
        String shape = "[2147483647,2147483647,2147483647]";
        assertEquals("tensor 'w' has shape [2147483647, 2147483647, 2147483647], whose size in bytes overflows 64 bits",
                problem(withHeader("{" + tensor("w", "F32", shape, "[0,4]") + "}", 4)));
        // 2^62 elements fit in a long, but not their 2^64 bytes
        assertContains(problem(withHeader("{" + tensor("w", "F32", "[2147483647,2147483647,2]", "[0,4]") + "}", 4)),
                "overflows 64 bits");
    }

    @Test
    void hugeClaimedTensorFailsOnItsOffsetsWithoutAllocating() throws IOException {
        // 500M floats would be 2 GB, beyond the test heap: reaching the offsets check proves nothing was allocated.
        assertEquals("tensor 'w' data_offsets [0, 2000000000] are outside the data buffer; expected"
                        + " 0 <= begin <= end <= 8 (the bytes after the header)",
                problem(withHeader("{" + tensor("w", "F32", "[500000000]", "[0,2000000000]") + "}", 8)));
    }

    @Test
    void offsetsOutOfRangeAreRejected() throws IOException {
        assertEquals("tensor 'w' data_offsets [4, 12] are outside the data buffer; expected"
                        + " 0 <= begin <= end <= 8 (the bytes after the header)",
                problem(withHeader("{" + tensor("w", "F32", "[2]", "[4,12]") + "}", 8)));
        assertContains(problem(withHeader("{" + tensor("w", "F32", "[1]", "[-4,0]") + "}", 8)), "[-4, 0] are outside");
        assertContains(problem(withHeader("{" + tensor("w", "F32", "[0]", "[8,4]") + "}", 8)), "[8, 4] are outside");
    }

    @Test
    void malformedOffsetsAreRejected() throws IOException {
        assertEquals("tensor 'w' has data_offsets [0]; expected [begin, end], two integers",
                problem(withHeader("{" + tensor("w", "F32", "[2]", "[0]") + "}", 8)));
        assertContains(problem(withHeader("{" + tensor("w", "F32", "[2]", "[0,8.0]") + "}", 8)), "data_offsets [0, 8.0]");
        assertContains(problem(withHeader("{" + tensor("w", "F32", "[2]", "[0,8,8]") + "}", 8)), "two integers");
        assertContains(problem(withHeader("{" + tensor("w", "F32", "[2]", "\"0-8\"") + "}", 8)), "two integers");
    }

    @Test
    void sizeAndShapeMismatchIsRejected() throws IOException {
        assertEquals("tensor 'enc.weight' data_offsets [0, 1596] hold 1596 bytes but shape [16, 1, 5, 5] of F32"
                        + " needs 1600 (400 elements of 4 bytes)",
                problem(withHeader("{" + tensor("enc.weight", "F32", "[16,1,5,5]", "[0,1596]") + "}", 1596)));
    }

    @Test
    void overlappingTensorsAreRejected() throws IOException {
        assertEquals("tensors 'a' [0, 8] and 'b' [4, 12] overlap in the data buffer",
                problem(withHeader("{" + tensor("b", "F32", "[2]", "[4,12]") + "," + tensor("a", "F32", "[2]", "[0,8]") + "}", 12)));
        // the same bytes used twice
        assertContains(problem(withHeader("{" + tensor("a", "F32", "[2]", "[0,8]") + "," + tensor("b", "F32", "[2]", "[0,8]") + "}", 8)),
                "overlap");
    }

    @Test
    void gapInTheBufferIsRejected() throws IOException {
        assertEquals("bytes [8, 12) of the data buffer belong to no tensor; expected tensors to cover it without gaps",
                problem(withHeader("{" + tensor("a", "F32", "[2]", "[0,8]") + "," + tensor("b", "F32", "[2]", "[12,20]") + "}", 20)));
        assertContains(problem(withHeader("{" + tensor("a", "F32", "[1]", "[4,8]") + "}", 8)), "bytes [0, 4) of the data buffer");
    }

    @Test
    void bytesAfterTheLastTensorAreRejected() throws IOException {
        assertEquals("bytes [8, 12) at the end of the data buffer belong to no tensor; expected the file to end at the"
                + " last tensor", problem(withHeader("{" + tensor("a", "F32", "[2]", "[0,8]") + "}", 12)));
        assertContains(problem(withHeader("{}", 4)), "bytes [0, 4) at the end");
    }

    @Test
    void missingOrUnknownFieldsAreRejected() throws IOException {
        assertEquals("tensor 'w' has no 'data_offsets'",
                problem(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4)));
        assertEquals("tensor 'w' has unknown field 'strides'; expected only dtype, shape, data_offsets",
                problem(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"strides\":[1]}}", 4)));
        assertEquals("tensor 'w' is described by a JSON array, expected an object with dtype, shape and data_offsets",
                problem(withHeader("{\"w\":[1,2]}", 0)));
    }

    @Test
    void controlCharactersInNamesCannotBreakTheMessageLine() throws IOException {
        String p = problem(withHeader("{" + tensor("evil\\nname", "I8", "[1]", "[0,1]") + "}", 1));
        assertTrue(p.startsWith("tensor 'evil\\nname' has dtype \"I8\""), p);
    }

    @Test
    void truncatedCopyOfAGoodFileIsRejected() throws IOException {
        Path good = dir.resolve("good.safetensors");
        ModelFile.write(good, Map.of("w", new Tensor(new float[] {1f, 2f, 3f}, 3)), Map.of());
        byte[] b = Files.readAllBytes(good);
        assertContains(problem(file(java.util.Arrays.copyOf(b, b.length - 1))), "are outside the data buffer");
    }
}
