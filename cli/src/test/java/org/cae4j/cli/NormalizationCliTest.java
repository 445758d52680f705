package org.cae4j.cli;

import static org.cae4j.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cae4j.data.Datasets;
import org.cae4j.data.Normalization;
import org.cae4j.io.Json;
import org.cae4j.model.Models;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --normalize end to end: train stores the normalization in the model and run.json, resume keeps it, and the
 * commands that feed data to the model apply it; the seed decoder's output follows it; impossible outputs warn.
 */
class NormalizationCliTest {
    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void makeData() throws IOException {
        data = tmp.resolve("squares");
        CliTest.writeData(data, 64, 16);
    }

    private static String[] train(Path out, String... extra) {
        return CliTest.concat(new String[] {"train", "--data", data.toString(), "--epochs", "2", "--batch-size", "16",
                "--filters", "2", "--kernel", "3", "--lr", "1e-2", "--threads", "2", "--checkpoint-every", "3",
                "--keep-checkpoints", "3", "--out", out.toString()}, extra);
    }

    private static double number(String text, String regex) {
        return Double.parseDouble(text.replaceAll("(?s).*" + regex + ".*", "$1"));
    }

    @Test
    void symmetricIsStoredPicksTanhAndReconstructMeasuresInTheLossSpace() throws IOException {
        Path out = tmp.resolve("symmetric");
        CliTest.Result r = run(train(out, "--normalize", "symmetric"));
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err().strip(), "tanh reaches [-1, 1]: no warning");
        assertTrue(r.out().contains("decoder output tanh, to match --normalize symmetric (--decoder-activation chooses another)"), r.out());
        assertTrue(r.out().contains("normalised [-1, 1]"), r.out());
        Models.Loaded m = Models.load(out.resolve("model.safetensors"));
        assertEquals(Normalization.symmetric(), m.normalization());
        assertEquals("tanh", m.metadata().get("decoder_activation"));
        Map<?, ?> settings = (Map<?, ?>) Json.parse(Files.readAllBytes(out.resolve("run.json")));
        assertEquals("symmetric", settings.get("normalize"));
        assertEquals("tanh", settings.get("decoder_activation"));

        double testMse = Double.parseDouble(m.metadata().get("test_mse"));
        CliTest.Result rec = run("reconstruct", "--model", out.resolve("model.safetensors").toString(), "--data", data.toString(),
                "--out", tmp.resolve("rec-symmetric").toString());
        assertEquals(0, rec.code(), rec.err());
        assertTrue(rec.out().contains("per pixel (on inputs normalised [-1, 1], the loss's space) over 16 images"), rec.out());
        assertEquals(testMse, number(rec.out(), "MSE ([0-9.]+) per pixel"), 1e-6 + 1e-4 * testMse, "the test MSE of training");

        CliTest.Result score = run("score", "--model", out.resolve("model.safetensors").toString(), "--data", data.toString(),
                "--ssim-window", "uniform", "--out", tmp.resolve("score-symmetric").toString());
        assertEquals(0, score.code(), score.err());
        assertEquals(testMse, number(score.out(), "mse mean ([0-9.e-]+) \\("), 1e-6 + 1e-4 * testMse, score.out());
        for (String cmd : new String[] {"activations", "latent"}) {
            CliTest.Result a = run(cmd, "--model", out.resolve("model.safetensors").toString(), "--data", data.toString(),
                    "--out", tmp.resolve(cmd + ".png").toString());
            assertEquals(0, a.code(), a.err());
        }
    }

    @Test
    void meanStdIsComputedOnTheTrainingImagesAndKeptOnResume() throws IOException {
        Path a = tmp.resolve("mean-std"), b = tmp.resolve("mean-std-interrupted");
        CliTest.Result r = run(train(a, "--normalize", "mean-std"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("decoder output identity, to match --normalize mean-std"), r.out());
        Normalization expected = Normalization.meanStd(Datasets.load(data).train());
        Models.Loaded m = Models.load(a.resolve("model.safetensors"));
        assertEquals(expected, m.normalization());
        assertEquals("identity", m.metadata().get("decoder_activation"));
        Map<?, ?> settings = (Map<?, ?>) Json.parse(Files.readAllBytes(a.resolve("run.json")));
        assertEquals(List.of((double) expected.mean(0)), settings.get("mean"));
        assertEquals(List.of((double) expected.std(0)), settings.get("std"));

        assertEquals(0, run(train(b, "--normalize", "mean-std")).code());
        List<Path> cks = Checkpoints.list(b);
        Files.delete(cks.get(cks.size() - 1));
        Files.delete(b.resolve("model.safetensors"));
        CliTest.Result resumed = run("train", "--resume", b.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertArrayEquals(Files.readAllBytes(a.resolve("model.safetensors")), Files.readAllBytes(b.resolve("model.safetensors")),
                "resumed with the stored mean and std: the same model bytes");
    }

    @Test
    void explicitMeanAndStdAreStored() throws IOException {
        Path out = tmp.resolve("given");
        CliTest.Result r = run(train(out, "--mean", "0.25", "--std", "0.5", "--decoder-activation", "identity"));
        assertEquals(0, r.code(), r.err());
        assertEquals(Normalization.meanStd(new float[] {0.25f}, new float[] {0.5f}),
                Models.load(out.resolve("model.safetensors")).normalization());
        assertTrue(!r.out().contains("decoder output"), "chosen with --decoder-activation: no note");
    }

    @Test
    void anOutputThatCannotReachTheInputsWarnsInOneLine() {
        CliTest.Result r = run(train(tmp.resolve("sigmoid"), "--normalize", "symmetric", "--decoder-activation", "sigmoid"));
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("warning: the decoder ends with sigmoid, whose outputs lie in [0, 1], but inputs normalised by "
                + "--normalize symmetric lie in [-1, 1], so the reconstructions cannot match them; choose --decoder-activation "
                + "tanh or identity"), r.errLines());
        r = run("train", "--data", data.toString(), "--preset", "dense", "--epochs", "1", "--batch-size", "16",
                "--normalize", "mean-std", "--out", tmp.resolve("dense").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().matches("warning: the decoder ends with sigmoid, whose outputs lie in \\[0, 1\\], but inputs normalised by "
                + "--normalize mean-std lie in \\[-[0-9.]+, [0-9.]+\\], so the reconstructions cannot match them; the dense preset's "
                + "output is fixed; use --arch \\(examples/arch/ has the presets\\) with a decoder that ends with identity\\s*"), r.err());
    }

    @Test
    void anomalyBenchmarkNormalisesEachClassLikeTrain() {
        CliTest.Result r = run("anomaly-benchmark", "--data", data.toString(), "--preset", "seed", "--epochs", "1",
                "--batch-size", "8", "--classes", "0,1", "--ssim-window", "none", "--normalize", "symmetric",
                "--out", tmp.resolve("bench").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("inputs normalised [-1, 1]"), r.out());
    }
}
