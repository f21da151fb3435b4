// Mode coverage on samples of the true ring-8 / grid-25 (closed-form HQ fraction
// 1 − e^{−9/2} for the 2-D 3σ rule), on collapsed and mixed sample sets, and on labels.
import { describe, expect, it } from 'vitest';
import { grid25, highQualityRadius, ring8 } from '@aeot/datasets';
import { labelCoverage, modeCoverage, NonFiniteFeaturesError } from '../src/index.js';

const flat = (points: Float32Array) => ({ data: points, shape: [points.length / 2, 2] as [number, number] });
// P(|z| ≤ 3) for z ~ N(0, I₂): the HQ fraction of true samples under the 3σ rule.
const HQ_2D = 1 - Math.exp(-4.5);

describe('modeCoverage', () => {
  it.each([
    ['ring-8', ring8(), 8],
    ['grid-25', grid25(), 25],
  ] as const)('true %s samples: all modes, HQ at the closed form (3σ) and ≥ 99%% (χ radius), KL ≈ 0', (_, mixture, k) => {
    for (const seed of [1, 2, 3]) {
      const { points } = mixture.sample(2500, { seed });
      const s = modeCoverage(flat(points), mixture);
      expect(s.modesCaptured).toBe(k);
      expect(s.numModes).toBe(k);
      expect(s.missingModes).toEqual([]);
      expect(s.radius).toBeCloseTo(3 * mixture.sigma, 12);
      // Binomial standard error of the HQ fraction at n = 2500 is 0.0021.
      expect(Math.abs(s.highQuality - HQ_2D)).toBeLessThan(4 * Math.sqrt((HQ_2D * (1 - HQ_2D)) / 2500));
      expect(s.kl).toBeLessThan(0.01 * (k / 8));
      expect(s.jsd).toBeLessThan(0.003 * (k / 8));
      const chi = modeCoverage(flat(points), mixture, { radius: highQualityRadius(2, mixture.sigma) });
      expect(chi.highQuality).toBeGreaterThanOrEqual(0.99);
    }
  });

  it('reports a collapsed generator: 2 of 8 modes, KL = log 4', () => {
    const ring = ring8();
    const { points, labels } = ring.sample(4000, { seed: 5 });
    const kept: number[][] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i]! < 2) kept.push([points[2 * i]!, points[2 * i + 1]!]);
    const s = modeCoverage(kept, ring);
    expect(s.modesCaptured).toBe(2);
    expect(s.missingModes).toEqual([2, 3, 4, 5, 6, 7]);
    // Both kept modes are (nearly) equally filled: p = (½, ½, 0, …) → KL = log 4.
    expect(s.kl).toBeCloseTo(Math.log(4), 1);
    // All in one mode: KL = log 8, JSD approaches its bound.
    const one = modeCoverage(kept.filter((p) => p[0]! > 0.9), ring);
    expect(one.modesCaptured).toBe(1);
    expect(one.kl).toBeCloseTo(Math.log(8), 10);
  });

  it('reports mode mixture: samples between the modes are not high quality', () => {
    const ring = ring8();
    const between = Array.from({ length: 800 }, (_, i) => {
      const t = (2 * Math.PI * (i % 8)) / 8 + Math.PI / 8;
      return [Math.cos(t), Math.sin(t)];
    });
    const s = modeCoverage(between, ring);
    expect(s.highQuality).toBe(0);
    expect(s.modesCaptured).toBe(0);
    expect(s.kl).toBe(Infinity);
    expect(s.jsd).toBeCloseTo(Math.LN2, 15);
  });

  it('gives typed errors for bad input', () => {
    const ring = ring8();
    expect(() => modeCoverage([[0, 0, 0]], ring)).toThrow(new RangeError('"samples" expected rows of dimension 2 (that of "modes.means"), got 3'));
    expect(() => modeCoverage([[0, Number.NaN]], ring)).toThrow(NonFiniteFeaturesError);
    expect(() => modeCoverage([[0, 0]], { means: ring.means })).toThrow(/"radius" expected a finite number > 0/);
    expect(() => modeCoverage([[0, 0]], ring, { radius: -1 })).toThrow(RangeError);
    expect(() => modeCoverage([], ring)).toThrow(/at least 1 rows/);
    expect(() => modeCoverage([[0, 0]], null as never)).toThrow(TypeError);
  });
});

describe('labelCoverage', () => {
  it('closed forms: uniform labels → KL 0; 3 of 1000 modes → KL = log(1000/3)', () => {
    const even = labelCoverage(Int32Array.from({ length: 10_000 }, (_, i) => i % 10), 10);
    expect(even.modesCaptured).toBe(10);
    expect(even.kl).toBeCloseTo(0, 14);
    expect(even.jsd).toBeCloseTo(0, 14);
    const few = labelCoverage(Int32Array.from({ length: 300 }, (_, i) => [7, 123, 999][i % 3]!), 1000);
    expect(few.modesCaptured).toBe(3);
    expect(few.kl).toBeCloseTo(Math.log(1000 / 3), 12);
    expect(few.missingModes).toHaveLength(997);
  });

  it('rejects labels outside [0, K)', () => {
    expect(() => labelCoverage([0, 10], 10)).toThrow(new RangeError('"labels" expected integers in [0, 10), got 10 at 1'));
    expect(() => labelCoverage([0.5], 10)).toThrow(RangeError);
    expect(() => labelCoverage([0], 0)).toThrow(RangeError);
  });
});
