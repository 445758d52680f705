package org.cae4j.nn;

import org.cae4j.ops.Noise;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;

/**
 * Salt-and-pepper noise (Vincent et al. 2010): in training, round(ν·D) of the D elements of each sample, chosen
 * uniformly at random, are set to 0 or 1 (the pixel range's ends) by a fair coin; in evaluation y = x.
 *
 * <p>dx = dy where the element was kept, 0 where it was replaced.
 */
public final class SaltAndPepper extends NoiseLayer {
    private final double fraction;
    private int[] scratch = new int[0];

    /** Replaces a {@code fraction} ν in [0, 1] of each sample's elements by 0 or 1. */
    public SaltAndPepper(double fraction, Rng rng) {
        super(rng);
        this.fraction = checkFraction("SaltAndPepper", fraction);
    }

    public double fraction() { return fraction; }

    @Override
    Tensor corrupt(Tensor y, Tensor x) {
        Tensor mask = maskBuffer(x);
        int n = x.dim(0), d = x.size() / n;
        if (scratch.length < d) scratch = new int[d];
        // the replacement values go straight into y; corruptionForward then copies x where the mask is 1
        Noise.corruptionMask(mask.data, y.data, n, d, fraction, scratch, rng);
        Noise.corruptionForward(y.data, x.data, mask.data, y.data, x.size());
        return mask;
    }

    @Override
    public String kind() { return "salt-and-pepper"; }

    @Override
    public double level() { return fraction; }

    @Override
    public String toString() { return "SaltAndPepper(fraction=" + fraction + ")"; }
}
