#!/usr/bin/env python3
"""Reference vectors for test/random/{sobol,rng}.test.ts, computed independently of the
TypeScript code.

* test/fixtures/sobol-unscrambled.json: points of scipy.stats.qmc.Sobol(d,
  scramble=False, bits=32) (SciPy's own Joe-Kuo generator; points at large indices are
  composed from its direction numbers, see scipy_points).
* test/fixtures/sobol-scrambled.json: the seeded linear matrix scramble + digital shift
  of src/random/sobol.ts, re-implemented here on top of SciPy's direction numbers
  (unscrambled point 2^(k+1) - 1 is direction number k) and of the generator below.
* stdout: reference outputs of a Python re-implementation of src/random/rng.ts
  (xoshiro128** seeded by SplitMix64), pasted into test/random/rng.test.ts.

Encodings: a coordinate x is stored as the integer x * 2^bits in hex, bits/4 digits
each, row-major (point by point, the listed coordinates in order). A digest is the
word-wise FNV-1a hash h = (h XOR w) * 16777619 mod 2^32 from h = 2166136261 over a
point's coordinates w = x * 2^32 (each step is a bijection of h, so any single
differing coordinate changes it).

Usage: python3 scripts/generate-sobol-fixtures.py
"""
import json
import math
import os

import numpy as np
import scipy
from scipy.stats import qmc

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "test", "fixtures")
M32 = 0xFFFFFFFF
M64 = (1 << 64) - 1
MAX_DIM = 4096  # keep equal to SOBOL_MAX_DIM

# ---------------------------------------------------------------- rng re-implementation
GOLDEN_GAMMA = 0x9E3779B97F4A7C15
FORK_TAG = 0x6A09E667F3BCC909
SCRAMBLE_STREAM = 0x536F626F6C  # "Sobol"


def mix64(z):
    z &= M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def words_from_key(key):
    a = mix64(key + GOLDEN_GAMMA)
    b = mix64(key + 2 * GOLDEN_GAMMA)
    return [a & M32, a >> 32, b & M32, b >> 32]


def rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & M32


class Xoshiro128ss:
    def __init__(self, words):
        self.s = list(words)
        self.spare = None

    @classmethod
    def from_seed(cls, seed):
        return cls(words_from_key(seed & M64))

    def next_u32(self):
        s0, s1, s2, s3 = self.s
        result = (rotl((s1 * 5) & M32, 7) * 9) & M32
        t = (s1 << 9) & M32
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 11)
        self.s = [s0, s1, s2, s3]
        return result

    def next_f64(self):
        hi = self.next_u32() >> 5
        lo = self.next_u32() >> 6
        return (hi * 2**26 + lo) / 2**53

    def next_f32(self):
        return (self.next_u32() >> 8) / 2**24

    def next_int(self, bound):
        limit = 2**32 - 2**32 % bound
        x = self.next_u32()
        while x >= limit:
            x = self.next_u32()
        return x % bound

    def next_normal(self):
        if self.spare is not None:
            z, self.spare = self.spare, None
            return z
        while True:
            u = 2 * self.next_f64() - 1
            v = 2 * self.next_f64() - 1
            s = u * u + v * v
            if 0 < s < 1:
                f = math.sqrt(-2 * math.log(s) / s)
                self.spare = v * f
                return u * f

    def fork(self, stream):
        s0, s1, s2, s3 = self.s
        lo = (s1 << 32) | s0
        hi = (s3 << 32) | s2
        return Xoshiro128ss(words_from_key(mix64(mix64(mix64(lo ^ FORK_TAG) ^ hi) ^ stream)))


def rng_reference():
    seeds = {}
    for seed in [0, 1, 42, -1, 2**53 - 1]:
        r = Xoshiro128ss.from_seed(seed)
        words = list(r.s)
        seeds[str(seed)] = {"words": words, "uint32": [r.next_u32() for _ in range(8)]}
    r = Xoshiro128ss.from_seed(42)
    floats64 = [r.next_f64() for _ in range(4)]
    floats32 = [r.next_f32() for _ in range(4)]
    ints = [r.next_int(10) for _ in range(8)]
    normals = [r.next_normal() for _ in range(7)]
    r = Xoshiro128ss.from_seed(42)
    forked = {}
    for k in [0, 1, 2**53 - 1]:
        child = r.fork(k)
        forked[str(k)] = [child.next_u32() for _ in range(4)]
    return {"seeds": seeds, "seed42": {"float64": floats64, "float32": floats32, "int10": ints,
                                       "normal": normals, "fork": forked}}


# ---------------------------------------------------------------- sobol
def fnv(words):
    h = 2166136261
    for w in words:
        h = ((h ^ int(w)) * 16777619) & M32
    return h


def scipy_points(d, indices):
    """Unscrambled points at the given indices, as uint32 arrays (exact).

    SciPy's fast_forward walks the Gray code one point at a time, far too slow for
    indices near 2^32, so the point is composed here from SciPy's own direction numbers
    (the private `_sv`, checked against SciPy's public generator in check_points)."""
    sv = sobol_directions_scipy(d)
    out = []
    for i in indices:
        gray = i ^ (i >> 1)
        x = np.zeros(d, dtype=np.uint64)
        for k in range(32):
            if gray >> k & 1:
                x ^= sv[:, k]
        out.append(x)
    return out


def sobol_directions_scipy(d):
    sv = qmc.Sobol(d, scramble=False, bits=32)._sv
    assert sv.shape == (d, 32), sv.shape
    return sv.astype(np.uint64)


def check_points():
    """The composed points must equal SciPy's generated ones (start and fast_forward)."""
    for d in [1, 10, 1000]:
        assert all(np.array_equal(a, b) for a, b in zip(scipy_points(d, range(1024)), scipy_first(d, 1024)))
    for i in [1000, 2**16 + 3, 2**20 + 5]:
        eng = qmc.Sobol(10, scramble=False, bits=32)
        eng.fast_forward(i)
        assert np.array_equal(scipy_points(10, [i])[0], (eng.random(1)[0] * 2.0**32).astype(np.uint64))


def scipy_first(d, n):
    x = qmc.Sobol(d, scramble=False, bits=32).random(n) * 2.0**32
    assert np.all(x == np.floor(x))
    return x.astype(np.uint64)


def hexcode(rows, coords, bits):
    width = bits // 4
    parts = []
    for row in rows:
        for c in coords:
            w = int(row[c])
            assert w % (1 << (32 - bits)) == 0, "value needs more bits"
            parts.append(format(w >> (32 - bits), f"0{width}x"))
    return "".join(parts)


def explicit_case(d, n, coords, bits):
    rows = scipy_first(d, n)
    return {"d": d, "indices": list(range(n)), "coords": coords, "bits": bits,
            "hex": hexcode(rows, coords, bits)}


def explicit_at(d, indices, coords):
    rows = scipy_points(d, indices)
    return {"d": d, "indices": indices, "coords": coords, "bits": 32, "hex": hexcode(rows, coords, 32)}


def digest_case(d, indices, rows):
    return {"d": d, "indices": indices, "fnv": [format(fnv(r), "08x") for r in rows]}


def directions(d):
    """Direction numbers v_k (k = 0..31) of coordinates 0..d-1 from SciPy: point 2^(k+1)-1."""
    pts = scipy_points(d, [2 ** (k + 1) - 1 for k in range(32)])
    return [[int(p[j]) for p in pts] for j in range(d)]


def scrambled(d, seed, indices):
    rng = Xoshiro128ss.from_seed(seed).fork(SCRAMBLE_STREAM)
    dirs = directions(d)
    sdirs, shifts = [], []
    for j in range(d):
        cols = [0] * 32
        cols[0] = 1
        for b in range(31, 0, -1):
            cols[b] = (rng.next_u32() & ((1 << b) - 1)) | (1 << b)
        shifts.append(rng.next_u32())
        sdirs.append([
            _apply(cols, v) for v in dirs[j]
        ])
    rows = []
    for i in indices:
        gray = i ^ (i >> 1)
        row = []
        for j in range(d):
            x = shifts[j]
            for k in range(32):
                if gray >> k & 1:
                    x ^= sdirs[j][k]
            row.append(x)
        rows.append(row)
    return rows


def _apply(cols, v):
    x = 0
    for b in range(32):
        if v >> b & 1:
            x ^= cols[b]
    return x


def main():
    os.makedirs(FIXTURES, exist_ok=True)
    check_points()
    high = [1000, 2**20 + 5, 2**31 - 1, 2**31 + 12345, 2**32 - 2, 2**32 - 1]
    unscrambled = {
        "source": f"scipy {scipy.__version__} scipy.stats.qmc.Sobol(d, scramble=False, bits=32)",
        "encoding": "see scripts/generate-sobol-fixtures.py",
        "explicit": [
            explicit_case(1, 256, [0], 8),
            explicit_case(2, 256, [0, 1], 8),
            explicit_case(3, 256, [0, 1, 2], 8),
            explicit_case(10, 256, list(range(10)), 8),
            explicit_case(100, 256, [0, 1, 2, 49, 98, 99], 8),
            explicit_case(1000, 64, list(range(8)) + [500, 998, 999], 8),
            explicit_at(10, high, list(range(10))),
        ],
        "digests": [],
    }
    for d in [100, 1000]:
        unscrambled["digests"].append(digest_case(d, list(range(256)), list(scipy_first(d, 256))))
    direction_idx = [2 ** (k + 1) - 1 for k in range(32)] + high
    unscrambled["digests"].append(digest_case(MAX_DIM, direction_idx, scipy_points(MAX_DIM, direction_idx)))

    cases = []
    for d, seed, n in [(1, 0, 256), (7, 12345, 64), (7, -1, 64), (40, 2**53 - 1, 8)]:
        idx = list(range(n)) + high
        rows = scrambled(d, seed, idx)
        coords = list(range(d))
        cases.append({"d": d, "seed": seed, "indices": idx, "coords": coords, "bits": 32,
                      "hex": hexcode(rows, coords, 32)})
    scrambled_fixture = {
        "source": "Python re-implementation of the LMS + digital shift on SciPy "
                  f"{scipy.__version__} direction numbers and xoshiro128**",
        "encoding": "see scripts/generate-sobol-fixtures.py",
        "explicit": cases,
    }
    for name, data in [("sobol-unscrambled.json", unscrambled), ("sobol-scrambled.json", scrambled_fixture)]:
        path = os.path.join(FIXTURES, name)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            json.dump(data, f, separators=(",", ":"))
            f.write("\n")
        print(f"wrote {os.path.normpath(path)} ({os.path.getsize(path)} bytes)")

    print("\n// rng reference (paste into test/random/rng.test.ts):")
    ref = rng_reference()
    for seed, v in ref["seeds"].items():
        print(f"  '{seed}': {json.dumps(v)},")
    for key, v in ref["seed42"].items():
        print(f"  {key}: {json.dumps(v)},")


if __name__ == "__main__":
    main()
