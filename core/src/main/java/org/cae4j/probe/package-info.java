/**
 * Linear probes of learned features: a multinomial {@link org.cae4j.probe.LogisticRegression} with an L2
 * penalty, fitted by full-batch {@link org.cae4j.probe.Lbfgs L-BFGS} on features standardised by
 * {@link org.cae4j.probe.Standardizer} (the usual measure of how linearly separable the classes are in a
 * representation), and {@link org.cae4j.probe.Pca} to project codes to two dimensions for a picture. Everything
 * is deterministic: a fit depends only on its data, its settings and the thread count.
 */
package org.cae4j.probe;
