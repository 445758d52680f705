/**
 * Layers: each a small class with PyTorch's name, argument order and default initialisation
 * ({@link org.cae4j.nn.Conv2d}, {@link org.cae4j.nn.ConvTranspose2d}, {@link org.cae4j.nn.Linear},
 * {@link org.cae4j.nn.MaxPool2d}, {@link org.cae4j.nn.AvgPool2d}, {@link org.cae4j.nn.Upsample},
 * {@link org.cae4j.nn.BatchNorm2d}, {@link org.cae4j.nn.BatchNorm1d}, {@link org.cae4j.nn.Dropout},
 * {@link org.cae4j.nn.Flatten}, {@link org.cae4j.nn.Unflatten}, {@link org.cae4j.nn.ZeroPad2d},
 * {@link org.cae4j.nn.Crop2d}, {@link org.cae4j.nn.Activation}, {@link org.cae4j.nn.Sequential}), whose forward
 * keeps what its backward needs and whose backward adds into {@link org.cae4j.nn.Parameter} gradients. Layers hold
 * weights, reusable buffers and the state PyTorch calls buffers (batch norm's running statistics, listed by
 * {@link org.cae4j.nn.Layer#buffers()}) but never optimizer state; randomness (init, dropout masks, noise, VAE
 * sampling) comes from the {@link org.cae4j.tensor.Rng} passed in, listed by {@link org.cae4j.nn.Layer#generators()}
 * so checkpoints can save it.
 *
 * <p>The autoencoder family adds input corruption for denoising ({@link org.cae4j.nn.InputNoise}:
 * {@link org.cae4j.nn.GaussianNoise}, {@link org.cae4j.nn.MaskingNoise}, {@link org.cae4j.nn.SaltAndPepper}, active
 * only in training), penalty layers that report their weighted value through
 * {@link org.cae4j.nn.Layer#regularizationLoss()} and add its gradient in backward ({@link org.cae4j.nn.KlSparsity},
 * {@link org.cae4j.nn.L1Activity}, and {@link org.cae4j.nn.Reparameterize}, a VAE's sampling step with its KL term),
 * and tied weights ({@link org.cae4j.nn.Linear#tiedTo}, {@link org.cae4j.nn.ConvTranspose2d#tiedTo}): two layers
 * holding one Parameter, listed once.
 */
package org.cae4j.nn;
