package org.cae4j.cli;

import static org.cae4j.cli.CliTest.idx;
import static org.cae4j.cli.CliTest.run;
import static org.cae4j.cli.CliTest.usageError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.cae4j.io.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that use a trained model: encode --layer, probe, score, anomaly-benchmark, latent, and report.html. */
class AnalysisCliTest {
    @TempDir
    static Path tmp;
    static Path data, model, runDir;

    /**
     * 12×12 images of a bright 5×5 square whose corner is at row r and column c in {0, 1, 5, 6}, plus faint noise;
     * the label is the quadrant, (r > 3) + 2·(c > 3), so the classes are linearly separable.
     */
    static void writeQuadrants(Path dir, int train, int test) throws IOException {
        Files.createDirectories(dir);
        int[] at = {0, 1, 5, 6};
        for (String split : new String[] {"train", "t10k"}) {
            int n = split.equals("train") ? train : test;
            byte[] px = new byte[n * 144], lab = new byte[n];
            for (int i = 0; i < n; i++) {
                int r = at[i % 4], c = at[(i / 4) % 4];
                for (int k = 0; k < 144; k++) px[i * 144 + k] = (byte) ((i * 31 + k * 17) % 23);
                for (int y = r; y < r + 5; y++) for (int x = c; x < c + 5; x++) px[i * 144 + y * 12 + x] = (byte) 220;
                lab[i] = (byte) ((r > 3 ? 1 : 0) + 2 * (c > 3 ? 1 : 0));
            }
            Files.write(dir.resolve(split + "-images-idx3-ubyte"), idx(new int[] {n, 12, 12}, px));
            Files.write(dir.resolve(split + "-labels-idx1-ubyte"), idx(new int[] {n}, lab));
        }
    }

    @BeforeAll
    static void trainOnce() throws IOException {
        data = tmp.resolve("quadrants");
        writeQuadrants(data, 160, 48);
        runDir = tmp.resolve("run");
        CliTest.Result r = run("train", "--data", data.toString(), "--epochs", "2", "--batch-size", "16", "--filters", "4",
                "--kernel", "3", "--lr", "1e-2", "--threads", "2", "--out", runDir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("report.html"), r.out());
        model = runDir.resolve("model.safetensors");
    }

    @Test
    void encodeTakesAnyEncoderLayer() throws IOException {
        // the convolution (layer 0) before the tanh: 4 maps of 14×14 pooled to 2×2
        Path csv = tmp.resolve("conv.csv");
        CliTest.Result r = run("encode", "--model", model.toString(), "--data", data.toString(), "--layer", "0", "--pool", "2",
                "--pool-type", "max", "--out", csv.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("0 Conv2d"), r.out());
        List<String> rows = Files.readAllLines(csv);
        assertEquals(49, rows.size());
        assertEquals(1 + 16, rows.get(1).split(",").length);
        Path pixels = tmp.resolve("pixels.csv");
        assertEquals(0, run("encode", "--model", model.toString(), "--data", data.toString(), "--layer", "input", "--out",
                pixels.toString()).code());
        assertEquals(1 + 144, Files.readAllLines(pixels).get(1).split(",").length);
        usageError(run("encode", "--model", model.toString(), "--data", data.toString(), "--layer", "7", "--out",
                csv.toString()), "--layer", "'7'", "0 Conv2d", "1 Tanh");
        usageError(run("encode", "--model", model.toString(), "--data", data.toString(), "--pool-type", "median", "--out",
                csv.toString()), "--pool-type", "median");
    }

    @Test
    void probeSeparatesTheQuadrantsAndComparesWithPixels() throws IOException {
        Path out = tmp.resolve("probe");
        CliTest.Result r = run("probe", "--model", model.toString(), "--data", data.toString(), "--pool", "2",
                "--pool-type", "avg,max", "--l2", "1e-3,1e-1", "--validation", "0.25", "--max-iterations", "100",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Matcher m = Pattern.compile("test accuracy ([0-9.]+) on features").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Double.parseDouble(m.group(1)) >= 0.95, r.out());
        assertTrue(r.out().contains("on raw pixels"), r.out());
        List<String> csv = Files.readAllLines(out.resolve("probe.csv"));
        assertEquals("representation,layer,pool,pool_type,features,l2,validation_accuracy,test_accuracy,iterations,seconds",
                csv.get(0));
        // 4 validation fits + 1 refit on features, 2 + 1 on pixels
        assertEquals(1 + 5 + 3, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(1).startsWith("features,code,2,avg,16,0.001,"), csv.get(1));
        assertTrue(csv.get(6).startsWith("pixels,input,0,,144,"), csv.get(6));
        for (String png : new String[] {"confusion.png", "confusion-pixels.png"}) {
            BufferedImage img = ImageIO.read(out.resolve(png).toFile());
            assertTrue(img.getWidth() >= 600 && img.getHeight() >= 600, png);
        }
    }

    @Test
    void scoreWritesScoresThresholdAndPictures() throws IOException {
        Path out = tmp.resolve("score");
        CliTest.Result r = run("score", "--model", model.toString(), "--data", data.toString(), "--validation", "0.25",
                "--quantile", "0.9", "--normal-class", "0", "--show", "5", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ROC AUC with class 0 normal, by mse") && r.out().contains("by ssim"), r.out());
        List<String> rows = Files.readAllLines(out.resolve("scores.csv"));
        assertEquals("index,label,mse,ssim_score,anomalous", rows.get(0));
        assertEquals(49, rows.size());
        Map<?, ?> summary = (Map<?, ?>) Json.parse(Files.readAllBytes(out.resolve("score.json")));
        double threshold = ((Number) summary.get("threshold")).doubleValue();
        int flagged = 0;
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            double mse = Double.parseDouble(f[2]), ssim = Double.parseDouble(f[3]);
            assertTrue(mse >= 0 && ssim >= -1 && ssim <= 2, row);
            assertEquals(mse > threshold ? "1" : "0", f[4], row);
            if (f[4].equals("1")) flagged++;
        }
        assertEquals(flagged, ((Number) summary.get("flagged")).intValue());
        assertEquals("0.9 quantile", summary.get("threshold_rule"));
        for (String png : new String[] {"most_anomalous.png", "least_anomalous.png", "residuals.png"}) {
            assertTrue(ImageIO.read(out.resolve(png).toFile()).getWidth() >= 400, png);
        }
        CliTest.Result k = run("score", "--model", model.toString(), "--data", data.toString(), "--k", "3", "--score", "ssim",
                "--ssim-window", "uniform", "--out", tmp.resolve("score-k").toString());
        assertEquals(0, k.code(), k.err());
        assertTrue(k.out().contains("mean + 3 std"), k.out());
    }

    @Test
    void anomalyBenchmarkPrintsOneRowPerClassAndTheMean() throws IOException {
        Path out = tmp.resolve("bench");
        CliTest.Result r = run("anomaly-benchmark", "--data", data.toString(), "--epochs", "1", "--batch-size", "8",
                "--classes", "0,3", "--train-limit", "24", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> csv = Files.readAllLines(out.resolve("benchmark.csv"));
        assertEquals("class,name,train_images,auc_mse,auc_ssim,seconds", csv.get(0));
        assertEquals(4, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(1).startsWith("0,0,24,") && csv.get(2).startsWith("3,3,24,"), String.join("\n", csv));
        double a0 = Double.parseDouble(csv.get(1).split(",")[3]), a3 = Double.parseDouble(csv.get(2).split(",")[3]);
        double mean = Double.parseDouble(csv.get(3).split(",")[3]);
        assertEquals((a0 + a3) / 2, mean, 1e-6);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("mean")), r.out());
        assertTrue(Files.size(out.resolve("roc.png")) > 0);
        usageError(run("anomaly-benchmark", "--data", data.toString(), "--classes", "0,9"), "--classes", "9", "[0, 1, 2, 3]");
        usageError(run("anomaly-benchmark", "--data", data.toString(), "--preset", "vae-dense"), "--preset", "vae-dense");
        usageError(run("anomaly-benchmark", "--data", data.toString(), "--epochs", "0"), "--epochs", "0");
    }

    @Test
    void latentDrawsThePcaOfTheCodes() throws IOException {
        Path png = tmp.resolve("latent.png");
        CliTest.Result r = run("latent", "--model", model.toString(), "--data", data.toString(), "--pool", "4", "--out", png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("explain"), r.out());
        assertTrue(distinctColours(ImageIO.read(png.toFile())) > 4, "the four classes in colour");
        usageError(run("latent", "--model", model.toString(), "--limit", "2"), "--limit", "2");
    }

    @Test
    void badAnalysisOptionsAreOneLineUsageErrors() {
        String m = model.toString(), d = data.toString();
        usageError(run("probe", "--model", m, "--data", d, "--l2", "1e-3,-1"), "--l2", "-1");
        usageError(run("probe", "--model", m, "--data", d, "--l2", "strong"), "--l2", "strong");
        usageError(run("probe", "--model", m, "--data", d, "--pixels-l2", "1e-3,NaN"), "--pixels-l2", "NaN");
        usageError(run("probe", "--model", m, "--data", d, "--pool", "2,x"), "--pool", "'x'");
        usageError(run("probe", "--model", m, "--data", d, "--pool", "99"), "--pool", "99x99");
        usageError(run("probe", "--model", m, "--data", d, "--layer", "code,9"), "--layer", "'9'");
        usageError(run("probe", "--model", m, "--data", d, "--validation", "1"), "--validation", "1.0");
        usageError(run("probe", "--model", m, "--data", d, "--pool-type", "avg,"), "--pool-type");
        usageError(run("probe", "--data", d), "--model");
        usageError(run("score", "--model", m, "--data", d, "--quantile", "1.5"), "--quantile", "1.5");
        usageError(run("score", "--model", m, "--data", d, "--quantile", "0.9", "--k", "2"), "--quantile", "--k");
        usageError(run("score", "--model", m, "--data", d, "--ssim-window", "fancy"), "--ssim-window", "fancy");
        usageError(run("score", "--model", m, "--data", d, "--score", "psnr"), "--score", "psnr");
        usageError(run("score", "--model", m, "--data", d, "--score", "ssim", "--ssim-window", "none"), "--score ssim");
        usageError(run("score", "--model", tmp.resolve("nope.safetensors").toString(), "--data", d), "nope.safetensors");
    }

    @Test
    void reportIsOneSelfContainedPageWithSettingsMetricsAndEveryPicture() throws IOException {
        String html = Files.readString(runDir.resolve("report.html"), StandardCharsets.UTF_8);
        assertTrue(html.startsWith("<!DOCTYPE html>"), html.substring(0, 40));
        assertTrue(html.contains("<style>") && html.contains("</html>"));
        // settings from run.json, the metrics table from metrics.csv
        assertTrue(html.contains("<td>epochs</td><td><code>2</code></td>"), "settings table");
        assertTrue(html.contains("<th>epoch</th><th>train_loss</th><th>test_mse</th>"), "metrics header");
        for (String line : Files.readAllLines(runDir.resolve("metrics.csv")).subList(1, 3)) {
            assertTrue(html.contains("<td class=\"num\">" + line.split(",")[2] + "</td>"), line);
        }
        // every PNG of the folder, embedded, and nothing fetched from elsewhere
        Set<String> pngs = new HashSet<>();
        try (var s = Files.list(runDir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).forEach(pngs::add);
        }
        assertEquals(Set.of("reconstructions.png", "filters.png", "activations.png", "loss.png", "latent.png"), pngs);
        for (String p : pngs) assertTrue(html.contains("alt=\"" + p + "\" src=\"data:image/png;base64,"), p);
        assertEquals(pngs.size(), html.split("src=\"data:image/png;base64,", -1).length - 1);
        assertFalse(html.matches("(?s).*(src|href)=\"(https?:|//|file:).*"), "no external resources");
        assertFalse(html.contains("<script"), "no script");
    }

    @Test
    void reportRendersInHeadlessChromium() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        Assumptions.assumeTrue(Files.isExecutable(chromium), "/usr/bin/chromium is not installed");
        Path profile = Files.createTempDirectory(tmp, "chromium-profile");
        Path shot = tmp.resolve("report-screenshot.png");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--screenshot=" + shot, "--window-size=1200,2000",
                runDir.resolve("report.html").toUri().toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("chromium.log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish in 120 s");
        assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("chromium.log")));
        BufferedImage img = ImageIO.read(shot.toFile());
        assertEquals(1200, img.getWidth());
        int nonWhite = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) if ((img.getRGB(x, y) & 0xffffff) != 0xffffff) nonWhite++;
        }
        double frac = (double) nonWhite / (img.getWidth() * img.getHeight());
        int colours = distinctColours(img);
        assertTrue(colours > 200, "a rendered page with text and pictures has many colours, got " + colours);
        assertTrue(frac > 0.05, "non-white fraction " + frac);
    }

    static int distinctColours(BufferedImage img) {
        Set<Integer> c = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) c.add(img.getRGB(x, y) & 0xffffff);
        return c.size();
    }
}
