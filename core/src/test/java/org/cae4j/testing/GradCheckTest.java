package org.cae4j.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.UnaryOperator;
import org.cae4j.nn.Layer;
import org.cae4j.nn.Linear;
import org.cae4j.nn.Parameter;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The check itself: it passes a right gradient and fails one a few percent off, or off in one entry only. */
class GradCheckTest {
    /** A Linear(30 → 40) whose dx goes through {@code spoil} after backward. */
    private static Layer linear(UnaryOperator<float[]> spoil) {
        Linear l = new Linear(30, 40, new Rng(1));
        return new Layer() {
            @Override public Tensor forward(Tensor x) { return l.forward(x); }
            @Override public Tensor backward(Tensor dy) {
                Tensor dx = l.backward(dy);
                spoil.apply(dx.data);
                return dx;
            }
            @Override public int[] outputShape(int[] in) { return l.outputShape(in); }
            @Override public List<Parameter> parameters() { return l.parameters(); }
            @Override public void setInputGradNeeded(boolean needed) { l.setInputGradNeeded(needed); }
        };
    }

    private static void check(Layer layer) {
        Rng rng = new Rng(2);
        GradCheck.layer("linear", layer, GradCheck.uniform(rng, -1, 1, 2, 30), rng);
    }

    @Test
    void passesTheRightGradient() {
        check(linear(d -> d));
    }

    @Test
    void failsAGradientThreePercentOff() {
        assertThrows(AssertionFailedError.class, () -> check(linear(d -> {
            for (int i = 0; i < d.length; i++) d[i] *= 1.03f;
            return d;
        })));
    }

    @Test
    void failsOneWrongEntry() {
        // the entry that is smallest in size, off by 5 % of its own value: the smallest is the hardest to tell
        // from the rounding of L
        assertThrows(AssertionFailedError.class, () -> check(linear(d -> {
            int k = 0;
            for (int i = 1; i < d.length; i++) if (Math.abs(d[i]) < Math.abs(d[k]) && Math.abs(d[i]) > 1e-3) k = i;
            d[k] *= 1.05f;
            return d;
        })));
    }
}
