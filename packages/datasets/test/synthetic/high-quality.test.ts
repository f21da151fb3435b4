// Tests of the high-quality radii: the 3σ rule of EVALUATION.md for the 2-D benchmarks,
// and σ·sqrt(χ²_d quantile) in d dimensions (reference values from scipy.stats.chi2).
import { describe, expect, it } from 'vitest';
import { ring8 } from '../../src/synthetic/ring-8.js';
import { highQualityRadius, THREE_SIGMA_COVERAGE, threeSigmaRadius } from '../../src/synthetic/high-quality.js';

describe('threeSigmaRadius', () => {
  it('is 3σ, and a 2-D 3σ disc holds 1 − e^{−4.5} of a mode’s samples', () => {
    expect(threeSigmaRadius(0.01)).toBeCloseTo(0.03, 15);
    expect(threeSigmaRadius(0.05)).toBeCloseTo(0.15, 15);
    const ring = ring8();
    const n = 100_000;
    const { distance } = ring.nearestMode(ring.sample(n, { seed: 1 }).points);
    const inside = distance.filter((d) => d <= threeSigmaRadius(ring.sigma)).length / n;
    const p = 1 - Math.exp(-4.5);
    expect(Math.abs(inside - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    expect(() => threeSigmaRadius(0)).toThrow(RangeError);
    expect(() => threeSigmaRadius('1' as unknown as number)).toThrow(TypeError);
  });
});

describe('highQualityRadius', () => {
  it('is the 1-D 3σ coverage by default: exactly 3σ in 1-D', () => {
    expect(THREE_SIGMA_COVERAGE).toBeCloseTo(0.9973002039367398, 16);
    expect(highQualityRadius(1, 0.01)).toBeCloseTo(0.03, 14);
  });

  it('equals σ·sqrt(chi2.ppf(q, d)) from scipy', () => {
    expect(highQualityRadius(2, 1)).toBeCloseTo(Math.sqrt(11.829158081900795), 12);
    expect(highQualityRadius(16, 0.05)).toBeCloseTo(0.05 * 6.018004332025806, 12);
    expect(highQualityRadius(16, 2, 0.99)).toBeCloseTo(2 * Math.sqrt(31.999926908815176), 11);
    expect(highQualityRadius(2, 0.01, 0.9973)).toBeCloseTo(0.01 * Math.sqrt(11.82900701194368), 14);
  });

  it('holds the requested share of a 2-D mode’s own samples', () => {
    const ring = ring8();
    const n = 100_000;
    const { distance } = ring.nearestMode(ring.sample(n, { seed: 2 }).points);
    const inside = distance.filter((d) => d <= highQualityRadius(2, ring.sigma, 0.9)).length / n;
    expect(Math.abs(inside - 0.9)).toBeLessThan(4 * Math.sqrt((0.9 * 0.1) / n));
  });

  it('rejects bad arguments', () => {
    expect(() => highQualityRadius(0, 1)).toThrow(RangeError);
    expect(() => highQualityRadius(2.5, 1)).toThrow(RangeError);
    expect(() => highQualityRadius(2, -1)).toThrow(RangeError);
    expect(() => highQualityRadius(2, 1, 1)).toThrow(RangeError);
    expect(() => highQualityRadius('2' as unknown as number, 1)).toThrow(TypeError);
  });
});
