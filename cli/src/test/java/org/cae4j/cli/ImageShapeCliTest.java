package org.cae4j.cli;

import static org.cae4j.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.cae4j.io.Json;
import org.cae4j.model.Models;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --resize, --crop and --channels: train stores them, and reconstruct on the same kind of data applies them without
 * being told; a model whose input differs from the data, with nothing stored, is refused in one line.
 */
class ImageShapeCliTest {
    @TempDir
    static Path tmp;
    static Path mixed, squares;

    /** A grey image h×w with a bright square whose corner depends on i. */
    private static void png(Path file, int h, int w, int i) throws IOException {
        BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        int s = Math.min(h, w) / 2, r = i % (h - s), c = (i / 3) % (w - s);
        for (int y = r; y < r + s; y++) for (int x = c; x < c + s; x++) im.getRaster().setSample(x, y, 0, 200);
        Files.createDirectories(file.getParent());
        ImageIO.write(im, "png", file.toFile());
    }

    @BeforeAll
    static void makeData() throws IOException {
        mixed = tmp.resolve("mixed");
        for (int i = 0; i < 40; i++) png(mixed.resolve(String.format("%02d.png", i)), i % 2 == 0 ? 16 : 20, i % 3 == 0 ? 16 : 18, i);
        squares = tmp.resolve("squares");
        CliTest.writeData(squares, 32, 8);
    }

    @Test
    void mixedSizesNeedResize() {
        CliTest.Result r = run("train", "--data", mixed.toString(), "--out", tmp.resolve("no").toString());
        assertEquals(2, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().strip().endsWith("; expected every image the same size, or give a resize target (--resize HxW)"), r.err());
    }

    @Test
    void resizeAndChannelsAreStoredAndReappliedByReconstruct() throws IOException {
        Path out = tmp.resolve("resized");
        CliTest.Result r = run("train", "--data", mixed.toString(), "--resize", "12x12", "--crop", "--channels", "3",
                "--epochs", "1", "--batch-size", "8", "--filters", "2", "--kernel", "3", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Models.Loaded m = Models.load(out.resolve("model.safetensors"));
        assertEquals("3x12x12", m.metadata().get("input"));
        assertEquals("12x12", m.metadata().get("resize"));
        assertEquals("true", m.metadata().get("crop"));
        assertEquals("3", m.metadata().get("channels"));
        Map<?, ?> settings = (Map<?, ?>) Json.parse(Files.readAllBytes(out.resolve("run.json")));
        assertEquals("12x12", settings.get("resize"));
        assertEquals(true, settings.get("crop"));
        assertEquals(3.0, ((Number) settings.get("channels")).doubleValue());

        // the same folder without options: resized, cropped and made RGB as in training
        CliTest.Result rec = run("reconstruct", "--model", out.resolve("model.safetensors").toString(), "--data", mixed.toString(),
                "--out", tmp.resolve("rec").toString());
        assertEquals(0, rec.code(), rec.err());
        // IDX data (grey, 12x12) goes through the same stored conversion to RGB
        CliTest.Result idx = run("encode", "--model", out.resolve("model.safetensors").toString(), "--data", squares.toString(),
                "--out", tmp.resolve("f.npy").toString());
        assertEquals(0, idx.code(), idx.err());
        // options on the command line win over the stored ones: grey data for an RGB model is refused with a hint
        CliTest.Result grey = run("reconstruct", "--model", out.resolve("model.safetensors").toString(), "--data", squares.toString(),
                "--channels", "1", "--out", tmp.resolve("rec2").toString());
        assertEquals(2, grey.code());
        assertEquals("cae4j reconstruct: squares/train: images are 1x12x12 but the model model.safetensors expects 3x12x12",
                grey.err().strip());
    }

    @Test
    void idxDataIsResizedAndConvertedAfterReading() throws IOException {
        Path out = tmp.resolve("idx-resized");
        CliTest.Result r = run("train", "--data", squares.toString(), "--resize", "8x10", "--channels", "3", "--epochs", "1",
                "--batch-size", "8", "--filters", "2", "--kernel", "3", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("3x8x10", Models.load(out.resolve("model.safetensors")).metadata().get("input"));
        assertTrue(r.out().contains("32 images 3x8x10"), r.out());
    }

    @Test
    void aModelTrainedWithoutResizeRefusesOtherSizesNamingTheOption() throws IOException {
        Path out = tmp.resolve("plain");
        assertEquals(0, run("train", "--data", squares.toString(), "--epochs", "1", "--batch-size", "8", "--filters", "2",
                "--kernel", "3", "--out", out.toString()).code());
        CliTest.Result r = run("reconstruct", "--model", out.resolve("model.safetensors").toString(), "--data", mixed.toString(),
                "--resize", "16x16", "--out", tmp.resolve("rec3").toString());
        assertEquals(2, r.code());
        assertEquals("cae4j reconstruct: mixed: images are 1x16x16 but the model model.safetensors expects 1x12x12", r.err().strip());
        r = run("reconstruct", "--model", out.resolve("model.safetensors").toString(), "--data", mixed.toString(),
                "--resize", "12x12", "--out", tmp.resolve("rec4").toString());
        assertEquals(0, r.code(), r.err());
    }
}
