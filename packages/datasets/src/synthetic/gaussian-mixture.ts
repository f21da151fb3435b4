// An isotropic Gaussian mixture Σ_k w_k N(μ_k, σ² I): the model behind ring-8, grid-25
// and the d-dimensional separated mixture. Samples are drawn in float64 and stored as
// float32; the parameters stay float64 for scoring (nearest mode, log-density).
import { createRng, expectOptions, expectPositive } from '@aeot/tensor-backend';
import { ArrayDataset } from '../array-dataset.js';
import { expectOptionalName, expectPointRows, expectSampleCount, expectSeedOption } from './arguments.js';
import { parseMeans, parseWeights } from './mixture-parameters.js';

/** Options of {@link gaussianMixture}. */
export interface GaussianMixtureOptions {
  /**
   * Mode centres: an array of rows (`means[k]` is mode k, all of one length), or a flat
   * row-major Float64Array together with `dim`.
   */
  means: readonly (readonly number[])[] | Float64Array;
  /** Dimension of a point; required with a flat Float64Array of means, checked otherwise. */
  dim?: number | undefined;
  /** Standard deviation of every coordinate of every mode (isotropic), finite > 0. */
  sigma: number;
  /** Mixing weights, one > 0 per mode, summing to 1 (within 1e-9). Default uniform. */
  weights?: readonly number[] | undefined;
  /** A name for datasets and reports. Default `'gaussian-mixture'`. */
  name?: string | undefined;
}

/** Options of the seeded samplers: `seed`, an integer in [0, 2^32 − 1], default 0. */
export interface SyntheticSampleOptions {
  /** Seed of the generator (xoshiro128**); the same seed gives the same sample everywhere. */
  seed?: number | undefined;
}

/** A sample of a mixture: points and the mode each was drawn from. */
export interface MixtureSample {
  /** `n × dim` coordinates, row-major, float32 (drawn in float64, then rounded). */
  points: Float32Array;
  /** Generating mode of each point, in [0, numModes). */
  labels: Int32Array;
}

/** Nearest mode centre of each point and the Euclidean distance to it. */
export interface NearestModes {
  /** Index of the nearest mean (ties: the lowest index); −1 for a point with a non-finite coordinate. */
  mode: Int32Array;
  /** Euclidean distance |x − μ_mode| (not squared); `Infinity` for a non-finite point. */
  distance: Float64Array;
}

/**
 * An isotropic Gaussian mixture. Create with {@link gaussianMixture}, {@link ring8},
 * {@link grid25} or {@link separatedMixture}.
 */
export class GaussianMixture {
  /** Name used for datasets, e.g. `'ring-8'`. */
  readonly name: string;
  /** Dimension of a point. */
  readonly dim: number;
  /** Number of modes K. */
  readonly numModes: number;
  /** Mode centres, frozen: `means[k][j]` is coordinate j of mode k (float64). */
  readonly means: readonly (readonly number[])[];
  /** Per-coordinate standard deviation of every mode. */
  readonly sigma: number;
  /** Mixing weights, frozen, summing to 1. */
  readonly weights: readonly number[];
  /** Smallest distance between two distinct means (`Infinity` with one mode). */
  readonly minModeDistance: number;
  private readonly meanValues: Float64Array;
  private readonly cumulative: Float64Array;

  /** @internal use {@link gaussianMixture}; arguments are trusted here. */
  constructor(name: string, meanValues: Float64Array, dim: number, sigma: number, weights: readonly number[]) {
    this.name = name;
    this.dim = dim;
    this.numModes = meanValues.length / dim;
    this.meanValues = meanValues;
    this.means = Object.freeze(Array.from({ length: this.numModes }, (_, k) => Object.freeze(Array.from(meanValues.subarray(k * dim, (k + 1) * dim)))));
    this.sigma = sigma;
    this.weights = Object.freeze([...weights]);
    this.cumulative = new Float64Array(this.numModes);
    let acc = 0;
    weights.forEach((w, k) => (this.cumulative[k] = acc += w));
    let min = Infinity;
    for (let a = 0; a < this.numModes; a++) for (let b = a + 1; b < this.numModes; b++) min = Math.min(min, this.squaredDistance(meanValues, a * dim, b));
    this.minModeDistance = Math.sqrt(min);
  }

  /** The means as a new row-major `numModes × dim` Float64Array. */
  meanMatrix(): Float64Array {
    return Float64Array.from(this.meanValues);
  }

  /**
   * Draws `n` points. Per point, one uniform double picks the mode (inverse CDF of the
   * weights), then `dim` standard normals (Rng.nextNormal) give `μ + σ z`.
   *
   * @param n number of points, an integer ≥ 0 (0 gives empty arrays).
   * @param options `seed` (default 0).
   * @returns `{ points, labels }`.
   * @throws {TypeError} for a non-numeric `n` or `seed`.
   * @throws {RangeError} for a negative or fractional `n` or `seed`.
   * @example
   * const { points, labels } = ring8().sample(2500, { seed: 1 });
   */
  sample(n: number, options: SyntheticSampleOptions = {}): MixtureSample {
    const count = expectSampleCount(n, this.dim);
    const rng = createRng(expectSeedOption(options));
    const { dim, meanValues, sigma } = this;
    const points = new Float32Array(count * dim);
    const labels = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const k = this.pickMode(rng.nextFloat64());
      labels[i] = k;
      for (let j = 0; j < dim; j++) points[i * dim + j] = (meanValues[k * dim + j] as number) + sigma * rng.nextNormal();
    }
    return { points, labels };
  }

  /**
   * A labelled points dataset of `n` samples ({@link GaussianMixture.sample}):
   * labels are the generating modes, `numClasses = numModes`.
   *
   * @param n number of points, an integer ≥ 0.
   * @param options `seed` (default 0).
   * @returns an {@link ArrayDataset} of kind `'points'`, example shape `[dim]`.
   * @throws {TypeError} / {RangeError} as {@link GaussianMixture.sample}.
   * @example
   * const train = grid25().dataset(100_000, { seed: 0 });
   */
  dataset(n: number, options: SyntheticSampleOptions = {}): ArrayDataset {
    const { points, labels } = this.sample(n, options);
    return new ArrayDataset(points, { name: this.name, exampleShape: [this.dim], kind: 'points', labels, numClasses: this.numModes });
  }

  /**
   * The nearest mean of each point (Euclidean), as used by mode-collapse scores: a point
   * is "high quality" when `distance ≤ r` (r = 3σ in 2-D, see `threeSigmaRadius` and
   * `highQualityRadius`).
   *
   * @param points row-major, `m × dim` values (Float32Array, Float64Array or number[]).
   * @returns `{ mode, distance }`, one entry per point.
   * @throws {TypeError} when `points` is not an array.
   * @throws {RangeError} when its length is not a multiple of `dim`.
   * @example
   * const { mode, distance } = mixture.nearestMode(generated);
   */
  nearestMode(points: ArrayLike<number>): NearestModes {
    const m = expectPointRows(points, this.dim);
    const mode = new Int32Array(m).fill(-1);
    const distance = new Float64Array(m).fill(Infinity);
    for (let i = 0; i < m; i++) {
      let best = Infinity;
      for (let k = 0; k < this.numModes; k++) {
        const d2 = this.squaredDistance(points, i * this.dim, k);
        if (d2 < best) {
          best = d2;
          mode[i] = k;
        }
      }
      if (mode[i] !== -1) distance[i] = Math.sqrt(best);
    }
    return { mode, distance };
  }

  /**
   * Log-density of the mixture at each point, log Σ_k w_k N(x; μ_k, σ² I), computed with
   * a log-sum-exp so that far-away points give finite (very negative) values.
   *
   * @param points row-major, `m × dim` values.
   * @returns `m` log-densities (natural log); NaN for a point with a NaN coordinate.
   * @throws {TypeError} / {RangeError} as {@link GaussianMixture.nearestMode}.
   * @example
   * const ll = mixture.logDensity(points).reduce((a, b) => a + b, 0) / (points.length / mixture.dim);
   */
  logDensity(points: ArrayLike<number>): Float64Array {
    const m = expectPointRows(points, this.dim);
    const out = new Float64Array(m);
    const logNorm = -0.5 * this.dim * Math.log(2 * Math.PI * this.sigma * this.sigma);
    const terms = new Float64Array(this.numModes);
    for (let i = 0; i < m; i++) {
      let max = -Infinity;
      for (let k = 0; k < this.numModes; k++) {
        const t = Math.log(this.weights[k] as number) - this.squaredDistance(points, i * this.dim, k) / (2 * this.sigma * this.sigma);
        terms[k] = t;
        if (!(t <= max)) max = t; // lets a NaN through to the result
      }
      if (!Number.isFinite(max)) {
        out[i] = max;
        continue;
      }
      let sum = 0;
      for (let k = 0; k < this.numModes; k++) sum += Math.exp((terms[k] as number) - max);
      out[i] = max + Math.log(sum) + logNorm;
    }
    return out;
  }

  private squaredDistance(points: ArrayLike<number>, offset: number, k: number): number {
    let s = 0;
    for (let j = 0; j < this.dim; j++) {
      const d = (points[offset + j] as number) - (this.meanValues[k * this.dim + j] as number);
      s += d * d;
    }
    return s;
  }

  private pickMode(u: number): number {
    let lo = 0;
    let hi = this.numModes - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (u < (this.cumulative[mid] as number)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/**
 * An isotropic Gaussian mixture Σ_k w_k N(μ_k, σ² I) with validated parameters.
 *
 * @param options means (rows, or a flat Float64Array with `dim`), sigma, weights, name.
 * @returns the mixture; its `means` and `weights` are frozen copies.
 * @throws {TypeError} for a parameter of the wrong type.
 * @throws {RangeError} for no modes, rows of different lengths, a non-finite mean,
 *   σ ≤ 0, or weights that are not positive or do not sum to 1.
 * @example
 * const twoModes = gaussianMixture({ means: [[-1, 0], [1, 0]], sigma: 0.1, weights: [0.25, 0.75] });
 */
export function gaussianMixture(options: GaussianMixtureOptions): GaussianMixture {
  if (options === undefined) throw new TypeError('"options" expected an options object with "means" and "sigma", got undefined');
  const opts = expectOptions('options', options);
  const { values, dim, count } = parseMeans(opts.means, opts.dim);
  const sigma = expectPositive('sigma', opts.sigma);
  const weights = parseWeights(opts.weights, count);
  return new GaussianMixture(expectOptionalName(opts.name, 'gaussian-mixture'), values, dim, sigma, weights);
}
