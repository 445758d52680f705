package org.cae4j.nn;

import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;

/**
 * The sampling step of a variational autoencoder (Kingma and Welling 2014), as {@code reparameterize} in
 * PyTorch's examples/vae: the input (N, 2F) holds [μ, log σ²] side by side, the output is the code z (N, F)
 * <pre>
 *   training:    z = μ + exp(½·log σ²) ⊙ ε,  ε ~ N(0, I) drawn from the Rng
 *   evaluation:  z = μ
 * </pre>
 * and the layer adds the KL divergence of q(z|x) = N(μ, σ²) from the prior N(0, I), per sample, averaged over
 * the batch and weighted by β (Higgins et al. 2017; β = 1 is the plain VAE):
 * <pre>
 *   penalty = β · (1/N) Σ_n Σ_j −½·(1 + log σ² − μ² − σ²)
 *   dμ      = dz + β·μ/N
 *   dlog σ² = dz ⊙ ε ⊙ ½σ (training only) + β·½·(σ² − 1)/N
 * </pre>
 * Paired with a reconstruction loss summed over pixels and averaged over the batch
 * ({@link org.cae4j.loss.PerSampleSum}), the objective is PyTorch's example loss divided by the batch size.
 */
public final class Reparameterize implements Layer {
    private final int latent;
    private final double beta;
    private final Rng rng;
    private final Buffers buf = new Buffers(3);
    private boolean training = true;
    private Tensor input, eps, fixedEps; // eps null: the last forward returned μ
    private double penalty;

    /** F = {@code latent} code units from an input of 2F, KL weight β ≥ 0. */
    public Reparameterize(int latent, double beta, Rng rng) {
        if (latent <= 0) throw new IllegalArgumentException("Reparameterize: latent size must be positive, got " + latent);
        if (!(beta >= 0 && beta < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("Reparameterize: beta must be finite and >= 0, got " + beta);
        }
        if (rng == null) throw new IllegalArgumentException("Reparameterize: the Rng must not be null");
        this.latent = latent;
        this.beta = beta;
        this.rng = rng;
    }

    public int latent() { return latent; }
    public double beta() { return beta; }

    /** Whether forward currently samples (training) or returns μ (evaluation). */
    public boolean isTraining() { return training; }

    @Override
    public void train(boolean training) { this.training = training; }

    @Override
    public java.util.List<Rng> generators() { return java.util.List.of(rng); }

    /**
     * Uses {@code epsilon} (N, F) as ε in every training forward instead of drawing it, so a test can feed the
     * noise another implementation used; null goes back to drawing from the Rng.
     */
    public void fixNoise(Tensor epsilon) {
        if (epsilon != null && (epsilon.rank() != 2 || epsilon.dim(1) != latent)) {
            throw new IllegalArgumentException(this + ": expected noise (N, " + latent + "), got " + epsilon.shapeString());
        }
        fixedEps = epsilon;
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 1 || in[0] != 2 * latent) {
            throw new IllegalArgumentException(this + ": expected input (N, " + 2 * latent + ") = [mu, logvar], got "
                    + Buffers.batchShapeString(in));
        }
        return new int[] {latent};
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != 2 * latent) {
            throw new IllegalArgumentException(this + ": expected input (N, " + 2 * latent + ") = [mu, logvar], got "
                    + x.shapeString());
        }
        int n = x.dim(0), f = latent;
        Tensor z = buf.get(0, n, f);
        float[] in = x.data, out = z.data;
        if (training) {
            if (fixedEps != null && fixedEps.dim(0) != n) {
                throw new IllegalStateException(this + ": fixed noise " + fixedEps.shapeString() + " does not fit batch "
                        + x.shapeString());
            }
            eps = fixedEps != null ? fixedEps : buf.get(2, n, f);
            if (fixedEps == null) {
                for (int i = 0; i < eps.size(); i++) eps.data[i] = (float) rng.nextGaussian();
            }
        } else {
            eps = null;
        }
        double kl = 0;
        for (int s = 0; s < n; s++) {
            int mo = s * 2 * f, lo = mo + f, zo = s * f;
            for (int j = 0; j < f; j++) {
                double mu = in[mo + j], lv = in[lo + j];
                out[zo + j] = eps == null ? (float) mu : (float) (mu + Math.exp(0.5 * lv) * eps.data[zo + j]);
                kl += -0.5 * (1 + lv - mu * mu - Math.exp(lv));
            }
        }
        penalty = beta * kl / n;
        input = x;
        return z;
    }

    @Override
    public Tensor backward(Tensor dz) {
        if (input == null) throw new IllegalStateException(this + ": backward called before forward");
        int n = input.dim(0), f = latent;
        if (!dz.hasShape(n, f)) {
            throw new IllegalArgumentException(this + ": expected gradient [" + n + ", " + f + "], got " + dz.shapeString());
        }
        Tensor dx = buf.get(1, n, 2 * f);
        float[] in = input.data, g = dz.data, d = dx.data;
        double k = beta / n;
        for (int s = 0; s < n; s++) {
            int mo = s * 2 * f, lo = mo + f, zo = s * f;
            for (int j = 0; j < f; j++) {
                double mu = in[mo + j], var = Math.exp(in[lo + j]);
                d[mo + j] = (float) (g[zo + j] + k * mu);
                double dlv = 0.5 * k * (var - 1);
                if (eps != null) dlv += g[zo + j] * eps.data[zo + j] * 0.5 * Math.sqrt(var);
                d[lo + j] = (float) dlv;
            }
        }
        return dx;
    }

    /** β·(1/N)·Σ KL(N(μ, σ²) ‖ N(0, I)) of the last forward. */
    @Override
    public double regularizationLoss() { return penalty; }

    @Override
    public String toString() { return "Reparameterize(latent=" + latent + ", beta=" + beta + ")"; }
}
