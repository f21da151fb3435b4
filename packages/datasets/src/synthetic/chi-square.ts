// The chi-square distribution with k degrees of freedom: CDF and quantile in float64.
// |x − μ|² / σ² of a d-dimensional isotropic Gaussian sample is χ²(d), so its quantiles
// give honest "within the mode" radii in any dimension (see high-quality.ts).
import { describeValue, expectPositive } from '@aeot/tensor-backend';
import { logGamma, regularizedGammaP, regularizedGammaQ } from './gamma.js';

/**
 * CDF of χ²(k): P(X ≤ x) = P(k/2, x/2), the regularized lower incomplete gamma function.
 *
 * @param x the point; values ≤ 0 give 0.
 * @param k degrees of freedom, a finite number > 0 (an integer for a dimension).
 * @returns the probability.
 * @throws {TypeError} for a non-numeric argument.
 * @throws {RangeError} for k ≤ 0 or non-finite, or a NaN x.
 * @example
 * chiSquareCdf(9, 2); // 1 − e^{−4.5} ≈ 0.98889: mass of a 2-D Gaussian within 3σ
 */
export function chiSquareCdf(x: number, k: number): number {
  if (typeof x !== 'number') throw new TypeError(`"x" expected a number, got ${describeValue(x)}`);
  if (Number.isNaN(x)) throw new RangeError('"x" expected a number, got NaN');
  const dof = expectPositive('k', k);
  return regularizedGammaP(dof / 2, x / 2);
}

/**
 * Quantile of χ²(k): the x with P(X ≤ x) = p. A Wilson–Hilferty start
 * (x ≈ k (1 − 2/(9k) + z √(2/(9k)))³, z the normal quantile) refined by Newton steps on
 * the CDF, kept inside a bracket; the upper tail is solved through Q so that p close
 * to 1 keeps full precision. Relative accuracy about 1e-13.
 *
 * @param p the probability, in (0, 1).
 * @param k degrees of freedom, a finite number > 0.
 * @returns the quantile, > 0.
 * @throws {TypeError} for a non-numeric argument.
 * @throws {RangeError} for p outside (0, 1), or k ≤ 0 or non-finite.
 * @example
 * chiSquareQuantile(0.99, 16); // 31.99992690881…
 */
export function chiSquareQuantile(p: number, k: number): number {
  if (typeof p !== 'number') throw new TypeError(`"p" expected a probability in (0, 1), got ${describeValue(p)}`);
  if (!(p > 0 && p < 1)) throw new RangeError(`"p" expected a probability in (0, 1), got ${describeValue(p)}`);
  const a = expectPositive('k', k) / 2;
  const logGammaA = logGamma(a);
  const upper = p > 0.5;
  const target = upper ? 1 - p : p; // exact for p in [0.5, 1) (Sterbenz)
  let x = initialGuess(p, k, logGammaA);
  let lo = 0;
  let hi = Infinity;
  for (let iter = 0; iter < 200; iter++) {
    // F(x) − p, from whichever tail is small.
    const residual = upper ? target - regularizedGammaQ(a, x / 2) : regularizedGammaP(a, x / 2) - target;
    if (residual === 0) return x;
    if (residual > 0) hi = x;
    else lo = x;
    const density = Math.exp((a - 1) * Math.log(x / 2) - x / 2 - logGammaA) / 2;
    let next = x - residual / density;
    if (!(next > lo && next < hi)) next = hi === Infinity ? 2 * x : (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-15 * x) return next;
    x = next;
  }
  return x;
}

function initialGuess(p: number, k: number, logGammaA: number): number {
  const z = normalQuantileApprox(p);
  const c = 2 / (9 * k);
  const wilsonHilferty = k * (1 - c + z * Math.sqrt(c)) ** 3;
  // Small-x limit F(x) ≈ (x/2)^a / Γ(a + 1): better where Wilson–Hilferty fails (small p, k).
  const a = k / 2;
  const smallX = 2 * Math.exp((Math.log(p) + logGammaA + Math.log(a)) / a);
  return wilsonHilferty > 0 && wilsonHilferty > smallX ? wilsonHilferty : smallX;
}

// Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4): only a starting point for Newton.
function normalQuantileApprox(p: number): number {
  const q = p < 0.5 ? p : 1 - p;
  const t = Math.sqrt(-2 * Math.log(q));
  const z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
  return p < 0.5 ? -z : z;
}
