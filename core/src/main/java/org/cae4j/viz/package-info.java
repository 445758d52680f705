/**
 * The PNG pictures a convolutional-autoencoder run leaves behind, drawn with the JDK alone (Java2D and ImageIO,
 * headless): test images above their reconstructions, the encoder's filters, the activation maps of one image,
 * and the train and test loss per epoch. {@link org.cae4j.viz.Pictures} is the whole public surface; its
 * {@link org.cae4j.viz.Pictures#grid grid} turns an (N, C, H, W) tensor into tiles enlarged by pixel repetition,
 * and the other pictures are built from it, so a 28×28 digit, a 5×5 filter and a 24×24 map all reach a size a
 * person can read. Pixel tensors are shown on the fixed range [0, 1]; filters and maps are each stretched to
 * their own minimum and maximum, because their scales differ from tile to tile, and each map's caption states the
 * range that was stretched. Loss charts choose a logarithmic axis when the losses span more than 1.5 decades,
 * and skip NaN and infinite values rather than failing on a diverged run. Files are replaced atomically, so a
 * viewer polling the run folder never sees a half-written picture.
 */
package org.cae4j.viz;
