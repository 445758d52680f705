/**
 * What a trained encoder has learned, as numbers for other tasks: {@link org.cae4j.features.Features} takes the
 * output of any encoder layer (named as in the model's parameter names, or {@code code}, or {@code input} for
 * raw pixels), adaptive-pools its maps to a small grid by average or maximum, and hands the features over batch
 * by batch, so that the features of a large data set never need to be in memory at once; or collects them into
 * one (N, F) array when they fit, as a linear probe needs.
 */
package org.cae4j.features;
