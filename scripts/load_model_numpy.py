#!/usr/bin/env python3
"""Load a cae4j model file (safetensors) with numpy alone, and print its tensors and metadata.

Usage:  python3 scripts/load_model_numpy.py model.safetensors

Layout (https://huggingface.co/docs/safetensors): 8-byte little-endian unsigned header length N, N bytes of
UTF-8 JSON header, then the data buffer. The header maps each tensor name to
{"dtype": "F32", "shape": [...], "data_offsets": [begin, end]} (offsets into the data buffer) and may hold
"__metadata__": {str: str}. Data is little-endian and row-major.

Output, one tab-separated line per tensor, then one per metadata entry; names, keys and values are JSON strings:
    tensor  "enc.weight"  [16, 1, 5, 5]  float32  sum=<float64 sum of the values>  crc32=<of the float32 LE bytes>
    metadata  "format"  "cae4j"
The Java test ModelFileNumpyTest compares these sums and CRCs with its own.

To use the weights in your own code:  tensors, metadata = load("model.safetensors")
"""
import json
import math
import struct
import sys
import zlib

import numpy as np

# How each stored dtype becomes float32; cae4j writes F32 only.
_NUMPY_DTYPES = {"F32": np.dtype("<f4"), "F64": np.dtype("<f8"), "F16": np.dtype("<f2")}


def load(path):
    """Returns (tensors, metadata): a dict name -> float32 ndarray in file order, and a dict str -> str."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: file is {len(data)} bytes, too short for the 8-byte header length")
    (n,) = struct.unpack("<Q", data[:8])
    if n > len(data) - 8:
        raise ValueError(f"{path}: header length {n} exceeds the {len(data) - 8} bytes after the length field")
    header = json.loads(data[8:8 + n].decode("utf-8"))
    if not isinstance(header, dict):
        raise ValueError(f"{path}: header is not a JSON object")
    buffer = memoryview(data)[8 + n:]

    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, spec in header.items():
        begin, end = spec["data_offsets"]
        shape = tuple(spec["shape"])
        dtype = spec["dtype"]
        if not 0 <= begin <= end <= len(buffer):
            raise ValueError(f"{path}: tensor {name!r} data_offsets [{begin}, {end}] are outside the data buffer")
        raw = buffer[begin:end]
        if dtype == "BF16":  # bfloat16 is the top half of a float32
            values = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        elif dtype in _NUMPY_DTYPES:
            values = np.frombuffer(raw, dtype=_NUMPY_DTYPES[dtype]).astype(np.float32)
        else:
            raise ValueError(f"{path}: tensor {name!r} has dtype {dtype}; expected F32, F64, F16 or BF16")
        if values.size != math.prod(shape):
            raise ValueError(f"{path}: tensor {name!r} holds {values.size} values but shape {list(shape)} "
                             f"needs {math.prod(shape)}")
        tensors[name] = values.reshape(shape)
    return tensors, metadata


def main(argv):
    if len(argv) != 2:
        print(f"usage: {argv[0]} MODEL.safetensors", file=sys.stderr)
        return 2
    try:
        tensors, metadata = load(argv[1])
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    for name, a in tensors.items():
        total = float(np.sum(a, dtype=np.float64))
        crc = zlib.crc32(a.astype("<f4").tobytes())
        print("\t".join(["tensor", json.dumps(name), json.dumps(list(a.shape)), str(a.dtype),
                         f"sum={total!r}", f"crc32={crc:08x}"]))
    for key, value in metadata.items():
        print("\t".join(["metadata", json.dumps(key), json.dumps(value)]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
