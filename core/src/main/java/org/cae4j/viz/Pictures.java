package org.cae4j.viz;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.cae4j.tensor.Tensor;

/**
 * The pictures a training run leaves: reconstructions, encoder filters, activation maps and the loss curve, as PNG.
 *
 * <p>Letters: N images, C channels, H,W image size, K filters or maps, R,S kernel size, P,Q map size.
 * Images are drawn with C = 1 as grey and C = 3 as RGB; any other C shows channel 0 as grey (filters show the
 * mean over channels instead). Every file is written to a temporary file in the same folder and renamed, so a
 * viewer refreshing during training never sees half a PNG. Rendering is headless.
 */
public final class Pictures {

    /** How tile values map to grey levels. */
    public enum Range {
        /** Values are pixels in [0, 1]: 0 is black, 1 is white, values outside are clamped. */
        UNIT,
        /** Each tile is stretched from its own minimum (black) to its maximum (white); a constant tile is mid-grey. */
        PER_TILE
    }

    // Layout in pixels. Package-private so that tests can locate tiles.
    static final int MARGIN = 12;
    /** Band above the content holding a title line and a muted subtitle line. */
    static final int HEADER_H = 46;
    /** Narrowest picture, so titles stay legible above a single small tile. */
    static final int MIN_WIDTH = 400;
    /** Column left of the reconstruction grid holding the row labels. */
    static final int LABEL_W = 112;
    /** Separator between image tiles. */
    static final int GAP = 2;
    /** Space between one input/reconstruction row pair and the next. */
    static final int PAIR_GAP = 14;
    /** Gap between filter tiles. */
    static final int FILTER_GAP = 6;
    /** Horizontal gap between activation tiles; the vertical gap holds a two-line caption. */
    static final int MAP_GAP = 8;
    static final int CAPTION_H = 32;
    /** Space between the input image and the activation maps, with a thin rule in its middle. */
    static final int SECTION_GAP = 25;
    /** Images and maps are enlarged by an integer factor to at least this many pixels (28 → 84). */
    static final int IMAGE_TILE = 84;
    /** Filters are enlarged by an integer factor to at least this many pixels (5 → 50). */
    static final int FILTER_TILE = 48;
    /** Reconstruction rows wrap after this many images. */
    static final int MAX_COLUMNS = 16;
    /** Grey level of a constant tile under {@link Range#PER_TILE}. */
    static final int CONSTANT_GREY = 128;
    /** Colour of NaN pixels, so a diverged run is visible at a glance. */
    static final int NAN_RGB = 0xd62728;
    /** Largest picture grid() will build, in pixels. */
    private static final long MAX_PIXELS = 1L << 27;

    private static final Font TITLE = Canvas.sans(Font.BOLD, 15);
    private static final Font SUBTITLE = Canvas.sans(Font.PLAIN, 12);
    private static final Font LABEL = Canvas.sans(Font.PLAIN, 13);
    private static final Font CAPTION = Canvas.sans(Font.PLAIN, 11);
    private static final Font CAPTION_SMALL = Canvas.sans(Font.PLAIN, 10);

    private Pictures() {}

    /**
     * Writes the first {@code count} inputs (N,C,H,W) in a row above their reconstructions, wrapping into
     * several row pairs beyond 16 images; pixel values are in [0, 1] and clamped.
     */
    public static void reconstructions(Path png, Tensor inputs, Tensor outputs, int count) throws IOException {
        checkPath("reconstructions", png);
        checkImages("reconstructions", "inputs", "(N, C, H, W)", inputs);
        if (outputs == null || !outputs.hasShape(inputs.shape())) {
            throw new IllegalArgumentException("reconstructions: expected outputs of the inputs' shape "
                    + inputs.shapeString() + ", got " + (outputs == null ? "null" : outputs.shapeString()));
        }
        int N = inputs.dim(0), H = inputs.dim(2), W = inputs.dim(3);
        if (count < 1 || count > N) {
            throw new IllegalArgumentException("reconstructions: expected count in 1.." + N
                    + " (the number of images given), got " + count);
        }
        int scale = scaleFor(Math.max(H, W), IMAGE_TILE);
        int tw = W * scale, th = H * scale;
        int cols = reconstructionColumns(count);
        int pairs = ceilDiv(count, cols);
        int natural = 2 * MARGIN + LABEL_W + cols * tw + (cols - 1) * GAP;
        int width = Math.max(MIN_WIDTH, natural);
        int height = 2 * MARGIN + HEADER_H + pairs * (2 * th + GAP) + (pairs - 1) * PAIR_GAP;

        BufferedImage img = Canvas.image(width, height);
        Graphics2D g = Canvas.graphics(img);
        header(g, width, "Reconstructions of the first " + count + " test image" + (count == 1 ? "" : "s"),
                H + "×" + W + " shown at " + scale + "×, pixel values clamped to [0, 1]");
        int x0 = reconstructionX0(count, W, H, width);
        int labelRight = x0 - 10;
        for (int p = 0; p < pairs; p++) {
            int a = p * cols, b = Math.min(count, a + cols);
            int y = reconstructionY0(p, H, W);
            g.drawImage(grid(slice(inputs, a, b), cols, scale, GAP, Range.UNIT), x0, y, null);
            g.drawImage(grid(slice(outputs, a, b), cols, scale, GAP, Range.UNIT), x0, y + th + GAP, null);
            Canvas.text(g, "input", labelRight, Canvas.baselineCentredOn(g, LABEL, y + th / 2.0), 1,
                    LABEL, Canvas.INK, LABEL_W - 14);
            Canvas.text(g, "reconstruction", labelRight, Canvas.baselineCentredOn(g, LABEL, y + th + GAP + th / 2.0),
                    1, LABEL, Canvas.INK, LABEL_W - 14);
        }
        g.dispose();
        Canvas.writePng(img, png);
    }

    /**
     * Writes images (N,C,H,W) with values in [0, 1] as a grid of {@code columns} tiles per row under a title:
     * decoded prior samples of a VAE, or its latent manifold (columns = the grid's side).
     */
    public static void imageGrid(Path png, Tensor images, int columns, String title, String subtitle) throws IOException {
        checkPath("imageGrid", png);
        checkImages("imageGrid", "images", "(N, C, H, W)", images);
        int N = images.dim(0), H = images.dim(2), W = images.dim(3);
        if (columns < 1 || columns > N) {
            throw new IllegalArgumentException("imageGrid: expected columns in 1.." + N + ", got " + columns);
        }
        int scale = scaleFor(Math.max(H, W), columns > 12 ? Math.max(H, W) * 2 : IMAGE_TILE);
        BufferedImage tiles = grid(images, columns, scale, columns > 12 ? 0 : GAP, Range.UNIT);
        int width = Math.max(MIN_WIDTH, 2 * MARGIN + tiles.getWidth());
        int height = 2 * MARGIN + HEADER_H + tiles.getHeight();
        BufferedImage img = Canvas.image(width, height);
        Graphics2D g = Canvas.graphics(img);
        header(g, width, title, subtitle);
        g.drawImage(tiles, (width - tiles.getWidth()) / 2, MARGIN + HEADER_H, null);
        g.dispose();
        Canvas.writePng(img, png);
    }

    /**
     * Writes encoder weights (K,C,R,S) as K tiles in a near-square grid, each stretched to its own min..max;
     * grey for C = 1, RGB for C = 3, the mean over channels otherwise.
     */
    public static void filters(Path png, Tensor weights) throws IOException {
        checkPath("filters", png);
        checkImages("filters", "weights", "(K, C, R, S)", weights);
        int K = weights.dim(0), C = weights.dim(1), R = weights.dim(2), S = weights.dim(3);
        Tensor shown = C == 1 || C == 3 ? weights : channelMean(weights);
        int scale = scaleFor(Math.max(R, S), FILTER_TILE);
        int cols = squareColumns(K);
        BufferedImage tiles = grid(shown, cols, scale, FILTER_GAP, Range.PER_TILE);

        int width = Math.max(MIN_WIDTH, tiles.getWidth() + 2 * MARGIN);
        int height = 2 * MARGIN + HEADER_H + tiles.getHeight();
        BufferedImage img = Canvas.image(width, height);
        Graphics2D g = Canvas.graphics(img);
        String how = C == 1 || C == 3 ? "" : "mean of " + C + " channels, ";
        header(g, width, "Encoder filters: " + K + " × " + C + "×" + R + "×" + S,
                how + "each scaled to its own min (black) … max (white)");
        int x0 = (width - tiles.getWidth()) / 2, y0 = MARGIN + HEADER_H;
        g.drawImage(tiles, x0, y0, null);
        // a hairline round each tile, so light filter edges do not melt into the white page
        int tw = S * scale, th = R * scale;
        g.setColor(Canvas.RULE);
        for (int k = 0; k < K; k++) {
            int tx = x0 + (k % cols) * (tw + FILTER_GAP), ty = y0 + (k / cols) * (th + FILTER_GAP);
            // filled 1-px strips rather than drawRect: an antialiased outline would bleed into the tile's edge pixels
            g.fillRect(tx - 1, ty - 1, tw + 2, 1);
            g.fillRect(tx - 1, ty + th, tw + 2, 1);
            g.fillRect(tx - 1, ty, 1, th);
            g.fillRect(tx + tw, ty, 1, th);
        }
        g.dispose();
        Canvas.writePng(img, png);
    }

    /**
     * Writes the input image (C,H,W) or (1,C,H,W) followed by its K activation maps (K,P,Q) or (1,K,P,Q), each
     * map stretched to its own min..max and captioned with that range; a constant map is mid-grey.
     */
    public static void activations(Path png, Tensor maps, Tensor input) throws IOException {
        checkPath("activations", png);
        Tensor m = dropLeadingOne("activations", "maps", "(K, P, Q) or (1, K, P, Q)", maps);
        Tensor x = dropLeadingOne("activations", "input", "(C, H, W) or (1, C, H, W)", input);
        int K = m.dim(0), P = m.dim(1), Q = m.dim(2);
        int C = x.dim(0), H = x.dim(1), W = x.dim(2);
        Tensor maps4 = m.reshape(K, 1, P, Q);
        Tensor input4 = x.reshape(1, C, H, W);

        int mapScale = scaleFor(Math.max(P, Q), IMAGE_TILE);
        int inScale = scaleFor(Math.max(H, W), IMAGE_TILE);
        int cols = squareColumns(K);
        BufferedImage inputTile = grid(input4, 1, inScale, 0, Range.UNIT);
        BufferedImage mapTiles = grid(maps4, cols, mapScale, MAP_GAP, CAPTION_H, Range.PER_TILE);

        int natural = 2 * MARGIN + inputTile.getWidth() + SECTION_GAP + mapTiles.getWidth();
        int width = Math.max(MIN_WIDTH, natural);
        int height = 2 * MARGIN + HEADER_H + CAPTION_H + Math.max(inputTile.getHeight(), mapTiles.getHeight());
        BufferedImage img = Canvas.image(width, height);
        Graphics2D g = Canvas.graphics(img);
        header(g, width, "Activation maps: " + K + " × " + P + "×" + Q,
                "each map scaled to its own min … max; constant maps are grey");

        int top = MARGIN + HEADER_H;
        int xIn = (width - natural) / 2 + MARGIN;
        g.drawImage(inputTile, xIn, top, null);
        caption(g, "input", C + "×" + H + "×" + W, xIn, top + inputTile.getHeight(), inputTile.getWidth());
        int rule = xIn + inputTile.getWidth() + SECTION_GAP / 2;
        g.setColor(Canvas.RULE);
        g.fillRect(rule, top, 1, height - top - MARGIN);

        int xMaps = xIn + inputTile.getWidth() + SECTION_GAP;
        g.drawImage(mapTiles, xMaps, top, null);
        int tw = Q * mapScale, th = P * mapScale;
        for (int k = 0; k < K; k++) {
            int tx = xMaps + (k % cols) * (tw + MAP_GAP);
            int ty = top + (k / cols) * (th + CAPTION_H);
            caption(g, "map " + k, rangeText(m.data, k * P * Q, P * Q), tx, ty + th, tw + MAP_GAP - 2);
        }
        g.dispose();
        Canvas.writePng(img, png);
    }

    /**
     * Writes a line chart of the train loss and, unless {@code testLoss} is null, the test MSE over epochs
     * 1..E; non-finite values are skipped and the y axis turns logarithmic beyond 1.5 decades.
     */
    public static void lossCurve(Path png, double[] trainLoss, double[] testLoss, String yLabel) throws IOException {
        checkPath("lossCurve", png);
        if (trainLoss == null || trainLoss.length == 0) {
            throw new IllegalArgumentException("lossCurve: expected trainLoss with at least 1 epoch, got "
                    + (trainLoss == null ? "null" : "0 values"));
        }
        if (testLoss != null && testLoss.length != trainLoss.length) {
            throw new IllegalArgumentException("lossCurve: expected testLoss with one value per epoch ("
                    + trainLoss.length + ", like trainLoss) or null, got " + testLoss.length + " values");
        }
        if (yLabel == null) throw new IllegalArgumentException("lossCurve: expected a yLabel, got null");
        Canvas.writePng(LossChart.draw(trainLoss, testLoss, yLabel), png);
    }

    /**
     * Writes images (N,C,H,W) as columns of three tiles: the image, its reconstruction, and the per-pixel residual
     * |x − x̂| (mean over channels) as a heat map on a scale shared by all columns (black 0 … yellow at the largest
     * residual shown), each column captioned; with {@code withImages} false only the heat maps are drawn, larger,
     * with a colour bar. Anomalous images, their reconstructions and where they differ.
     */
    public static void residuals(Path png, Tensor inputs, Tensor outputs, String[] captions, String title, boolean withImages)
            throws IOException {
        checkPath("residuals", png);
        checkImages("residuals", "inputs", "(N, C, H, W)", inputs);
        if (outputs == null || !outputs.hasShape(inputs.shape())) {
            throw new IllegalArgumentException("residuals: expected outputs of the inputs' shape " + inputs.shapeString()
                    + ", got " + (outputs == null ? "null" : outputs.shapeString()));
        }
        int N = inputs.dim(0), C = inputs.dim(1), H = inputs.dim(2), W = inputs.dim(3);
        if (captions == null || captions.length != N) {
            throw new IllegalArgumentException("residuals: expected " + N + " captions, got " + (captions == null ? "null" : captions.length));
        }
        float[] res = new float[N * H * W];
        float max = 0;
        for (int n = 0; n < N; n++) {
            for (int i = 0; i < H * W; i++) {
                float s = 0;
                for (int c = 0; c < C; c++) {
                    int k = (n * C + c) * H * W + i;
                    s += Math.abs(inputs.data[k] - outputs.data[k]);
                }
                res[n * H * W + i] = s / C;
                if (Float.isFinite(res[n * H * W + i])) max = Math.max(max, res[n * H * W + i]);
            }
        }
        int scale = scaleFor(Math.max(H, W), withImages ? IMAGE_TILE : 2 * IMAGE_TILE - 28);
        int tw = W * scale, th = H * scale;
        int cols = Math.min(N, withImages ? 8 : 6), blocks = ceilDiv(N, cols);
        int tiles = withImages ? 3 : 1;
        int colW = tw + MAP_GAP, blockH = tiles * th + (tiles - 1) * GAP + CAPTION_H + PAIR_GAP;
        int labelW = withImages ? LABEL_W : 0, barW = withImages ? 0 : 90;
        int natural = 2 * MARGIN + labelW + cols * colW - MAP_GAP + barW;
        int width = Math.max(MIN_WIDTH, natural), height = 2 * MARGIN + HEADER_H + blocks * blockH - PAIR_GAP;
        BufferedImage img = Canvas.image(width, height);
        Graphics2D g = Canvas.graphics(img);
        header(g, width, title, "residual |x − x̂| on a shared scale: black 0 … yellow " + short3(max)
                + (withImages ? "; images on [0, 1]" : ""));
        int x0 = (width - natural) / 2 + MARGIN + labelW;
        for (int n = 0; n < N; n++) {
            int bx = x0 + (n % cols) * colW, by = MARGIN + HEADER_H + (n / cols) * blockH;
            int ty = by;
            if (withImages) {
                g.drawImage(grid(slice(inputs, n, n + 1), 1, scale, 0, Range.UNIT), bx, ty, null);
                g.drawImage(grid(slice(outputs, n, n + 1), 1, scale, 0, Range.UNIT), bx, ty + th + GAP, null);
                ty += 2 * (th + GAP);
            }
            BufferedImage heat = new BufferedImage(tw, th, BufferedImage.TYPE_INT_RGB);
            for (int h = 0; h < H; h++) {
                for (int w = 0; w < W; w++) {
                    float v = res[(n * H + h) * W + w];
                    int rgb = Float.isNaN(v) ? NAN_RGB : heatRgb(max > 0 ? v / max : 0);
                    for (int dy = 0; dy < scale; dy++) for (int dx = 0; dx < scale; dx++) heat.setRGB(w * scale + dx, h * scale + dy, rgb);
                }
            }
            g.drawImage(heat, bx, ty, null);
            caption(g, captions[n], "", bx, ty + th, tw + MAP_GAP - 2);
            if (withImages && n % cols == 0) {
                int right = bx - 10;
                Canvas.text(g, "input", right, Canvas.baselineCentredOn(g, LABEL, by + th / 2.0), 1, LABEL, Canvas.INK, LABEL_W - 14);
                Canvas.text(g, "reconstruction", right, Canvas.baselineCentredOn(g, LABEL, by + th + GAP + th / 2.0), 1, LABEL,
                        Canvas.INK, LABEL_W - 14);
                Canvas.text(g, "|x − x̂|", right, Canvas.baselineCentredOn(g, LABEL, by + 2 * (th + GAP) + th / 2.0), 1, LABEL,
                        Canvas.INK, LABEL_W - 14);
            }
        }
        if (!withImages) { // colour bar
            int bx = x0 + cols * colW + 16, by = MARGIN + HEADER_H, bh = Math.min(height - by - MARGIN, 3 * th);
            for (int i = 0; i < bh; i++) {
                g.setColor(new java.awt.Color(heatRgb(1 - (double) i / Math.max(1, bh - 1))));
                g.fillRect(bx, by + i, 16, 1);
            }
            Canvas.text(g, short3(max), bx + 22, by + 10, 0, CAPTION, Canvas.INK, 60);
            Canvas.text(g, "0", bx + 22, by + bh, 0, CAPTION, Canvas.INK, 60);
        }
        g.dispose();
        Canvas.writePng(img, png);
    }

    /** A perceptually ordered black–purple–red–yellow colour map ("inferno"-like) at t in [0, 1]. */
    static int heatRgb(double t) {
        double[][] stops = {{0, 0, 4}, {87, 16, 110}, {188, 55, 84}, {249, 142, 9}, {252, 255, 164}};
        double u = Math.max(0, Math.min(1, t)) * (stops.length - 1);
        int i = Math.min((int) u, stops.length - 2);
        double f = u - i;
        int r = (int) Math.round(stops[i][0] + f * (stops[i + 1][0] - stops[i][0]));
        int gr = (int) Math.round(stops[i][1] + f * (stops[i + 1][1] - stops[i][1]));
        int b = (int) Math.round(stops[i][2] + f * (stops[i + 1][2] - stops[i][2]));
        return (r << 16) | (gr << 8) | b;
    }

    /**
     * Lays out images (N,C,H,W) as a grid of {@code columns} tiles per row (fewer if N is smaller), each
     * enlarged {@code scale} times by pixel repetition, with {@code gap} white pixels between tiles.
     * Size: (cols·W·scale + (cols−1)·gap) × (rows·H·scale + (rows−1)·gap); NaN pixels are red.
     */
    public static BufferedImage grid(Tensor images, int columns, int scale, int gap, Range range) {
        return grid(images, columns, scale, gap, gap, range);
    }

    /** {@link #grid(Tensor, int, int, int, Range)} with separate horizontal and vertical gaps. */
    static BufferedImage grid(Tensor images, int columns, int scale, int hgap, int vgap, Range range) {
        checkImages("grid", "images", "(N, C, H, W)", images);
        if (columns < 1 || scale < 1 || hgap < 0 || vgap < 0 || range == null) {
            throw new IllegalArgumentException("grid: expected columns >= 1, scale >= 1, gaps >= 0 and a range, got "
                    + "columns=" + columns + " scale=" + scale + " gaps=" + hgap + "," + vgap + " range=" + range);
        }
        int N = images.dim(0), C = images.dim(1), H = images.dim(2), W = images.dim(3);
        int cols = Math.min(columns, N), rows = ceilDiv(N, cols);
        long tw = (long) W * scale, th = (long) H * scale;
        long width = cols * tw + (cols - 1L) * hgap, height = rows * th + (rows - 1L) * vgap;
        if (width * height > MAX_PIXELS || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("grid: expected a picture of at most " + MAX_PIXELS + " pixels, got "
                    + width + " × " + height + " for images " + images.shapeString() + " at scale " + scale);
        }
        BufferedImage img = Canvas.image((int) width, (int) height);
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        Arrays.fill(px, Canvas.BACKGROUND.getRGB() & 0xffffff);
        int[] tile = new int[H * W];
        for (int n = 0; n < N; n++) {
            tileRgb(images.data, n, C, H, W, range, tile);
            int x0 = (int) ((n % cols) * (tw + hgap)), y0 = (int) ((n / cols) * (th + vgap));
            for (int h = 0; h < H; h++) {
                for (int dy = 0; dy < scale; dy++) {
                    int rowOff = (y0 + h * scale + dy) * (int) width + x0;
                    for (int w = 0; w < W; w++) {
                        Arrays.fill(px, rowOff + w * scale, rowOff + (w + 1) * scale, tile[h * W + w]);
                    }
                }
            }
        }
        return img;
    }

    /** RGB of image n (C,H,W) as H·W packed pixels: C = 3 in colour, otherwise channel 0 in grey. */
    private static void tileRgb(float[] d, int n, int C, int H, int W, Range range, int[] out) {
        int plane = H * W, off = n * C * plane;
        int channels = C == 3 ? 3 : 1;
        float lo = 0, hi = 1;
        if (range == Range.PER_TILE) {
            lo = Float.POSITIVE_INFINITY;
            hi = Float.NEGATIVE_INFINITY;
            for (int i = off; i < off + channels * plane; i++) {
                if (Float.isFinite(d[i])) {
                    lo = Math.min(lo, d[i]);
                    hi = Math.max(hi, d[i]);
                }
            }
            if (lo > hi) lo = hi = 0; // no finite value at all
        }
        for (int i = 0; i < plane; i++) {
            int r = level(d[off + i], lo, hi);
            int g = channels == 3 ? level(d[off + plane + i], lo, hi) : r;
            int b = channels == 3 ? level(d[off + 2 * plane + i], lo, hi) : r;
            out[i] = r < 0 || g < 0 || b < 0 ? NAN_RGB : (r << 16) | (g << 8) | b;
        }
    }

    /** Grey level 0..255 of v on [lo, hi], clamped; mid-grey when lo = hi; −1 for NaN. */
    static int level(float v, float lo, float hi) {
        if (Float.isNaN(v)) return -1;
        if (!(hi > lo)) return CONSTANT_GREY;
        double t = ((double) v - lo) / ((double) hi - lo);
        return (int) Math.round(255 * Math.max(0, Math.min(1, t)));
    }

    // ---- layout shared with the tests

    /** Integer enlargement that brings {@code size} pixels to at least {@code target} (1 if already as big). */
    static int scaleFor(int size, int target) {
        return Math.max(1, ceilDiv(target, size));
    }

    /** Images per reconstruction row: all of them up to 16, else rows of equal length as near 16 as possible. */
    static int reconstructionColumns(int count) {
        return ceilDiv(count, ceilDiv(count, MAX_COLUMNS));
    }

    /** Left edge of the reconstruction tiles in a picture {@code width} wide. */
    static int reconstructionX0(int count, int W, int H, int width) {
        int tw = W * scaleFor(Math.max(H, W), IMAGE_TILE), cols = reconstructionColumns(count);
        int natural = 2 * MARGIN + LABEL_W + cols * tw + (cols - 1) * GAP;
        return (width - natural) / 2 + MARGIN + LABEL_W;
    }

    /** Top edge of row pair p (its input row) in a reconstruction picture. */
    static int reconstructionY0(int p, int H, int W) {
        int th = H * scaleFor(Math.max(H, W), IMAGE_TILE);
        return MARGIN + HEADER_H + p * (2 * th + GAP + PAIR_GAP);
    }

    /** Columns of a near-square grid of n tiles. */
    static int squareColumns(int n) {
        return (int) Math.ceil(Math.sqrt(n) - 1e-9);
    }

    // ---- drawing

    private static void header(Graphics2D g, int width, String title, String subtitle) {
        int maxW = width - 2 * MARGIN;
        Canvas.text(g, title, width / 2.0, MARGIN + 15, 0.5, TITLE, Canvas.INK, maxW);
        Canvas.text(g, subtitle, width / 2.0, MARGIN + 34, 0.5, SUBTITLE, Canvas.MUTED, maxW);
    }

    private static void caption(Graphics2D g, String name, String detail, int x, int yTop, int maxW) {
        Canvas.text(g, name, x, yTop + 13, 0, CAPTION, Canvas.INK, maxW);
        Canvas.text(g, detail, x, yTop + 26, 0, CAPTION_SMALL, Canvas.MUTED, maxW);
    }

    /** The finite range of n values from off, as {@code 0 … 1.23} or {@code constant 0}. */
    private static String rangeText(float[] d, int off, int n) {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        int nan = 0;
        for (int i = off; i < off + n; i++) {
            if (Float.isFinite(d[i])) {
                lo = Math.min(lo, d[i]);
                hi = Math.max(hi, d[i]);
            } else {
                nan++;
            }
        }
        if (lo > hi) return "no finite values";
        // float noise such as 1e-15 next to a maximum of 2.4 reads as 0
        double tiny = 1e-4 * Math.max(Math.abs(lo), Math.abs(hi));
        double l = Math.abs(lo) < tiny ? 0 : lo, h = Math.abs(hi) < tiny ? 0 : hi;
        String range = lo == hi ? "constant " + short3(lo) : short3(l) + " … " + short3(h);
        return nan == 0 ? range : range + ", " + nan + " non-finite";
    }

    /** v to 3 significant digits, plain between 0.001 and 10^4, scientific otherwise. */
    static String short3(double v) {
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e4) {
            return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
        }
        return String.format(Locale.ROOT, "%.2e", v);
    }

    // ---- tensors

    /** Mean over channels: (K,C,R,S) to (K,1,R,S). */
    private static Tensor channelMean(Tensor w) {
        int K = w.dim(0), C = w.dim(1), plane = w.dim(2) * w.dim(3);
        float[] out = new float[K * plane];
        for (int k = 0; k < K; k++) {
            for (int c = 0; c < C; c++) {
                int wOff = (k * C + c) * plane;
                for (int i = 0; i < plane; i++) out[k * plane + i] += w.data[wOff + i] / C;
            }
        }
        return new Tensor(out, K, 1, w.dim(2), w.dim(3));
    }

    /** Images a (inclusive) to b (exclusive) of an (N,C,H,W) tensor, copied. */
    private static Tensor slice(Tensor t, int a, int b) {
        int per = t.dim(1) * t.dim(2) * t.dim(3);
        return new Tensor(Arrays.copyOfRange(t.data, a * per, b * per), b - a, t.dim(1), t.dim(2), t.dim(3));
    }

    /** A rank-3 tensor as given, or a rank-4 one with leading 1 without it; all dimensions positive. */
    private static Tensor dropLeadingOne(String method, String what, String expected, Tensor t) {
        if (t == null) throw new IllegalArgumentException(method + ": expected " + what + " " + expected + ", got null");
        boolean ok = (t.rank() == 3 || (t.rank() == 4 && t.dim(0) == 1)) && t.size() > 0;
        if (!ok) throw new IllegalArgumentException(method + ": expected " + what + " " + expected + ", got " + t.shapeString());
        return t.rank() == 3 ? t : t.reshape(t.dim(1), t.dim(2), t.dim(3));
    }

    private static void checkImages(String method, String what, String expected, Tensor t) {
        if (t == null) throw new IllegalArgumentException(method + ": expected " + what + " " + expected + ", got null");
        if (t.rank() != 4 || t.size() == 0) {
            throw new IllegalArgumentException(method + ": expected " + what + " " + expected + ", got " + t.shapeString());
        }
    }

    private static void checkPath(String method, Path png) {
        if (png == null) throw new IllegalArgumentException(method + ": expected a PNG path, got null");
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
