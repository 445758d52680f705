package org.cae4j.io;

import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writing and reading well-formed files; {@link ModelFileCorruptionTest} covers malformed ones. */
class ModelFileTest {

    @TempDir
    Path dir;

    private static Tensor random(Random rng, int... shape) {
        float[] data = new float[Math.toIntExact(Tensor.numel(shape))];
        for (int k = 0; k < data.length; k++) data[k] = (float) rng.nextGaussian();
        return new Tensor(data, shape);
    }

    private static int[] bits(float[] data) {
        int[] b = new int[data.length];
        for (int k = 0; k < data.length; k++) b[k] = Float.floatToRawIntBits(data[k]);
        return b;
    }

    private List<String> dirListing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void roundTripKeepsEveryTensorBitMetadataAndOrder() {
        Random rng = new Random(7);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("enc.weight", random(rng, 16, 1, 5, 5));
        tensors.put("scalar", new Tensor(new float[] {3.5f}));                          // 0-d, shape []
        tensors.put("empty", new Tensor(new float[0], 0));                               // shape [0]
        tensors.put("enc.bias", random(rng, 16));
        tensors.put("hollow", new Tensor(new float[0], 2, 0, 3));                        // zero inside the shape
        tensors.put("special", new Tensor(new float[] {-0.0f, Float.intBitsToFloat(0x7fc01234), Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE, -1e-40f}, 7));
        tensors.put("a name with spaces, \"quotes\" and \u00e9", random(rng, 3, 2));
        tensors.put("dec.weight", random(rng, 16, 1, 5, 5));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "cae4j");
        metadata.put("architecture", Json.write(Map.of("type", "CAE", "filters", 16L)));
        metadata.put("note", "line one\nline two \"quoted\" \ud83d\ude00");
        metadata.put("empty", "");

        Path file = dir.resolve("model.safetensors");
        ModelFile.write(file, tensors, metadata);
        ModelFile.Loaded loaded = ModelFile.read(file);

        assertEquals(new ArrayList<>(tensors.keySet()), new ArrayList<>(loaded.tensors().keySet()));
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor got = loaded.tensors().get(e.getKey());
            assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey());
            assertArrayEquals(bits(e.getValue().data), bits(got.data), e.getKey());
        }
        assertEquals(new ArrayList<>(metadata.entrySet()), new ArrayList<>(loaded.metadata().entrySet()));
    }

    @Test
    void tinyFileHasTheHandCheckedByteLayout() throws IOException {
        Path file = dir.resolve("tiny.safetensors");
        ModelFile.write(file, Map.of("a", new Tensor(new float[] {1.0f, -2.0f}, 2)), Map.of());
        byte[] b = Files.readAllBytes(file);

        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";   // 54 bytes
        // 54 bytes of JSON padded with 2 spaces to N = 56, so the data starts at 8 + 56 = 64, a multiple of 8.
        assertEquals(8 + 56 + 8, b.length);
        assertArrayEquals(new byte[] {56, 0, 0, 0, 0, 0, 0, 0}, Arrays.copyOfRange(b, 0, 8));
        assertEquals(json + "  ", new String(b, 8, 56, StandardCharsets.UTF_8));
        // 1.0f = 0x3F800000 and -2.0f = 0xC0000000, little-endian
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3F, 0, 0, 0, (byte) 0xC0}, Arrays.copyOfRange(b, 64, 72));
    }

    @Test
    void metadataComesFirstInTheHeaderAndPaddingKeepsAlignment() throws IOException {
        Path file = dir.resolve("meta.safetensors");
        ModelFile.write(file, Map.of("a", new Tensor(new float[] {1.0f, -2.0f}, 2)), Map.of("k", "v"));
        byte[] b = Files.readAllBytes(file);
        String json = "{\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertEquals(79, json.length());
        long n = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(80, n);
        assertEquals(json + " ", new String(b, 8, 80, StandardCharsets.UTF_8));
        assertEquals(8 + 80 + 8, b.length);
    }

    @Test
    void everyWrittenFileStartsItsDataAtAMultipleOf8() throws IOException {
        for (int nameLength = 1; nameLength <= 16; nameLength++) {
            Path file = dir.resolve("align.safetensors");
            ModelFile.write(file, Map.of("x".repeat(nameLength), new Tensor(new float[3], 3)), Map.of());
            byte[] b = Files.readAllBytes(file);
            long n = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(0, (8 + n) % 8, "name length " + nameLength);
            assertEquals(8 + n + 12, b.length);
        }
    }

    @Test
    void fileWithNoTensorsRoundTrips() {
        Path file = dir.resolve("none.safetensors");
        ModelFile.write(file, Map.of(), Map.of());
        ModelFile.Loaded loaded = ModelFile.read(file);
        assertEquals(Map.of(), loaded.tensors());
        assertEquals(Map.of(), loaded.metadata());
    }

    @Test
    void largeTensorSpanningManyChunksRoundTrips() {
        Tensor big = random(new Random(1), 3, 100_003);   // not a multiple of the 16384-float chunk
        Path file = dir.resolve("big.safetensors");
        ModelFile.write(file, Map.of("big", big), Map.of());
        assertArrayEquals(big.data, ModelFile.read(file).tensors().get("big").data);
    }

    @Test
    void relativePathIsWritable() throws IOException {
        // The temp file goes beside the target, found through the absolute path.
        Path file = dir.resolve("rel.safetensors");
        Path relative = Path.of("").toAbsolutePath().relativize(file);
        ModelFile.write(relative, Map.of("a", new Tensor(new float[] {1f}, 1)), Map.of());
        assertEquals(List.of("rel.safetensors"), dirListing());
    }

    // ------------------------------------------------------------------ atomic replacement

    @Test
    void writeReplacesAnExistingFileAndLeavesNoTempFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        ModelFile.write(file, Map.of("w", new Tensor(new float[] {1f, 2f}, 2)), Map.of("v", "1"));
        ModelFile.write(file, Map.of("w", new Tensor(new float[] {3f, 4f, 5f}, 3)), Map.of("v", "2"));
        ModelFile.Loaded loaded = ModelFile.read(file);
        assertArrayEquals(new float[] {3f, 4f, 5f}, loaded.tensors().get("w").data);
        assertEquals(Map.of("v", "2"), loaded.metadata());
        assertEquals(List.of("model.safetensors"), dirListing());
    }

    @Test
    void writeFailingMidwayKeepsTheOldFileAndRemovesTheTempFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        ModelFile.write(file, Map.of("w", new Tensor(new float[] {1f, 2f}, 2)), Map.of("v", "old"));
        byte[] before = Files.readAllBytes(file);

        // An interrupted thread makes the first FileChannel write fail with ClosedByInterruptException,
        // after the temp file has been created: a real I/O failure in the middle of writing.
        Thread.currentThread().interrupt();
        UncheckedIOException e;
        try {
            e = assertThrows(UncheckedIOException.class, () -> ModelFile.write(file,
                    Map.of("w", new Tensor(new float[100_000], 100_000)), Map.of("v", "new")));
        } finally {
            Thread.interrupted();
        }
        assertInstanceOf(ClosedByInterruptException.class, e.getCause());
        assertTrue(e.getMessage().startsWith("model.safetensors: could not write model file"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of("model.safetensors"), dirListing());
    }

    @Test
    void writeUnderARegularFileFailsAndCreatesNothing() throws IOException {
        Path notADirectory = dir.resolve("not-a-directory");
        Files.writeString(notADirectory, "keep me");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> ModelFile.write(
                notADirectory.resolve("model.safetensors"), Map.of("w", new Tensor(new float[] {1f}, 1)), Map.of()));
        assertTrue(e.getMessage().startsWith("model.safetensors: could not write model file"), e.getMessage());
        assertEquals("keep me", Files.readString(notADirectory));
        assertEquals(List.of("not-a-directory"), dirListing());
    }

    @Test
    void invalidArgumentsFailBeforeTheFileIsTouched() throws IOException {
        Path file = dir.resolve("model.safetensors");
        ModelFile.write(file, Map.of("w", new Tensor(new float[] {1f}, 1)), Map.of());
        byte[] before = Files.readAllBytes(file);

        Map<String, Tensor> nullTensor = new LinkedHashMap<>();
        nullTensor.put("ok", new Tensor(new float[] {2f}, 1));
        nullTensor.put("missing", null);
        assertEquals("tensor 'missing' is null",
                assertThrows(IllegalArgumentException.class, () -> ModelFile.write(file, nullTensor, Map.of())).getMessage());

        Map<String, Tensor> reserved = Map.of("__metadata__", new Tensor(new float[] {2f}, 1));
        assertEquals("tensor name \"__metadata__\" is reserved for metadata",
                assertThrows(IllegalArgumentException.class, () -> ModelFile.write(file, reserved, Map.of())).getMessage());

        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("epoch", null);
        assertEquals("metadata must map strings to strings, got epoch -> null",
                assertThrows(IllegalArgumentException.class, () -> ModelFile.write(file, Map.of(), nullValue)).getMessage());

        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of("model.safetensors"), dirListing());
    }

    // ------------------------------------------------------------------ files from other writers

    /** Builds a file from a header and a data buffer, without padding, as another writer might. */
    private Path rawFile(String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Path file = dir.resolve("other.safetensors");
        Files.write(file, b.array());
        return file;
    }

    @Test
    void unpaddedHeaderAndOffsetsOutOfNameOrderAreRead() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        data.putFloat(1f).putFloat(2f).putFloat(3f);
        Path file = rawFile("{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]},"
                + "\"a\":{\"shape\":[2],\"data_offsets\":[0,8],\"dtype\":\"F32\"}}", data.array());
        ModelFile.Loaded loaded = ModelFile.read(file);
        assertEquals(List.of("b", "a"), new ArrayList<>(loaded.tensors().keySet()));
        assertArrayEquals(new float[] {3f}, loaded.tensors().get("b").data);
        assertArrayEquals(new float[] {1f, 2f}, loaded.tensors().get("a").data);
    }

    @Test
    void otherFloatTypesAreConvertedToFloat32() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(16 + 8 + 4).order(ByteOrder.LITTLE_ENDIAN);
        data.putDouble(1.5).putDouble(-0.1);
        // binary16: 0x3C00 = 1, 0xC000 = -2, 0x0001 = 2^-24 (smallest subnormal), 0x7C00 = +inf
        data.putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x0001).putShort((short) 0x7C00);
        // bfloat16: the top half of a float32: 0x3F80 = 1, 0xC0A0 = -5
        data.putShort((short) 0x3F80).putShort((short) 0xC0A0);
        Path file = rawFile("{\"d\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[16,24]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[24,28]}}", data.array());
        Map<String, Tensor> t = ModelFile.read(file).tensors();
        assertArrayEquals(new float[] {1.5f, -0.1f}, t.get("d").data);
        assertArrayEquals(new float[] {1f, -2f, 0x1p-24f, Float.POSITIVE_INFINITY}, t.get("h").data);
        assertArrayEquals(new int[] {2, 2}, t.get("h").shape());
        assertArrayEquals(new float[] {1f, -5f}, t.get("b").data);
    }

    @Test
    void halfToFloatMatchesHandValues() {
        assertEquals(0.0f, ModelFile.halfToFloat((short) 0x0000));
        assertEquals(-0.0f, ModelFile.halfToFloat((short) 0x8000));
        assertEquals(65504f, ModelFile.halfToFloat((short) 0x7BFF));                 // largest finite
        assertEquals(0x1p-14f, ModelFile.halfToFloat((short) 0x0400));               // smallest normal
        assertEquals(0x3FFp-24f, ModelFile.halfToFloat((short) 0x03FF));             // largest subnormal
        assertEquals(-0.333251953125f, ModelFile.halfToFloat((short) 0xB555));
        assertEquals(Float.NEGATIVE_INFINITY, ModelFile.halfToFloat((short) 0xFC00));
        assertTrue(Float.isNaN(ModelFile.halfToFloat((short) 0x7E00)));
    }
}
