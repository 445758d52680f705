/**
 * Optimizers with PyTorch's defaults and update rules: {@link org.cae4j.optim.Sgd} (momentum, Nesterov,
 * weight decay) and {@link org.cae4j.optim.Adam} (Adam, AdamW, AMSGrad). Each keeps its state in arrays
 * aligned with the parameter list it was given, so layers stay free of optimizer state and a run's state can be
 * saved and restored as a whole.
 */
package org.cae4j.optim;
