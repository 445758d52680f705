/**
 * The autoencoders: an {@link org.cae4j.model.Autoencoder} is an encoder and a decoder
 * {@link org.cae4j.nn.Sequential} whose output shape is checked against the input when it is built;
 * {@link org.cae4j.model.SeedCae} is the seed construction (full-padded convolution encoder, valid convolution
 * decoder, optionally tied); {@link org.cae4j.model.Presets} are the PyTorch peer's models B, C, D and the rest of
 * the family (denoising, sparse, tied dense, variational: dense and convolutional, with
 * {@link org.cae4j.model.Autoencoder#sample} and {@link org.cae4j.model.Autoencoder#manifold});
 * {@link org.cae4j.model.StackedCae} is a stack of small CAEs (Masci et al. 2011) built as one autoencoder, with a
 * per-layer view for its greedy training;
 * {@link org.cae4j.model.Architecture} builds any encoder and decoder described in JSON, inferring and checking
 * every layer's shapes first; {@link org.cae4j.model.Models} rebuilds any of them from the metadata stored in a
 * model file.
 */
package org.cae4j.model;
