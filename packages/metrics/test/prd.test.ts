// PRD: EVALUATION.md's F_β vectors, closed-form curves, and the clustered estimate on
// sets with a known missing mode.
import { describe, expect, it } from 'vitest';
import { createRng } from '@aeot/tensor-backend';
import { fBetaScores, prd, prdCurve } from '../src/index.js';

const P = [1, 1, 0, 0, 0.5, 1, 0.5];
const R = [1, 0, 1, 0, 0.5, 0.5, 1];

function expectClose(actual: Float64Array, expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, 14));
}

describe('fBetaScores', () => {
  it('reproduces the PRD paper test vectors for β = 1, 2, ½', () => {
    expectClose(fBetaScores(P, R, 1), [1, 0, 0, 0, 0.5, 2 / 3, 2 / 3]);
    expectClose(fBetaScores(P, R, 2), [1, 0, 0, 0, 0.5, 5 / 9, 5 / 6]);
    expectClose(fBetaScores(P, R, 0.5), [1, 0, 0, 0, 0.5, 5 / 6, 5 / 9]);
  });

  it('rejects bad input', () => {
    expect(() => fBetaScores([1], [1, 0], 1)).toThrow(new RangeError('"recall" expected 1 values (as many as "precision"), got 2'));
    expect(() => fBetaScores([1.5], [1], 1)).toThrow(/"precision" expected values in \[0, 1\]/);
    expect(() => fBetaScores([Number.NaN], [1], 1)).toThrow(RangeError);
    expect(() => fBetaScores([1], [1], 0)).toThrow(/"beta" expected a finite number > 0/);
  });
});

describe('prdCurve', () => {
  it('identical histograms reach (1, 1); disjoint ones stay at 0', () => {
    const same = prdCurve([0.2, 0.3, 0.5], [0.2, 0.3, 0.5], 1001);
    expect(Math.max(...fBetaScores(same.precision, same.recall, 1))).toBeCloseTo(1, 2);
    const disjoint = prdCurve([1, 0], [0, 1]);
    expect(Math.max(...disjoint.precision, ...disjoint.recall)).toBe(0);
  });

  it('a model missing half the reference has recall ≤ ½ and reaches precision 1 (closed form α = min(λ/2, 1))', () => {
    const { precision, recall } = prdCurve([0.5, 0.5], [1, 0], 2001);
    expect(Math.max(...recall)).toBeCloseTo(0.5, 6);
    expect(Math.max(...precision)).toBe(1);
    for (let i = 0; i < precision.length; i += 97) {
      const slope = precision[i]! / Math.max(recall[i]!, 1e-300);
      expect(precision[i]).toBeCloseTo(Math.min(slope / 2, 1), 9);
    }
  });

  it('rejects histograms that are not distributions', () => {
    expect(() => prdCurve([0.5, 0.6], [0.5, 0.5])).toThrow(/summing to 1/);
    expect(() => prdCurve([1], [0.5, 0.5])).toThrow(/"model" expected 1 bins/);
    expect(() => prdCurve([1.5, -0.5], [0.5, 0.5])).toThrow(/≥ 0/);
  });
});

describe('prd', () => {
  // Four well-separated clusters; the fake set drops two of them.
  const centres = [[0, 0], [10, 0], [0, 10], [10, 10]];
  function draw(n: number, modes: number[], seed: number): number[][] {
    const rng = createRng(seed);
    return Array.from({ length: n }, (_, i) => centres[modes[i % modes.length]!]!.map((c) => c + 0.5 * rng.nextNormal()));
  }

  it('sees the dropped modes in F_8 (recall) but not in F_1/8 (precision)', () => {
    const real = draw(400, [0, 1, 2, 3], 1);
    const full = prd(real, draw(400, [0, 1, 2, 3], 2), { clusters: 8, runs: 3 });
    const dropped = prd(real, draw(400, [0, 1], 3), { clusters: 8, runs: 3 });
    expect(full.fBeta).toBeGreaterThan(0.9);
    expect(full.fBetaInverse).toBeGreaterThan(0.9);
    expect(dropped.fBetaInverse).toBeGreaterThan(0.9);
    expect(dropped.fBeta).toBeLessThan(0.6);
    expect(prd(real, draw(400, [0, 1], 3), { clusters: 8, runs: 3 }).fBeta).toBe(dropped.fBeta);
  });
});
