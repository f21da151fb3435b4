// Sliced Wasserstein-2 between two point sets of any sizes, in float64: the mean over
// random directions θ on the unit sphere of the exact 1-D W2² between the projected
// sets (Rabin, Peyré, Delon & Bernot 2011; Bonneel et al. 2015). O(P·(n + m)·(d + log))
// time and O(n + m) extra memory, so it scales where the exact assignment does not.
import { createRng, expectInteger, expectOptions } from '@aeot/tensor-backend';
import { sortedWasserstein2Squared } from './exact-wasserstein.js';
import { toFeatureMatrix, type FeatureInput, type FeatureMatrix } from './features.js';

/** Options of {@link slicedWasserstein2}. */
export interface SlicedWasserstein2Options {
  /** Number of random directions P, an integer ≥ 1; default 256. The standard error falls as 1/√P. */
  readonly projections?: number;
  /** Seed of the directions (any safe integer); default 0. The same seed gives the same result. */
  readonly seed?: number;
}

/** What {@link slicedWasserstein2} returns. */
export interface SlicedWasserstein2Result {
  /** SW2 = √(SW2²), in the units of the points. */
  readonly distance: number;
  /** SW2² = mean over the directions of W2²(θ#μ, θ#ν), with cost |x − y|². */
  readonly squared: number;
  /**
   * Monte Carlo standard error of `squared` (sample standard deviation of the per-direction
   * values over √P); NaN when P = 1.
   */
  readonly standardError: number;
  /** Number of directions used. */
  readonly projections: number;
}

/** Default of {@link SlicedWasserstein2Options.projections}. */
export const SLICED_WASSERSTEIN_PROJECTIONS = 256;

/**
 * Sliced Wasserstein-2 distance between the uniform empirical measures μ of `a` and ν of
 * `b` (any sizes n, m ≥ 1, same dimension d): SW2² = E_θ W2²(θ#μ, θ#ν) with θ uniform on
 * the unit sphere, estimated with P directions (normalised Gaussian vectors from
 * `createRng(seed)`) and, per direction, the exact 1-D W2² of the projections (the
 * quantile integral of {@link wasserstein2OneD}).
 *
 * When to use: large or unequal sets, or a cheap proxy for W2 while training. It is a
 * different quantity from W2: SW2² ≤ W2²/d (E_θ (θ·v)² = |v|²/d for the optimal plan's
 * displacements), with equality for a translation (SW2 = |v|/√d); in 1-D it equals W2
 * exactly. Compare sliced values only with sliced values in the same dimension.
 *
 * Gotcha: full squared cost |x − y|² in each slice (not ½|x − y|²).
 *
 * @param a first set, n rows of d features.
 * @param b second set, m rows of d features.
 * @param options `projections` (default 256), `seed` (default 0).
 * @returns `{ distance, squared, standardError, projections }`.
 * @throws {TypeError} for inputs that are not matrices of numbers, or options of the wrong type.
 * @throws {RangeError} for empty sets, mismatched dimensions, `projections` not an
 *   integer ≥ 1, or a seed that is not a safe integer.
 * @throws {NonFiniteFeaturesError} for a NaN or infinite coordinate.
 * @example
 * const real = [[0, 0], [1, 0], [0, 1]];
 * const fake = [[2, 0], [3, 0], [2, 1], [3, 1]];
 * const { distance, standardError } = slicedWasserstein2(real, fake, { projections: 512, seed: 1 });
 */
export function slicedWasserstein2(a: FeatureInput, b: FeatureInput, options: SlicedWasserstein2Options = {}): SlicedWasserstein2Result {
  expectOptions('options', options);
  const projections = options.projections === undefined ? SLICED_WASSERSTEIN_PROJECTIONS : expectInteger('projections', options.projections, 1);
  const seed = options.seed === undefined ? 0 : expectInteger('seed', options.seed, -Number.MAX_SAFE_INTEGER);
  const setA = toFeatureMatrix('a', a);
  const setB = toFeatureMatrix('b', b, { dim: setA.dim, dimOf: 'a' });
  const d = setA.dim;

  const rng = createRng(seed);
  const direction = new Float64Array(d);
  const projectedA = new Float64Array(setA.rows);
  const projectedB = new Float64Array(setB.rows);
  const perDirection = new Float64Array(projections);
  for (let p = 0; p < projections; p++) {
    // A normalised standard Gaussian vector is uniform on the sphere (rotation invariance).
    // A zero vector has probability 0 but would divide by zero, so it is drawn again.
    let norm = 0;
    while (norm === 0) {
      rng.fillNormal(direction);
      let s = 0;
      for (let k = 0; k < d; k++) s += (direction[k] as number) ** 2;
      norm = Math.sqrt(s);
    }
    for (let k = 0; k < d; k++) direction[k] = (direction[k] as number) / norm;
    project(setA, direction, projectedA);
    project(setB, direction, projectedB);
    perDirection[p] = sortedWasserstein2Squared(projectedA.sort(), projectedB.sort());
  }

  const squared = mean(perDirection);
  let spread = 0;
  for (let p = 0; p < projections; p++) spread += ((perDirection[p] as number) - squared) ** 2;
  const standardError = projections > 1 ? Math.sqrt(spread / (projections - 1) / projections) : NaN;
  return { distance: Math.sqrt(squared), squared, standardError, projections };
}

function project(set: FeatureMatrix, direction: Float64Array, out: Float64Array): void {
  const { data, rows, dim } = set;
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const base = i * dim;
    for (let k = 0; k < dim; k++) s += (data[base + k] as number) * (direction[k] as number);
    out[i] = s;
  }
}

// Neumaier summation, so that P equal values (the 1-D case) average to that value exactly
// up to one rounding, whatever P.
function mean(values: Float64Array): number {
  let sum = 0;
  let carry = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    const t = sum + x;
    carry += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return (sum + carry) / values.length;
}
