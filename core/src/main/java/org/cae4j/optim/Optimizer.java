package org.cae4j.optim;

import java.util.List;
import org.cae4j.nn.Parameter;

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

    /** Throws naming the hyper-parameter unless it is finite and ≥ 0 ({@code positive}: &gt; 0). */
    static void checkHyper(String opt, String name, double v, boolean positive) {
        if (!Double.isFinite(v) || v < 0 || (positive && v == 0)) {
            throw new IllegalArgumentException(opt + ": " + name + " must be " + (positive ? "> 0" : ">= 0")
                    + ", got " + v);
        }
    }
}
