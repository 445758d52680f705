package org.cae4j.cli;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cae4j.anomaly.Roc;
import org.cae4j.io.AtomicFile;
import org.cae4j.train.Trainer;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The charts of the command line, drawn with XChart and written as PNG (atomically, like every picture of a run):
 * loss per epoch, a 2-d scatter of codes coloured by label, ROC curves and a confusion matrix.
 */
final class Charts {
    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    /** matplotlib's tab10, the usual colours for up to ten classes. */
    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22),
        new Color(0x17becf)};

    /** Fashion-MNIST's class names, label 0 to 9. */
    static final String[] FASHION = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
        "Bag", "Ankle boot"};

    private Charts() {}

    /** A class's name: Fashion-MNIST's for a data set whose name says so, else the label itself. */
    static String className(String dataName, int label) {
        boolean fashion = dataName != null && dataName.toLowerCase(Locale.ROOT).contains("fashion");
        return fashion && label >= 0 && label < FASHION.length ? label + " " + FASHION[label] : Integer.toString(label);
    }

    private static void style(Styler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setChartTitleBoxVisible(false);
        s.setLegendBorderColor(new Color(0xc8c8c8));
        s.setChartFontColor(new Color(0x222222));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        s.setAntiAlias(true);
    }

    /** Train loss and test MSE per epoch; the y axis is logarithmic when the values span more than 1.5 decades. */
    static void loss(Path png, List<Trainer.EpochMetrics> history) throws IOException {
        int e = history.size();
        double[] x = new double[e], train = new double[e], test = new double[e];
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (int i = 0; i < e; i++) {
            x[i] = history.get(i).epoch();
            train[i] = history.get(i).trainLoss();
            test[i] = history.get(i).testMse();
            for (double v : new double[] {train[i], test[i]}) {
                if (Double.isFinite(v) && v > 0) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        XYChart c = new XYChartBuilder().width(800).height(480).title("Train loss and test MSE per epoch")
                .xAxisTitle("epoch").yAxisTitle("loss").build();
        style(c.getStyler());
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setYAxisLogarithmic(lo <= hi && hi / lo > Math.pow(10, 1.5));
        c.getStyler().setXAxisDecimalPattern("0");
        c.getStyler().setYAxisDecimalPattern("0.######");
        c.getStyler().setXAxisMaxLabelCount(Math.min(e, 10));
        addLine(c, "train loss", x, finite(train), PALETTE[0]);
        addLine(c, "test MSE", x, finite(test), PALETTE[1]);
        write(c, png);
    }

    /** Non-finite values become NaN, which XChart leaves out of the line. */
    private static double[] finite(double[] v) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) if (!Double.isFinite(out[i]) || out[i] <= 0) out[i] = Double.NaN;
        return out;
    }

    private static void addLine(XYChart c, String name, double[] x, double[] y, Color color) {
        XYSeries s = c.addSeries(name, x, y);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(SeriesMarkers.CIRCLE);
    }

    /**
     * Points (N, 2) row-major coloured by label (one series per label; all one colour when labels is null).
     */
    static void scatter(Path png, double[] xy, int[] labels, String dataName, String title, String xTitle, String yTitle)
            throws IOException {
        int n = xy.length / 2;
        XYChart c = new XYChartBuilder().width(900).height(720).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(c.getStyler());
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(5);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        int max = 0;
        if (labels != null) for (int l : labels) max = Math.max(max, l);
        for (int k = 0; k <= max; k++) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (labels == null || labels[i] == k) {
                    xs.add(xy[2 * i]);
                    ys.add(xy[2 * i + 1]);
                }
            }
            if (xs.isEmpty()) continue;
            XYSeries s = c.addSeries(labels == null ? "codes" : className(dataName, k), xs, ys);
            Color col = PALETTE[k % PALETTE.length];
            s.setMarkerColor(new Color(col.getRed(), col.getGreen(), col.getBlue(), 170));
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        write(c, png);
    }

    /** ROC curves, one per entry, with their AUC in the legend, and the diagonal of a random score. */
    static void roc(Path png, String title, List<String> names, List<Roc.Point[]> curves, List<Double> aucs) throws IOException {
        XYChart c = new XYChartBuilder().width(800).height(720).title(title).xAxisTitle("false positive rate")
                .yAxisTitle("true positive rate").build();
        style(c.getStyler());
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        c.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        // ticks every 0.1 (XChart otherwise crowds the axis with one label per few pixels)
        c.getStyler().setXAxisDecimalPattern("0.0").setYAxisDecimalPattern("0.0");
        c.getStyler().setXAxisTickMarkSpacingHint(60).setYAxisTickMarkSpacingHint(60);
        c.getStyler().setMarkerSize(0);
        for (int i = 0; i < curves.size(); i++) {
            Roc.Point[] p = curves.get(i);
            double[] x = new double[p.length], y = new double[p.length];
            for (int j = 0; j < p.length; j++) {
                x[j] = p[j].fpr();
                y[j] = p[j].tpr();
            }
            XYSeries s = c.addSeries(String.format(Locale.ROOT, "%s (AUC %.4f)", names.get(i), aucs.get(i)), x, y);
            s.setLineColor(PALETTE[i % PALETTE.length]);
            s.setMarker(SeriesMarkers.NONE);
        }
        XYSeries d = c.addSeries("chance", new double[] {0, 1}, new double[] {0, 1});
        d.setLineColor(new Color(0xb0b0b0));
        d.setMarker(SeriesMarkers.NONE);
        d.setShowInLegend(false);
        write(c, png);
    }

    /** counts[true][predicted] as a heat map with the count in every cell, true class 0 at the top. */
    static void confusion(Path png, int[][] counts, String dataName, String title) throws IOException {
        int k = counts.length;
        List<String> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (int j = 0; j < k; j++) xs.add(className(dataName, j));
        for (int i = k - 1; i >= 0; i--) ys.add(className(dataName, i));
        List<Number[]> cells = new ArrayList<>();
        int max = 1;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                cells.add(new Number[] {j, k - 1 - i, counts[i][j]});
                max = Math.max(max, counts[i][j]);
            }
        }
        int side = Math.max(600, 90 + 62 * k);
        HeatMapChart c = new HeatMapChartBuilder().width(side + 160).height(side).title(title)
                .xAxisTitle("predicted").yAxisTitle("true").build();
        style(c.getStyler());
        c.getStyler().setShowValue(true);
        c.getStyler().setHeatMapValueDecimalPattern("0");
        c.getStyler().setMin(0);
        c.getStyler().setMax(max);
        c.getStyler().setRangeColors(new Color[] {new Color(0xf7fbff), new Color(0x9ecae1), new Color(0x4292c6)});
        c.getStyler().setValueFontColor(new Color(0x222222));
        c.getStyler().setXAxisLabelRotation(45);
        c.addSeries("count", xs, ys, cells);
        write(c, png);
    }

    static void write(Chart<?, ?> chart, Path png) throws IOException {
        byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFile.write(png, ch -> AtomicFile.writeFully(ch, ByteBuffer.wrap(bytes)));
    }
}
