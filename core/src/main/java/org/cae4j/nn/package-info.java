/**
 * Layers: each a small class with PyTorch's name, argument order and default initialisation
 * ({@link org.cae4j.nn.Conv2d}, {@link org.cae4j.nn.ConvTranspose2d}, {@link org.cae4j.nn.Activation},
 * {@link org.cae4j.nn.Sequential}), whose forward keeps what its backward needs and whose backward adds into
 * {@link org.cae4j.nn.Parameter} gradients. Layers hold weights and reusable buffers but never optimizer state.
 */
package org.cae4j.nn;
