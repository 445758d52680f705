package org.cae4j.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

/** The loss-per-epoch line chart behind {@link Pictures#lossCurve}: axes, nice ticks, two series and a legend. */
final class LossChart {
    static final int WIDTH = 800, HEIGHT = 480;
    // plot area insets: room for the title above, tick labels and axis titles left and below
    static final int LEFT = 86, RIGHT = 28, TOP = 64, BOTTOM = 62;
    /** Up to this many epochs every point gets a marker; beyond, only points with no neighbour to join. */
    static final int MARKER_EPOCHS = 30;
    /** The y axis turns logarithmic when the positive values span more than this many powers of ten. */
    static final double LOG_DECADES = 1.5;

    static final Color TRAIN = new Color(0x1f, 0x77, 0xb4);
    static final Color TEST = new Color(0xff, 0x7f, 0x0e);
    private static final Color GRID = new Color(0xe8, 0xe8, 0xe8);
    private static final Color AXIS = new Color(0x55, 0x55, 0x55);

    private static final Font TITLE = Canvas.sans(Font.BOLD, 16);
    private static final Font NOTE = Canvas.sans(Font.PLAIN, 12);
    private static final Font TICK = Canvas.sans(Font.PLAIN, 12);
    private static final Font AXIS_TITLE = Canvas.sans(Font.PLAIN, 13);
    private static final Font LEGEND = Canvas.sans(Font.PLAIN, 13);

    private LossChart() {}

    /** The chart of trainLoss and testLoss (null: no test series) over epochs 1..E, WIDTH × HEIGHT pixels. */
    static BufferedImage draw(double[] trainLoss, double[] testLoss, String yLabel) {
        int epochs = trainLoss.length;
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        int skipped = 0;
        for (double[] series : testLoss == null ? new double[][] {trainLoss} : new double[][] {trainLoss, testLoss}) {
            for (double v : series) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                } else {
                    skipped++;
                }
            }
        }
        boolean any = min <= max;
        boolean log = any && Ticks.spansDecades(min, max, LOG_DECADES);
        Ticks y = !any ? Ticks.linear(0, 1, 6) : log ? Ticks.log(min, max) : Ticks.linear(min, max, 6);
        Ticks x = Ticks.epochs(epochs, 10);

        BufferedImage img = Canvas.image(WIDTH, HEIGHT);
        Graphics2D g = Canvas.graphics(img);
        Rectangle2D.Double plot = new Rectangle2D.Double(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);

        String title = testLoss == null ? "Train loss per epoch" : "Train loss and test MSE per epoch";
        Canvas.text(g, title, WIDTH / 2.0, 26, 0.5, TITLE, Canvas.INK, WIDTH - 40);
        String note = (log ? "log scale" : "linear scale") + ", " + epochs + " epoch" + (epochs == 1 ? "" : "s")
                + (skipped == 0 ? "" : ", " + skipped + " non-finite value" + (skipped == 1 ? "" : "s") + " skipped");
        Canvas.text(g, note, WIDTH / 2.0, 45, 0.5, NOTE, Canvas.MUTED, WIDTH - 40);

        drawAxes(g, plot, x, y, yLabel);
        if (!any) {
            Canvas.text(g, "no finite values to plot", plot.getCenterX(), plot.getCenterY(), 0.5, AXIS_TITLE,
                    Canvas.MUTED, (int) plot.width);
        }
        g.setClip(new Rectangle2D.Double(plot.x - 6, plot.y - 6, plot.width + 12, plot.height + 12));
        boolean allMarkers = epochs <= MARKER_EPOCHS;
        if (testLoss != null) drawSeries(g, plot, x, y, testLoss, TEST, allMarkers);
        drawSeries(g, plot, x, y, trainLoss, TRAIN, allMarkers);
        g.setClip(null);
        drawLegend(g, plot, trainLoss, testLoss, allMarkers);
        g.dispose();
        return img;
    }

    private static void drawAxes(Graphics2D g, Rectangle2D.Double plot, Ticks x, Ticks y, String yLabel) {
        String[] yText = y.labels();
        String[] xText = x.labels();
        g.setStroke(new BasicStroke(1f));
        for (int i = 0; i < y.values().length; i++) {
            double py = yPixel(plot, y, y.values()[i]);
            g.setColor(GRID);
            g.draw(new Line2D.Double(plot.x, py, plot.getMaxX(), py));
            g.setColor(AXIS);
            g.draw(new Line2D.Double(plot.x - 5, py, plot.x, py));
            Canvas.text(g, yText[i], plot.x - 9, Canvas.baselineCentredOn(g, TICK, py), 1, TICK, Canvas.INK, LEFT - 30);
        }
        for (int i = 0; i < x.values().length; i++) {
            double px = xPixel(plot, x, x.values()[i]);
            g.setColor(GRID);
            g.draw(new Line2D.Double(px, plot.y, px, plot.getMaxY()));
            g.setColor(AXIS);
            g.draw(new Line2D.Double(px, plot.getMaxY(), px, plot.getMaxY() + 5));
            Canvas.text(g, xText[i], px, plot.getMaxY() + 21, 0.5, TICK, Canvas.INK, 60);
        }
        g.setColor(AXIS);
        g.draw(new Line2D.Double(plot.x, plot.y, plot.x, plot.getMaxY()));
        g.draw(new Line2D.Double(plot.x, plot.getMaxY(), plot.getMaxX(), plot.getMaxY()));

        Canvas.text(g, "epoch", plot.getCenterX(), HEIGHT - 16, 0.5, AXIS_TITLE, Canvas.INK, (int) plot.width);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        // rotated frame: x runs up the picture (negated), y runs right
        Canvas.text(g, yLabel + (y.log() ? " (log)" : ""), -plot.getCenterY(), 20, 0.5, AXIS_TITLE, Canvas.INK,
                (int) plot.height);
        g.setTransform(saved);
    }

    /** Draws one series as a polyline broken at non-finite values, with markers where asked or where a point stands alone. */
    private static void drawSeries(Graphics2D g, Rectangle2D.Double plot, Ticks x, Ticks y, double[] v, Color color,
                                   boolean allMarkers) {
        Path2D.Double line = new Path2D.Double();
        boolean penDown = false;
        for (int i = 0; i < v.length; i++) {
            if (!plottable(v[i], y)) {
                penDown = false;
                continue;
            }
            double px = xPixel(plot, x, i + 1), py = yPixel(plot, y, v[i]);
            if (penDown) line.lineTo(px, py);
            else line.moveTo(px, py);
            penDown = true;
        }
        g.setColor(color);
        g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(line);
        for (int i = 0; i < v.length; i++) {
            if (!plottable(v[i], y)) continue;
            boolean alone = (i == 0 || !plottable(v[i - 1], y)) && (i == v.length - 1 || !plottable(v[i + 1], y));
            if (allMarkers || alone) marker(g, xPixel(plot, x, i + 1), yPixel(plot, y, v[i]), color);
        }
    }

    /** Legend in the top-right corner (loss curves fall, so it is usually empty), naming each series and its last finite value. */
    private static void drawLegend(Graphics2D g, Rectangle2D.Double plot, double[] trainLoss, double[] testLoss,
                                   boolean markers) {
        String[] names = testLoss == null ? new String[] {"train loss" + last(trainLoss)}
                : new String[] {"train loss" + last(trainLoss), "test MSE" + last(testLoss)};
        Color[] colors = {TRAIN, TEST};
        int rowH = 22, pad = 10, sample = 28;
        int textW = 0;
        for (String n : names) textW = Math.max(textW, g.getFontMetrics(LEGEND).stringWidth(n));
        double w = pad + sample + 8 + textW + pad, h = pad + names.length * rowH - 4 + pad;
        double bx = plot.getMaxX() - w - 10, by = plot.y + 10;
        Shape box = new java.awt.geom.RoundRectangle2D.Double(bx, by, w, h, 6, 6);
        g.setColor(new Color(255, 255, 255, 230));
        g.fill(box);
        g.setColor(Canvas.RULE);
        g.setStroke(new BasicStroke(1f));
        g.draw(box);
        for (int i = 0; i < names.length; i++) {
            double cy = by + pad + i * rowH + 9;
            g.setColor(colors[i]);
            g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(new Line2D.Double(bx + pad, cy, bx + pad + sample, cy));
            if (markers) marker(g, bx + pad + sample / 2.0, cy, colors[i]);
            Canvas.text(g, names[i], bx + pad + sample + 8, Canvas.baselineCentredOn(g, LEGEND, cy), 0, LEGEND,
                    Canvas.INK, textW + 1);
        }
    }

    /** "  (last 0.00312)" for the last finite value, or nothing when there is none. */
    private static String last(double[] v) {
        for (int i = v.length - 1; i >= 0; i--) {
            if (Double.isFinite(v[i])) return "  (last " + Pictures.short3(v[i]) + ")";
        }
        return "";
    }

    private static void marker(Graphics2D g, double cx, double cy, Color color) {
        Ellipse2D.Double dot = new Ellipse2D.Double(cx - 4, cy - 4, 8, 8);
        g.setColor(color);
        g.fill(dot);
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(1.2f));
        g.draw(dot);
    }

    private static boolean plottable(double v, Ticks y) {
        return Double.isFinite(v) && (!y.log() || v > 0);
    }

    private static double xPixel(Rectangle2D.Double plot, Ticks x, double epoch) {
        return plot.x + x.fraction(epoch) * plot.width;
    }

    private static double yPixel(Rectangle2D.Double plot, Ticks y, double v) {
        return plot.getMaxY() - y.fraction(v) * plot.height;
    }
}
