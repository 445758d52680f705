/**
 * Stateless kernels on {@code float[]}: GEMM, convolution and its transpose (im2col + GEMM; directly on padded
 * images for stride 1, on their phase planes for larger strides), the fully connected
 * product ({@link org.cae4j.ops.Dense}), pooling ({@link org.cae4j.ops.Pool}), upsampling
 * ({@link org.cae4j.ops.Interpolate}), batch normalisation, zero padding, dropout masks and input corruption
 * ({@link org.cae4j.ops.Noise}), the normal quantile function ({@link org.cae4j.ops.Normal}),
 * activations, and the {@link org.cae4j.ops.Parallel} split that runs them on a fixed thread pool. Each op's forward
 * sits directly above its backward with the same argument order (outputs, inputs, sizes); shapes are documented with
 * the letters N batch, C in-channels, H,W input, K filters, R,S kernel, P,Q output. Backward passes add into
 * parameter gradients and write input gradients, so layers can share gradient buffers across a batch.
 */
package org.cae4j.ops;
