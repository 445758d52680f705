package org.cae4j.nn;

import org.cae4j.tensor.Tensor;

/**
 * The sparsity penalty of a sparse autoencoder (Ng, CS294A notes "Sparse autoencoder", UFLDL): an identity layer,
 * placed after sigmoid code units, that adds
 * <pre>
 *   β · Σ_j KL(ρ ‖ ρ̂_j),   KL(ρ ‖ ρ̂) = ρ·log(ρ/ρ̂) + (1 − ρ)·log((1 − ρ)/(1 − ρ̂))
 * </pre>
 * to the objective, where ρ̂_j is the mean activation of unit j over the batch: over the N rows of an (N, F) input,
 * or over the N·H·W positions of channel j of an (N, C, H, W) map (count = N or N·H·W). Backward adds to dy
 * its gradient, UFLDL's β·(−ρ/ρ̂_j + (1 − ρ)/(1 − ρ̂_j)) / count for every activation of unit j.
 *
 * <p>ρ̂ is clamped to [1e-6, 1 − 1e-6] so a dead or saturated unit gives a large but finite penalty and a push back.
 * Activations must lie in [0, 1] (sigmoid outputs): a mean outside that range is an error.
 * {@code new KlSparsity(0.05, 3)} after {@code Sigmoid} is UFLDL's setting (ρ = 0.05, β = 3).
 */
public final class KlSparsity implements Layer {
    private static final double CLAMP = 1e-6;
    private final double rho, beta;
    private final Buffers buf = new Buffers(1);
    private Tensor input;
    private double[] mean = new double[0]; // ρ̂ of the last forward, clamped
    private int count;
    private double penalty;

    /** Target mean activation ρ in (0, 1) and weight β ≥ 0. */
    public KlSparsity(double rho, double beta) {
        if (!(rho > 0 && rho < 1)) throw new IllegalArgumentException("KlSparsity: rho must be in (0, 1), got " + rho);
        if (!(beta >= 0 && beta < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("KlSparsity: beta must be finite and >= 0, got " + beta);
        }
        this.rho = rho;
        this.beta = beta;
    }

    public double rho() { return rho; }
    public double beta() { return beta; }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length < 1) throw new IllegalArgumentException(this + ": expected input (N, F) or (N, C, H, W), got [N]");
        return in.clone();
    }

    /** Returns x itself; computes ρ̂ and the penalty. */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() < 2) throw new IllegalArgumentException(this + ": expected input (N, F) or (N, C, H, W), got " + x.shapeString());
        int n = x.dim(0), units = x.dim(1), positions = x.size() / (n * units);
        count = n * positions;
        if (mean.length != units) mean = new double[units];
        java.util.Arrays.fill(mean, 0);
        float[] a = x.data;
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < units; j++) {
                int off = (s * units + j) * positions;
                double sum = 0;
                for (int p = 0; p < positions; p++) sum += a[off + p];
                mean[j] += sum;
            }
        }
        double kl = 0;
        for (int j = 0; j < units; j++) {
            double m = mean[j] / count;
            if (!(m >= 0 && m <= 1)) {
                throw new IllegalArgumentException(this + ": mean activation of unit " + j + " is " + m
                        + ", expected activations in [0, 1] (place KlSparsity after a sigmoid)");
            }
            m = Math.min(Math.max(m, CLAMP), 1 - CLAMP);
            mean[j] = m;
            kl += rho * Math.log(rho / m) + (1 - rho) * Math.log((1 - rho) / (1 - m));
        }
        penalty = beta * kl;
        input = x;
        return x;
    }

    /** dx = dy + β·(−ρ/ρ̂_j + (1 − ρ)/(1 − ρ̂_j)) / count, j the unit of each element. */
    @Override
    public Tensor backward(Tensor dy) {
        if (input == null) throw new IllegalStateException(this + ": backward called before forward");
        if (!dy.hasShape(input.shape())) {
            throw new IllegalArgumentException(this + ": expected gradient " + input.shapeString() + ", got " + dy.shapeString());
        }
        int n = input.dim(0), units = input.dim(1), positions = input.size() / (n * units);
        Tensor dx = buf.get(0, input.shape());
        for (int j = 0; j < units; j++) {
            float g = (float) (beta * (-rho / mean[j] + (1 - rho) / (1 - mean[j])) / count);
            for (int s = 0; s < n; s++) {
                int off = (s * units + j) * positions;
                for (int p = 0; p < positions; p++) dx.data[off + p] = dy.data[off + p] + g;
            }
        }
        return dx;
    }

    /** β·Σ_j KL(ρ ‖ ρ̂_j) of the last forward. */
    @Override
    public double regularizationLoss() { return penalty; }

    /** ρ̂_j of the last forward (clamped), one per unit; a copy. */
    public double[] meanActivation() { return mean.clone(); }

    @Override
    public String toString() { return "KlSparsity(rho=" + rho + ", beta=" + beta + ")"; }
}
