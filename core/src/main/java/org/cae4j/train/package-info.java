/**
 * The training loop: shuffled minibatches from a compact {@link org.cae4j.data.ImageDataset}, one optimizer
 * step per batch, per-epoch training loss and per-pixel test MSE, progress callbacks for the command line, and
 * a stop with the step number when the loss stops being finite. {@link org.cae4j.train.LayerwiseTrainer} is the
 * greedy phase of a stacked CAE: the same loop over one layer at a time, which learns to reconstruct the maps of
 * the frozen layers below it.
 */
package org.cae4j.train;
