package org.cae4j.nn;

import org.cae4j.ops.Noise;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;

/**
 * Inverted dropout (Srivastava et al. 2014), as PyTorch's {@code nn.Dropout(p=0.5)}: in training each element
 * is zeroed with probability p and the rest are scaled by 1/(1 − p); in evaluation it is the identity.
 *
 * <p>The mask is drawn from the {@link Rng} given to the constructor, one uniform per element per forward, so a
 * seed fixes every mask of a run. Like every PyTorch module it starts in training mode; {@link #train(boolean)}
 * switches, and backward follows the mode of the last forward.
 */
public final class Dropout implements Layer {
    private final double p;
    private final Rng rng;
    private final Buffers buf = new Buffers(3);
    private boolean training = true;
    private Tensor input, mask; // mask null: the last forward was the identity

    /** Drop probability 0.5. */
    public Dropout(Rng rng) { this(0.5, rng); }

    /** Drop probability {@code p} in [0, 1]. */
    public Dropout(double p, Rng rng) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Dropout: probability p must be between 0 and 1, got " + p);
        }
        this.p = p;
        this.rng = rng;
    }

    public double p() { return p; }

    /** Whether forward currently drops (training) or passes x through (evaluation). */
    public boolean isTraining() { return training; }

    @Override
    public void train(boolean training) { this.training = training; }

    @Override
    public int[] outputShape(int[] in) { return in.clone(); }

    @Override
    public java.util.List<Rng> generators() { return java.util.List.of(rng); }

    /** In training x ⊙ mask, with a fresh mask; in evaluation x itself. */
    @Override
    public Tensor forward(Tensor x) {
        input = x;
        if (!training) {
            mask = null;
            return x;
        }
        mask = buf.get(2, x.shape());
        Noise.dropoutMask(mask.data, x.size(), p, rng);
        Tensor y = buf.get(0, x.shape());
        Noise.dropoutForward(y.data, x.data, mask.data, x.size());
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (input == null) throw new IllegalStateException(this + ": backward called before forward");
        if (!dy.hasShape(input.shape())) {
            throw new IllegalArgumentException(this + ": expected gradient " + input.shapeString() + ", got "
                    + dy.shapeString());
        }
        if (mask == null) return dy;
        Tensor dx = buf.get(1, input.shape());
        Noise.dropoutBackward(dx.data, dy.data, mask.data, dy.size());
        return dx;
    }

    /** The mask (0 or 1/(1 − p) per element) of the last training forward, or null after an evaluation forward. */
    public Tensor lastMask() { return mask; }

    @Override
    public String toString() { return "Dropout(p=" + p + ")"; }
}
