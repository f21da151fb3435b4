// Tests of the general Gaussian mixture: parameter validation (error types and
// messages), nearestMode against a brute-force reference, logDensity against the
// closed form, and the dataset it builds.
import { describe, expect, it } from 'vitest';
import { gaussianMixture, GaussianMixture } from '../../src/synthetic/gaussian-mixture.js';
import { ArrayDataset } from '../../src/array-dataset.js';

const threeModes = (): GaussianMixture => gaussianMixture({ means: [[0, 0], [4, 0], [0, 4]], sigma: 0.5, name: 'three' });

describe('gaussianMixture parameters', () => {
  it('keeps frozen copies of means and weights, with uniform weights by default', () => {
    const rows = [[1, 2, 3], [4, 5, 6]];
    const mixture = gaussianMixture({ means: rows, sigma: 1 });
    rows[0]![0] = 99;
    expect(mixture.means).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(mixture.dim).toBe(3);
    expect(mixture.numModes).toBe(2);
    expect(mixture.weights).toEqual([0.5, 0.5]);
    expect(mixture.name).toBe('gaussian-mixture');
    expect(mixture.minModeDistance).toBeCloseTo(Math.sqrt(27), 14);
    expect(gaussianMixture({ means: [[0]], sigma: 1 }).minModeDistance).toBe(Infinity);
  });

  it('accepts a flat Float64Array of means with dim', () => {
    const mixture = gaussianMixture({ means: new Float64Array([0, 1, 2, 3, 4, 5]), dim: 2, sigma: 0.1 });
    expect(mixture.means).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(mixture.meanMatrix()).toEqual(new Float64Array([0, 1, 2, 3, 4, 5]));
  });

  it('rejects malformed means', () => {
    expect(() => gaussianMixture({ means: [], sigma: 1 })).toThrow(RangeError);
    expect(() => gaussianMixture({ means: [[0, 1], [2]], sigma: 1 })).toThrow(/"means" expected every row of dimension 2, got 1 at row 1/);
    expect(() => gaussianMixture({ means: [[0, Number.NaN]], sigma: 1 })).toThrow(/"means\[0\]\[1\]" expected a finite number, got NaN/);
    expect(() => gaussianMixture({ means: [[0, '1' as unknown as number]], sigma: 1 })).toThrow(TypeError);
    expect(() => gaussianMixture({ means: [[0, 1]], dim: 3, sigma: 1 })).toThrow(RangeError);
    expect(() => gaussianMixture({ means: new Float64Array([0, 1, 2]), sigma: 1 })).toThrow(TypeError);
    expect(() => gaussianMixture({ means: new Float64Array([0, 1, 2]), dim: 2, sigma: 1 })).toThrow(RangeError);
    expect(() => gaussianMixture({ means: new Float64Array([Infinity, 1]), dim: 2, sigma: 1 })).toThrow(RangeError);
    expect(() => gaussianMixture({ means: 'x' as unknown as number[][], sigma: 1 })).toThrow(TypeError);
    expect(() => gaussianMixture(undefined as unknown as { means: number[][]; sigma: number })).toThrow(TypeError);
  });

  it('rejects a bad sigma', () => {
    const means = [[0, 0]];
    expect(() => gaussianMixture({ means, sigma: 0 })).toThrow(RangeError);
    expect(() => gaussianMixture({ means, sigma: -1 })).toThrow(RangeError);
    expect(() => gaussianMixture({ means, sigma: Infinity })).toThrow(RangeError);
    expect(() => gaussianMixture({ means } as unknown as { means: number[][]; sigma: number })).toThrow(/"sigma" expected a finite number > 0, got undefined/);
  });

  it('validates weights: one positive weight per mode, summing to 1 within 1e-9', () => {
    const means = [[0], [1], [2]];
    expect(gaussianMixture({ means, sigma: 1, weights: [0.2, 0.3, 0.5] }).weights).toEqual([0.2, 0.3, 0.5]);
    expect(() => gaussianMixture({ means, sigma: 1, weights: [0.5, 0.5] })).toThrow(/"weights" expected 3 weights \(one per mode\), got 2/);
    expect(() => gaussianMixture({ means, sigma: 1, weights: [0, 0.5, 0.5] })).toThrow(RangeError);
    expect(() => gaussianMixture({ means, sigma: 1, weights: [-0.1, 0.6, 0.5] })).toThrow(RangeError);
    expect(() => gaussianMixture({ means, sigma: 1, weights: [0.2, 0.3, 0.6] })).toThrow(/"weights" expected to sum to 1/);
    expect(() => gaussianMixture({ means, sigma: 1, weights: [0.2, 0.3, 0.5 + 1e-8] })).toThrow(RangeError);
    expect(() => gaussianMixture({ means, sigma: 1, weights: [0.2, 0.3, 0.5 + 1e-12] })).not.toThrow();
    expect(() => gaussianMixture({ means, sigma: 1, weights: [0.2, 0.3, '0.5' as unknown as number] })).toThrow(TypeError);
  });

  it('validates sample counts and seeds', () => {
    const mixture = threeModes();
    expect(mixture.sample(0).points.length).toBe(0);
    expect(() => mixture.sample(-1)).toThrow(RangeError);
    expect(() => mixture.sample(1.5)).toThrow(RangeError);
    expect(() => mixture.sample('10' as unknown as number)).toThrow(TypeError);
    expect(() => mixture.sample(10, { seed: -1 })).toThrow(RangeError);
    expect(() => mixture.sample(10, { seed: 0.5 })).toThrow(/"seed" expected an integer in \[0, 4294967295\], got 0.5/);
    expect(() => mixture.sample(10, { seed: '1' as unknown as number })).toThrow(TypeError);
    expect(() => mixture.sample(10, null as unknown as object)).toThrow(TypeError);
  });
});

describe('GaussianMixture.nearestMode', () => {
  it('agrees with a brute-force search over the means', () => {
    const mixture = threeModes();
    const points = new Float64Array(200);
    for (let i = 0; i < points.length; i++) points[i] = ((i * 7919) % 101) / 10 - 3; // a deterministic scatter
    const { mode, distance } = mixture.nearestMode(points);
    for (let i = 0; i < 100; i++) {
      const x = points[2 * i] as number;
      const y = points[2 * i + 1] as number;
      const d = mixture.means.map(([mx, my]) => Math.hypot(x - (mx as number), y - (my as number)));
      const best = d.indexOf(Math.min(...d));
      expect(mode[i]).toBe(best);
      expect(distance[i]).toBeCloseTo(d[best] as number, 12);
    }
  });

  it('breaks ties to the lowest index and marks non-finite points', () => {
    const mixture = threeModes();
    const { mode, distance } = mixture.nearestMode([2, 0, Number.NaN, 0, Infinity, 1, 0, 0]);
    expect(Array.from(mode)).toEqual([0, -1, -1, 0]);
    expect(Array.from(distance)).toEqual([2, Infinity, Infinity, 0]);
  });

  it('accepts float32 points and rejects ragged ones', () => {
    const mixture = threeModes();
    expect(Array.from(mixture.nearestMode(new Float32Array([4, 0.5])).mode)).toEqual([1]);
    expect(() => mixture.nearestMode([1, 2, 3])).toThrow(/"points" expected a multiple of 2 values/);
    expect(() => mixture.nearestMode('12' as unknown as number[])).toThrow(TypeError);
  });
});

describe('GaussianMixture.logDensity', () => {
  it('equals the closed form of one isotropic Gaussian', () => {
    const sigma = 0.3;
    const mixture = gaussianMixture({ means: [[1, -2, 0.5]], sigma });
    const x = [1.2, -1.9, 0.1];
    const r2 = (0.2 ** 2) + (0.1 ** 2) + (0.4 ** 2);
    const expected = -1.5 * Math.log(2 * Math.PI * sigma * sigma) - r2 / (2 * sigma * sigma);
    expect(mixture.logDensity(x)[0]).toBeCloseTo(expected, 12);
  });

  it('equals log Σ w_k N(x; μ_k, σ²I) for a weighted mixture, and stays finite far away', () => {
    const mixture = gaussianMixture({ means: [[0, 0], [1, 1]], sigma: 0.7, weights: [0.25, 0.75] });
    const density = (x: number, y: number): number =>
      [0.25 * Math.exp(-(x * x + y * y) / (2 * 0.49)), 0.75 * Math.exp(-((x - 1) ** 2 + (y - 1) ** 2) / (2 * 0.49))].reduce((a, b) => a + b) /
      (2 * Math.PI * 0.49);
    const values = mixture.logDensity([0.3, 0.2, -1, 2]);
    expect(values[0]).toBeCloseTo(Math.log(density(0.3, 0.2)), 12);
    expect(values[1]).toBeCloseTo(Math.log(density(-1, 2)), 12);
    const far = mixture.logDensity([1e3, 0])[0] as number;
    expect(Number.isFinite(far)).toBe(true);
    expect(far).toBeCloseTo(Math.log(0.75) - (999 ** 2 + 1) / 0.98 - Math.log(2 * Math.PI * 0.49), 6);
    expect(mixture.logDensity([Number.NaN, 0])[0]).toBeNaN();
  });
});

describe('GaussianMixture.dataset', () => {
  it('is a labelled points dataset holding exactly sample(n, { seed })', async () => {
    const mixture = threeModes();
    const ds = mixture.dataset(300, { seed: 9 });
    const { points, labels } = mixture.sample(300, { seed: 9 });
    expect(ds).toBeInstanceOf(ArrayDataset);
    expect(ds.name).toBe('three');
    expect(ds.size).toBe(300);
    expect(ds.kind).toBe('points');
    expect(ds.exampleShape).toEqual([2]);
    expect(ds.numClasses).toBe(3);
    expect(ds.labels).toEqual(labels);
    expect(await ds.read([0, 1, 299])).toEqual(new Float32Array([...points.subarray(0, 4), ...points.subarray(598, 600)]));
    expect(Array.from(ds.labelCounts() ?? []).reduce((a, b) => a + b, 0)).toBe(300);
  });
});
