package org.cae4j.nn;

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

    /** Sets the gradient to zero. */
    public void zeroGrad() { grad.zero(); }

    @Override
    public String toString() { return name + value.shapeString(); }
}
