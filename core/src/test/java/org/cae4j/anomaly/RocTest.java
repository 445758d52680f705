package org.cae4j.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cae4j.tensor.Rng;
import org.junit.jupiter.api.Test;

class RocTest {
    static final boolean T = true, F = false;

    @Test
    void perfectReversedAndHandCountedCases() {
        assertEquals(1.0, Roc.auc(new double[] {0.1, 0.2, 0.8, 0.9}, new boolean[] {F, F, T, T}));
        assertEquals(0.0, Roc.auc(new double[] {0.1, 0.2, 0.8, 0.9}, new boolean[] {T, T, F, F}));
        // positives 0.35, 0.8; negatives 0.1, 0.4: pairs (0.35 > 0.1), (0.35 < 0.4), (0.8 > both) → 3 of 4
        assertEquals(0.75, Roc.auc(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {F, F, T, T}));
    }

    @Test
    void tiesCountOneHalf() {
        // all equal: every pair is a tie
        assertEquals(0.5, Roc.auc(new double[] {1, 1, 1, 1, 1}, new boolean[] {T, F, F, T, F}));
        // positives {2, 3}, negatives {1, 2, 2}: 2 vs (1, 2, 2) = 1 + ½ + ½; 3 vs all = 3 → 5 of 6
        assertEquals(5 / 6.0, Roc.auc(new double[] {2, 3, 1, 2, 2}, new boolean[] {T, T, F, F, F}), 1e-15);
    }

    @Test
    void aucIsTheTrapezoidalAreaUnderTheCurveAndTheFractionOfPairs() {
        Rng rng = new Rng(4);
        int n = 300;
        double[] s = new double[n];
        boolean[] p = new boolean[n];
        for (int i = 0; i < n; i++) {
            p[i] = i % 3 == 0;
            s[i] = Math.round((rng.nextGaussian() + (p[i] ? 1 : 0)) * 4) / 4.0; // coarse, so many ties
        }
        double pairs = 0;
        long count = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (p[i] && !p[j]) {
                    pairs += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                    count++;
                }
            }
        }
        Roc.Point[] c = Roc.curve(s, p);
        double area = 0;
        for (int i = 1; i < c.length; i++) area += (c[i].fpr() - c[i - 1].fpr()) * (c[i].tpr() + c[i - 1].tpr()) / 2;
        assertEquals(pairs / count, Roc.auc(s, p), 1e-12);
        assertEquals(pairs / count, area, 1e-12);
        assertEquals(1.0, c[c.length - 1].fpr());
        assertEquals(1.0, c[c.length - 1].tpr());
    }

    @Test
    void oneClassOnlyIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Roc.auc(new double[] {1, 2}, new boolean[] {T, T}));
        assertTrue(e.getMessage().contains("2 positives of 2"), e.getMessage());
    }
}
