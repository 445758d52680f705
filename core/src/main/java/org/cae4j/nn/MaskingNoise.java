package org.cae4j.nn;

import org.cae4j.ops.Noise;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;

/**
 * Masking noise (Vincent et al. 2008): in training, round(ν·D) of the D elements of each sample, chosen
 * uniformly at random, are set to 0; in evaluation y = x. Unlike {@link Dropout} the kept values are not scaled.
 *
 * <p>dx = dy where the element was kept, 0 where it was masked. {@code new MaskingNoise(0.25, rng)} zeroes a
 * quarter of every image's pixels.
 */
public final class MaskingNoise extends NoiseLayer {
    private final double fraction;
    private int[] scratch = new int[0];

    /** Masks a {@code fraction} ν in [0, 1] of each sample's elements. */
    public MaskingNoise(double fraction, Rng rng) {
        super(rng);
        this.fraction = checkFraction("MaskingNoise", fraction);
    }

    public double fraction() { return fraction; }

    @Override
    Tensor corrupt(Tensor y, Tensor x) {
        Tensor mask = maskBuffer(x);
        int n = x.dim(0), d = x.size() / n;
        if (scratch.length < d) scratch = new int[d];
        Noise.corruptionMask(mask.data, null, n, d, fraction, scratch, rng);
        Noise.corruptionForward(y.data, x.data, mask.data, null, x.size());
        return mask;
    }

    @Override
    public String kind() { return "masking"; }

    @Override
    public double level() { return fraction; }

    @Override
    public String toString() { return "MaskingNoise(fraction=" + fraction + ")"; }
}
