package org.cae4j.nn;

import org.cae4j.ops.Noise;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;

/**
 * What the input-noise layers share: the training flag, the mask of the last forward and the backward
 * dx = dy ⊙ mask (dy itself when nothing was masked).
 */
abstract class NoiseLayer implements InputNoise {
    final Rng rng;
    final Buffers buf = new Buffers(3);
    private boolean training = true, inputGradNeeded = true;
    private Tensor input, mask; // mask null: the last forward let every element's gradient through

    NoiseLayer(Rng rng) {
        if (rng == null) throw new IllegalArgumentException(getClass().getSimpleName() + ": the Rng must not be null");
        this.rng = rng;
    }

    static double checkFraction(String layer, double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException(layer + ": fraction must be between 0 and 1, got " + fraction);
        }
        return fraction;
    }

    /** Writes the corrupted y from x; returns the mask (from {@link #maskBuffer}) or null if dy passes unchanged. */
    abstract Tensor corrupt(Tensor y, Tensor x);

    Tensor maskBuffer(Tensor x) { return buf.get(2, x.shape()); }

    @Override
    public boolean isTraining() { return training; }

    @Override
    public java.util.List<Rng> generators() { return java.util.List.of(rng); }

    @Override
    public void train(boolean training) { this.training = training; }

    @Override
    public void setInputGradNeeded(boolean needed) { inputGradNeeded = needed; }

    /** In training the corrupted x, freshly drawn; in evaluation x itself. */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() < 2) throw new IllegalArgumentException(this + ": expected input (N, ...), got " + x.shapeString());
        input = x;
        if (!training) {
            mask = null;
            return x;
        }
        Tensor y = buf.get(0, x.shape());
        mask = corrupt(y, x);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (input == null) throw new IllegalStateException(this + ": backward called before forward");
        if (!dy.hasShape(input.shape())) {
            throw new IllegalArgumentException(this + ": expected gradient " + input.shapeString() + ", got "
                    + dy.shapeString());
        }
        if (!inputGradNeeded) return null;
        if (mask == null) return dy;
        Tensor dx = buf.get(1, input.shape());
        Noise.dropoutBackward(dx.data, dy.data, mask.data, dy.size());
        return dx;
    }

    /** The mask (1 where the input survived, 0 where it was replaced) of the last forward, or null if none. */
    public Tensor lastMask() { return mask; }
}
