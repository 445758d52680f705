/**
 * Image data: the {@link org.cae4j.data.Idx} reader for MNIST-style IDX files, the compact
 * {@link org.cae4j.data.ImageDataset} that keeps pixels as bytes and converts a batch to floats in [0, 1] only
 * when it is needed, and {@link org.cae4j.data.Datasets}, which finds a train/test pair in a directory or loads
 * the embedded Fashion-MNIST subset (the first 10,000 training and 2,000 test images, MIT licence, made by
 * {@code scripts/make_embedded_subset.py}). Files are distrusted: magic number, element type, dimensions and
 * payload length are all checked before anything large is allocated, gzip is recognised by its bytes rather
 * than its name, and every problem is a {@link org.cae4j.data.DataFileException} whose one-line message starts
 * with the file and says what was expected and what was found.
 *
 * <p>Real data in, nothing lost. {@link org.cae4j.data.Datasets#open(String)} takes what a user types:
 * {@code embedded}; a name ({@code fashion-mnist}, {@code mnist}, {@code cifar10}) that
 * {@link org.cae4j.data.NamedDatasets} finds in Debian's {@code /usr/share/datasets}, in the cache
 * ({@code ~/.cache/cae4j}), or downloads with {@link org.cae4j.data.Downloader}, which keeps a file only when its
 * length, SHA-256 and MD5 are the ones hard-coded here (temporary file, then atomic rename); or a path, whose
 * format is recognised by content where it has a magic number: IDX files, {@link org.cae4j.data.Cifar} binary
 * batches (whole records only, labels in range), NumPy {@code .npy}/{@code .npz} files read by
 * {@link org.cae4j.data.NpyReader} (a strict parser for numpy's header dict, never an evaluator) and
 * {@link org.cae4j.data.NumpyData} (uint8 or float32 in [0, 1], NCHW or NHWC), and folders of pictures read by
 * {@link org.cae4j.data.ImageFolder} through {@code javax.imageio} (class folders give labels and class names;
 * grey or RGB; optional bilinear resize and centre-crop; unreadable files are skipped and reported, never
 * silently). Pixels stay bytes whenever the source is bytes, or floats that are exactly p/255; other float data
 * is kept as floats behind the same {@link org.cae4j.data.ImageDataset#copyBatch} call, which also applies a
 * {@link org.cae4j.data.Normalization} ([0, 1], [−1, 1], or per-channel mean/std that model files can record)
 * while it converts, so no extra copy of the data is ever made.
 */
package org.cae4j.data;
