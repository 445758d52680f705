/**
 * The data every other package works on: {@link org.cae4j.tensor.Tensor}, a float32 array with a row-major
 * shape (images NCHW), and {@link org.cae4j.tensor.Rng}, the single seeded generator from which every random
 * choice in a run is drawn so that a seed and a thread count fix the result.
 */
package org.cae4j.tensor;
