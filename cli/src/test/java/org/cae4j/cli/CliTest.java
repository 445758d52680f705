package org.cae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cae4j.model.Models;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user runs it: exit codes, files written, and one-line errors for bad input. */
class CliTest {
    @TempDir
    static Path tmp;
    static Path data;

    record Result(int code, String out, String err) {
        List<String> errLines() { return err.lines().toList(); }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** IDX bytes: magic 0x000008DD, dims big-endian, payload. */
    static byte[] idx(int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
        b.putInt(0x0800 | dims.length);
        for (int d : dims) b.putInt(d);
        return b.put(payload).array();
    }

    /** A tiny 12×12 data set: bright squares at varying places, 160 train and 40 test images. */
    static void writeData(Path dir, int train, int test) throws IOException {
        Files.createDirectories(dir);
        for (String split : new String[] {"train", "t10k"}) {
            int n = split.equals("train") ? train : test;
            byte[] px = new byte[n * 144], lab = new byte[n];
            for (int i = 0; i < n; i++) {
                int r = i % 7, c = (i / 7) % 7;
                for (int y = r; y < r + 5; y++) for (int x = c; x < c + 5; x++) px[i * 144 + y * 12 + x] = (byte) 200;
                lab[i] = (byte) (i % 10);
            }
            Files.write(dir.resolve(split + "-images-idx3-ubyte"), idx(new int[] {n, 12, 12}, px));
            Files.write(dir.resolve(split + "-labels-idx1-ubyte"), idx(new int[] {n}, lab));
        }
    }

    @BeforeAll
    static void makeData() throws IOException {
        data = tmp.resolve("squares");
        writeData(data, 160, 40);
    }

    @Test
    void trainWritesModelMetricsAndPicturesAndReconstructAgreesOnTheMse() throws IOException {
        Path out = tmp.resolve("run");
        Result r = run("train", "--data", data.toString(), "--epochs", "3", "--batch-size", "16", "--filters", "4",
                "--kernel", "3", "--lr", "1e-2", "--threads", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        for (String f : new String[] {"model.safetensors", "metrics.csv", "reconstructions.png", "filters.png",
                "activations.png", "loss.png"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        try (Stream<Path> s = Files.list(out)) {
            // the eight outputs, run.json and the last two checkpoints; no temporary files
            assertEquals(List.of("activations.png", "checkpoint-0000000020.safetensors", "checkpoint-0000000030.safetensors",
                    "filters.png", "latent.png", "loss.png", "metrics.csv", "model.safetensors", "reconstructions.png",
                    "report.html", "run.json"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals("epoch,train_loss,test_mse,seconds,images_per_second", csv.get(0));
        assertEquals(4, csv.size());
        double first = Double.parseDouble(csv.get(1).split(",")[1]), last = Double.parseDouble(csv.get(3).split(",")[1]);
        assertTrue(last < first, "train loss should fall: " + csv);
        double testMse = Double.parseDouble(csv.get(3).split(",")[2]);

        Models.Loaded m = Models.load(out.resolve("model.safetensors"));
        assertEquals("1x12x12", m.metadata().get("input"));
        assertEquals("4", m.metadata().get("filters"));

        Result rec = run("reconstruct", "--model", out.resolve("model.safetensors").toString(), "--data", data.toString(),
                "--out", tmp.resolve("rec").toString());
        assertEquals(0, rec.code(), rec.err());
        assertTrue(Files.size(tmp.resolve("rec/reconstructions.png")) > 0);
        String mse = rec.out().replaceAll("(?s).*MSE ([0-9.]+) per pixel.*", "$1");
        assertEquals(testMse, Double.parseDouble(mse), 1e-6 + 1e-4 * testMse, rec.out());
    }

    @Test
    void resumeFromAnEarlierCheckpointEndsWithTheSameModelBytes() throws IOException {
        String[] common = {"train", "--data", data.toString(), "--epochs", "3", "--batch-size", "16", "--filters", "3",
                "--kernel", "3", "--lr", "1e-2", "--threads", "2", "--checkpoint-every", "7", "--keep-checkpoints", "3"};
        Path a = tmp.resolve("uninterrupted"), b = tmp.resolve("interrupted");
        assertEquals(0, run(concat(common, "--out", a.toString())).code());
        assertEquals(0, run(concat(common, "--out", b.toString())).code());
        List<Path> cks = Checkpoints.list(b);
        assertEquals(3, cks.size(), cks.toString());
        // as if the process had died after the second newest checkpoint (30 steps = 3 epochs of 10; 28 = 4·7)
        Files.delete(cks.get(2));
        Files.delete(b.resolve("model.safetensors"));
        Result r = run("train", "--resume", b.toString(), "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("resuming from step 28 (epoch 3, batch 8)"), r.out());
        assertEquals(java.util.Arrays.toString(Files.readAllBytes(a.resolve("model.safetensors"))),
                java.util.Arrays.toString(Files.readAllBytes(b.resolve("model.safetensors"))), "model files differ");
        usageError(run("train", "--resume", b.toString(), "--epochs", "9"), "--epochs", "cannot be changed");
        usageError(run("train", "--resume", tmp.resolve("no-run").toString()), "no-run");
    }

    static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void infoSummaryFiltersAndActivationsDescribeATrainedModel() throws IOException {
        Path out = tmp.resolve("described");
        assertEquals(0, run("train", "--data", data.toString(), "--epochs", "1", "--batch-size", "32", "--filters", "5",
                "--kernel", "3", "--out", out.toString()).code());
        Path m = out.resolve("model.safetensors");
        Result info = run("info", m.toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("0.weight") && info.out().contains("[5, 1, 3, 3]") && info.out().contains("preset"), info.out());
        Result sum = run("summary", "--model", m.toString());
        assertEquals(0, sum.code(), sum.err());
        assertTrue(sum.out().contains("(N, 5, 14, 14)") && sum.out().contains("Total params: 96"), sum.out());
        Result seed = run("summary");
        assertTrue(seed.out().contains("Total params: 817"), seed.out());
        assertTrue(run("summary", "--preset", "bottleneck").out().contains("Total params: 73,877"));
        assertTrue(run("summary", "--preset", "keras").out().contains("Total params: 4,385"));
        assertTrue(run("summary", "--preset", "dense").out().contains("Total params: 222,384"));
        usageError(run("summary", "--preset", "keras", "--input", "1x32x32"), "decoder output", "[1, 32, 32]");
        usageError(run("summary", "--input", "28x28"), "--input", "CxHxW");
        assertEquals(0, run("filters", "--model", m.toString(), "--out", tmp.resolve("f.png").toString()).code());
        assertTrue(Files.size(tmp.resolve("f.png")) > 0);
        assertEquals(0, run("activations", "--model", m.toString(), "--data", data.toString(), "--index", "3",
                "--out", tmp.resolve("a.png").toString()).code());
        assertTrue(Files.size(tmp.resolve("a.png")) > 0);
        usageError(run("activations", "--model", m.toString(), "--data", data.toString(), "--index", "40"), "--index", "40");
        usageError(run("info", tmp.resolve("absent.safetensors").toString()), "absent.safetensors");

        // features: 40 test images, 5 maps of 14×14 pooled to 2×2 → 20 features, labels alongside
        Path npy = tmp.resolve("feat.npy"), csv = tmp.resolve("feat.csv");
        Result enc = run("encode", "--model", m.toString(), "--data", data.toString(), "--pool", "2", "--out", npy.toString());
        assertEquals(0, enc.code(), enc.err());
        byte[] b = Files.readAllBytes(npy);
        String header = new String(b, 10, b[8] & 0xff | (b[9] & 0xff) << 8, java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(header.contains("'descr': '<f4'") && header.contains("'shape': (40, 20)"), header);
        assertEquals(10 + header.length() + 40 * 20 * 4, b.length);
        byte[] lb = Files.readAllBytes(tmp.resolve("feat-labels.npy"));
        int hl = lb[8] & 0xff | (lb[9] & 0xff) << 8;
        assertTrue(new String(lb, 10, hl, java.nio.charset.StandardCharsets.US_ASCII).contains("'shape': (40,)"));
        assertEquals(0, (10 + hl) % 64, "npy data is 64-byte aligned");
        assertEquals(10 + hl + 40, lb.length);
        assertEquals(3, lb[10 + hl + 3], "label of image 3");
        assertEquals(0, run("encode", "--model", m.toString(), "--data", data.toString(), "--split", "train", "--out", csv.toString()).code());
        List<String> rows = Files.readAllLines(csv);
        assertEquals(161, rows.size());
        assertEquals(1 + 5 * 14 * 14, rows.get(1).split(",").length);
        usageError(run("encode", "--model", m.toString(), "--data", data.toString(), "--pool", "20", "--out", npy.toString()), "--pool", "20");
        usageError(run("encode", "--model", m.toString(), "--out", tmp.resolve("feat.txt").toString()), "--out", ".npy");
    }

    @Test
    void everyPresetTrainsAndWritesThePictures() throws IOException {
        // 28x28 noise images: every preset fits (bottleneck needs sides divisible by 4; keras is built for 28x28)
        Path d16 = tmp.resolve("noise28");
        Files.createDirectories(d16);
        for (String split : new String[] {"train", "t10k"}) {
            byte[] px = new byte[32 * 28 * 28];
            for (int i = 0; i < px.length; i++) px[i] = (byte) ((i * 7919) % 251);
            Files.write(d16.resolve(split + "-images-idx3-ubyte"), idx(new int[] {32, 28, 28}, px));
            Files.write(d16.resolve(split + "-labels-idx1-ubyte"), idx(new int[] {32}, new byte[32]));
        }
        String[][] runs = {{"bottleneck"}, {"keras"}, {"dense"}, {"sparse"}, {"vae-dense", "--latent", "2"}, {"vae-conv"},
            {"seed", "--noise", "gaussian"}, {"keras", "--noise", "masking", "--noise-level", "0.25"},
            {"dense", "--tied", "--noise", "salt-and-pepper"}, {"seed", "--tied"}};
        for (String[] extra : runs) {
            String p = extra[0];
            Path out = tmp.resolve("preset-" + String.join("", extra));
            String[] args = concat(new String[] {"train", "--preset", p, "--data", d16.toString(), "--epochs", "1",
                "--batch-size", "8", "--out", out.toString()}, java.util.Arrays.copyOfRange(extra, 1, extra.length));
            Result r = run(args);
            assertEquals(0, r.code(), p + ": " + r.err());
            for (String f : new String[] {"model.safetensors", "reconstructions.png", "filters.png", "activations.png", "loss.png",
                "latent.png", "report.html"}) {
                assertTrue(Files.size(out.resolve(f)) > 0, p + " " + f);
            }
            Map<String, String> meta = Models.load(out.resolve("model.safetensors")).metadata();
            assertEquals(p, meta.get("preset"));
            if (List.of(extra).contains("--noise")) assertEquals(extra[List.of(extra).indexOf("--noise") + 1], meta.get("noise"));
            if (List.of(extra).contains("--tied")) assertEquals("true", meta.get("tied"));
            if (p.startsWith("vae")) {
                assertTrue(Files.size(out.resolve("samples.png")) > 0, p);
                assertEquals(extra.length > 1, Files.exists(out.resolve("manifold.png")), p + " manifold only for a 2-d code");
                assertTrue(r.out().contains("PerSampleSum(BCELoss())"), "VAEs default to the summed BCE: " + r.out());
            }
            if (p.equals("sparse")) assertTrue(r.out().contains("mean code activation"), r.out());
        }
    }

    @Test
    void helpWorksForEveryCommand() {
        for (String[] a : new String[][] {{"--help"}, {"train", "--help"}, {"reconstruct", "--help"},
                {"summary", "--help"}, {"info", "--help"}, {"filters", "--help"}, {"activations", "--help"}, {"encode", "--help"},
                {"probe", "--help"}, {"score", "--help"}, {"anomaly-benchmark", "--help"}, {"latent", "--help"}, {"--version"}}) {
            Result r = run(a);
            assertEquals(0, r.code(), String.join(" ", a));
            assertFalse(r.out().isBlank());
        }
        assertTrue(run("train", "--help").out().contains("--batch-size"));
    }

    /** A usage error: exit code 2, exactly one line on stderr containing every expected fragment, nothing trained. */
    static void usageError(Result r, String... fragments) {
        assertEquals(2, r.code(), r.err() + r.out());
        assertEquals(1, r.errLines().size(), "one line expected, got:\n" + r.err());
        for (String f : fragments) assertTrue(r.err().contains(f), "'" + f + "' missing from: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void nonPositiveHyperParametersAreUsageErrors() {
        usageError(run("train", "--epochs", "0"), "--epochs", "0");
        usageError(run("train", "--epochs", "-3"), "--epochs", "-3");
        usageError(run("train", "--batch-size", "0"), "--batch-size");
        usageError(run("train", "--lr", "0"), "--lr", "positive");
        usageError(run("train", "--lr", "-1e-3"), "--lr");
        usageError(run("train", "--lr", "NaN"), "--lr");
        usageError(run("train", "--lr", "fast"), "--lr", "fast");
        usageError(run("train", "--filters", "-16"), "--filters");
        usageError(run("train", "--kernel", "0"), "--kernel");
        usageError(run("train", "--stride", "0"), "--stride");
        usageError(run("train", "--threads", "0"), "--threads");
        usageError(run("train", "--holdout", "1.5"), "--holdout");
        usageError(run("train", "--momentum", "-0.9"), "--momentum");
        usageError(run("train", "--preset", "resnet"), "--preset", "resnet", "seed", "dense");
        usageError(run("train", "--preset", "dense", "--filters", "8"), "--filters", "seed and stacked presets", "dense");
        usageError(run("train", "--preset", "keras", "--code", "8"), "--code", "bottleneck");
        usageError(run("train", "--hidden", "10"), "--hidden", "sparse", "seed");
        usageError(run("train", "--preset", "keras", "--tied"), "--tied", "keras");
        usageError(run("train", "--noise", "pink"), "--noise", "pink");
        usageError(run("train", "--noise-level", "0.2"), "--noise-level needs --noise");
        usageError(run("train", "--noise", "masking", "--noise-level", "1.5"), "--noise-level", "1.5");
        usageError(run("train", "--preset", "sparse", "--rho", "1.5"), "--rho", "1.5");
        usageError(run("train", "--loss", "huber"), "--loss", "huber");
        usageError(run("train", "--encoder-activation", "gelu"), "--encoder-activation", "gelu");
        usageError(run("train", "--optimizer", "lbfgs"), "--optimizer", "lbfgs");
        usageError(run("train", "--bogus"), "--bogus");
        usageError(run("frobnicate"), "frobnicate");
        usageError(run("reconstruct"), "--model");
    }

    @Test
    void badDataFilesAreUsageErrorsNamingTheFile() throws IOException {
        usageError(run("train", "--data", tmp.resolve("nowhere").toString()), "nowhere");

        Path magic = tmp.resolve("magic");
        writeData(magic, 20, 5);
        Files.copy(magic.resolve("train-labels-idx1-ubyte"), magic.resolve("train-images-idx3-ubyte"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        usageError(run("train", "--data", magic.toString()), "train-images-idx3-ubyte", "magic");

        Path trunc = tmp.resolve("trunc");
        writeData(trunc, 20, 5);
        byte[] b = Files.readAllBytes(trunc.resolve("t10k-images-idx3-ubyte"));
        Files.write(trunc.resolve("t10k-images-idx3-ubyte"), java.util.Arrays.copyOf(b, b.length - 10));
        usageError(run("train", "--data", trunc.toString()), "t10k-images-idx3-ubyte", "truncated");

        Path counts = tmp.resolve("counts");
        writeData(counts, 20, 5);
        Files.write(counts.resolve("train-labels-idx1-ubyte"), idx(new int[] {19}, new byte[19]));
        usageError(run("train", "--data", counts.toString()), "train-labels-idx1-ubyte", "20", "19");

        Path empty = tmp.resolve("empty");
        Files.createDirectories(empty);
        usageError(run("train", "--data", empty.toString()), "empty");
    }

    @Test
    void batchLargerThanTheDataAndUnwritableOutputAreUsageErrors() throws IOException {
        usageError(run("train", "--data", data.toString(), "--batch-size", "1000", "--out", tmp.resolve("big").toString()),
                "--batch-size 1000", "160");
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        usageError(run("train", "--data", data.toString(), "--out", file.resolve("sub").toString()), "not writable");
    }

    @Test
    void corruptModelsAndMismatchedDataAreUsageErrors() throws IOException {
        Path bad = Files.write(tmp.resolve("bad.safetensors"), new byte[] {1, 2, 3});
        usageError(run("reconstruct", "--model", bad.toString()), "bad.safetensors");
        Path huge = tmp.resolve("huge.safetensors");
        ByteBuffer h = ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(1L << 40);
        Files.write(huge, h.array());
        usageError(run("reconstruct", "--model", huge.toString()), "huge.safetensors", "header");
        usageError(run("reconstruct", "--model", tmp.resolve("missing.safetensors").toString()), "missing.safetensors");

        Path out = tmp.resolve("small-run");
        assertEquals(0, run("train", "--data", data.toString(), "--epochs", "1", "--batch-size", "32", "--filters", "2",
                "--kernel", "3", "--out", out.toString()).code());
        // the embedded Fashion-MNIST is 28x28, the model 12x12
        usageError(run("reconstruct", "--model", out.resolve("model.safetensors").toString(), "--out",
                tmp.resolve("r2").toString()), "28x28", "12x12");
    }
}
