package org.cae4j.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on a terminal ({@code epoch 2/5 [#####.....] 412/938 loss 0.00712 812 img/s ETA 0:41}),
 * redrawn at most ten times a second; silent when output is not a terminal, where only the per-epoch lines
 * are printed.
 */
final class ProgressBar {
    private static final int WIDTH = 24;
    private final PrintWriter err;
    private final boolean enabled;
    private long lastDraw;
    private int lastLength;
    private String phase = "";

    ProgressBar(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    /** Text put before "epoch" on the bar, e.g. {@code "layer 1/2 "} while a stacked CAE pretrains; "" by default. */
    void phase(String text) { phase = text; }

    /** Whether this JVM writes to a terminal (a console is attached). */
    static boolean interactive() { return System.console() != null; }

    /**
     * {@link #update} for a training listener's batch: the time left is the rest of this epoch and the epochs
     * after it, at the current images per second.
     */
    void onBatch(int epoch, int epochs, int batch, int batches, int batchSize, double loss, double imagesPerSecond) {
        double left = ((double) (batches - batch) + (double) (epochs - epoch) * batches) * batchSize / imagesPerSecond;
        update(epoch, epochs, batch, batches, loss, imagesPerSecond, left);
    }

    void update(int epoch, int epochs, int batch, int batches, double loss, double imagesPerSecond, double secondsLeft) {
        if (!enabled) return;
        long now = System.nanoTime();
        if (batch != batches && now - lastDraw < 100_000_000L) return;
        lastDraw = now;
        int filled = (int) ((long) WIDTH * batch / batches);
        String line = phase + String.format(Locale.ROOT, "epoch %d/%d [%s%s] %d/%d loss %.5f %.0f img/s ETA %s",
                epoch, epochs, "#".repeat(filled), ".".repeat(WIDTH - filled), batch, batches, loss, imagesPerSecond,
                clock(secondsLeft));
        err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        err.flush();
        lastLength = line.length();
    }

    /** Clears the bar so the next line starts clean. */
    void clear() {
        if (!enabled || lastLength == 0) return;
        err.print("\r" + " ".repeat(lastLength) + "\r");
        err.flush();
        lastLength = 0;
    }

    static String clock(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) return "?";
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
