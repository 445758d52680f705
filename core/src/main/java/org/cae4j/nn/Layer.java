package org.cae4j.nn;

import java.util.List;
import java.util.Map;
import org.cae4j.tensor.Tensor;

/**
 * One differentiable step of a network: {@code forward} keeps what {@code backward} needs, {@code backward}
 * adds parameter gradients into {@link Parameter#grad} and returns the input gradient.
 *
 * <p>Tensors returned by a layer are its own buffers, reused by the next call with the same batch shape:
 * copy them if they must outlive that call. Shapes given to {@link #outputShape} exclude the batch dimension.
 */
public interface Layer {

    /** The output for a batch {@code x}; remembers what backward needs. */
    Tensor forward(Tensor x);

    /** Given dL/dy of the last forward, adds dL/dθ into the parameters' gradients and returns dL/dx. */
    Tensor backward(Tensor dy);

    /** Output shape of one sample (no batch dimension), or an exception naming the layer and both shapes. */
    int[] outputShape(int[] inputShape);

    /** Learnable parameters, in a fixed order. */
    default List<Parameter> parameters() { return List.of(); }

    /**
     * State that is saved with the model but not learned (batch norm's running statistics), keyed by its PyTorch
     * state_dict name ({@code running_mean}, …), in a fixed order; the tensors are live, so loading writes into them.
     */
    default Map<String, Tensor> buffers() { return Map.of(); }

    /** Whether backward must compute dL/dx; a first layer can skip it. */
    default void setInputGradNeeded(boolean needed) {}

    /** Switches between training and evaluation behaviour (dropout, batch norm); no-op for most layers. */
    default void train(boolean training) {}

    /**
     * The penalty this layer added to the objective in its last forward (a sparsity or KL term), already
     * multiplied by its weight; 0 for most layers. Its gradient is not part of dy: the layer adds it itself in
     * backward, so a trainer minimises {@code loss(y, target) + regularizationLoss()} by backpropagating dloss/dy.
     */
    default double regularizationLoss() { return 0; }

    /**
     * The generators this layer keeps drawing from after construction (dropout masks, input noise, VAE sampling),
     * so that a checkpoint can save and restore their state; empty for most layers.
     */
    default List<org.cae4j.tensor.Rng> generators() { return List.of(); }
}
