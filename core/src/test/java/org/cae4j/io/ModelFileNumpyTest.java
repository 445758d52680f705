package org.cae4j.io;

import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A file written by {@link ModelFile} loads in Python with numpy alone, via {@code scripts/load_model_numpy.py}. */
class ModelFileNumpyTest {
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    private record Run(int exitCode, String stdout, String stderr) {}

    private static Run run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        // Read both streams fully before waiting, so a chatty child cannot block on a full pipe.
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(could not read stderr: " + e + ")";
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(command + " did not finish within 60 s");
        }
        return new Run(p.exitValue(), out, err.join());
    }

    private static boolean numpyAvailable() {
        if (!Files.isExecutable(Path.of(PYTHON))) return false;
        try {
            return run(List.of(PYTHON, "-c", "import numpy")).exitCode == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The script, found by walking up from the working directory (Maven runs tests in core/). */
    private static Path script() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("scripts/load_model_numpy.py");
            if (Files.isRegularFile(candidate)) return candidate;
        }
        throw new IllegalStateException("scripts/load_model_numpy.py not found above " + Path.of("").toAbsolutePath());
    }

    private static long crc32(float[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        CRC32 crc = new CRC32();
        crc.update(b);
        return crc.getValue();
    }

    @Test
    void numpyScriptReadsTheSameTensorsAndMetadata() throws IOException, InterruptedException {
        assumeTrue(numpyAvailable(), PYTHON + " with numpy is not available");

        Random rng = new Random(42);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (String name : List.of("enc.weight", "dec.weight")) {
            float[] w = new float[16 * 1 * 5 * 5];
            for (int k = 0; k < w.length; k++) w[k] = (float) rng.nextGaussian();
            tensors.put(name, new Tensor(w, 16, 1, 5, 5));
        }
        float[] b = new float[16];
        for (int k = 0; k < b.length; k++) b[k] = k - 7.25f;
        tensors.put("enc.bias", new Tensor(b, 16));
        tensors.put("scalar", new Tensor(new float[] {-3.5f}));
        tensors.put("empty", new Tensor(new float[0], 0));
        tensors.put("name with\ttab and \u00e9", new Tensor(new float[] {1e-30f, 1e30f, -0.0f}, 3, 1));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "cae4j");
        metadata.put("architecture", Json.write(Map.of("type", "CAE", "filters", 16L)));
        metadata.put("note", "caf\u00e9 \ud83d\ude00\nsecond line");

        Path file = dir.resolve("model.safetensors");
        ModelFile.write(file, tensors, metadata);
        Run r = run(List.of(PYTHON, script().toString(), file.toString()));
        assertEquals(0, r.exitCode, () -> "script failed:\n" + r.stderr);

        List<String> seenTensors = new ArrayList<>();
        Map<String, String> seenMetadata = new LinkedHashMap<>();
        for (String line : r.stdout.split("\n")) {
            String[] f = line.split("\t");
            switch (f[0]) {
                case "tensor" -> {
                    String name = (String) Json.parse(f[1]);
                    Tensor t = tensors.get(name);
                    assertTrue(t != null, () -> "script printed unknown tensor " + f[1]);
                    seenTensors.add(name);
                    List<Long> javaShape = new ArrayList<>();
                    for (int d : t.shape()) javaShape.add((long) d);
                    assertEquals(javaShape, Json.parse(f[2]), name);
                    assertEquals("float32", f[3], name);

                    double javaSum = 0, absSum = 0;
                    for (float x : t.data) {
                        javaSum += x;
                        absSum += Math.abs(x);
                    }
                    double pySum = Double.parseDouble(f[4].substring("sum=".length()));
                    // numpy sums pairwise, Java sequentially: they agree to rounding of the absolute sum.
                    assertEquals(javaSum, pySum, 1e-12 * absSum, name + " sum");
                    assertEquals(String.format("crc32=%08x", crc32(t.data)), f[5], name + " crc32");
                }
                case "metadata" -> seenMetadata.put((String) Json.parse(f[1]), (String) Json.parse(f[2]));
                default -> fail("unexpected script output line: " + line);
            }
        }
        assertEquals(new ArrayList<>(tensors.keySet()), seenTensors);
        assertEquals(new ArrayList<>(metadata.entrySet()), new ArrayList<>(seenMetadata.entrySet()));
    }
}
