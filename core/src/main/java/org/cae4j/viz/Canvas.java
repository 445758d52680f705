package org.cae4j.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.channels.Channels;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.cae4j.io.AtomicFile;

/** Java2D plumbing shared by the pictures: an antialiased white canvas, fonts, text that fits, atomic PNG files. */
final class Canvas {
    static {
        // cae4j never opens a window; decide headless before AWT initialises, unless the caller already chose.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    static final Color BACKGROUND = Color.WHITE;
    static final Color INK = new Color(0x22, 0x22, 0x22);
    static final Color MUTED = new Color(0x6b, 0x6b, 0x6b);
    static final Color RULE = new Color(0xc8, 0xc8, 0xc8);
    /** Smallest font size text is shrunk to before it is cut short with an ellipsis. */
    private static final int MIN_FONT = 9;

    private Canvas() {}

    /** A white RGB image of w × h pixels. */
    static BufferedImage image(int w, int h) {
        return new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    }

    /** Graphics on {@code img}, cleared to white, with antialiasing on for shapes and text. */
    static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        return g;
    }

    /** The logical SansSerif font, which every JDK maps to an installed face, headless or not. */
    static Font sans(int style, int size) {
        return new Font(Font.SANS_SERIF, style, size);
    }

    /** Draws {@code text} with its baseline at y, anchored at x by {@code align} (0 left, 0.5 centre, 1 right), shrunk to fit maxWidth. */
    static void text(Graphics2D g, String text, double x, double y, double align, Font font, Color color, int maxWidth) {
        Font f = font;
        FontMetrics fm = g.getFontMetrics(f);
        while (fm.stringWidth(text) > maxWidth && f.getSize() > MIN_FONT) {
            f = f.deriveFont((float) (f.getSize() - 1));
            fm = g.getFontMetrics(f);
        }
        String shown = text;
        while (fm.stringWidth(shown) > maxWidth && shown.length() > 1) {
            shown = shown.substring(0, shown.length() - 2) + "…";
        }
        g.setFont(f);
        g.setColor(color);
        g.drawString(shown, (float) (x - align * fm.stringWidth(shown)), (float) y);
    }

    /** Baseline that centres a line of {@code font} vertically on y. */
    static double baselineCentredOn(Graphics2D g, Font font, double y) {
        FontMetrics fm = g.getFontMetrics(font);
        return y + (fm.getAscent() - fm.getDescent()) / 2.0;
    }

    /** Writes {@code img} to {@code png} through a temporary file in the same folder and a rename, so readers never see half a file. */
    static void writePng(BufferedImage img, Path png) throws IOException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        AtomicFile.write(png, ch -> {
            if (!ImageIO.write(img, "png", Channels.newOutputStream(ch))) {
                throw new IOException("no PNG writer available in this JDK");
            }
        });
    }
}
