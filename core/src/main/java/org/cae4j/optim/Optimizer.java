package org.cae4j.optim;

import java.util.List;
import java.util.Map;
import org.cae4j.nn.Parameter;
import org.cae4j.tensor.Tensor;

/**
 * Updates parameters from their gradients. State (moments, momentum buffers, step count) lives here, one
 * slot per parameter in the order given at construction, never inside layers.
 */
public interface Optimizer {

    /** One update of every parameter from its current gradient. */
    void step();

    /** The parameters this optimizer updates. */
    List<Parameter> parameters();

    /** Sets every parameter's gradient to zero. */
    default void zeroGrad() {
        for (Parameter p : parameters()) p.zeroGrad();
    }

    /** The learning rate. */
    double lr();

    /** Changes the learning rate (for schedules). */
    void setLr(double lr);

    /**
     * Adds this optimizer's state to a checkpoint: per-parameter buffers as tensors named
     * {@code <slot>.<index>} (index in {@link #parameters()} order) and counters as strings.
     */
    void saveState(Map<String, Tensor> tensors, Map<String, String> scalars);

    /**
     * Restores a state written by {@link #saveState}; throws naming the first missing or mis-shaped entry.
     */
    void loadState(Map<String, Tensor> tensors, Map<String, String> scalars);

    /** Copies {@code src} into {@code dst} after checking the entry exists and has dst's length. */
    static void restore(String name, Map<String, Tensor> tensors, float[] dst) {
        Tensor t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException("optimizer state: missing '" + name + "'");
        if (t.size() != dst.length) {
            throw new IllegalArgumentException("optimizer state: '" + name + "' has " + t.size() + " values, expected "
                    + dst.length);
        }
        System.arraycopy(t.data, 0, dst, 0, dst.length);
    }

    /** Parses a counter written by {@link #saveState}. */
    static long counter(String name, Map<String, String> scalars) {
        String v = scalars.get(name);
        if (v == null) throw new IllegalArgumentException("optimizer state: missing '" + name + "'");
        try {
            long n = Long.parseLong(v);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("optimizer state: '" + name + "' is '" + v + "', expected a count >= 0");
        }
    }

    /** Throws naming the hyper-parameter unless it is finite and ≥ 0 ({@code positive}: &gt; 0). */
    static void checkHyper(String opt, String name, double v, boolean positive) {
        if (!Double.isFinite(v) || v < 0 || (positive && v == 0)) {
            throw new IllegalArgumentException(opt + ": " + name + " must be " + (positive ? "> 0" : ">= 0")
                    + ", got " + v);
        }
    }
}
