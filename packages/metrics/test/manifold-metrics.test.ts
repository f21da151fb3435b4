// Precision/recall and density/coverage against numpy float64 results (fixtures from
// scripts/make-prdc-fixtures.py), EVALUATION.md's convention case, and edge cases.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { createRng, initBackend } from '@aeot/tensor-backend';
import { densityCoverage, NonFiniteFeaturesError, prdc, precisionRecall } from '../src/index.js';
import { loadFixture } from './fixtures/load.js';

interface FixtureCase {
  name: string;
  real: number[][];
  fake: number[][];
  precision: number;
  recall: number;
  density: number;
  coverage: number;
}
const { cases } = loadFixture<{ cases: FixtureCase[] }>('prdc.json');

function gaussianRows(n: number, d: number, seed: number, sigma: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => sigma * rng.nextNormal()));
}

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('prdc', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s matches numpy exactly in float64 and within 2 points of 1/n in float32', async (_, c) => {
    const r64 = await prdc(c.real, c.fake, { precision: 'float64' });
    expect(r64.precision).toBeCloseTo(c.precision, 12);
    expect(r64.recall).toBeCloseTo(c.recall, 12);
    expect(r64.density).toBeCloseTo(c.density, 12);
    expect(r64.coverage).toBeCloseTo(c.coverage, 12);
    const before = tf.memory().numTensors;
    const r32 = await prdc(c.real, c.fake, { blockEntries: 5000 });
    expect(tf.memory().numTensors).toBe(before);
    const tol = 2 / Math.min(c.real.length, c.fake.length) + 1e-12;
    for (const key of ['precision', 'recall', 'density', 'coverage'] as const) expect(Math.abs(r32[key] - c[key])).toBeLessThanOrEqual(tol);
  });

  it("EVALUATION.md's convention case: fake = N(0, 0.1² I₁₆), real = N(0, 3² I₁₆) → precision > 0.8, recall < 0.3", async () => {
    const real = gaussianRows(200, 16, 1, 3);
    const fake = gaussianRows(200, 16, 2, 0.1);
    const r = await precisionRecall(real, fake);
    expect(r.precision).toBeGreaterThan(0.8);
    expect(r.recall).toBeLessThan(0.3);
    // Swapping the arguments swaps the roles.
    const swapped = await precisionRecall(fake, real);
    expect(swapped.precision).toBeLessThan(0.3);
    expect(swapped.recall).toBeGreaterThan(0.8);
  });

  it('identical sets: precision = recall = coverage = 1; coincident points show the strict-< defect of coverage', async () => {
    const x = gaussianRows(100, 5, 3, 1);
    const r = await prdc(x, x, { precision: 'float64' });
    expect([r.precision, r.recall, r.coverage]).toEqual([1, 1, 1]);
    expect(r.density).toBeGreaterThan(0.5);
    const same = Array.from({ length: 20 }, () => [1, 2]);
    const c = await prdc(same, same, { precision: 'float64' });
    expect(c.precision).toBe(1);
    expect(c.recall).toBe(1);
    expect(c.coverage).toBe(0);
    expect(c.density).toBe(0);
  });

  it('densityCoverage uses k = 5 and precisionRecall k = 3 by default', async () => {
    const c = cases[0]!;
    const dc = await densityCoverage(c.real, c.fake, { precision: 'float64' });
    expect(dc.densityCoverageK).toBe(5);
    expect(dc.density).toBeCloseTo(c.density, 12);
    expect(dc.coverage).toBeCloseTo(c.coverage, 12);
    const pr = await precisionRecall(c.real, c.fake, { precision: 'float64' });
    expect(pr.precisionRecallK).toBe(3);
    expect(pr.recall).toBeCloseTo(c.recall, 12);
  });

  it('gives typed errors for bad input', async () => {
    const real = gaussianRows(10, 3, 5, 1);
    await expect(prdc(real, gaussianRows(10, 4, 6, 1))).rejects.toThrow(new RangeError('"fake" expected rows of dimension 3 (that of "real"), got 4'));
    await expect(prdc(real.slice(0, 5), real)).rejects.toThrow(new RangeError('"real" expected at least 6 rows, got 5'));
    await expect(prdc(real, real.slice(0, 3))).rejects.toThrow(new RangeError('"fake" expected at least 4 rows, got 3'));
    await expect(prdc(real, real, { precisionRecallK: 0 })).rejects.toThrow(RangeError);
    const bad = real.map((r) => [...r]);
    bad[2]![0] = Number.POSITIVE_INFINITY;
    await expect(prdc(real, bad)).rejects.toThrow(NonFiniteFeaturesError);
  });
});
