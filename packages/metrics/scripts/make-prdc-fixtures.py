# Independent float64 reference values for the precision/recall/density/coverage tests of
# @aeot/metrics, computed with numpy from seeded random sets (exact distances, no
# norm expansion). Conventions: precision/recall k = 3 with d <= r (Kynkäänniemi et al.),
# density/coverage k = 5 with d < r (Naeem et al.'s prdc). Run once; the output
# (test/fixtures/prdc.json) is committed:
#   python3 packages/metrics/scripts/make-prdc-fixtures.py
import json
import os

import numpy as np

rng = np.random.default_rng(7)


def dist(a, b):
    return np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1))


def kth_radius(x, k):
    d = dist(x, x)
    np.fill_diagonal(d, np.inf)
    return np.sort(d, axis=1)[:, k - 1]


def reference(real, fake, kpr=3, kdc=5):
    d_fr = dist(fake, real)
    r_pr, r_dc, f_pr = kth_radius(real, kpr), kth_radius(real, kdc), kth_radius(fake, kpr)
    return {
        'precision': float((d_fr <= r_pr[None, :]).any(axis=1).mean()),
        'recall': float((d_fr <= f_pr[:, None]).any(axis=0).mean()),
        'density': float((d_fr < r_dc[None, :]).sum() / (kdc * len(fake))),
        'coverage': float((d_fr.min(axis=0) < r_dc).mean()),
    }


cases = []
for name, n, m, d, shift, scale in [('d4-shifted', 300, 250, 4, 0.4, 1.0), ('d16-wider-fake', 200, 220, 16, 0.0, 1.5), ('d2-narrow-fake', 150, 120, 2, 0.2, 0.5)]:
    real = np.round(rng.normal(size=(n, d)), 6)
    fake = np.round(rng.normal(size=(m, d)) * scale + shift, 6)
    cases.append({'name': name, 'real': real.tolist(), 'fake': fake.tolist(), **reference(real, fake)})

out = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'prdc.json')
with open(out, 'w') as f:
    json.dump({'generator': 'packages/metrics/scripts/make-prdc-fixtures.py', 'numpy': np.__version__, 'cases': cases}, f)
print('wrote', out, os.path.getsize(out), 'bytes')
for c in cases:
    print(c['name'], c['precision'], c['recall'], c['density'], c['coverage'])
