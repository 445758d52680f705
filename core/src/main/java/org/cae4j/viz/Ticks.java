package org.cae4j.viz;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An axis range widened to round numbers, with the tick values on it: linear (1, 2, 2.5 or 5 × 10^k steps)
 * or logarithmic (powers of ten, or 1-2-5 multiples when the range spans few decades).
 *
 * <p>Linear ticks follow Heckbert, "Nice numbers for graph labels", Graphics Gems (1990).
 */
record Ticks(double lo, double hi, double[] values, boolean log) {

    /**
     * Linear axis covering [min, max] padded by 4% each side (not below 0 when min is not), with about
     * {@code target} ticks; a zero-width range is widened by 10% of its value.
     */
    static Ticks linear(double min, double max, int target) {
        checkRange(min, max);
        double pad = min == max ? (min == 0 ? 1 : Math.abs(min) * 0.1) : (max - min) * 0.04;
        min = min >= 0 ? Math.max(0, min - pad) : min - pad;
        max += pad;
        double step = niceStep((max - min) / Math.max(1, target - 1));
        double lo = Math.floor(min / step + 1e-9) * step;
        double hi = Math.ceil(max / step - 1e-9) * step;
        return new Ticks(lo, hi, multiples(lo, hi, step), false);
    }

    /** Integer axis for epochs 1..E, padded by 3% of its length (at least half an epoch) so end points clear the frame. */
    static Ticks epochs(int epochs, int target) {
        if (epochs < 1) throw new IllegalArgumentException("expected at least 1 epoch, got " + epochs);
        double pad = Math.max(0.5, 0.03 * (epochs - 1));
        if (epochs == 1) return new Ticks(1 - pad, 1 + pad, new double[] {1}, false);
        double step = Math.max(1, niceStep((epochs - 1) / (double) Math.max(1, target - 1)));
        step = Math.rint(step); // 2.5 rounds to 2: epoch ticks are whole numbers
        List<Double> ticks = new ArrayList<>();
        // epoch 1 is labelled too, unless it would crowd the first multiple of the step (1 next to 2)
        if (step == 1 || step - 1 >= 0.75 * step) ticks.add(1.0);
        for (double t = step; t <= epochs + 1e-9; t += step) {
            if (t > 1) ticks.add(t);
        }
        return new Ticks(1 - pad, epochs + pad, ticks.stream().mapToDouble(Double::doubleValue).toArray(), false);
    }

    /** Logarithmic axis covering [min, max], both positive, widened to 1-2-5 values (powers of ten beyond 3 decades). */
    static Ticks log(double min, double max) {
        checkRange(min, max);
        if (!(min > 0)) throw new IllegalArgumentException("log axis needs positive values, got min " + min);
        int kLo = (int) Math.floor(Math.log10(min) + 1e-9);
        int kHi = (int) Math.ceil(Math.log10(max) - 1e-9);
        if (kHi == kLo) kHi++;
        boolean fine = kHi - kLo <= 3;
        double[] mantissas = fine ? new double[] {1, 2, 5} : new double[] {1};
        List<Double> all = new ArrayList<>();
        for (int k = kLo; k <= kHi; k++) {
            for (double m : mantissas) all.add(m * Math.pow(10, k));
        }
        // the range is the tightest pair of candidates enclosing [min, max]
        double lo = all.get(0), hi = all.get(all.size() - 1);
        for (double v : all) if (v <= min * (1 + 1e-9)) lo = v;
        for (int i = all.size() - 1; i >= 0; i--) if (all.get(i) >= max * (1 - 1e-9)) hi = all.get(i);
        final double l = lo, h = hi;
        double[] values = all.stream().mapToDouble(Double::doubleValue).filter(v -> v >= l && v <= h).toArray();
        return new Ticks(lo, hi, values, true);
    }

    /** True when [min, max] (positive) spans more than {@code decades} powers of ten. */
    static boolean spansDecades(double min, double max, double decades) {
        return min > 0 && Math.log10(max / min) > decades;
    }

    /** Position of {@code v} on this axis as a fraction of its length, 0 at lo and 1 at hi. */
    double fraction(double v) {
        if (log) return (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
        return (v - lo) / (hi - lo);
    }

    /** Tick labels, with as many decimals as the step needs and no more. */
    String[] labels() {
        String[] out = new String[values.length];
        if (log) {
            for (int i = 0; i < values.length; i++) out[i] = compact(values[i]);
            return out;
        }
        double step = values.length > 1 ? values[1] - values[0] : Math.abs(values[0]);
        double big = Math.max(Math.abs(lo), Math.abs(hi));
        if (big >= 1e5 || (big > 0 && big < 1e-3)) {
            for (int i = 0; i < values.length; i++) out[i] = scientific(values[i], step);
            return out;
        }
        int decimals = step > 0 ? Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9)) : 0;
        if (step > 0 && Math.abs(step * Math.pow(10, decimals) - Math.rint(step * Math.pow(10, decimals))) > 1e-6) {
            decimals++; // steps like 0.25 need one more digit than their magnitude suggests
        }
        for (int i = 0; i < values.length; i++) {
            double v = Math.abs(values[i]) < step * 1e-9 ? 0 : values[i];
            out[i] = String.format(Locale.ROOT, "%." + decimals + "f", v);
        }
        return out;
    }

    /** A short label for a 1-2-5 value: {@code 0.02}, {@code 500}, {@code 1e-5}, {@code 2e6}. */
    static String compact(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) {
            int k = (int) Math.floor(Math.log10(a) + 1e-9);
            double m = v / Math.pow(10, k);
            String ms = Math.abs(m - Math.rint(m)) < 1e-9 ? String.valueOf((long) Math.rint(m))
                    : String.format(Locale.ROOT, "%.1f", m);
            return ms + "e" + k;
        }
        String s = String.format(Locale.ROOT, "%.6f", v).replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String scientific(double v, double step) {
        if (v == 0) return "0";
        int k = (int) Math.floor(Math.log10(Math.abs(v)) + 1e-9);
        int stepK = (int) Math.floor(Math.log10(step) + 1e-9);
        int decimals = Math.max(0, k - stepK);
        return String.format(Locale.ROOT, "%." + decimals + "fe%d", v / Math.pow(10, k), k);
    }

    private static double niceStep(double raw) {
        double k = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / k;
        double nice = f < 1.5 ? 1 : f < 2.25 ? 2 : f < 3.5 ? 2.5 : f < 7.5 ? 5 : 10;
        return nice * k;
    }

    private static double[] multiples(double lo, double hi, double step) {
        int n = (int) Math.round((hi - lo) / step) + 1;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = lo + i * step;
        return v;
    }

    private static void checkRange(double min, double max) {
        if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
            throw new IllegalArgumentException("expected a finite range min <= max, got [" + min + ", " + max + "]");
        }
    }
}
