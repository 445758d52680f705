/**
 * Image data: the {@link org.cae4j.data.Idx} reader for MNIST-style IDX files, the compact
 * {@link org.cae4j.data.ImageDataset} that keeps pixels as bytes and converts a batch to floats in [0, 1] only
 * when it is needed, and {@link org.cae4j.data.Datasets}, which finds a train/test pair in a directory or loads
 * the embedded Fashion-MNIST subset (the first 10,000 training and 2,000 test images, MIT licence, made by
 * {@code scripts/make_embedded_subset.py}). Files are distrusted: magic number, element type, dimensions and
 * payload length are all checked before anything large is allocated, gzip is recognised by its bytes rather
 * than its name, and every problem is a {@link org.cae4j.data.DataFileException} whose one-line message starts
 * with the file and says what was expected and what was found.
 */
package org.cae4j.data;
