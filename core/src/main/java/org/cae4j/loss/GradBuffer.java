package org.cae4j.loss;

import org.cae4j.tensor.Tensor;

/** The gradient buffer a loss reuses while the input shape stays the same. */
final class GradBuffer {
    private Tensor t;

    Tensor get(Tensor like) {
        if (t == null || !t.hasShape(like.shape())) t = new Tensor(like.shape());
        return t;
    }
}
