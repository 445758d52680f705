package org.cae4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Inverted dropout: the mask's values and rate, its reuse in backward, seeding, and evaluation mode. */
class DropoutTest {

    private static Tensor ones(int n) {
        Tensor t = new Tensor(n);
        Arrays.fill(t.data, 1f);
        return t;
    }

    @Test
    void trainingZeroesAboutPAndScalesTheRestByOneOverOneMinusP() {
        Dropout d = new Dropout(0.25, new Rng(7));
        Tensor y = d.forward(ones(20000));
        int dropped = 0;
        double sum = 0;
        for (float v : y.data) {
            assertTrue(v == 0f || v == 4f / 3, "value " + v + " is neither 0 nor 1/(1 − 0.25)");
            if (v == 0f) dropped++;
            sum += v;
        }
        // binomial(20000, 0.25): standard deviation 61, so ±300 is about 5σ
        assertEquals(5000, dropped, 300);
        assertEquals(1.0, sum / y.size(), 0.03, "inverted dropout keeps the mean");
    }

    @Test
    void backwardAppliesTheSameMask() {
        Dropout d = new Dropout(0.5, new Rng(1));
        Tensor x = new Tensor(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4);
        Tensor y = d.forward(x).copy();
        Tensor dx = d.backward(ones(8).reshape(2, 4));
        for (int i = 0; i < 8; i++) {
            assertEquals(d.lastMask().data[i], dx.data[i], 0f, "dx[" + i + "]");
            assertEquals(x.data[i] * d.lastMask().data[i], y.data[i], 0f, "y[" + i + "]");
        }
    }

    @Test
    void aSeedFixesTheMasks() {
        Tensor a = new Dropout(0.5, new Rng(42)).forward(ones(64)).copy();
        Tensor b = new Dropout(0.5, new Rng(42)).forward(ones(64)).copy();
        Tensor c = new Dropout(0.5, new Rng(43)).forward(ones(64)).copy();
        assertArrayEquals(a.data, b.data);
        assertTrue(!Arrays.equals(a.data, c.data), "another seed should give another mask");
    }

    @Test
    void evaluationIsTheIdentity() {
        Dropout d = new Dropout(0.9, new Rng(0));
        d.train(false);
        Tensor x = new Tensor(new float[] {1, -2, 3}, 1, 3);
        assertSame(x, d.forward(x));
        assertNull(d.lastMask());
        Tensor dy = new Tensor(new float[] {4, 5, 6}, 1, 3);
        assertSame(dy, d.backward(dy));
    }

    @Test
    void pZeroKeepsEverythingAndPOneDropsEverything() {
        assertArrayEquals(ones(10).data, new Dropout(0, new Rng(0)).forward(ones(10)).data);
        assertArrayEquals(new float[10], new Dropout(1, new Rng(0)).forward(ones(10)).data);
    }

    @Test
    void dropoutChecksItsArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5, new Rng(0)));
        assertEquals("Dropout: probability p must be between 0 and 1, got 1.5", e.getMessage());
        assertThrows(IllegalStateException.class, () -> new Dropout(new Rng(0)).backward(new Tensor(1)));
        assertEquals("Dropout(p=0.5)", new Dropout(new Rng(0)).toString());
    }
}
