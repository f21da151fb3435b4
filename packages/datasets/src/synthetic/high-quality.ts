// Radii that decide whether a generated sample is "high quality" (close enough to its
// nearest mode) in mode-collapse scores: the 3σ rule of the 2-D benchmarks, and its
// honest generalisation to d dimensions through the chi distribution.
import { expectInteger, expectPositive } from '@aeot/tensor-backend';
import { chiSquareQuantile } from './chi-square.js';

/**
 * P(|Z| ≤ 3) for Z ~ N(0, 1) = erf(3/√2) ≈ 0.99730: the coverage of the 1-D 3σ rule, the
 * default quantile of {@link highQualityRadius}.
 */
export const THREE_SIGMA_COVERAGE = 0.9973002039367398;

/**
 * The high-quality radius of the 2-D benchmarks (ring-8, grid-25), as EVALUATION.md and
 * PacGAN define it: 3σ. This is the documented default for scoring those two.
 *
 * Gotcha: in 2-D a 3σ disc holds only 1 − e^{−4.5} ≈ 98.9 % of a mode's own samples (not
 * 99.7 %), and in d dimensions samples lie at about σ√d from their mean, so a 3σ ball
 * holds only 56 % of a mode's own samples at d = 9 and 8.7 % at d = 16. Use
 * {@link highQualityRadius} there.
 *
 * @param sigma the modes' per-coordinate standard deviation, finite > 0.
 * @returns 3σ.
 * @throws {TypeError} for a non-numeric sigma.
 * @throws {RangeError} for sigma ≤ 0 or not finite.
 * @example
 * threeSigmaRadius(ring8().sigma); // 0.03
 */
export function threeSigmaRadius(sigma: number): number {
  return 3 * expectPositive('sigma', sigma);
}

/**
 * The radius r with P(|x − μ| ≤ r) = `quantile` for x ~ N(μ, σ² I_d):
 * `r = σ · sqrt(χ²_d⁻¹(quantile))` (|x − μ|/σ follows the chi distribution with d degrees
 * of freedom). With the default quantile it extends the 1-D 3σ rule to any dimension:
 * `highQualityRadius(1, σ) = 3σ`, `highQualityRadius(2, σ) ≈ 3.44σ`,
 * `highQualityRadius(16, σ) ≈ 6.02σ`. Use it for the d-dimensional separated mixture;
 * keep {@link threeSigmaRadius} for ring-8 / grid-25 so numbers stay comparable with
 * published ones.
 *
 * @param dim dimension d, an integer ≥ 1.
 * @param sigma per-coordinate standard deviation, finite > 0.
 * @param quantile the fraction of a mode's own samples the ball must hold, in (0, 1).
 *   Default {@link THREE_SIGMA_COVERAGE}.
 * @returns the radius, in the units of the points.
 * @throws {TypeError} for a non-numeric argument.
 * @throws {RangeError} for dim < 1, sigma ≤ 0, or a quantile outside (0, 1).
 * @example
 * const mixture = separatedMixture();
 * const r = highQualityRadius(mixture.dim, mixture.sigma);
 * const { distance } = mixture.nearestMode(generated);
 * const hq = distance.filter((d) => d <= r).length / distance.length;
 */
export function highQualityRadius(dim: number, sigma: number, quantile: number = THREE_SIGMA_COVERAGE): number {
  const d = expectInteger('dim', dim, 1);
  const s = expectPositive('sigma', sigma);
  return s * Math.sqrt(chiSquareQuantile(quantile, d));
}
