// KID and MMD against numpy float64 results (fixtures from scripts/make-fid-fixtures.py),
// on both inner-product routes.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { createRng, initBackend } from '@aeot/tensor-backend';
import { kid, mmd } from '../src/index.js';
import { loadFixture } from './fixtures/load.js';

interface FixtureCase {
  name: string;
  real: number[][];
  fake: number[][];
  kidFullSet: number | null;
  mmdPolynomial: number;
  rbfBandwidth: number;
  mmdRbf: number;
}
const { cases } = loadFixture<{ cases: FixtureCase[] }>('fid-kid.json');

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('mmd', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s: polynomial and RBF agree with numpy (float64 to 1e-10, float32 to 1e-5)', async (_, c) => {
    const poly64 = await mmd(c.real, c.fake);
    expect(Math.abs(poly64.value - c.mmdPolynomial)).toBeLessThan(1e-10 * Math.abs(c.mmdPolynomial) + 1e-12);
    const rbf64 = await mmd(c.real, c.fake, { kernel: 'rbf', bandwidth: c.rbfBandwidth });
    expect(Math.abs(rbf64.value - c.mmdRbf)).toBeLessThan(1e-10);
    expect(rbf64.bandwidth).toBe(c.rbfBandwidth);
    const poly32 = await mmd(c.real, c.fake, { precision: 'float32' });
    expect(Math.abs(poly32.value - c.mmdPolynomial) / Math.abs(c.mmdPolynomial)).toBeLessThan(1e-5);
    const rbf32 = await mmd(c.real, c.fake, { kernel: 'rbf', bandwidth: c.rbfBandwidth, precision: 'float32' });
    expect(Math.abs(rbf32.value - c.mmdRbf)).toBeLessThan(1e-6);
  });

  it('median-heuristic bandwidth, and typed errors', async () => {
    const c = cases[3]!;
    const r = await mmd(c.real, c.fake, { kernel: 'rbf' });
    expect(r.bandwidth).toBeGreaterThan(0);
    await expect(mmd(c.real, c.fake, { bandwidth: 1 })).rejects.toThrow(/rbf kernel only/);
    await expect(mmd(c.real, c.fake, { kernel: 'rbf', bandwidth: -1 })).rejects.toThrow(RangeError);
    await expect(mmd(c.real, [[1]])).rejects.toThrow(RangeError);
    await expect(mmd(c.real, c.fake, { kernel: 'gauss' as never })).rejects.toThrow(/"kernel" expected one of/);
    await expect(mmd([[0], [0]], [[0], [0]], { kernel: 'rbf' })).rejects.toThrow(/pass "bandwidth"/);
  });
});

describe('kid', () => {
  const equal = cases.find((c) => c.kidFullSet !== null && c.name === 'd16-equal-sizes')!;

  it('one subset of the whole set equals numpy’s unbiased MMD² (float64 to 1e-10, float32 to 1e-5)', async () => {
    const n = equal.real.length;
    const r64 = await kid(equal.real, equal.fake, { subsets: 1, subsetSize: n, precision: 'float64' });
    expect(Math.abs(r64.mean - equal.kidFullSet!)).toBeLessThan(1e-10 * Math.abs(equal.kidFullSet!));
    expect(r64.std).toBe(0);
    const r32 = await kid(equal.real, equal.fake, { subsets: 1, subsetSize: n });
    expect(Math.abs(r32.mean - equal.kidFullSet!) / Math.abs(equal.kidFullSet!)).toBeLessThan(1e-5);
  });

  it('subset averages estimate the full-set value; seeded; no tensor leak', async () => {
    const before = tf.memory().numTensors;
    const a = await kid(equal.real, equal.fake, { subsets: 50, subsetSize: 100, seed: 7 });
    expect(tf.memory().numTensors).toBe(before);
    const b = await kid(equal.real, equal.fake, { subsets: 50, subsetSize: 100, seed: 7 });
    expect(Array.from(b.values)).toEqual(Array.from(a.values));
    expect(a.values).toHaveLength(50);
    // Unbiased: the subset mean is within a few standard errors of the full-set value.
    expect(Math.abs(a.mean - equal.kidFullSet!)).toBeLessThan((4 * a.std) / Math.sqrt(50) + 1e-3);
    const c = await kid(equal.real, equal.fake, { subsets: 50, subsetSize: 100, seed: 8 });
    expect(Array.from(c.values)).not.toEqual(Array.from(a.values));
  });

  it('is near 0 (and may be negative) for two samples of one distribution', async () => {
    const rng = createRng(3);
    const draw = (n: number) => Array.from({ length: n }, () => Array.from({ length: 8 }, () => rng.nextNormal()));
    const r = await kid(draw(400), draw(400), { subsets: 20, subsetSize: 200 });
    expect(Math.abs(r.mean)).toBeLessThan(3 * r.std + 1e-3);
  });

  it('gives typed errors for bad options', async () => {
    await expect(kid(equal.real, equal.fake, { subsetSize: 1000 })).rejects.toThrow(new RangeError('"subsetSize" expected at most 150 (the smaller set\'s size), got 1000'));
    await expect(kid(equal.real, equal.fake, { subsets: 0 })).rejects.toThrow(RangeError);
    await expect(kid(equal.real, [[1, 2]])).rejects.toThrow(RangeError);
    await expect(kid(equal.real, equal.fake, { precision: 'half' as never })).rejects.toThrow(RangeError);
  });
});
