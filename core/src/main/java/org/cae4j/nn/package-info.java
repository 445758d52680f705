/**
 * Layers: each a small class with PyTorch's name, argument order and default initialisation
 * ({@link org.cae4j.nn.Conv2d}, {@link org.cae4j.nn.ConvTranspose2d}, {@link org.cae4j.nn.Linear},
 * {@link org.cae4j.nn.MaxPool2d}, {@link org.cae4j.nn.AvgPool2d}, {@link org.cae4j.nn.Upsample},
 * {@link org.cae4j.nn.BatchNorm2d}, {@link org.cae4j.nn.BatchNorm1d}, {@link org.cae4j.nn.Dropout},
 * {@link org.cae4j.nn.Flatten}, {@link org.cae4j.nn.Unflatten}, {@link org.cae4j.nn.ZeroPad2d},
 * {@link org.cae4j.nn.Crop2d}, {@link org.cae4j.nn.Activation}, {@link org.cae4j.nn.Sequential}), whose forward
 * keeps what its backward needs and whose backward adds into {@link org.cae4j.nn.Parameter} gradients. Layers hold
 * weights, reusable buffers and the state PyTorch calls buffers (batch norm's running statistics, listed by
 * {@link org.cae4j.nn.Layer#buffers()}) but never optimizer state; randomness (init, dropout masks) comes from the
 * {@link org.cae4j.tensor.Rng} passed in.
 */
package org.cae4j.nn;
