package org.cae4j.nn;

import org.cae4j.ops.Noise;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;

/**
 * Additive Gaussian noise, as Keras's {@code GaussianNoise(stddev)}: in training y = x + std·ε with ε ~ N(0, 1)
 * drawn per element, optionally clipped to the pixel range [0, 1]; in evaluation y = x.
 *
 * <p>dx = dy, except 0 where the clip replaced the value. {@code new GaussianNoise(0.5, true, rng)} first in an
 * encoder is the denoising autoencoder of the Keras blog's "noisy digits" example.
 */
public final class GaussianNoise extends NoiseLayer {
    private final double std;
    private final boolean clip;

    /** Unclipped noise of standard deviation {@code std} ≥ 0. */
    public GaussianNoise(double std, Rng rng) { this(std, false, rng); }

    /** Noise of standard deviation {@code std} ≥ 0; {@code clip} clamps the result to [0, 1]. */
    public GaussianNoise(double std, boolean clip, Rng rng) {
        super(rng);
        if (!(std >= 0 && std < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("GaussianNoise: std must be finite and >= 0, got " + std);
        }
        this.std = std;
        this.clip = clip;
    }

    public double std() { return std; }

    /** Whether the noisy input is clamped to [0, 1]. */
    public boolean clip() { return clip; }

    @Override
    Tensor corrupt(Tensor y, Tensor x) {
        Tensor mask = clip ? maskBuffer(x) : null;
        Noise.gaussianForward(y.data, mask == null ? null : mask.data, x.data, x.size(), std, clip, rng);
        return mask;
    }

    @Override
    public String kind() { return "gaussian"; }

    @Override
    public double level() { return std; }

    @Override
    public String toString() { return "GaussianNoise(std=" + std + (clip ? ", clip=[0, 1]" : "") + ")"; }
}
