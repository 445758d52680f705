package org.cae4j.viz;

import static org.cae4j.viz.Pictures.CAPTION_H;
import static org.cae4j.viz.Pictures.CONSTANT_GREY;
import static org.cae4j.viz.Pictures.FILTER_GAP;
import static org.cae4j.viz.Pictures.GAP;
import static org.cae4j.viz.Pictures.HEADER_H;
import static org.cae4j.viz.Pictures.LABEL_W;
import static org.cae4j.viz.Pictures.MAP_GAP;
import static org.cae4j.viz.Pictures.MARGIN;
import static org.cae4j.viz.Pictures.MIN_WIDTH;
import static org.cae4j.viz.Pictures.PAIR_GAP;
import static org.cae4j.viz.Pictures.SECTION_GAP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PicturesTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    // ---- reconstructions

    @Test
    void reconstructionsPictureSizeFollowsCountAndImageSize() throws IOException {
        Tensor x = random(10, 1, 28, 28, 1);
        BufferedImage img = write(p -> Pictures.reconstructions(p, x, x, 8));
        // 28 px tiles are enlarged 3× to 84 px; one row pair of 8 tiles with 2 px separators
        assertEquals(2 * MARGIN + LABEL_W + 8 * 84 + 7 * GAP, img.getWidth());
        assertEquals(2 * MARGIN + HEADER_H + 84 + GAP + 84, img.getHeight());
    }

    @Test
    void reconstructionsWrapIntoRowPairsBeyondSixteenImages() throws IOException {
        Tensor x = random(30, 1, 28, 28, 2);
        BufferedImage img = write(p -> Pictures.reconstructions(p, x, x, 24));
        assertEquals(12, Pictures.reconstructionColumns(24), "24 images wrap into two rows of 12");
        assertEquals(2 * MARGIN + LABEL_W + 12 * 84 + 11 * GAP, img.getWidth());
        assertEquals(2 * MARGIN + HEADER_H + 2 * (84 + GAP + 84) + PAIR_GAP, img.getHeight());
    }

    @Test
    void reconstructionRowShowsEachOutputAtEveryEnlargedPixel() throws IOException {
        int N = 20, H = 28, W = 28, s = 3, count = 20;
        Tensor in = random(N, 1, H, W, 3);
        Tensor out = random(N, 1, H, W, 4);
        BufferedImage img = write(p -> Pictures.reconstructions(p, in, out, count));
        int cols = Pictures.reconstructionColumns(count), th = H * s, tw = W * s;
        int x0 = Pictures.reconstructionX0(count, W, H, img.getWidth());
        for (int n : new int[] {0, 7, cols, count - 1}) { // first pair and the wrapped second pair
            int tx = x0 + (n % cols) * (tw + GAP);
            int yIn = Pictures.reconstructionY0(n / cols, H, W), yOut = yIn + th + GAP;
            for (int h = 0; h < H; h++) {
                for (int w = 0; w < W; w++) {
                    int inGrey = (int) Math.round(in.data[(n * H + h) * W + w] * 255.0);
                    int outGrey = (int) Math.round(out.data[(n * H + h) * W + w] * 255.0);
                    for (int d = 0; d < s * s; d++) {
                        int px = tx + w * s + d % s, py = h * s + d / s;
                        assertEquals(grey(inGrey), rgb(img, px, yIn + py), "input " + n + " at (" + h + "," + w + ")");
                        assertEquals(grey(outGrey), rgb(img, px, yOut + py), "output " + n + " at (" + h + "," + w + ")");
                    }
                }
            }
        }
    }

    @Test
    void reconstructionValuesOutsideZeroOneAreClamped() throws IOException {
        Tensor in = new Tensor(new float[] {-0.5f, 1.7f, 0.5f, Float.POSITIVE_INFINITY}, 1, 1, 2, 2);
        BufferedImage img = write(p -> Pictures.reconstructions(p, in, in, 1));
        int x0 = Pictures.reconstructionX0(1, 2, 2, img.getWidth()), y0 = Pictures.reconstructionY0(0, 2, 2);
        int s = Pictures.scaleFor(2, Pictures.IMAGE_TILE);
        assertEquals(grey(0), rgb(img, x0, y0));
        assertEquals(grey(255), rgb(img, x0 + s, y0));
        assertEquals(grey(128), rgb(img, x0, y0 + s));
        assertEquals(grey(255), rgb(img, x0 + s, y0 + s));
    }

    @Test
    void reconstructionsOfThreeChannelsKeepTheirColour() throws IOException {
        // one 1×1 image per channel layout: red, then a second image olive (0.5, 0.5, 0)
        Tensor x = new Tensor(new float[] {1, 0, 0, 0.5f, 0.5f, 0}, 2, 3, 1, 1);
        BufferedImage img = write(p -> Pictures.reconstructions(p, x, x, 2));
        int x0 = Pictures.reconstructionX0(2, 1, 1, img.getWidth()), y0 = Pictures.reconstructionY0(0, 1, 1);
        int tw = Pictures.scaleFor(1, Pictures.IMAGE_TILE);
        assertEquals(0xff0000, rgb(img, x0, y0));
        assertEquals(0x808000, rgb(img, x0 + tw + GAP, y0));
    }

    @Test
    void reconstructionsOfTwoChannelsShowChannelZeroAsGrey() throws IOException {
        Tensor x = new Tensor(new float[] {0.2f, 0.9f}, 1, 2, 1, 1);
        BufferedImage img = write(p -> Pictures.reconstructions(p, x, x, 1));
        int x0 = Pictures.reconstructionX0(1, 1, 1, img.getWidth()), y0 = Pictures.reconstructionY0(0, 1, 1);
        assertEquals(grey(51), rgb(img, x0, y0));
    }

    @Test
    void reconstructionsRejectBadArgumentsNamingTheValues() {
        Tensor x = random(4, 1, 28, 28, 5);
        Path p = dir.resolve("r.png");
        assertMessage("expected count in 1..4 (the number of images given), got 5",
                () -> Pictures.reconstructions(p, x, x, 5));
        assertMessage("expected outputs of the inputs' shape [4, 1, 28, 28], got [4, 1, 27, 27]",
                () -> Pictures.reconstructions(p, x, random(4, 1, 27, 27, 6), 2));
        assertMessage("reconstructions: expected inputs (N, C, H, W), got [4, 784]",
                () -> Pictures.reconstructions(p, x.reshape(4, 784), x, 2));
    }

    // ---- filters

    @Test
    void filterTileWithAGradientRunsFromBlackToWhite() throws IOException {
        int K = 3, R = 5, S = 5;
        float[] w = new float[K * R * S];
        for (int i = 0; i < w.length; i++) w[i] = (float) Math.sin(i); // filters 0 and 2: noise
        for (int i = 0; i < R * S; i++) w[R * S + i] = -0.25f + i / 64f; // filter 1: ramp, exact in float
        BufferedImage img = write(p -> Pictures.filters(p, new Tensor(w, K, 1, R, S)));

        int s = Pictures.scaleFor(5, Pictures.FILTER_TILE), tw = S * s, cols = Pictures.squareColumns(K);
        assertEquals(10, s, "a 5×5 filter is shown 50 px wide");
        int gridW = cols * tw + (cols - 1) * FILTER_GAP;
        int x1 = (img.getWidth() - gridW) / 2 + (tw + FILTER_GAP), y1 = MARGIN + HEADER_H; // filter 1: row 0, col 1
        int lo = 255, hi = 0;
        for (int y = 0; y < R * s; y++) {
            for (int x = 0; x < tw; x++) {
                int v = rgb(img, x1 + x, y1 + y) & 0xff;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        assertEquals(0, lo, "darkest pixel of the tile");
        assertEquals(255, hi, "brightest pixel of the tile");
        assertEquals(grey(0), rgb(img, x1, y1), "the ramp's minimum is its first weight, top left");
        assertEquals(grey(255), rgb(img, x1 + tw - 1, y1 + R * s - 1), "its maximum is bottom right");
        assertEquals(grey(128), rgb(img, x1 + 2 * s, y1 + 2 * s), "its middle weight (12 of 0..24) is mid-grey");
    }

    @Test
    void filtersPictureSizeFollowsFilterCountAndKernelSize() throws IOException {
        Tensor w = random(32, 16, 3, 3, 7);
        BufferedImage img = write(p -> Pictures.filters(p, w));
        int cols = 6, rows = 6, tile = 3 * 16; // 32 filters in a 6×6 grid; 3×3 enlarged 16× to 48 px
        assertEquals(Math.max(MIN_WIDTH, 2 * MARGIN + cols * tile + (cols - 1) * FILTER_GAP), img.getWidth());
        assertEquals(2 * MARGIN + HEADER_H + rows * tile + (rows - 1) * FILTER_GAP, img.getHeight());

        Tensor big = random(100, 1, 7, 7, 8);
        BufferedImage wide = write(p -> Pictures.filters(p, big));
        assertEquals(2 * MARGIN + 10 * 49 + 9 * FILTER_GAP, wide.getWidth(), "100 filters in a 10×10 grid of 49 px");
    }

    @Test
    void filtersWithManyChannelsShowTheChannelMean() throws IOException {
        // channel 1 = −channel 0, so the mean is 0 everywhere: a constant tile, mid-grey; channel 0 alone would be a ramp
        float[] w = new float[2 * 9];
        for (int i = 0; i < 9; i++) {
            w[i] = i;
            w[9 + i] = -i;
        }
        BufferedImage img = write(p -> Pictures.filters(p, new Tensor(w, 1, 2, 3, 3)));
        int tw = 3 * Pictures.scaleFor(3, Pictures.FILTER_TILE);
        int x0 = (img.getWidth() - tw) / 2, y0 = MARGIN + HEADER_H;
        for (int y = 0; y < tw; y++) {
            for (int x = 0; x < tw; x++) assertEquals(grey(CONSTANT_GREY), rgb(img, x0 + x, y0 + y));
        }
    }

    @Test
    void rgbFiltersAreScaledOverAllThreeChannelsTogether() throws IOException {
        // 1×1 filter (r, g, b) = (−1, 0, 1): joint range −1..1 gives (0, 128, 255); per-channel ranges would be constant
        BufferedImage img = write(p -> Pictures.filters(p, new Tensor(new float[] {-1, 0, 1}, 1, 3, 1, 1)));
        int tw = Pictures.scaleFor(1, Pictures.FILTER_TILE);
        assertEquals(0x0080ff, rgb(img, (img.getWidth() - tw) / 2, MARGIN + HEADER_H));
    }

    @Test
    void filtersRejectAWeightTensorOfTheWrongRank() {
        assertMessage("filters: expected weights (K, C, R, S), got [16, 25]",
                () -> Pictures.filters(dir.resolve("f.png"), new Tensor(16, 25)));
    }

    // ---- activations

    @Test
    void constantActivationMapRendersMidGreyNextToAFullRangeMap() throws IOException {
        int K = 4, P = 6, Q = 6;
        float[] m = new float[K * P * Q];
        for (int i = 0; i < P * Q; i++) {
            m[i] = i * 0.5f;             // map 0: ramp 0 .. 17.5
            m[P * Q + i] = (i % 7) - 3;  // map 1: varied
            // map 2 stays all zero: a dead ReLU channel
            m[3 * P * Q + i] = 2.5f;     // map 3: constant, not zero
        }
        Tensor input = random(1, 1, 28, 28, 9);
        BufferedImage img = write(p -> Pictures.activations(p, new Tensor(m, K, P, Q), input));

        int s = Pictures.scaleFor(6, Pictures.IMAGE_TILE), tw = Q * s, th = P * s, cols = 2;
        assertEquals(14, s);
        int inW = 84;
        int natural = 2 * MARGIN + inW + SECTION_GAP + cols * tw + (cols - 1) * MAP_GAP;
        assertEquals(Math.max(MIN_WIDTH, natural), img.getWidth());
        assertEquals(2 * MARGIN + HEADER_H + CAPTION_H + 2 * th + CAPTION_H, img.getHeight());

        int xMaps = (img.getWidth() - natural) / 2 + MARGIN + inW + SECTION_GAP, top = MARGIN + HEADER_H;
        for (int k : new int[] {2, 3}) {
            int tx = xMaps + (k % cols) * (tw + MAP_GAP), ty = top + (k / cols) * (th + CAPTION_H);
            for (int y = 0; y < th; y++) {
                for (int x = 0; x < tw; x++) assertEquals(grey(CONSTANT_GREY), rgb(img, tx + x, ty + y), "map " + k);
            }
        }
        assertEquals(grey(0), rgb(img, xMaps, top), "map 0 starts at its minimum");
        assertEquals(grey(255), rgb(img, xMaps + tw - 1, top + th - 1), "map 0 ends at its maximum");
    }

    @Test
    void activationInputIsShownFirstOnItsOwnRange() throws IOException {
        Tensor input = random(1, 1, 28, 28, 10);
        BufferedImage img = write(p -> Pictures.activations(p, random(1, 8, 12, 12, 11), input));
        int cols = Pictures.squareColumns(8), tw = 12 * 7;
        int natural = 2 * MARGIN + 84 + SECTION_GAP + cols * tw + (cols - 1) * MAP_GAP;
        int xIn = (img.getWidth() - natural) / 2 + MARGIN, top = MARGIN + HEADER_H;
        for (int h = 0; h < 28; h += 3) {
            for (int w = 0; w < 28; w += 5) {
                int expected = (int) Math.round(input.data[h * 28 + w] * 255.0);
                assertEquals(grey(expected), rgb(img, xIn + 3 * w + 1, top + 3 * h + 2), "input at (" + h + "," + w + ")");
            }
        }
    }

    @Test
    void activationsAcceptALeadingBatchOfOne() throws IOException {
        Tensor maps = random(1, 5, 9, 9, 12), input = random(1, 3, 16, 16, 13);
        BufferedImage batched = write(p -> Pictures.activations(p, maps, input));
        BufferedImage plain = write(p -> Pictures.activations(p, maps.reshape(5, 9, 9), input.reshape(3, 16, 16)));
        assertEquals(batched.getWidth(), plain.getWidth());
        assertEquals(batched.getHeight(), plain.getHeight());
        assertArrayEquals(pixels(batched), pixels(plain));
    }

    @Test
    void activationsRejectMapsOfTheWrongShape() {
        Path p = dir.resolve("a.png");
        Tensor input = random(1, 1, 28, 28, 14);
        assertMessage("activations: expected maps (K, P, Q) or (1, K, P, Q), got [2, 16, 24, 24]",
                () -> Pictures.activations(p, new Tensor(2, 16, 24, 24), input));
        assertMessage("activations: expected input (C, H, W) or (1, C, H, W), got [784]",
                () -> Pictures.activations(p, new Tensor(16, 24, 24), new Tensor(784)));
    }

    // ---- grid

    @Test
    void gridPlacesTilesRowByRowAndLeavesEmptySlotsWhite() {
        float[] d = new float[5 * 2 * 3];
        for (int n = 0; n < 5; n++) for (int i = 0; i < 6; i++) d[n * 6 + i] = n / 4f;
        BufferedImage g = Pictures.grid(new Tensor(d, 5, 1, 2, 3), 3, 2, 1, Pictures.Range.UNIT);
        assertEquals(3 * 6 + 2, g.getWidth());
        assertEquals(2 * 4 + 1, g.getHeight());
        assertEquals(grey(0), rgb(g, 0, 0));
        assertEquals(grey(64), rgb(g, 7, 0), "tile 1 starts after 6 px and a 1 px gap");
        assertEquals(0xffffff, rgb(g, 6, 0), "the gap is white");
        assertEquals(grey(191), rgb(g, 0, 5), "tile 3 starts the second row");
        assertEquals(grey(255), rgb(g, 7 + 5, 5 + 3), "last pixel of tile 4");
        assertEquals(0xffffff, rgb(g, 14, 5), "slot 5 is empty");
    }

    @Test
    void gridPaintsNaNRed() {
        BufferedImage g = Pictures.grid(new Tensor(new float[] {Float.NaN, 0.5f, -1, 2}, 1, 1, 2, 2), 1, 1, 0,
                Pictures.Range.PER_TILE);
        assertEquals(Pictures.NAN_RGB, rgb(g, 0, 0));
        assertEquals(grey(128), rgb(g, 1, 0), "0.5 is halfway along the finite range -1..2");
    }

    @Test
    void gridRejectsAZeroScale() {
        assertMessage("columns=4 scale=0", () -> Pictures.grid(new Tensor(1, 1, 2, 2), 4, 0, 1, Pictures.Range.UNIT));
    }

    // ---- loss curve

    @Test
    void lossCurveDrawsBothSeriesOnAFixedSizeChart() throws IOException {
        double[] train = new double[30], test = new double[30];
        for (int e = 0; e < 30; e++) {
            train[e] = 0.09 * Math.exp(-e / 4.0) + 0.004;
            test[e] = train[e] * 1.1;
        }
        BufferedImage img = write(p -> Pictures.lossCurve(p, train, test, "MSE"));
        assertEquals(LossChart.WIDTH, img.getWidth());
        assertEquals(LossChart.HEIGHT, img.getHeight());
        int inked = count(img, 0, LossChart.WIDTH, c -> c != 0xffffff);
        assertTrue(inked > LossChart.WIDTH * LossChart.HEIGHT / 50, "only " + inked + " non-white pixels");
        // the left half of the plot holds no legend, so coloured pixels there are the curves themselves
        assertTrue(count(img, 0, LossChart.WIDTH / 2, near(LossChart.TRAIN)) > 150, "train curve");
        assertTrue(count(img, 0, LossChart.WIDTH / 2, near(LossChart.TEST)) > 150, "test curve");
    }

    @Test
    void lossCurveOfOneEpochDrawsMarkers() throws IOException {
        BufferedImage img = write(p -> Pictures.lossCurve(p, new double[] {0.0312}, new double[] {0.0335}, "loss"));
        assertEquals(LossChart.WIDTH, img.getWidth());
        // one epoch sits mid-plot: the markers are in the middle band, left of the legend
        int mid = LossChart.LEFT + (LossChart.WIDTH - LossChart.LEFT - LossChart.RIGHT) / 2;
        assertTrue(count(img, mid - 6, mid + 6, near(LossChart.TRAIN)) > 20, "train marker");
        assertTrue(count(img, mid - 6, mid + 6, near(LossChart.TEST)) > 20, "test marker");
    }

    @Test
    void lossCurveSkipsNaNAndInfinityAndDrawsWithoutATestSeries() throws IOException {
        double[] train = {0.5, 0.3, Double.NaN, 0.2, Double.POSITIVE_INFINITY, 0.12, 0.1, 0.09};
        BufferedImage img = write(p -> Pictures.lossCurve(p, train, null, "loss"));
        assertTrue(count(img, 0, LossChart.WIDTH / 2, near(LossChart.TRAIN)) > 100, "train curve");
        assertEquals(0, count(img, 0, LossChart.WIDTH, near(LossChart.TEST)), "no test series, no orange");
    }

    @Test
    void lossCurveWithNoFiniteValueStillWritesAChart() throws IOException {
        double[] nan = {Double.NaN, Double.NaN};
        BufferedImage img = write(p -> Pictures.lossCurve(p, nan, nan, "loss"));
        assertEquals(LossChart.HEIGHT, img.getHeight());
        assertEquals(0, count(img, 0, LossChart.WIDTH / 2, near(LossChart.TRAIN)), "nothing to plot");
    }

    @Test
    void lossCurveRejectsMismatchedLengths() {
        Path p = dir.resolve("l.png");
        assertMessage("lossCurve: expected testLoss with one value per epoch (3, like trainLoss) or null, got 2 values",
                () -> Pictures.lossCurve(p, new double[3], new double[2], "loss"));
        assertMessage("lossCurve: expected trainLoss with at least 1 epoch, got 0 values",
                () -> Pictures.lossCurve(p, new double[0], null, "loss"));
    }

    // ---- files

    @Test
    void writingReplacesThePictureAndLeavesNoTemporaryFile() throws IOException {
        Path png = dir.resolve("sub/filters.png");
        Pictures.filters(png, random(4, 1, 5, 5, 15));
        Pictures.filters(png, random(9, 1, 5, 5, 16));
        assertEquals(2 * MARGIN + HEADER_H + 3 * 50 + 2 * FILTER_GAP, ImageIO.read(png.toFile()).getHeight(),
                "the second, 3-row picture replaced the first");
        try (Stream<Path> files = Files.list(png.getParent())) {
            assertEquals(List.of(png), files.toList());
        }
    }

    // ---- helpers

    interface Writer {
        void write(Path png) throws IOException;
    }

    private int files;

    /** Runs {@code writer} on a fresh file in the temp folder and reads the PNG back. */
    private BufferedImage write(Writer writer) throws IOException {
        Path png = dir.resolve("picture" + files++ + ".png");
        writer.write(png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img != null, "ImageIO could not read " + png);
        return img;
    }

    private static Tensor random(int n, int c, int h, int w, long seed) {
        Random rnd = new Random(seed);
        float[] d = new float[n * c * h * w];
        for (int i = 0; i < d.length; i++) d[i] = rnd.nextFloat();
        return new Tensor(d, n, c, h, w);
    }

    private static int rgb(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xffffff;
    }

    private static int grey(int v) {
        return (v << 16) | (v << 8) | v;
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    private static java.util.function.IntPredicate near(java.awt.Color c) {
        return p -> Math.abs(((p >> 16) & 0xff) - c.getRed()) < 24 && Math.abs(((p >> 8) & 0xff) - c.getGreen()) < 24
                && Math.abs((p & 0xff) - c.getBlue()) < 24;
    }

    /** Pixels in columns [x0, x1) satisfying {@code test}. */
    private static int count(BufferedImage img, int x0, int x1, java.util.function.IntPredicate test) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = x0; x < x1; x++) if (test.test(rgb(img, x, y))) n++;
        }
        return n;
    }

    private static void assertMessage(String expectedPart, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expectedPart), "message was: " + e.getMessage());
    }

    @Test
    void residualHeatMapIsBlackWhereTheReconstructionIsExactAndYellowAtTheLargestError() throws IOException {
        // one 4×4 image; the reconstruction differs only at pixel (1, 2), by 0.5
        Tensor x = new Tensor(1, 1, 4, 4), y = new Tensor(1, 1, 4, 4);
        for (int i = 0; i < 16; i++) x.data[i] = y.data[i] = i / 16f;
        y.data[1 * 4 + 2] += 0.5f;
        Path png = dir.resolve("res.png");
        Pictures.residuals(png, x, y, new String[] {"#0"}, "t", false);
        BufferedImage img = ImageIO.read(png.toFile());
        int scale = Pictures.scaleFor(4, 2 * Pictures.IMAGE_TILE - 28);
        // the heat map's top-left corner: find it as the first black pixel of the header-free area
        int x0 = -1, y0 = MARGIN + HEADER_H;
        for (int px = 0; px < img.getWidth() && x0 < 0; px++) if ((img.getRGB(px, y0 + 1) & 0xffffff) == Pictures.heatRgb(0)) x0 = px;
        assertTrue(x0 >= 0, "heat map found");
        assertEquals(Pictures.heatRgb(0), img.getRGB(x0 + scale / 2, y0 + scale / 2) & 0xffffff, "no error: black");
        assertEquals(Pictures.heatRgb(1), img.getRGB(x0 + 2 * scale + scale / 2, y0 + scale + scale / 2) & 0xffffff,
                "largest error: the top of the scale");
        assertEquals(0xfcffa4, Pictures.heatRgb(1));
        assertEquals(0x000004, Pictures.heatRgb(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pictures.residuals(png, x, y, new String[0], "t", true));
        assertTrue(e.getMessage().contains("1 captions"), e.getMessage());
        Pictures.residuals(dir.resolve("with.png"), x, y, new String[] {"#0"}, "t", true);
        assertTrue(Files.size(dir.resolve("with.png")) > 0);
    }
}
