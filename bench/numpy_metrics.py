# Reference timings for bench/metrics.ts: the same metrics with numpy / scipy (OpenBLAS),
# on the same features (float32 files written by metrics.ts), the way the common Python
# tools compute them: FID as pytorch-fid (scipy.linalg.sqrtm) and as TF-GAN (eigh), KID
# as torch-fidelity (100 subsets of 1000, polynomial kernel), precision/recall/density/
# coverage as prdc (full pairwise distances), exact W2 with scipy's linear_sum_assignment.
# Usage: python3 bench/numpy_metrics.py REAL.f32 FAKE.f32 N D W2_POINTS_FILE W2_N
import json
import sys
import time

import numpy as np
import scipy.linalg
from scipy.optimize import linear_sum_assignment

real_path, fake_path, n, d, w2_path, w2_n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], int(sys.argv[6])
real = np.fromfile(real_path, dtype=np.float32).reshape(n, d).astype(np.float64)
fake = np.fromfile(fake_path, dtype=np.float32).reshape(n, d).astype(np.float64)
out = {}


def timed(name, fn, repeats=3):
    best, value = float('inf'), None
    for _ in range(repeats):
        t = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t)
    out[name] = {'seconds': best, 'value': value}


def stats():
    return real.mean(0), np.cov(real, rowvar=False), fake.mean(0), np.cov(fake, rowvar=False)


def fid_sqrtm():
    m1, s1, m2, s2 = stats()
    covmean = scipy.linalg.sqrtm(s1 @ s2).real
    return float(((m1 - m2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def fid_eigh():
    m1, s1, m2, s2 = stats()
    w, v = np.linalg.eigh(s1)
    a = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    return float(((m1 - m2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.sqrt(np.clip(np.linalg.eigvalsh(a @ s2 @ a), 0, None)).sum())


def kid():
    rng = np.random.default_rng(0)
    m = min(1000, n)
    values = []
    for _ in range(100):
        x = real[rng.choice(n, m, replace=False)]
        y = fake[rng.choice(n, m, replace=False)]
        a = (x @ x.T / d + 1) ** 3 + (y @ y.T / d + 1) ** 3
        b = (x @ y.T / d + 1) ** 3
        values.append(float((a.sum() - np.diag(a).sum()) / (m * (m - 1)) - b.sum() * 2 / m**2))
    return float(np.mean(values))


def pairwise(a, b):
    d2 = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2 * a @ b.T
    return np.sqrt(np.maximum(d2, 0))


def prdc():
    r, f = real.astype(np.float32), fake.astype(np.float32)
    drr, dff, dfr = pairwise(r, r), pairwise(f, f), pairwise(f, r)
    rr3 = np.partition(drr, 3, axis=1)[:, 3]
    rr5 = np.partition(drr, 5, axis=1)[:, 5]
    ff3 = np.partition(dff, 3, axis=1)[:, 3]
    return [float((dfr <= rr3[None, :]).any(1).mean()), float((dfr <= ff3[:, None]).any(0).mean()),
            float((dfr < rr5[None, :]).sum() / (5 * n)), float((dfr.min(0) < rr5).mean())]


timed('fid_sqrtm', fid_sqrtm)
timed('fid_eigh', fid_eigh)
timed('kid', kid, repeats=1)
timed('prdc', prdc, repeats=1)
pts = np.fromfile(w2_path, dtype=np.float32).reshape(2, w2_n, -1).astype(np.float64)


def w2():
    cost = ((pts[0][:, None, :] - pts[1][None, :, :]) ** 2).sum(-1)
    rows, cols = linear_sum_assignment(cost)
    return float(cost[rows, cols].mean())


timed('w2_exact', w2, repeats=1)
print(json.dumps(out))
