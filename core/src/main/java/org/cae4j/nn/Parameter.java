package org.cae4j.nn;

import org.cae4j.ops.Parallel;
import org.cae4j.tensor.Tensor;

/** A learnable tensor and its gradient, of the same shape; backward passes add into {@code grad}. */
public final class Parameter {
    private final String name;
    public final Tensor value;
    public final Tensor grad;

    /** A parameter named {@code name} (e.g. {@code weight}) holding {@code value}, with a zero gradient. */
    public Parameter(String name, Tensor value) {
        this.name = name;
        this.value = value;
        this.grad = new Tensor(value.shape());
    }

    public String name() { return name; }

    /** Sets the gradient to zero; a large one in {@link Parallel} chunks (the fill waits on memory). */
    public void zeroGrad() {
        float[] g = grad.data;
        Parallel.forChunks(g.length, g.length, ZERO_SPLIT_MIN, (chunk, from, to) -> java.util.Arrays.fill(g, from, to, 0f));
    }

    /** Elements from which {@link #zeroGrad} splits the fill over the threads. */
    private static final int ZERO_SPLIT_MIN = 1 << 16;

    @Override
    public String toString() { return name + value.shapeString(); }
}
