package org.cae4j.ops;

/**
 * Batch normalisation (Ioffe and Szegedy 2015), as PyTorch's {@code batch_norm}, over x viewed as (N,C,L):
 * L = H·W for images (BatchNorm2d), L = 1 for feature vectors (BatchNorm1d).
 *
 * <pre>
 * N batch, C channels (features), L positions per channel; M = N·L values per channel
 *   x (N,C,L)   y (N,C,L)   γ, β (C) or null (no affine)   mean, var (C)
 *   batch statistics:  mean = Σ x / M,  var = Σ (x − mean)² / M  (biased), per channel, summed in double
 *   running update:    running_mean ← (1 − m)·running_mean + m·mean
 *                      running_var  ← (1 − m)·running_var  + m·var·M/(M − 1)   (unbiased)
 *   forward:           x̂ = (x − mean)·invstd, invstd = 1/√(var + eps);  y = γ·x̂ + β
 *   backward, batch statistics:   dx = γ·invstd·(dy − Σ dy / M − x̂·Σ dy·x̂ / M)
 *   backward, running statistics: dx = γ·invstd·dy
 *   both:              dγ += Σ dy·x̂;  dβ += Σ dy
 * </pre>
 * In training, mean and var are the batch's; in evaluation they are the running ones, which are then constants.
 */
public final class BatchNorm {
    private BatchNorm() {}

    /** mean (C) and biased var (C) of x (N,C,L) over N and L. */
    public static void batchStats(float[] mean, float[] var, float[] x, int N, int C, int L) {
        double m = (double) N * L;
        for (int c = 0; c < C; c++) {
            double s = 0;
            for (int n = 0; n < N; n++) {
                int o = (n * C + c) * L;
                for (int l = 0; l < L; l++) s += x[o + l];
            }
            double mu = s / m, ss = 0;
            for (int n = 0; n < N; n++) {
                int o = (n * C + c) * L;
                for (int l = 0; l < L; l++) {
                    double d = x[o + l] - mu;
                    ss += d * d;
                }
            }
            mean[c] = (float) mu;
            var[c] = (float) (ss / m);
        }
    }

    /** running_mean, running_var (C) ← the momentum-weighted average with the batch's mean and unbiased var. */
    public static void updateRunningStats(float[] runningMean, float[] runningVar, float[] mean, float[] var,
                                          int C, long M, double momentum) {
        double unbias = (double) M / (M - 1);
        for (int c = 0; c < C; c++) {
            runningMean[c] = (float) ((1 - momentum) * runningMean[c] + momentum * mean[c]);
            runningVar[c] = (float) ((1 - momentum) * runningVar[c] + momentum * var[c] * unbias);
        }
    }

    /** y (N,C,L) = γ·(x − mean)/√(var + eps) + β; {@code gamma} and {@code beta} may be null (no affine). */
    public static void batchNormForward(float[] y, float[] x, float[] mean, float[] var, float[] gamma,
                                        float[] beta, int N, int C, int L, double eps) {
        for (int c = 0; c < C; c++) {
            float invstd = (float) (1 / Math.sqrt(var[c] + eps));
            float g = gamma == null ? 1f : gamma[c], b = beta == null ? 0f : beta[c], mu = mean[c];
            for (int n = 0; n < N; n++) {
                int o = (n * C + c) * L;
                for (int l = 0; l < L; l++) y[o + l] = (x[o + l] - mu) * invstd * g + b;
            }
        }
    }

    /**
     * Writes dx (N,C,L); adds into dgamma, dbeta (C), which may be null. {@code batchStats} says whether mean and
     * var were the batch's own (training: they depend on x) or running statistics (constants).
     */
    public static void batchNormBackward(float[] dx, float[] dgamma, float[] dbeta, float[] dy, float[] x,
                                         float[] mean, float[] var, float[] gamma, int N, int C, int L, double eps,
                                         boolean batchStats) {
        double m = (double) N * L;
        for (int c = 0; c < C; c++) {
            double invstd = 1 / Math.sqrt(var[c] + eps);
            double mu = mean[c], sumDy = 0, sumDyXhat = 0;
            for (int n = 0; n < N; n++) {
                int o = (n * C + c) * L;
                for (int l = 0; l < L; l++) {
                    sumDy += dy[o + l];
                    sumDyXhat += dy[o + l] * ((x[o + l] - mu) * invstd);
                }
            }
            if (dgamma != null) dgamma[c] += (float) sumDyXhat;
            if (dbeta != null) dbeta[c] += (float) sumDy;
            if (dx == null) continue;
            double k = (gamma == null ? 1.0 : gamma[c]) * invstd;
            double meanDy = batchStats ? sumDy / m : 0, meanDyXhat = batchStats ? sumDyXhat / m : 0;
            for (int n = 0; n < N; n++) {
                int o = (n * C + c) * L;
                for (int l = 0; l < L; l++) {
                    double xhat = (x[o + l] - mu) * invstd;
                    dx[o + l] = (float) (k * (dy[o + l] - meanDy - xhat * meanDyXhat));
                }
            }
        }
    }
}
