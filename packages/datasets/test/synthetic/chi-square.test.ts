// Tests of the chi-square CDF and quantile (and the gamma functions beneath) against
// reference values from scipy 1.x (`scipy.stats.chi2`, `scipy.special.gammaln`).
import { describe, expect, it } from 'vitest';
import { chiSquareCdf, chiSquareQuantile } from '../../src/synthetic/chi-square.js';
import { logGamma, regularizedGammaP, regularizedGammaQ } from '../../src/synthetic/gamma.js';

// [p, k, chi2.ppf(p, k)]
const QUANTILES: [number, number, number][] = [
  [0.9973, 2, 11.82900701194368],
  [0.99, 16, 31.999926908815176],
  [0.997, 16, 35.886807246869175],
  [0.5, 1, 0.454936423119572],
  [0.95, 1, 3.841458820694124],
  [0.9973002039367398, 1, 8.999999999999986],
  [0.9973002039367398, 2, 11.829158081900795],
  [0.9973002039367398, 16, 36.21637614028137],
  [0.999, 100, 149.44925277903886],
  [0.01, 3, 0.11483180189911707],
  [0.5, 2, 1.386294361119891],
  [0.9, 10, 15.987179172105265],
  [0.9999, 1, 15.136705226623606],
  [0.001, 1, 1.5707971492624921e-6],
  [1e-10, 4, 2.828440458165948e-5],
  [1 - 1e-12, 3, 58.9198006659047],
  [0.5, 1000, 999.333412403381],
  [0.9973002039367398, 784, 898.6666187560027],
];

// [x, k, chi2.cdf(x, k), chi2.sf(x, k)]
const CDF: [number, number, number, number][] = [
  [9, 2, 0.9888910034617577, 0.011108996538242308],
  [16, 16, 0.5470391905130058, 0.4529608094869946],
  [1, 1, 0.6826894921370859, 0.31731050786291115],
  [100, 16, 0.9999999999999654, 3.4639966763825014e-14],
  [0.5, 3, 0.08110858834532418, 0.9188914116546758],
  [30, 10, 0.9991433587892247, 0.000856641210775301],
  [3.5, 0.5, 0.9760771069754207, 0.0239228930245793],
];

// [a, gammaln(a)]
const LOG_GAMMA: [number, number][] = [
  [0.5, 0.5723649429247],
  [1, 0],
  [2.5, 0.2846828704729192],
  [10, 12.801827480081469],
  [100.5, 361.43554046777757],
  [1e-3, 6.907178885383853],
];

const relativeError = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), Number.MIN_VALUE);

describe('gamma functions', () => {
  it('logGamma matches scipy.special.gammaln', () => {
    for (const [a, expected] of LOG_GAMMA) expect(Math.abs(logGamma(a) - expected)).toBeLessThan(1e-13 * Math.max(1, Math.abs(expected)));
  });

  it('regularized P and Q match chi2.cdf / chi2.sf in both tails', () => {
    for (const [x, k, cdf, sf] of CDF) {
      expect(relativeError(regularizedGammaP(k / 2, x / 2), cdf)).toBeLessThan(1e-12);
      expect(relativeError(regularizedGammaQ(k / 2, x / 2), sf)).toBeLessThan(1e-10);
    }
    expect(regularizedGammaP(2, 0)).toBe(0);
    expect(regularizedGammaQ(2, Infinity)).toBe(0);
  });
});

describe('chiSquareCdf', () => {
  it('matches scipy and the 2-D closed form 1 − e^{−x/2}', () => {
    for (const [x, k, cdf] of CDF) expect(relativeError(chiSquareCdf(x, k), cdf)).toBeLessThan(1e-12);
    for (const x of [0.1, 1, 4, 9, 25]) expect(chiSquareCdf(x, 2)).toBeCloseTo(1 - Math.exp(-x / 2), 14);
    expect(chiSquareCdf(-1, 3)).toBe(0);
  });

  it('rejects bad arguments', () => {
    expect(() => chiSquareCdf(Number.NaN, 2)).toThrow(RangeError);
    expect(() => chiSquareCdf(1, 0)).toThrow(RangeError);
    expect(() => chiSquareCdf('1' as unknown as number, 2)).toThrow(TypeError);
  });
});

describe('chiSquareQuantile', () => {
  it('matches scipy.stats.chi2.ppf to 1e-12 relative', () => {
    for (const [p, k, expected] of QUANTILES) expect(relativeError(chiSquareQuantile(p, k), expected)).toBeLessThan(1e-12);
  });

  it('inverts the CDF, and equals −2 ln(1 − p) in 2-D', () => {
    for (const k of [1, 2, 3, 7, 16, 50]) {
      for (const p of [0.001, 0.1, 0.5, 0.9, 0.999]) expect(chiSquareCdf(chiSquareQuantile(p, k), k)).toBeCloseTo(p, 13);
    }
    for (const p of [0.2, 0.68, 0.99]) expect(relativeError(chiSquareQuantile(p, 2), -2 * Math.log1p(-p))).toBeLessThan(1e-13);
  });

  it('rejects p outside (0, 1) and a bad k', () => {
    expect(() => chiSquareQuantile(0, 2)).toThrow(/"p" expected a probability in \(0, 1\), got 0/);
    expect(() => chiSquareQuantile(1, 2)).toThrow(RangeError);
    expect(() => chiSquareQuantile(Number.NaN, 2)).toThrow(RangeError);
    expect(() => chiSquareQuantile(0.5, -1)).toThrow(RangeError);
    expect(() => chiSquareQuantile('0.5' as unknown as number, 2)).toThrow(TypeError);
  });
});
