package org.cae4j.anomaly;

import java.util.Arrays;

/**
 * The receiver operating characteristic of a score that should be higher for positives (anomalies) than for
 * negatives (normal images), and the area under it.
 *
 * <p>The AUC is computed exactly as the Mann–Whitney statistic: the probability that a random positive scores
 * higher than a random negative, a tie counting one half,
 * <pre>
 *   AUC = (R₊ − n₊(n₊ + 1)/2) / (n₊·n₋),   R₊ = the sum of the positives' ranks, tied scores taking their mean rank
 * </pre>
 * which equals the trapezoidal area under the ROC curve whose points are taken at every distinct score.
 */
public final class Roc {
    private Roc() {}

    /** A point of the curve: false and true positive rates when everything scoring ≥ {@code threshold} is called positive. */
    public record Point(double fpr, double tpr, double threshold) {}

    /** The AUC of {@code scores} against {@code positive}; NaN scores are refused. */
    public static double auc(double[] scores, boolean[] positive) {
        int n = check(scores, positive);
        Integer[] order = order(scores);
        double rankSumPos = 0;
        long pos = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) j++;
            double meanRank = (i + 1 + j + 1) / 2.0; // ranks i+1 .. j+1, ascending scores
            for (int t = i; t <= j; t++) {
                if (positive[order[t]]) {
                    rankSumPos += meanRank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /** The curve from (0, 0) to (1, 1), one point per distinct score, thresholds descending. */
    public static Point[] curve(double[] scores, boolean[] positive) {
        int n = check(scores, positive);
        Integer[] order = order(scores);
        long pos = 0;
        for (boolean p : positive) if (p) pos++;
        long neg = n - pos;
        java.util.List<Point> pts = new java.util.ArrayList<>();
        pts.add(new Point(0, 0, Double.POSITIVE_INFINITY));
        long tp = 0, fp = 0;
        for (int i = n - 1; i >= 0; ) {
            int j = i;
            while (j - 1 >= 0 && scores[order[j - 1]] == scores[order[i]]) j--;
            for (int t = j; t <= i; t++) {
                if (positive[order[t]]) tp++;
                else fp++;
            }
            pts.add(new Point((double) fp / neg, (double) tp / pos, scores[order[i]]));
            i = j - 1;
        }
        return pts.toArray(new Point[0]);
    }

    private static Integer[] order(double[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        return order;
    }

    private static int check(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException("ROC: " + scores.length + " scores but " + positive.length + " labels");
        }
        int pos = 0;
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) throw new IllegalArgumentException("ROC: score " + i + " is NaN");
            if (positive[i]) pos++;
        }
        if (pos == 0 || pos == scores.length) {
            throw new IllegalArgumentException("ROC: needs both positives and negatives, got " + pos + " positives of "
                    + scores.length);
        }
        return scores.length;
    }
}
