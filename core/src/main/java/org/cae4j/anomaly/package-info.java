/**
 * Anomaly detection with an autoencoder trained on normal images only: each image's
 * {@link org.cae4j.anomaly.ReconstructionScores reconstruction error} is its anomaly score, as the per-pixel mean
 * squared error or as 1 − mean {@link org.cae4j.anomaly.Ssim SSIM} (Bergmann et al. 2019); thresholds come from
 * the scores of normal validation images (a quantile, or mean + k·std); {@link org.cae4j.anomaly.Roc} gives the
 * ROC curve and its exact area, ties counting one half, for the one-class benchmark.
 */
package org.cae4j.anomaly;
