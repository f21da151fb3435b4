// FID against EVALUATION.md's reference values and against numpy/scipy float64 results
// on random features (fixtures from scripts/make-fid-fixtures.py).
import { describe, expect, it, vi } from 'vitest';
import { createRng } from '@aeot/tensor-backend';
import { FeatureStatistics, fid, frechetDistance, NonFiniteFeaturesError } from '../src/index.js';
import { loadFixture } from './fixtures/load.js';

interface FixtureCase {
  name: string;
  real: number[][];
  fake: number[][];
  fid: number;
  fidSqrtm?: number;
}
const { cases } = loadFixture<{ cases: FixtureCase[] }>('fid-kid.json');

function identity(d: number, scale = 1): Float64Array {
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) m[i * d + i] = scale;
  return m;
}

function gaussianRows(n: number, d: number, seed: number, scale: number, shift = 0): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => shift + scale * rng.nextNormal()));
}

describe('frechetDistance', () => {
  it('Σ₁ = Σ₂ = I, μ₁ = 0, μ₂ = 1 in 2048-d gives exactly 2048', () => {
    const d = 2048;
    const r = frechetDistance({ mean: new Float64Array(d), covariance: identity(d) }, { mean: new Float64Array(d).fill(1), covariance: identity(d) });
    expect(r.value).toBe(2048);
    expect(r.meanTerm).toBe(2048);
    expect(r.covarianceTerm).toBe(0);
  });

  it('closed form for commuting covariances: Σ (√a − √b)² on the diagonal', () => {
    const a = [1, 4, 9, 0.25];
    const b = [4, 1, 1, 0.25];
    const cov = (v: number[]) => Float64Array.from({ length: 16 }, (_, k) => (k % 5 === 0 ? v[k / 5]! : 0));
    const r = frechetDistance({ mean: [0, 0, 0, 0], covariance: cov(a) }, { mean: [0, 0, 0, 0], covariance: cov(b) });
    const expected = a.reduce((s, ai, i) => s + (Math.sqrt(ai) - Math.sqrt(b[i]!)) ** 2, 0);
    expect(r.value).toBeCloseTo(expected, 12);
  });

  it('rejects shapes, non-symmetric and indefinite covariances', () => {
    const ok = { mean: [0, 0], covariance: [1, 0, 0, 1] };
    expect(() => frechetDistance(ok, { mean: [0, 0, 0], covariance: identity(3) })).toThrow(new RangeError('"b" expected a Gaussian of dimension 2 (that of "a"), got 3'));
    expect(() => frechetDistance({ mean: [0, 0], covariance: [1, 0, 0] }, ok)).toThrow(RangeError);
    expect(() => frechetDistance({ mean: [0, 0], covariance: [1, 0.5, 0, 1] }, ok)).toThrow(/symmetric/);
    expect(() => frechetDistance({ mean: [0, 0], covariance: [1, 2, 2, 1] }, ok)).toThrow(/positive semi-definite/);
    expect(() => frechetDistance({ mean: [0, Number.NaN], covariance: [1, 0, 0, 1] }, ok)).toThrow(/finite/);
  });
});

describe('fid', () => {
  // Rank-deficient covariances have eigenvalues at rounding level whose square roots
  // (~1e−8) differ between any two implementations: 1e−7 there.
  it.each(cases.map((c) => [c.name, c] as const))('%s agrees with numpy float64 (eigh route) to 1e-9 relative (1e-7 when N ≤ d)', (_, c) => {
    const r = fid(c.real, c.fake, { warn: false });
    expect(Math.abs(r.value - c.fid) / c.fid).toBeLessThan(c.real.length > c.real[0]!.length ? 1e-9 : 1e-7);
    if (c.fidSqrtm !== undefined) expect(Math.abs(r.value - c.fidSqrtm) / c.fidSqrtm).toBeLessThan(1e-9);
    expect(r.realCount).toBe(c.real.length);
    expect(r.dim).toBe(c.real[0]!.length);
  });

  it('warns when N ≤ d, in the result and through the handler', () => {
    const c = cases.find((x) => x.name === 'd32-rank-deficient')!;
    const warn = vi.fn();
    const r = fid(c.real, c.fake, { warn });
    expect(r.warnings).toHaveLength(2);
    expect(r.warnings[0]).toMatch(/"real" has N = 20 ≤ d = 32/);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(fid(cases[0]!.real, cases[0]!.fake, { warn }).warnings).toEqual([]);
  });

  it('grows monotonically when both pools are scaled by 1, 3, 5, 7, 9', () => {
    const real = gaussianRows(300, 16, 1, 1);
    const fake = gaussianRows(300, 16, 2, 1.3, 0.2);
    const values = [1, 3, 5, 7, 9].map((s) => fid(real.map((r) => r.map((v) => v * s)), fake.map((r) => r.map((v) => v * s)), { warn: false }).value);
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThan(values[i - 1]!);
    // FID is quadratic in scale: exactly s² times the unscaled value.
    expect(values[4]! / values[0]!).toBeCloseTo(81, 9);
  });

  it('is ~0 for a set against itself and symmetric in its arguments', () => {
    const real = gaussianRows(200, 8, 3, 1);
    const fake = gaussianRows(200, 8, 4, 1);
    expect(Math.abs(fid(real, real, { warn: false }).value)).toBeLessThan(1e-10);
    expect(fid(real, fake, { warn: false }).value).toBeCloseTo(fid(fake, real, { warn: false }).value, 10);
  });

  it('streamed statistics give the same FID as whole sets, and survive JSON', () => {
    const c = cases[1]!;
    const stream = new FeatureStatistics(c.real[0]!.length, { features: 'fixture-net' });
    for (let i = 0; i < c.real.length; i += 37) stream.add(c.real.slice(i, i + 37));
    const restored = FeatureStatistics.fromJSON(JSON.parse(JSON.stringify(stream)));
    const r = fid(restored, c.fake, { warn: false });
    expect(Math.abs(r.value - c.fid) / c.fid).toBeLessThan(1e-9);
    expect(r.features).toBe('fixture-net');
    expect(fid(stream, c.fake, { warn: false, features: 'other' }).features).toBe('other');
  });

  it('streamed covariance equals a naive two-pass float64 covariance (odd d, uneven batches)', () => {
    for (const d of [1, 7, 13]) {
      const rows = gaussianRows(301, d, 10 + d, 2, 0.5);
      const stats = new FeatureStatistics(d);
      for (let i = 0; i < rows.length; i += 113) stats.add(rows.slice(i, i + 113));
      const mean = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
      const cov = stats.covariance();
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) {
          const naive = rows.reduce((s, r) => s + (r[i]! - mean[i]!) * (r[j]! - mean[j]!), 0) / (rows.length - 1);
          expect(Math.abs(cov[i * d + j]! - naive)).toBeLessThan(1e-12);
        }
      }
      stats.mean().forEach((m, j) => expect(m).toBeCloseTo(mean[j]!, 13));
    }
  });

  it('gives typed errors for bad input', () => {
    const real = gaussianRows(10, 3, 5, 1);
    expect(() => fid(real, gaussianRows(10, 4, 6, 1))).toThrow(new RangeError('"fake" expected rows of dimension 3 (that of "real"), got 4'));
    expect(() => fid(real, [[1, 2, 3]])).toThrow(new RangeError('"fake" expected at least 2 rows, got 1'));
    expect(() => fid([], real)).toThrow(RangeError);
    expect(() => fid(real, [[1, 2, 3], [1, 2]])).toThrow(/rows of equal length 3/);
    const bad = real.map((r) => [...r]);
    bad[4]![2] = Number.NaN;
    const err = (() => {
      try {
        fid(real, bad);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(NonFiniteFeaturesError);
    expect(err).toMatchObject({ code: 'ERR_AEOT_NON_FINITE_FEATURES', set: 'fake', row: 4, column: 2 });
    expect(() => fid('abc' as never, real)).toThrow(TypeError);
    expect(() => new FeatureStatistics(3).add(gaussianRows(2, 2, 1, 1))).toThrow(RangeError);
    expect(() => new FeatureStatistics(3).covariance()).toThrow(/needs more than 1/);
  });
});
