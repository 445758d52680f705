/**
 * Model files: {@link org.cae4j.io.ModelFile} reads and writes named float32 tensors plus string metadata in the
 * safetensors format, so that a model trained with cae4j can be opened from Python with numpy alone (see
 * {@code scripts/load_model_numpy.py}) and a file written by another tool can be loaded here. Writing is atomic
 * (temp file, fsync, rename), so a crash never leaves half a model under the real name; reading checks the whole
 * header against the file size before allocating any tensor, and reports every problem as a one-line
 * {@link org.cae4j.io.ModelFormatException} that starts with the file name. {@link org.cae4j.io.Json} is the small
 * strict JSON reader and writer used for the header and for architecture metadata; nothing in a file is ever
 * executed or used to pick a class.
 */
package org.cae4j.io;
