package org.cae4j.cli;

import static org.cae4j.cli.CliTest.run;
import static org.cae4j.cli.CliTest.usageError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cae4j.model.Models;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --preset stacked} end to end on tiny data, its options and their mistakes. */
class StackedCliTest {
    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void makeData() throws IOException {
        data = tmp.resolve("squares");
        CliTest.writeData(data, 320, 80);   // 12x12: two pooled layers take it to 3x3
    }

    /** {@code train --preset stacked --filters F} on the squares, one epoch, with {@code extra} options. */
    private static String[] train(Path out, String filters, String... extra) {
        return CliTest.concat(new String[] {"train", "--preset", "stacked", "--data", data.toString(), "--filters", filters,
            "--kernel", "3", "--epochs", "1", "--batch-size", "32", "--lr", "1e-2", "--threads", "2", "--out", out.toString()}, extra);
    }

    @Test
    void stackedPretrainsEachLayerThenFineTunesAndWritesWhatEveryRunWrites() throws IOException {
        Path out = tmp.resolve("run");
        CliTest.Result r = run(train(out, "4,3", "--pretrain-epochs", "2"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("pretraining layer 1/2: Sequential(Conv2d(1->4, k=3, s=1, p=same), Tanh(), MaxPool2d"), r.out());
        assertTrue(r.out().contains("pretraining layer 2/2: Sequential(Conv2d(4->3, k=3, s=1, p=same)"), r.out());
        assertTrue(r.out().contains("reconstructs the maps [4, 6, 6] of encoder 1"), r.out());
        assertTrue(r.out().contains("fine-tuning the whole stack end to end"), r.out());
        for (String f : new String[] {"model.safetensors", "metrics.csv", "reconstructions.png", "filters.png",
            "activations.png", "loss.png", "latent.png", "report.html", "run.json"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals("epoch,train_loss,test_mse,seconds,images_per_second,phase", csv.get(0));
        assertEquals(6, csv.size(), csv.toString());
        String[] phases = {"pretrain-1", "pretrain-1", "pretrain-2", "pretrain-2", "finetune"};
        int[] epochs = {1, 2, 1, 2, 1};
        for (int i = 0; i < 5; i++) {
            String[] f = csv.get(i + 1).split(",");
            assertEquals(phases[i], f[5], csv.toString());
            assertEquals(epochs[i], Integer.parseInt(f[0]), csv.toString());
        }
        for (int first : new int[] {1, 3}) {
            double a = Double.parseDouble(csv.get(first).split(",")[1]), b = Double.parseDouble(csv.get(first + 1).split(",")[1]);
            assertTrue(b < a, "each layer's training loss should fall: " + csv);
        }

        Map<String, String> meta = Models.load(out.resolve("model.safetensors")).metadata();
        assertEquals("stacked", meta.get("preset"));
        assertEquals("4,3", meta.get("filters"));
        assertEquals("max", meta.get("pooling"));
        assertEquals("2", meta.get("pretrain_epochs"));
        double testMse = Double.parseDouble(csv.get(5).split(",")[2]);
        assertEquals(testMse, Double.parseDouble(meta.get("test_mse")), 1e-6 * testMse);

        // the model file serves the other commands
        Path m = out.resolve("model.safetensors");
        CliTest.Result rec = run("reconstruct", "--model", m.toString(), "--data", data.toString(), "--out", tmp.resolve("rec").toString());
        assertEquals(0, rec.code(), rec.err());
        String mse = rec.out().replaceAll("(?s).*MSE ([0-9.]+) per pixel.*", "$1");
        assertEquals(testMse, Double.parseDouble(mse), 1e-6 + 1e-4 * testMse, rec.out());
        CliTest.Result sum = run("summary", "--model", m.toString());
        assertTrue(sum.out().contains("(N, 3, 3, 3)") && sum.out().contains("Total params: 300"), sum.out());
        assertEquals(0, run("encode", "--model", m.toString(), "--data", data.toString(), "--out", tmp.resolve("f.npy").toString()).code());
        assertEquals(0, run("filters", "--model", m.toString(), "--out", tmp.resolve("f.png").toString()).code());
        assertEquals(0, run("info", m.toString()).code());

        // the same seed and threads give the same model, byte for byte
        Path again = tmp.resolve("again");
        assertEquals(0, run(train(again, "4,3", "--pretrain-epochs", "2")).code());
        assertArrayEquals(Files.readAllBytes(m), Files.readAllBytes(again.resolve("model.safetensors")));

        usageError(run("train", "--resume", out.toString()), "--resume does not support stacked runs", "start the run again");
    }

    @Test
    void withoutOptionsTheStackIs16And8MapsPooledWithOnePretrainingEpochPerLayer() throws IOException {
        Path out = tmp.resolve("defaults");
        CliTest.Result r = run("train", "--preset", "stacked", "--data", data.toString(), "--epochs", "1", "--threads", "2",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, String> meta = Models.load(out.resolve("model.safetensors")).metadata();
        assertEquals("16,8", meta.get("filters"));
        assertEquals("5", meta.get("kernel"));
        assertEquals("max", meta.get("pooling"));
        assertEquals("1", meta.get("pretrain_epochs"));
        assertEquals(4, Files.readAllLines(out.resolve("metrics.csv")).size());
    }

    @Test
    void summaryShowsTheStack() {
        CliTest.Result r = run("summary", "--preset", "stacked");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Total params: 7,241") && r.out().contains("(N, 8, 7, 7)"), r.out());
        assertTrue(run("summary", "--preset", "stacked", "--filters", "8", "--pooling", "none").out()
                .contains("(N, 8, 28, 28)"));
        usageError(run("summary", "--preset", "stacked", "--filters", "8,8,8"), "divisible by 8", "28x28");
        usageError(run("summary", "--preset", "stacked", "--pooling", "avg"), "--pooling", "avg");
    }

    @Test
    void badValuesAreOneLineUsageErrors() {
        usageError(run(train(tmp.resolve("x1"), "4,0")), "--filters", "0");
        usageError(run(train(tmp.resolve("x2"), "4,x")), "--filters", "'x' is not an int");
        usageError(run(train(tmp.resolve("x3"), "4,3", "--pretrain-epochs", "0")), "--pretrain-epochs", "0");
        usageError(run(train(tmp.resolve("x4"), "4,3", "--pooling", "avg")), "--pooling", "avg", "max or none");
        usageError(run(train(tmp.resolve("x5"), "4,4,4")), "3 max-pooled layers", "divisible by 8", "12x12");
        usageError(run(train(tmp.resolve("x6"), "4,3", "--noise", "gaussian")), "--noise", "stacked");
        usageError(run(train(tmp.resolve("x7"), "4,3", "--stride", "2")), "--stride applies to the seed preset, not stacked");
        usageError(run("train", "--filters", "16,8"), "--filters", "[16, 8]", "stacked preset");
        usageError(run("train", "--pretrain-epochs", "2"), "--pretrain-epochs applies to the stacked preset, not seed");
        usageError(run("train", "--preset", "keras", "--pooling", "none"), "--pooling", "keras");
    }
}
