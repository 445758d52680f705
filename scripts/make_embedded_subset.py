#!/usr/bin/env python3
"""Writes the Fashion-MNIST subset bundled with cae4j-core (Datasets.embedded()).

Takes the FIRST 10,000 training images and labels and the FIRST 2,000 test images and labels,
in file order, no shuffling, and writes them as gzipped IDX files whose headers carry the new counts.
Standard library only; the gzip output is deterministic (mtime 0, no file name in the header), so
rerunning with the same Python/zlib gives byte-identical files.

    python3 scripts/make_embedded_subset.py [SOURCE_DIR] [OUT_DIR]

SOURCE_DIR defaults to /usr/share/datasets/fashion-mnist (the four original *-ubyte.gz files);
OUT_DIR defaults to core/src/main/resources/org/cae4j/data/fashion-mnist-subset next to this script.
"""
import gzip
import os
import struct
import sys

TRAIN_COUNT = 10_000
TEST_COUNT = 2_000

# (file name, expected number of dimensions, count to keep)
FILES = [
    ("train-images-idx3-ubyte.gz", 3, TRAIN_COUNT),
    ("train-labels-idx1-ubyte.gz", 1, TRAIN_COUNT),
    ("t10k-images-idx3-ubyte.gz", 3, TEST_COUNT),
    ("t10k-labels-idx1-ubyte.gz", 1, TEST_COUNT),
]


def read_idx(path, ndims):
    """Returns (dims, payload) of an unsigned-byte IDX file, checking magic and length."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    expected = 0x0800 | ndims
    if magic != expected:
        sys.exit(f"{path}: magic 0x{magic:08X}, expected 0x{expected:08X}")
    dims = struct.unpack(f">{ndims}I", data[4:4 + 4 * ndims])
    payload = data[4 + 4 * ndims:]
    size = 1
    for d in dims:
        size *= d
    if len(payload) != size:
        sys.exit(f"{path}: header declares {size} payload bytes, found {len(payload)}")
    return dims, payload


def write_idx(path, dims, payload):
    header = struct.pack(f">I{len(dims)}I", 0x0800 | len(dims), *dims)
    # gzip.compress with mtime=0 writes no file name and a zero timestamp: reproducible output.
    with open(path, "wb") as f:
        f.write(gzip.compress(header + payload, compresslevel=9, mtime=0))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        here, "..", "core", "src", "main", "resources", "org", "cae4j", "data", "fashion-mnist-subset")
    os.makedirs(out, exist_ok=True)
    for name, ndims, count in FILES:
        dims, payload = read_idx(os.path.join(src, name), ndims)
        if dims[0] < count:
            sys.exit(f"{name}: holds {dims[0]} items, need at least {count}")
        per_item = len(payload) // dims[0]
        new_dims = (count,) + tuple(dims[1:])
        write_idx(os.path.join(out, name), new_dims, payload[:count * per_item])
        print(f"{name}: {dims} -> {new_dims}")


if __name__ == "__main__":
    main()
