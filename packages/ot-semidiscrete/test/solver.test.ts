// The solver against ground truths: the 1-D closed form (uniform and Gaussian source,
// non-uniform weights), grid symmetry in 2-D and 3-D, Dirac targets, and 2-D cell areas
// against an exact power diagram clipped to the square, computed here independently.
// Bad input gets typed errors; duplicate targets and M = 1 are legal.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@aeot/tensor-backend';
import { gaussian, inverseNormalCdf, solveSemiDiscrete, uniformCube, type SemiDiscreteMap } from '../src/index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

/** W2² (cost |x − y|²) of the 1-D map sending [b_{j−1}, b_j] to y_j, integrated exactly against density 1. */
function w2Uniform1d(y: number[], bounds: number[]): number {
  let w = 0;
  for (let j = 0; j < y.length; j++) w += (((bounds[j + 1] as number) - (y[j] as number)) ** 3 - ((bounds[j] as number) - (y[j] as number)) ** 3) / 3;
  return w;
}

/** Boundaries of 1-D power cells of increasing y: x·y_j + h_j = x·y_{j+1} + h_{j+1}. */
function solvedBounds(ot: SemiDiscreteMap): number[] {
  const out: number[] = [];
  for (let j = 0; j + 1 < ot.count; j++) out.push(((ot.heights[j] as number) - (ot.heights[j + 1] as number)) / ((ot.targets[j + 1] as number) - (ot.targets[j] as number)));
  return out;
}

describe('1-D closed form', () => {
  const y = [0.1, 0.3, 0.35, 0.8, 0.95];
  const nu = [0.1, 0.3, 0.2, 0.25, 0.15];
  const cumulative = nu.reduce<number[]>((acc, v) => [...acc, (acc.at(-1) as number) + v], [0]);

  it('U[0,1] with non-uniform weights: boundaries c_j = Σν and W2² to 1e-3 relative', async () => {
    const ot = await solveSemiDiscrete({ targets: y.map((v) => [v]), weights: nu, source: uniformCube(1, { low: 0, high: 1 }), seed: 1, tolerance: 5e-4, maxSteps: 4000, sampling: 'sobol' });
    expect(ot.converged).toBe(true);
    const bounds = solvedBounds(ot);
    bounds.forEach((b, j) => expect(Math.abs(b - (cumulative[j + 1] as number))).toBeLessThan(1e-3 * (nu[j + 1] as number) + 2e-4));
    const exact = w2Uniform1d(y, cumulative);
    expect(exact).toBeCloseTo(0.011583, 5);
    expect(Math.abs(w2Uniform1d(y, [0, ...bounds, 1]) - exact) / exact).toBeLessThan(1e-3);
    const est = await ot.wasserstein2({ samples: 1_000_000, seed: 3 });
    expect(Math.abs(est.value - exact)).toBeLessThan(4 * est.standardError + 1e-3 * exact);
  });

  it('Gaussian source: boundaries at Φ⁻¹(Σν)', async () => {
    const ys = [-2, -0.5, 0, 1, 3];
    const ot = await solveSemiDiscrete({ targets: ys.map((v) => [v]), weights: nu, source: gaussian(1), seed: 2, tolerance: 5e-4, maxSteps: 4000, sampling: 'sobol' });
    const bounds = solvedBounds(ot);
    bounds.forEach((b, j) => expect(Math.abs(b - inverseNormalCdf(cumulative[j + 1] as number))).toBeLessThan(5e-3));
  });
});

describe('Dirac targets (M = 1)', () => {
  it('δ_0 vs U[0,1]: W2² = 1/3; δ_½: 1/12', async () => {
    for (const [at, w2] of [
      [0, 1 / 3],
      [0.5, 1 / 12],
    ] as const) {
      const ot = await solveSemiDiscrete({ targets: [[at]], source: uniformCube(1, { low: 0, high: 1 }) });
      expect(ot.converged).toBe(true);
      expect(ot.steps).toBe(0);
      const est = await ot.wasserstein2({ samples: 200_000, seed: 5 });
      expect(Math.abs(est.value - w2)).toBeLessThan(4 * est.standardError);
    }
  });
});

describe('grid symmetry', () => {
  for (const [d, k] of [
    [2, 6],
    [3, 4],
  ] as const) {
    it(`d = ${d}, ${k}^${d} centres of U[0,1]^${d}: masses within 1%, h = −|y|²/2 + const, W2² = d/(12k²)`, async () => {
      const targets: number[][] = [];
      const total = k ** d;
      for (let i = 0; i < total; i++) {
        const row: number[] = [];
        for (let a = 0, r = i; a < d; a++, r = Math.floor(r / k)) row.push(((r % k) + 0.5) / k);
        targets.push(row);
      }
      const ot = await solveSemiDiscrete({ targets, source: uniformCube(d, { low: 0, high: 1 }), init: 'zero', seed: 4, tolerance: 2e-3, samplesPerStep: 32_768, maxSteps: 3000, sampling: 'sobol' });
      expect(ot.converged).toBe(true);
      const masses = await ot.cellMasses({ samples: 2_000_000, seed: 9, sampling: 'sobol' });
      expect(masses.maxRelativeError).toBeLessThan(0.01);
      // h_i + |y_i|²/2 is one constant: its spread is tiny next to the spread of |y|²/2.
      const offsets = targets.map((row, i) => (ot.heights[i] as number) + row.reduce((s, v) => s + v * v, 0) / 2);
      const sq = targets.map((row) => row.reduce((s, v) => s + v * v, 0) / 2);
      const spread = (xs: number[]): number => Math.max(...xs) - Math.min(...xs);
      expect(spread(offsets) / spread(sq)).toBeLessThan(2e-3);
      const est = await ot.wasserstein2({ samples: 500_000, seed: 6 });
      expect(Math.abs(est.value - d / (12 * k * k))).toBeLessThan(4 * est.standardError + 1e-5);
    });
  }
});

/** Area of the power cell of i in [0,1]², clipping the square by every half-plane. */
function exactCellArea(ys: number[][], h: Float64Array, i: number): number {
  let poly: [number, number][] = [
    [0, 0],
    [1, 0],
    [1, 1],
    [0, 1],
  ];
  const yi = ys[i] as number[];
  for (let j = 0; j < ys.length && poly.length > 0; j++) {
    if (j === i) continue;
    const yj = ys[j] as number[];
    // keep <x, yi − yj> + hi − hj ≥ 0
    const a = (yi[0] as number) - (yj[0] as number);
    const b = (yi[1] as number) - (yj[1] as number);
    const c = (h[i] as number) - (h[j] as number);
    const f = (p: [number, number]): number => a * p[0] + b * p[1] + c;
    const next: [number, number][] = [];
    for (let k = 0; k < poly.length; k++) {
      const p = poly[k] as [number, number];
      const q = poly[(k + 1) % poly.length] as [number, number];
      const fp = f(p);
      const fq = f(q);
      if (fp >= 0) next.push(p);
      if (fp >= 0 !== fq >= 0) {
        const t = fp / (fp - fq);
        next.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
      }
    }
    poly = next;
  }
  let area = 0;
  for (let k = 0; k < poly.length; k++) {
    const p = poly[k] as [number, number];
    const q = poly[(k + 1) % poly.length] as [number, number];
    area += p[0] * q[1] - q[0] * p[1];
  }
  return Math.abs(area) / 2;
}

describe('2-D cells against an exact clipped power diagram', () => {
  it('Monte Carlo cell masses equal the exact areas; the solved areas equal ν', async () => {
    // 40 seeded targets in a blob smaller than the square, non-uniform weights.
    let s = 12345;
    const rand = (): number => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const ys = Array.from({ length: 40 }, () => [0.2 + 0.6 * rand(), 0.3 + 0.4 * rand()]);
    const raw = ys.map((_, i) => 1 + (i % 4));
    const sum = raw.reduce((a, b) => a + b, 0);
    const nu = raw.map((v) => v / sum);
    const ot = await solveSemiDiscrete({ targets: ys, weights: nu, source: uniformCube(2, { low: 0, high: 1 }), seed: 7, tolerance: 2e-3, maxSteps: 4000, sampling: 'sobol' });
    const areas = ys.map((_, i) => exactCellArea(ys, ot.heights, i));
    expect(areas.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const mc = await ot.cellMasses({ samples: 1_000_000, seed: 11 });
    areas.forEach((a, i) => expect(Math.abs((mc.masses[i] as number) - a)).toBeLessThan(5 * Math.sqrt((a * (1 - a)) / 1e6) + 1e-6));
    areas.forEach((a, i) => expect(Math.abs(a - (nu[i] as number)) / (nu[i] as number)).toBeLessThan(0.02));
  });
});

describe('determinism and backends', () => {
  const problem = () => ({
    targets: Array.from({ length: 64 }, (_, i) => [Math.cos(i) * (1 + (i % 3)), Math.sin(1.7 * i) * 2]),
    maxSteps: 40,
    samplesPerStep: 4096,
  });

  it('same seed, same heights (bit for bit); another seed differs', async () => {
    const a = await solveSemiDiscrete({ ...problem(), seed: 3 });
    const b = await solveSemiDiscrete({ ...problem(), seed: 3 });
    const c = await solveSemiDiscrete({ ...problem(), seed: 4 });
    expect(Array.from(a.heights)).toEqual(Array.from(b.heights));
    expect(Array.from(a.heights)).not.toEqual(Array.from(c.heights));
  });

  it('cpu and wasm agree', async () => {
    const wasm = await solveSemiDiscrete({ ...problem(), seed: 3 });
    await initBackend({ backend: 'cpu' });
    const cpu = await solveSemiDiscrete({ ...problem(), seed: 3 });
    await initBackend({ backend: 'wasm' });
    const spread = Math.max(...wasm.heights) - Math.min(...wasm.heights);
    let worst = 0;
    for (let i = 0; i < wasm.count; i++) worst = Math.max(worst, Math.abs((wasm.heights[i] as number) - (cpu.heights[i] as number)));
    expect(worst / spread).toBeLessThan(1e-3);
  });

  it('leaks no tensor', async () => {
    const before = tf.memory().numTensors;
    const ot = await solveSemiDiscrete({ ...problem(), seed: 3 });
    await ot.cellMasses({ samples: 10_000 });
    ot.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
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
