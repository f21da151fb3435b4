// Tests of the d-dimensional separated mixture against its documented rule: axis means
// (separation/√2)·e_k when modes ≤ dim, seeded directions ≥ 60° apart on a sphere of
// radius `separation` otherwise; pairwise distances ≥ separation = 10σ√d by default.
import { describe, expect, it } from 'vitest';
import type { GaussianMixture } from '../../src/synthetic/gaussian-mixture.js';
import { highQualityRadius, THREE_SIGMA_COVERAGE } from '../../src/synthetic/high-quality.js';
import { DEFAULT_SEPARATION_RATIO, separatedMixture } from '../../src/synthetic/separated-mixture.js';

function pairwiseDistances(mixture: GaussianMixture): number[] {
  const out: number[] = [];
  mixture.means.forEach((a, i) =>
    mixture.means.slice(i + 1).forEach((b) => out.push(Math.hypot(...a.map((v, j) => v - (b[j] as number))))),
  );
  return out;
}

describe('separatedMixture', () => {
  it('defaults to 10 modes in 16-D, σ = 0.05, means √2·e_k (pairwise distance 2 = 10σ√d)', () => {
    const mixture = separatedMixture();
    expect(mixture.dim).toBe(16);
    expect(mixture.numModes).toBe(10);
    expect(mixture.sigma).toBe(0.05);
    expect(mixture.name).toBe('separated-10-in-16d');
    mixture.means.forEach((row, k) => row.forEach((v, j) => expect(v).toBeCloseTo(j === k ? Math.SQRT2 : 0, 15)));
    const bound = DEFAULT_SEPARATION_RATIO * 0.05 * Math.sqrt(16);
    expect(bound).toBeCloseTo(2, 14);
    for (const d of pairwiseDistances(mixture)) expect(Math.abs(d - bound)).toBeLessThan(1e-12);
    expect(mixture.minModeDistance).toBeCloseTo(2, 12);
    // The modes' high-quality balls are far apart: 2 r_HQ ≈ 0.6 ≪ 2.
    expect(2 * highQualityRadius(16, 0.05)).toBeLessThan(mixture.minModeDistance / 3);
  });

  it('places more modes than dimensions on a sphere, all ≥ separation apart, by seed', () => {
    const mixture = separatedMixture({ dim: 4, modes: 12, sigma: 0.02, seed: 1 });
    const separation = 10 * 0.02 * 2;
    for (const row of mixture.means) expect(Math.hypot(...row)).toBeCloseTo(separation, 12);
    for (const d of pairwiseDistances(mixture)) expect(d).toBeGreaterThanOrEqual(separation * (1 - 1e-12));
    expect(separatedMixture({ dim: 4, modes: 12, sigma: 0.02, seed: 1 }).means).toEqual(mixture.means);
    expect(separatedMixture({ dim: 4, modes: 12, sigma: 0.02, seed: 2 }).means).not.toEqual(mixture.means);
  });

  it('uses an explicit separation and sigma independently', () => {
    const mixture = separatedMixture({ dim: 3, modes: 3, sigma: 1, separation: 5 });
    for (const d of pairwiseDistances(mixture)) expect(d).toBeCloseTo(5, 12);
    expect(mixture.sigma).toBe(1);
  });

  it('fails with a RangeError when the modes cannot be placed (7 directions ≥ 60° apart in 2-D)', () => {
    expect(() => separatedMixture({ dim: 2, modes: 7, maxTries: 2000 })).toThrow(/"modes" expected a count whose means fit/);
    expect(() => separatedMixture({ dim: 1, modes: 3, maxTries: 100 })).toThrow(RangeError);
  });

  it('holds the default-quantile share of true samples within highQualityRadius', () => {
    const mixture = separatedMixture();
    const n = 40_000;
    const { points, labels } = mixture.sample(n, { seed: 5 });
    const { mode, distance } = mixture.nearestMode(points);
    const r = highQualityRadius(16, mixture.sigma);
    let inside = 0;
    let mismatches = 0;
    for (let i = 0; i < n; i++) {
      if (mode[i] !== labels[i]) mismatches++;
      if ((distance[i] as number) <= r) inside++;
    }
    expect(mismatches).toBe(0);
    const se = Math.sqrt((THREE_SIGMA_COVERAGE * (1 - THREE_SIGMA_COVERAGE)) / n);
    expect(Math.abs(inside / n - THREE_SIGMA_COVERAGE)).toBeLessThan(4 * se);
  });

  it('rejects bad options with typed errors', () => {
    expect(() => separatedMixture({ dim: 0 })).toThrow(RangeError);
    expect(() => separatedMixture({ modes: 0 })).toThrow(RangeError);
    expect(() => separatedMixture({ sigma: 0 })).toThrow(RangeError);
    expect(() => separatedMixture({ separation: -1 })).toThrow(/"separation" expected a finite number > 0, got -1/);
    expect(() => separatedMixture({ seed: 1.5 })).toThrow(RangeError);
    expect(() => separatedMixture({ dim: '16' as unknown as number })).toThrow(TypeError);
    expect(() => separatedMixture({ maxTries: 0 })).toThrow(RangeError);
  });
});
