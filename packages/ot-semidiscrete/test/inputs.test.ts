// Bad input gets typed errors; duplicate targets and M = 1 are legal; Adam's update
// matches a hand computation; the composite assignment matches a float64 brute force.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@aeot/tensor-backend';
import { adamStep, createAdamState, gaussian, powerAssignComposite, solveSemiDiscrete, uniformCube } from '../src/index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('typed errors for bad input', () => {
  const ok = [
    [0, 0],
    [1, 1],
  ];
  it.each([
    ['non-finite target', { targets: [[0, Number.NaN]] }, RangeError, '"targets" expected finite values, got NaN at row 0, column 1'],
    ['ragged rows', { targets: [[0, 1], [2]] }, RangeError, '"targets" expected rows of length 2, got 1 at row 1'],
    ['M = 0', { targets: [] }, RangeError, 'M ≥ 1'],
    ['flat without dim', { targets: new Float32Array(4) }, RangeError, '"dim" expected a positive integer'],
    ['flat not a multiple', { targets: new Float32Array(5), dim: 2 }, RangeError, 'multiple of dim = 2'],
    ['wrong type', { targets: 'abc' }, TypeError, '"targets" expected'],
    ['weights ≤ 0', { targets: ok, weights: [1.5, -0.5] }, RangeError, '"weights" expected positive finite values, got -0.5 at 1'],
    ['weights not summing to 1', { targets: ok, weights: [0.5, 0.6] }, RangeError, 'summing to 1, got a sum of 1.1'],
    ['weights wrong length', { targets: ok, weights: [1] }, RangeError, '"weights" expected 2 values'],
    ['source dimension mismatch', { targets: ok, source: uniformCube(3) }, RangeError, '"source" expected dimension 2 (the targets\'), got 3'],
    ['bad lr', { targets: ok, optimizer: { lr: 0 } }, RangeError, '"optimizer.lr" expected a finite number > 0'],
    ['bad preset', { targets: ok, preset: 'fast' }, RangeError, '"preset" expected one of'],
    ['bad seed', { targets: ok, seed: -1 }, RangeError, '"seed" expected an integer ≥ 0'],
  ])('%s', async (_name, options, type, message) => {
    const err = await solveSemiDiscrete(options as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expect((err as Error).message).toContain(message);
  });

  it('a non-2-D tensor of targets', async () => {
    const t = tf.zeros([3]) as unknown as tf.Tensor2D;
    await expect(solveSemiDiscrete({ targets: t })).rejects.toThrow('"targets" expected a finite 2-D array of shape [M, d], got shape [3]');
    t.dispose();
  });
});

describe('legal corner cases', () => {
  it('duplicate targets share one cell: equal heights, the first index wins, masses split by weight', async () => {
    const targets = [
      [-0.3, 0],
      [0.2, 0.1],
      [0.2, 0.1],
      [0.1, -0.3],
    ];
    const weights = [0.25, 0.2, 0.3, 0.25];
    const ot = await solveSemiDiscrete({ targets, weights, seed: 1, tolerance: 5e-3, maxSteps: 2000 });
    expect(ot.converged).toBe(true);
    expect(ot.heights[1]).toBe(ot.heights[2]);
    const masses = await ot.cellMasses({ samples: 400_000, seed: 2 });
    expect(masses.masses[2]).toBe(0); // the duplicate's samples go to its first copy …
    expect(Math.abs((masses.masses[1] as number) - 0.5)).toBeLessThan(0.01); // … which holds both weights
    expect(Math.abs((masses.masses[0] as number) - 0.25)).toBeLessThan(0.01);
  });

  it('M = 1 takes all the mass at once; Gaussian and custom sources are accepted', async () => {
    const one = await solveSemiDiscrete({ targets: [[3, 4]], source: gaussian(2) });
    expect(one.converged).toBe(true);
    expect(Array.from(one.heights)).toEqual([0]);
    const est = await one.wasserstein2({ samples: 100_000 });
    // E|x − y|² for x ~ N(0, I₂), y = (3, 4): 2 + 25.
    expect(Math.abs(est.value - 27)).toBeLessThan(4 * est.standardError);
  });
});

describe('Adam', () => {
  it('one step with and without bias correction, then recentring', () => {
    const g = Float64Array.from([0.1, -0.2, 0]);
    for (const biasCorrection of [true, false]) {
      const h = new Float64Array(3);
      const st = createAdamState(3);
      adamStep(h, g, st, { lr: 0.5, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, biasCorrection });
      const raw = Array.from(g, (gi) => {
        const m = 0.1 * gi;
        const v = 0.001 * gi * gi;
        return biasCorrection ? (-0.5 * (m / 0.1)) / (Math.sqrt(v / 0.001) + 1e-8) : (-0.5 * m) / (Math.sqrt(v) + 1e-8);
      });
      const mean = raw.reduce((a, b) => a + b, 0) / 3;
      raw.forEach((r, i) => expect(h[i]).toBeCloseTo(r - mean, 12));
      expect(st.t).toBe(1);
    }
  });
});

describe('powerAssignComposite', () => {
  it('matches a float64 brute force, top-3, ties to the lower index', async () => {
    const n = 300;
    const m = 4500; // more than two tiles
    const d = 5;
    const x = tf.randomUniform([n, d], -1, 1, 'float32', 1) as tf.Tensor2D;
    const yv = tf.randomNormal([m, d], 0, 1, 'float32', 2);
    const y = tf.concat([yv, yv.slice([0, 0], [10, d])]) as tf.Tensor2D; // duplicates of rows 0..9 at the end
    const h = tf.randomUniform([m + 10], -0.5, 0.5, 'float32', 3);
    const hh = tf.concat([h.slice([0], [m]), h.slice([0], [10])]) as tf.Tensor1D;
    const { indices, scores } = powerAssignComposite(x, y, hh, 3);
    const [xs, ys, hs, idx, sc] = await Promise.all([x.data(), y.data(), hh.data(), indices.data(), scores.data()]);
    let nearTies = 0;
    for (let i = 0; i < n; i++) {
      const s = Array.from({ length: m + 10 }, (_, j) => {
        let v = hs[j] as number;
        for (let k = 0; k < d; k++) v += (xs[i * d + k] as number) * (ys[j * d + k] as number);
        return [v, j] as const;
      }).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
      for (let r = 0; r < 3; r++) {
        expect(Math.abs((sc[i * 3 + r] as number) - (s[r] as readonly [number, number])[0])).toBeLessThan(1e-5);
        if (Math.abs((s[r] as readonly [number, number])[0] - (s[r + 1] as readonly [number, number])[0]) < 1e-5) nearTies++;
        else expect(idx[i * 3 + r]).toBe((s[r] as readonly [number, number])[1]);
      }
      expect(idx[i * 3]).toBeLessThan(m); // a duplicate never beats its first copy
    }
    expect(nearTies).toBeLessThan(10);
    tf.dispose([x, yv, y, h, hh, indices, scores]);
  });
});
