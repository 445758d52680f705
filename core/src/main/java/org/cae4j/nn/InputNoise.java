package org.cae4j.nn;

/**
 * A corruption of the input for denoising autoencoders (Vincent et al. 2008): random noise in training, the
 * identity in evaluation, no parameters. Placed first in an encoder it makes the model reconstruct the clean
 * batch from a corrupted one, since a trainer uses the clean batch as the target.
 *
 * <p>The noise comes from the {@link org.cae4j.tensor.Rng} given to the constructor; backward passes dy through
 * where the input survived and gives 0 where it was replaced.
 */
public interface InputNoise extends Layer {

    /** The name used in model files: {@code gaussian}, {@code masking} or {@code salt-and-pepper}. */
    String kind();

    /** The noise's size: the standard deviation, or the fraction of elements replaced. */
    double level();

    /** Whether forward currently corrupts (training) or passes x through (evaluation). */
    boolean isTraining();

    @Override
    default int[] outputShape(int[] in) { return in.clone(); }
}
