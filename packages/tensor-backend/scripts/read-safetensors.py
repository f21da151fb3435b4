#!/usr/bin/env python3
"""Independent safetensors reader (numpy only) used by the tests of @aeot/tensor-backend
to prove that Python reads what aeot writes.

Usage: python3 read-safetensors.py FILE

Prints one JSON object: {"metadata": {...}, "tensors": {name: {"dtype", "shape",
"values"}}} with values flattened in row-major order. Floats print exactly (float64
repr; non-finite as the strings "NaN", "Infinity", "-Infinity"), integers beyond 2**53
as decimal strings. Tensors marked by aeot in __metadata__ ("aeot.dtype.<name>") are
also decoded: "complex64" as [real, imag] pairs, "string" as {"shape", "strings"} with
UTF-8 text (or "hex:..." for non-UTF-8 bytes). Exits with status 2 and a message on
stderr when the file is not valid safetensors.
"""
import json
import struct
import sys

import numpy as np

DTYPES = {
    "BOOL": np.bool_, "U8": np.uint8, "I8": np.int8, "U16": np.uint16, "I16": np.int16,
    "F16": np.float16, "BF16": np.uint16, "U32": np.uint32, "I32": np.int32,
    "F32": np.float32, "U64": np.uint64, "I64": np.int64, "F64": np.float64,
}


def fail(message):
    sys.stderr.write("read-safetensors: " + message + "\n")
    sys.exit(2)


def scalar(v):
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        i = int(v)
        return i if abs(i) <= 2**53 else str(i)
    f = float(v)
    if f != f:
        return "NaN"
    if f in (float("inf"), float("-inf")):
        return "Infinity" if f > 0 else "-Infinity"
    return f


def read(path):
    with open(path, "rb") as fh:
        blob = fh.read()
    if len(blob) < 8:
        fail("file shorter than 8 bytes")
    (n,) = struct.unpack("<Q", blob[:8])
    if n > len(blob) - 8:
        fail("header length %d exceeds file" % n)
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    data = blob[8 + n:]
    metadata = header.pop("__metadata__", {}) or {}
    arrays = {}
    spans = []
    for name, info in header.items():
        begin, end = info["data_offsets"]
        dt = np.dtype(DTYPES[info["dtype"]]).newbyteorder("<")
        shape = tuple(info["shape"])
        count = int(np.prod(shape, dtype=np.int64)) if shape else 1
        if not 0 <= begin <= end <= len(data) or end - begin != count * dt.itemsize:
            fail("tensor %r: bad data_offsets %r" % (name, info["data_offsets"]))
        spans.append((begin, end))
        arr = np.frombuffer(data, dtype=dt, count=count, offset=begin).reshape(shape)
        if info["dtype"] == "BF16":
            arr = (arr.astype(np.uint32) << 16).view(np.float32)
        arrays[name] = (info["dtype"], arr)
    pos = 0
    for begin, end in sorted(spans):
        if begin != pos:
            fail("tensors are not contiguous at offset %d" % pos)
        pos = end
    if pos != len(data):
        fail("tensors do not cover the data buffer")
    return metadata, arrays


def decode_strings(raw):
    buf = raw.tobytes()
    (rank,) = struct.unpack_from("<I", buf, 0)
    shape = list(struct.unpack_from("<%dI" % rank, buf, 4))
    pos = 4 + 4 * rank
    out = []
    for _ in range(int(np.prod(shape, dtype=np.int64)) if shape else 1):
        (length,) = struct.unpack_from("<I", buf, pos)
        piece = buf[pos + 4:pos + 4 + length]
        pos += 4 + length
        try:
            out.append(piece.decode("utf-8"))
        except UnicodeDecodeError:
            out.append("hex:" + piece.hex())
    return {"shape": shape, "strings": out}


def main():
    if len(sys.argv) != 2:
        fail("usage: read-safetensors.py FILE")
    metadata, arrays = read(sys.argv[1])
    tensors = {}
    for name, (dtype, arr) in arrays.items():
        entry = {"dtype": dtype, "shape": list(arr.shape), "values": [scalar(v) for v in arr.reshape(-1)]}
        marker = metadata.get("aeot.dtype." + name)
        if marker == "complex64":
            pairs = arr.reshape(-1, 2)
            entry["complex"] = [[scalar(re), scalar(im)] for re, im in pairs]
        elif marker == "string":
            entry["decoded"] = decode_strings(arr)
        tensors[name] = entry
    json.dump({"metadata": metadata, "tensors": tensors}, sys.stdout, allow_nan=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
