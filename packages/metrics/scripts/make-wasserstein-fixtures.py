#!/usr/bin/env python3
"""Reference values for test/exact-wasserstein.test.ts and test/sliced-wasserstein.test.ts,
computed independently of the TypeScript code.

* "assignment" cases: two point sets of equal size n in d dimensions and their exact
  W2^2 = (1/n) sum_i |a_i - b_sigma(i)|^2 (full squared Euclidean cost, not half of it),
  with sigma from scipy.optimize.linear_sum_assignment on a cost matrix built from
  coordinate differences (not the |x|^2 + |y|^2 - 2 x.y expansion, which loses digits).
  One case has duplicate points and exact ties, one has coordinates on very different
  scales and far from the origin.
* "oneD" cases: two 1-D samples of unequal sizes n, m and their W2^2 between the uniform
  empirical measures, from an independent route: both samples sorted and each value
  repeated L/n (resp. L/m) times, L = lcm(n, m), so that the quantile functions become
  two equal-size sorted lists matched in order; the mean of squared differences is taken
  in exact rational arithmetic (fractions.Fraction of the float64 inputs) and rounded
  once. (scipy.stats.wasserstein_distance is W1, so it is no reference here.)

Floats are written with Python's repr, which round-trips float64 exactly.

Usage: python3 scripts/make-wasserstein-fixtures.py   (writes test/fixtures/wasserstein.json)
"""
import json
import math
import os
from fractions import Fraction

import numpy as np
import scipy
from scipy.optimize import linear_sum_assignment

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test", "fixtures", "wasserstein.json")
SEED = 20240611


def squared_costs(a, b):
    diff = a[:, None, :] - b[None, :, :]
    return np.einsum("ijk,ijk->ij", diff, diff)


def assignment_case(name, a, b):
    cost = squared_costs(a, b)
    rows, cols = linear_sum_assignment(cost)
    assert np.array_equal(rows, np.arange(len(a)))
    return {
        "name": name,
        "n": int(a.shape[0]),
        "d": int(a.shape[1]),
        "a": a.ravel().tolist(),
        "b": b.ravel().tolist(),
        "squared": float(cost[rows, cols].mean()),
    }


def exact_oned_squared(x, y):
    xs, ys = sorted(x), sorted(y)
    n, m = len(xs), len(ys)
    lcm = n * m // math.gcd(n, m)
    ex = [Fraction(v) for v in xs for _ in range(lcm // n)]
    ey = [Fraction(v) for v in ys for _ in range(lcm // m)]
    return float(sum((p - q) ** 2 for p, q in zip(ex, ey)) / lcm)


def oned_case(name, x, y):
    x, y = list(map(float, x)), list(map(float, y))
    return {"name": name, "a": x, "b": y, "squared": exact_oned_squared(x, y)}


def main():
    rng = np.random.default_rng(SEED)
    assignment = [
        assignment_case("n5-d1", rng.normal(size=(5, 1)), rng.normal(1.0, 2.0, size=(5, 1))),
        assignment_case("n40-d2-gaussians", rng.normal(size=(40, 2)), rng.normal(size=(40, 2)) * [2.0, 0.5] + [1.0, -1.0]),
        assignment_case("n200-d3-uniform-vs-gaussian", rng.uniform(-1, 1, size=(200, 3)), rng.normal(size=(200, 3))),
        assignment_case("n500-d8-gaussians", rng.normal(size=(500, 8)), rng.normal(0.3, 1.2, size=(500, 8))),
    ]
    # Duplicate points and exact ties: coordinates on a coarse integer grid, many repeats.
    grid_a = rng.integers(0, 3, size=(60, 2)).astype(np.float64)
    grid_b = rng.integers(0, 3, size=(60, 2)).astype(np.float64)
    grid_b[:10] = grid_a[:10]  # some points present in both sets
    assignment.append(assignment_case("n60-d2-duplicates", grid_a, grid_b))
    # Very different scales per coordinate, far from the origin.
    scales = np.array([1e-3, 1.0, 1e3, 1e5])
    offset = np.array([0.0, 1e4, -1e6, 1e7])
    assignment.append(assignment_case(
        "n100-d4-scales",
        rng.normal(size=(100, 4)) * scales + offset,
        rng.normal(0.5, 1.0, size=(100, 4)) * scales + offset,
    ))
    oned = [
        oned_case("n3-m5", rng.normal(size=3), rng.normal(size=5)),
        oned_case("n7-m4-shifted", rng.normal(size=7), rng.normal(2.0, 0.5, size=4)),
        oned_case("n10-m15-ties", rng.integers(0, 4, size=10), rng.integers(0, 4, size=15)),
        oned_case("n60-m45", rng.exponential(size=60), rng.normal(1.0, 1.0, size=45)),
        oned_case("n1-m6", rng.normal(size=1), rng.normal(size=6)),
        oned_case("n97-m89-coprime", rng.uniform(size=97), rng.uniform(0.2, 1.3, size=89)),
    ]
    fixture = {
        "generator": "scripts/make-wasserstein-fixtures.py",
        "seed": SEED,
        "versions": {"numpy": np.__version__, "scipy": scipy.__version__},
        "convention": "squared = W2^2 with cost |x - y|^2 and uniform weights",
        "assignment": assignment,
        "oneD": oned,
    }
    with open(OUT, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.relpath(OUT)} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
