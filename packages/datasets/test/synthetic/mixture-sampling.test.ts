// Statistical tests of the mixture sampler against each benchmark's definition: with
// 100,000 seeded samples, the mode frequencies are within binomial error of the weights,
// each mode's empirical mean within 4 standard errors of μ_k, and the standard deviation
// per coordinate within 2 % of σ; the generating mode is the nearest one.
import { describe, expect, it } from 'vitest';
import { gaussianMixture, type GaussianMixture } from '../../src/synthetic/gaussian-mixture.js';
import { grid25 } from '../../src/synthetic/grid-25.js';
import { ring8 } from '../../src/synthetic/ring-8.js';
import { separatedMixture } from '../../src/synthetic/separated-mixture.js';

function expectMatchesDefinition(mixture: GaussianMixture, n: number, seed: number): void {
  const { points, labels } = mixture.sample(n, { seed });
  const { dim, numModes, sigma } = mixture;
  expect(points).toBeInstanceOf(Float32Array);
  expect(points.length).toBe(n * dim);
  expect(labels.length).toBe(n);
  const counts = new Float64Array(numModes);
  const sums = new Float64Array(numModes * dim);
  const squares = new Float64Array(numModes * dim);
  const pooled = new Float64Array(dim);
  expect(labels.every((k) => k >= 0 && k < numModes)).toBe(true);
  for (let i = 0; i < n; i++) {
    const k = labels[i] as number;
    counts[k] = (counts[k] as number) + 1;
    for (let j = 0; j < dim; j++) {
      const dev = (points[i * dim + j] as number) - (mixture.means[k]?.[j] as number);
      sums[k * dim + j] = (sums[k * dim + j] as number) + dev;
      squares[k * dim + j] = (squares[k * dim + j] as number) + dev * dev;
      pooled[j] = (pooled[j] as number) + dev * dev;
    }
  }
  for (let k = 0; k < numModes; k++) {
    const w = mixture.weights[k] as number;
    const nk = counts[k] as number;
    expect(Math.abs(nk - n * w)).toBeLessThan(4 * Math.sqrt(n * w * (1 - w)));
    for (let j = 0; j < dim; j++) {
      // Mean offset from μ_k within 4 standard errors σ/√n_k.
      expect(Math.abs((sums[k * dim + j] as number) / nk)).toBeLessThan((4 * sigma) / Math.sqrt(nk));
      // Per-mode std within 5 standard errors of σ (SE of a std ≈ σ/√(2 n_k)).
      const std = Math.sqrt((squares[k * dim + j] as number) / nk);
      expect(Math.abs(std - sigma)).toBeLessThan((5 * sigma) / Math.sqrt(2 * nk));
    }
  }
  for (let j = 0; j < dim; j++) expect(Math.abs(Math.sqrt((pooled[j] as number) / n) / sigma - 1)).toBeLessThan(0.02);
  // Modes are ≥ 20σ√(something) apart in every benchmark here: the generating mode is the nearest.
  const { mode, distance } = mixture.nearestMode(points);
  let mismatches = 0;
  for (let i = 0; i < n; i++) if (mode[i] !== labels[i]) mismatches++;
  expect(mismatches).toBe(0);
  expect(distance.every((d) => d >= 0 && d < mixture.minModeDistance / 2)).toBe(true);
}

describe('mixture sampling matches the definitions', () => {
  it('ring-8: 100,000 samples', () => expectMatchesDefinition(ring8(), 100_000, 1));
  it('grid-25: 100,000 samples', () => expectMatchesDefinition(grid25(), 100_000, 2));
  it('separated mixture (10 modes, 16-D): 50,000 samples', () => expectMatchesDefinition(separatedMixture(), 50_000, 3));
  it('non-uniform weights are respected', () => {
    const mixture = gaussianMixture({ means: [[-3, 0], [0, 3], [3, 0]], sigma: 0.2, weights: [0.6, 0.3, 0.1] });
    expectMatchesDefinition(mixture, 100_000, 4);
    const { labels } = mixture.sample(100_000, { seed: 5 });
    const frequency = labels.filter((l) => l === 2).length / labels.length;
    expect(frequency).toBeGreaterThan(0.1 - 4 * Math.sqrt((0.1 * 0.9) / 1e5));
    expect(frequency).toBeLessThan(0.1 + 4 * Math.sqrt((0.1 * 0.9) / 1e5));
  });
});

describe('seeded sampling', () => {
  it('gives identical samples for the same seed and different ones for another seed', () => {
    const ring = ring8();
    const a = ring.sample(1000, { seed: 7 });
    const b = ring.sample(1000, { seed: 7 });
    const c = ring.sample(1000, { seed: 8 });
    expect(b.points).toEqual(a.points);
    expect(b.labels).toEqual(a.labels);
    let same = 0;
    for (let i = 0; i < a.points.length; i++) if (a.points[i] === c.points[i]) same++;
    expect(same).toBeLessThan(20); // of 2000 independent coordinates; float32 ties are rare, not impossible
    expect(ring.sample(10).points).toEqual(ring.sample(10, { seed: 0 }).points);
  });

  it('is a prefix-stable stream: the first m of n samples equal a sample of m', () => {
    const grid = grid25();
    const long = grid.sample(500, { seed: 11 });
    const short = grid.sample(200, { seed: 11 });
    expect(long.points.subarray(0, 400)).toEqual(short.points);
    expect(long.labels.subarray(0, 200)).toEqual(short.labels);
  });

  it('stores the float64 draws rounded to float32', () => {
    // σ tiny: every coordinate rounds to the float32 nearest the mean.
    const mixture = gaussianMixture({ means: [[0.1, 1 / 3]], sigma: 1e-12 });
    const { points } = mixture.sample(3, { seed: 0 });
    expect(Array.from(points)).toEqual([0.1, 1 / 3, 0.1, 1 / 3, 0.1, 1 / 3].map(Math.fround));
  });
});
