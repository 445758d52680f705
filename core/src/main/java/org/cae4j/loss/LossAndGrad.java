package org.cae4j.loss;

import org.cae4j.tensor.Tensor;

/** A loss value (accumulated in double) and its gradient with respect to the input, of the input's shape. */
public record LossAndGrad(double value, Tensor grad) {}
