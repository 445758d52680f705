package org.cae4j.nn;

import org.cae4j.tensor.Tensor;

/**
 * A layer that can apply the elementwise {@link Activation} after it within its own pass over each image, while
 * the image is still in cache, instead of in a second pass over the whole batch: {@link Sequential} calls these
 * for such a pair of layers (when {@link Activation#fusable()}). The results are the two layers' own, bit for bit:
 * the same functions on the same values, only sooner.
 *
 * <pre>
 * forward(x, act)   = act.forward(this.forward(x))     the output is act's buffer; this layer's own is not written
 * backward(dy, act) = this.backward(act.backward(dy))  act's gradient of each image is made just before it is read
 * </pre>
 */
interface FusesActivation extends Layer {
    /** act(this(x)); afterwards both layers hold what their backward needs. */
    Tensor forward(Tensor x, Activation act);

    /** Given dL/d(act's output), dL/dx; adds into this layer's parameter gradients. */
    Tensor backward(Tensor dy, Activation act);
}
