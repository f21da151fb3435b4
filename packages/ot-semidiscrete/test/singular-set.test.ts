// The dihedral angle against hand-computed cases (and its accuracy where arccos fails),
// and the automatic threshold on angle sets with and without a gap.
import { describe, expect, it } from 'vitest';
import { angleQuantile, chooseAngleThreshold, codeScaling, dihedralAngle, unitNormals } from '../src/index.js';

describe('dihedralAngle', () => {
  it('hand-computed cases: arccos((<a,b> + 1)/√((|a|²+1)(|b|²+1)))', () => {
    expect(dihedralAngle([0.3, -2], [0.3, -2])).toBe(0);
    // (1,0,−1)·(0,1,−1) = 1, norms √2 √2 → arccos ½ = π/3.
    expect(dihedralAngle([1, 0], [0, 1])).toBeCloseTo(Math.PI / 3, 14);
    // 1-D: (0,−1)·(1,−1) = 1, norms 1 · √2 → π/4.
    expect(dihedralAngle([0], [1])).toBeCloseTo(Math.PI / 4, 14);
    // (t,−1)·(−t,−1) = 1 − t², norms t² + 1 → cos θ = (1 − t²)/(1 + t²), θ = 2 atan t.
    for (const t of [0.1, 1, 3]) expect(dihedralAngle([t], [-t])).toBeCloseTo(2 * Math.atan(t), 14);
    // (1,1,−1)·(2,0,−1) = 3, norms √3 √5.
    expect(dihedralAngle([1, 1], [2, 0])).toBeCloseTo(Math.acos(3 / Math.sqrt(15)), 14);
    // Symmetric, and independent of which code is first.
    expect(dihedralAngle([2, 0], [1, 1])).toBe(dihedralAngle([1, 1], [2, 0]));
  });

  it('stays accurate for tiny angles, where the arccos form loses everything', () => {
    // Between (0, −1) and (ε, −1): θ = atan ε.
    for (const eps of [1e-3, 1e-6, 1e-9]) expect(Math.abs(dihedralAngle([0], [eps]) - Math.atan(eps)) / Math.atan(eps)).toBeLessThan(1e-12);
    expect(Math.acos(1 / Math.sqrt(1 + 1e-18))).toBe(0); // the naive form returns 0 here
  });

  it('standardised codes make the angle independent of the codes’ units', () => {
    const codes = Float64Array.from([0, 0, 1, 0, 0, 2, 5, 5]);
    const angle = (y: Float64Array) => {
      const n = unitNormals(y, 2, codeScaling(y, 2));
      let diff = 0;
      for (let c = 0; c < 3; c++) diff += (n[c]! - n[9 + c]!) ** 2;
      return 2 * Math.asin(Math.sqrt(diff) / 2);
    };
    const scaled = codes.map((v) => 1000 * v + 7);
    expect(angle(scaled)).toBeCloseTo(angle(codes), 12);
    expect(dihedralAngle([1000 * 0 + 7, 7], [1000 * 5 + 7, 1000 * 5 + 7])).not.toBeCloseTo(dihedralAngle([0, 0], [5, 5]), 2);
  });

  it('rejects codes of different lengths or non-finite values', () => {
    expect(() => dihedralAngle([1, 2], [1])).toThrow(RangeError);
    expect(() => dihedralAngle([Number.NaN], [1])).toThrow(RangeError);
  });
});

describe('chooseAngleThreshold', () => {
  it('puts θ̂ in the widest log-gap, at its geometric mean', () => {
    const r = chooseAngleThreshold([0.004, 0.006, 0.005, 0.9, 1.1]);
    expect(r.found).toBe(true);
    expect(r.threshold).toBeCloseTo(Math.sqrt(0.006 * 0.9), 14);
    expect(r.below).toBe(0.006);
    expect(r.above).toBe(0.9);
    expect(r.singularFraction).toBeCloseTo(2 / 5, 14);
  });

  it('finds no singular set in a continuous spread of angles, nor below a majority', () => {
    const spread = Array.from({ length: 200 }, (_, i) => 0.01 * 1.02 ** i);
    expect(chooseAngleThreshold(spread)).toMatchObject({ found: false, threshold: Infinity });
    // A big jump with most pairs above it is not a gap between modes.
    expect(chooseAngleThreshold([1e-6, 0.5, 0.6, 0.7]).found).toBe(false);
    // Weights count pairs: the same gap is refused when the pairs above weigh too much.
    expect(chooseAngleThreshold([0.01, 0.012, 1, 1.2], [1, 1, 5, 5]).found).toBe(false);
  });

  it('rejects empty or invalid input', () => {
    expect(() => chooseAngleThreshold([])).toThrow(RangeError);
    expect(() => chooseAngleThreshold([0.1, -1])).toThrow(RangeError);
    expect(() => chooseAngleThreshold([0.1, 0.2], [1])).toThrow(RangeError);
  });
});

describe('angleQuantile', () => {
  it('θ̂ is the order statistic at the quantile; the share above it is the singular fraction', () => {
    expect(angleQuantile([0.4, 0.1, 0.3, 0.2], 0.5)).toEqual({ threshold: 0.2, above: NaN, below: NaN, singularFraction: 0.5, found: false, quantile: 0.5 });
    expect(angleQuantile([0.4, 0.1, 0.3, 0.2], 0.75).threshold).toBe(0.3);
    expect(angleQuantile([0.4, 0.1, 0.3, 0.2], 1).singularFraction).toBe(0);
    // Ties: every angle equal to θ̂ stays below it.
    expect(angleQuantile([0.1, 0.2, 0.2, 0.2, 0.5], 0.4)).toMatchObject({ threshold: 0.2, singularFraction: 0.2 });
    const spread = Array.from({ length: 1000 }, (_, i) => 0.001 * (i + 1));
    expect(angleQuantile(spread, 0.9).threshold).toBeCloseTo(0.9, 12);
  });

  it('rejects empty input and quantiles outside (0, 1]', () => {
    expect(() => angleQuantile([], 0.5)).toThrow(RangeError);
    expect(() => angleQuantile([0.1], 0)).toThrow(/"quantile"/);
    expect(() => angleQuantile([0.1], 1.5)).toThrow(/"quantile"/);
  });
});
