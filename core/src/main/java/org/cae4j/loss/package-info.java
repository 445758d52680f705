/**
 * Reconstruction losses ({@link org.cae4j.loss.MseLoss}, {@link org.cae4j.loss.BceLoss},
 * {@link org.cae4j.loss.BceWithLogitsLoss}, {@link org.cae4j.loss.L1Loss}), each returning its value and its
 * gradient together as a {@link org.cae4j.loss.LossAndGrad}. Values are means over all elements, as PyTorch's
 * default reduction, and are summed in double so that a 64×784 batch loses no precision.
 * {@link org.cae4j.loss.PerSampleSum} turns any of them into a sum over each sample averaged over the batch, the
 * scale of a variational autoencoder's reconstruction term. A model's penalties (sparsity, KL) are not losses here:
 * layers report them ({@link org.cae4j.nn.Layer#regularizationLoss()}) and the trainer adds them.
 */
package org.cae4j.loss;
