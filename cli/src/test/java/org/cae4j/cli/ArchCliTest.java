package org.cae4j.cli;

import static org.cae4j.cli.CliTest.run;
import static org.cae4j.cli.CliTest.usageError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cae4j.io.Json;
import org.cae4j.model.Models;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --arch} and {@code summary --arch}: architectures described in JSON files, from the command line. */
class ArchCliTest {
    @TempDir
    static Path tmp;
    static Path data;

    /** 12×12 → 6×6 with batch norm and dropout → 12×12; declares its input and the loss bce. */
    static final String TINY = """
            {"name": "tiny", "input": "1x12x12", "loss": "bce",
             "encoder": [{"type": "conv2d", "out_channels": 4, "kernel_size": 3, "stride": 2, "padding": 1},
                         {"type": "batch_norm2d"}, {"type": "relu"}, {"type": "dropout", "p": 0.1}],
             "decoder": [{"type": "conv_transpose2d", "out_channels": 1, "kernel_size": 3, "stride": 2, "padding": 1,
                          "output_padding": 1},
                         {"type": "sigmoid"}]}""";

    @BeforeAll
    static void makeData() throws IOException {
        data = tmp.resolve("squares");
        CliTest.writeData(data, 64, 16);
    }

    static Path write(String name, String json) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, json);
        return f;
    }

    @Test
    void trainArchUsesTheFilesLossAndTheModelReloadsWithoutTheFile() throws IOException {
        Path arch = write("tiny.json", TINY), out = tmp.resolve("tiny-run");
        CliTest.Result r = run("train", "--arch", arch.toString(), "--data", data.toString(), "--epochs", "2",
                "--batch-size", "16", "--threads", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("BCELoss()"), r.out());
        assertTrue(r.out().contains("Conv2d(1->4, k=3, s=2, p=1), BatchNorm2d(4"), r.out());

        Map<String, String> meta = Models.load(out.resolve("model.safetensors")).metadata();
        assertEquals("arch", meta.get("preset"));
        assertEquals("bce", meta.get("loss"));
        assertTrue(meta.get("arch").startsWith("{\"name\":\"tiny\",\"input\":\"1x12x12\",\"loss\":\"bce\""), meta.get("arch"));
        Map<?, ?> settings = (Map<?, ?>) Json.parse(Files.readString(out.resolve(RunSettings.FILE)));
        assertEquals("arch", settings.get("preset"));
        assertEquals("bce", settings.get("loss"));
        assertEquals("tiny", ((Map<?, ?>) settings.get("arch")).get("name"));

        // the file is not needed any more: the model and the run folder hold the description
        Files.delete(arch);
        Path model = out.resolve("model.safetensors");
        CliTest.Result rec = run("reconstruct", "--model", model.toString(), "--data", data.toString(), "--out",
                tmp.resolve("tiny-rec").toString());
        assertEquals(0, rec.code(), rec.err());
        CliTest.Result sum = run("summary", "--model", model.toString());
        assertEquals(0, sum.code(), sum.err());
        assertTrue(sum.out().contains("BatchNorm2d(4") && sum.out().contains("Total params: 85"), sum.out());
        assertEquals(0, run("filters", "--model", model.toString(), "--out", tmp.resolve("f.png").toString()).code());
    }

    @Test
    void anExplicitLossWinsAndAFirstLayerWithoutFiltersSkipsFiltersPng() throws IOException {
        Path arch = write("bn-first.json", TINY.replace("\"encoder\": [", "\"encoder\": [{\"type\": \"batch_norm2d\"}, "));
        Path out = tmp.resolve("bn-first-run");
        CliTest.Result r = run("train", "--arch", arch.toString(), "--loss", "mse", "--data", data.toString(),
                "--epochs", "1", "--batch-size", "16", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("mse", Models.load(out.resolve("model.safetensors")).metadata().get("loss"));
        assertTrue(r.out().contains("reconstructions.png, activations.png, loss.png"), r.out());
        assertFalse(Files.exists(out.resolve("filters.png")));
        // an architecture without "loss" trains with mse
        Path noLoss = write("no-loss.json", TINY.replace("\"loss\": \"bce\",", ""));
        Path out2 = tmp.resolve("no-loss-run");
        assertEquals(0, run("train", "--arch", noLoss.toString(), "--data", data.toString(), "--epochs", "1",
                "--batch-size", "32", "--out", out2.toString()).code());
        assertEquals("mse", Models.load(out2.resolve("model.safetensors")).metadata().get("loss"));
    }

    @Test
    void resumeNeedsNeitherTheFileNorItsContentAndEndsWithTheSameModelBytes() throws IOException {
        Path arch = write("resume.json", TINY);
        String[] common = {"train", "--arch", arch.toString(), "--data", data.toString(), "--epochs", "3",
                "--batch-size", "16", "--threads", "2", "--checkpoint-every", "5", "--keep-checkpoints", "3"};
        Path a = tmp.resolve("arch-uninterrupted"), b = tmp.resolve("arch-interrupted");
        assertEquals(0, run(concat(common, "--out", a.toString())).code());
        assertEquals(0, run(concat(common, "--out", b.toString())).code());
        List<Path> cks = Checkpoints.list(b);
        Files.delete(cks.get(cks.size() - 1));
        Files.delete(b.resolve("model.safetensors"));
        // a changed file must not matter: run.json holds the description the run started with
        Files.writeString(arch, "{\"not\": \"an architecture\"}");
        CliTest.Result r = run("train", "--resume", b.toString(), "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("resuming from step"), r.out());
        // dropout masks and batch norm statistics continue exactly where they stopped
        assertArrayEquals(Files.readAllBytes(a.resolve("model.safetensors")), Files.readAllBytes(b.resolve("model.safetensors")),
                "model files differ");
        usageError(run("train", "--resume", b.toString(), "--arch", arch.toString()), "--arch", "cannot be changed");
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void summaryArchPrintsTheTableForTheDeclaredOrTheGivenInput() throws IOException {
        Path arch = write("summary.json", TINY);
        CliTest.Result r = run("summary", "--arch", arch.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Model: tiny, loss bce"), r.out());
        assertTrue(r.out().contains("(N, 1, 12, 12)") && r.out().contains("(N, 4, 6, 6)"), r.out());
        // conv 4·9+4, batch norm 2·4, transposed conv 4·9+1
        assertTrue(r.out().contains("Total params: 85"), r.out());
        CliTest.Result big = run("summary", "--arch", arch.toString(), "--input", "1x28x28");
        assertEquals(0, big.code(), big.err());
        assertTrue(big.out().contains("(N, 4, 14, 14)"), big.out());
        Path example = Path.of("../examples/arch/bottleneck.json");
        CliTest.Result b = run("summary", "--arch", example.toString());
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().contains("Total params: 73,877"), b.out());
    }

    @Test
    void badFilesAndConflictingOptionsAreOneLineUsageErrors() throws IOException {
        String d = data.toString();
        usageError(run("train", "--arch", write("type.json", TINY.replace("\"relu\"", "\"rectifier\"")).toString(), "--data", d),
                "type.json: encoder layer 2: unknown type \"rectifier\"", "types: conv2d");
        usageError(run("train", "--arch", write("key.json", TINY.replace("\"p\": 0.1", "\"rate\": 0.1")).toString(), "--data", d),
                "key.json: encoder layer 3 (dropout): unknown key \"rate\" (dropout takes p)");
        usageError(run("summary", "--arch", write("value.json", TINY.replace("\"out_channels\": 4", "\"out_channels\": \"4\""))
                .toString()), "value.json: encoder layer 0 (conv2d): \"out_channels\" must be an integer", "got \"4\" (a string)");
        Path noRun = tmp.resolve("no-run");
        usageError(run("train", "--arch", write("shape.json", TINY.replace("\"output_padding\": 1", "\"output_padding\": 0"))
                .toString(), "--data", d, "--out", noRun.toString()),
                "shape.json: decoder output (1, 11, 11) does not match the input (1, 12, 12)");
        assertFalse(Files.exists(noRun), "refused before the run folder is made");
        usageError(run("summary", "--arch", write("json.json", "{\"encoder\": [").toString()), "json.json: JSON error at byte");
        usageError(run("train", "--arch", tmp.resolve("missing.json").toString(), "--data", d), "missing.json: no such file");
        usageError(run("train", "--arch", write("in28.json", TINY.replace("1x12x12", "1x28x28")).toString(), "--data", d),
                "in28.json declares input 1x28x28, but the images of", "are 1x12x12");
        Path ok = write("ok.json", TINY);
        usageError(run("train", "--arch", ok.toString(), "--preset", "keras", "--data", d), "--arch and --preset are mutually exclusive");
        usageError(run("train", "--arch", ok.toString(), "--kernel", "3", "--data", d), "--kernel applies to the seed and stacked presets, not --arch");
        usageError(run("train", "--arch", ok.toString(), "--code", "3", "--data", d), "--code applies to the bottleneck preset, not --arch");
        usageError(run("summary", "--arch", ok.toString(), "--model", "m.safetensors"), "--arch and --model are mutually exclusive");
        usageError(run("summary", "--arch", ok.toString(), "--input", "12x12"), "invalid value for --input");
    }
}
