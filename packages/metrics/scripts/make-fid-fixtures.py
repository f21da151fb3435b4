# Independent float64 reference values for the FID, KID and MMD tests of @aeot/metrics,
# computed with numpy/scipy from seeded random features. Run once; the output
# (test/fixtures/fid-kid.json) is committed:
#   python3 packages/metrics/scripts/make-fid-fixtures.py
import json
import os

import numpy as np
import scipy.linalg

rng = np.random.default_rng(20261122)


def features(n, d, shift, scale):
    mix = rng.normal(size=(d, d)) * scale / np.sqrt(d)
    x = rng.normal(size=(n, d)) @ mix + shift
    return np.round(x, 6)  # short JSON; references are computed from the rounded values


def fid_eigh(x, y):
    # TF-GAN route: A = sqrt(S1) by eigh, Tr sqrt(A S2 A) by eigh, negative eigenvalues clamped.
    m1, m2 = x.mean(0), y.mean(0)
    s1, s2 = np.cov(x, rowvar=False, ddof=1), np.cov(y, rowvar=False, ddof=1)
    w, v = np.linalg.eigh(s1)
    a = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    tr_root = np.sqrt(np.clip(np.linalg.eigvalsh(a @ s2 @ a), 0, None)).sum()
    return float(((m1 - m2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * tr_root)


def fid_sqrtm(x, y):
    # pytorch-fid route (scipy.linalg.sqrtm), an independent cross-check where full rank.
    m1, m2 = x.mean(0), y.mean(0)
    s1, s2 = np.cov(x, rowvar=False, ddof=1), np.cov(y, rowvar=False, ddof=1)
    covmean = scipy.linalg.sqrtm(s1 @ s2).real
    return float(((m1 - m2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def mmd2_unbiased(kxx, kyy, kxy):
    m, n = kxx.shape[0], kyy.shape[0]
    return float((kxx.sum() - np.trace(kxx)) / (m * (m - 1)) + (kyy.sum() - np.trace(kyy)) / (n * (n - 1)) - 2 * kxy.mean())


def poly(x, y):
    return (x @ y.T / x.shape[1] + 1) ** 3


def rbf(x, y, bandwidth):
    d2 = ((x[:, None, :] - y[None, :, :]) ** 2).sum(-1)
    return np.exp(-d2 / (2 * bandwidth**2))


cases = []
for name, n, m, d, shift, scale in [
    ('d8-shifted', 400, 300, 8, 0.5, 1.0),
    ('d64-scaled', 240, 180, 64, 0.1, 2.0),
    ('d32-rank-deficient', 20, 25, 32, 0.0, 1.0),
]:
    x = features(n, d, 0.0, 1.0)
    y = features(m, d, shift, scale)
    case = {
        'name': name,
        'real': x.tolist(),
        'fake': y.tolist(),
        'fid': fid_eigh(x, y),
        'kidFullSet': mmd2_unbiased(poly(x, x), poly(y, y), poly(x, y)) if n == m else None,
        'mmdPolynomial': mmd2_unbiased(poly(x, x), poly(y, y), poly(x, y)),
        'rbfBandwidth': 1.5 * np.sqrt(d),
        'mmdRbf': mmd2_unbiased(rbf(x, x, 1.5 * np.sqrt(d)), rbf(y, y, 1.5 * np.sqrt(d)), rbf(x, y, 1.5 * np.sqrt(d))),
    }
    if n > d and m > d:
        case['fidSqrtm'] = fid_sqrtm(x, y)
    cases.append(case)

# Equal sizes for a KID whose single subset is the whole set (order does not matter).
x = features(150, 16, 0.0, 1.0)
y = features(150, 16, 0.3, 1.2)
cases.append({'name': 'd16-equal-sizes', 'real': x.tolist(), 'fake': y.tolist(), 'fid': fid_eigh(x, y), 'fidSqrtm': fid_sqrtm(x, y),
              'kidFullSet': mmd2_unbiased(poly(x, x), poly(y, y), poly(x, y)), 'mmdPolynomial': mmd2_unbiased(poly(x, x), poly(y, y), poly(x, y)),
              'rbfBandwidth': 6.0, 'mmdRbf': mmd2_unbiased(rbf(x, x, 6.0), rbf(y, y, 6.0), rbf(x, y, 6.0))})

out = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'fid-kid.json')
with open(out, 'w') as f:
    json.dump({'generator': 'packages/metrics/scripts/make-fid-fixtures.py', 'numpy': np.__version__, 'scipy': scipy.__version__, 'cases': cases}, f)
print('wrote', out, os.path.getsize(out), 'bytes')
for c in cases:
    print(c['name'], c['fid'], c.get('fidSqrtm'), c['mmdPolynomial'], c['mmdRbf'])
