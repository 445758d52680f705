package org.cae4j.nn;

import org.cae4j.ops.Parallel;
import org.cae4j.tensor.Tensor;

/**
 * A learnable tensor and its gradient, of the same shape; backward passes add into {@code grad}.
 *
 * <p>Like PyTorch's tensor version counter, {@link #version} counts the changes made to {@code value} through the
 * library: each optimizer step and each re-initialisation. A layer that keeps a copy derived from the value
 * ({@link Linear}'s transposed weight in evaluation mode) rebuilds it when the count has moved, and whenever the
 * layer is put into evaluation mode. Code that writes {@code value.data} itself while a model is in evaluation mode
 * calls {@link #markChanged} afterwards (or {@code train(false)} on the model again).
 */
public final class Parameter {
    private final String name;
    public final Tensor value;
    public final Tensor grad;
    private int version;

    /** A parameter named {@code name} (e.g. {@code weight}) holding {@code value}, with a zero gradient. */
    public Parameter(String name, Tensor value) {
        this.name = name;
        this.value = value;
        this.grad = new Tensor(value.shape());
    }

    public String name() { return name; }

    /** Changes made to {@code value} so far (see the class doc); starts at 0. */
    public int version() { return version; }

    /** Records that {@code value} has changed: copies derived from it are rebuilt before their next use. */
    public void markChanged() { version++; }

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
