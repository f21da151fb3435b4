// A d-dimensional mixture of well-separated isotropic Gaussians (default: 10 modes in
// 16 dimensions), the higher-dimensional mode-collapse benchmark scored by nearest-mode
// distance. Its means are fixed by a documented, seeded rule.
import { createRng, expectInteger, expectOptions, expectPositive } from '@aeot/tensor-backend';
import { expectOptionalName } from './arguments.js';
import { GaussianMixture } from './gaussian-mixture.js';

/** Default `separation / (σ √dim)`: means ten typical sample radii apart. */
export const DEFAULT_SEPARATION_RATIO = 10;

/** Options of {@link separatedMixture}. */
export interface SeparatedMixtureOptions {
  /** Dimension d, an integer ≥ 1. Default 16. */
  dim?: number | undefined;
  /** Number of modes, an integer ≥ 1. Default 10. */
  modes?: number | undefined;
  /** Per-coordinate standard deviation of each mode. Default 0.05. */
  sigma?: number | undefined;
  /**
   * Smallest distance between two means. Default
   * `DEFAULT_SEPARATION_RATIO · σ · √dim` (= 2 for the defaults).
   */
  separation?: number | undefined;
  /** Seed of the random directions (used only when modes > dim). Default 0. */
  seed?: number | undefined;
  /** Draws allowed per mode before giving up (modes > dim only). Default 10,000. */
  maxTries?: number | undefined;
  /** Name of the mixture. Default `'separated-<modes>-in-<dim>d'`. */
  name?: string | undefined;
}

/**
 * A mixture of `modes` isotropic Gaussians N(μ_k, σ² I_d), equal weights, whose means are
 * at least `separation` apart:
 *
 * - modes ≤ dim: `μ_k = (separation / √2) · e_k` (the first `modes` unit axes), so every
 *   pairwise distance equals `separation` (up to rounding); the seed is not used.
 * - modes > dim: `μ_k = separation · u_k` with u_k uniform random unit directions (seeded
 *   normals, normalised), placed one after another; a direction closer than
 *   `separation` to an earlier mean (an angle under 60°) is redrawn, at most `maxTries`
 *   times per mode.
 *
 * Why the default separation: a sample lies at about σ√d from its mean, so means
 * 10 σ√d apart leave the modes' high-quality balls (radius `highQualityRadius(d, σ)`
 * ≈ 6σ in 16-D) far apart, and nearest-mode assignment of true samples is essentially
 * exact. Score with `highQualityRadius(dim, sigma)`, not 3σ (see there).
 *
 * @param options dim, modes, sigma, separation, seed, maxTries, name.
 * @returns the mixture; `minModeDistance` reports the realised separation.
 * @throws {TypeError} for an option of the wrong type.
 * @throws {RangeError} for a bad value, or when `modes` directions at ≥ 60° cannot be
 *   found in `dim` dimensions (e.g. more than 6 modes in 2-D).
 * @example
 * const mixture = separatedMixture(); // 10 modes in 16-D, σ = 0.05, means 2 apart
 * const train = mixture.dataset(50_000, { seed: 0 });
 */
export function separatedMixture(options: SeparatedMixtureOptions = {}): GaussianMixture {
  const opts = expectOptions('options', options);
  const dim = opts.dim === undefined ? 16 : expectInteger('dim', opts.dim, 1);
  const modes = opts.modes === undefined ? 10 : expectInteger('modes', opts.modes, 1);
  const sigma = opts.sigma === undefined ? 0.05 : expectPositive('sigma', opts.sigma);
  const separation = opts.separation === undefined ? DEFAULT_SEPARATION_RATIO * sigma * Math.sqrt(dim) : expectPositive('separation', opts.separation);
  const seed = opts.seed === undefined ? 0 : expectInteger('seed', opts.seed, 0, 0xffffffff);
  const maxTries = opts.maxTries === undefined ? 10_000 : expectInteger('maxTries', opts.maxTries, 1);
  const name = expectOptionalName(opts.name, `separated-${modes}-in-${dim}d`);
  const means = modes <= dim ? axisMeans(modes, dim, separation) : sphereMeans(modes, dim, separation, seed, maxTries);
  return new GaussianMixture(name, means, dim, sigma, Array.from({ length: modes }, () => 1 / modes));
}

function axisMeans(modes: number, dim: number, separation: number): Float64Array {
  const means = new Float64Array(modes * dim);
  for (let k = 0; k < modes; k++) means[k * dim + k] = separation * Math.SQRT1_2;
  return means;
}

function sphereMeans(modes: number, dim: number, separation: number, seed: number, maxTries: number): Float64Array {
  const rng = createRng(seed);
  const means = new Float64Array(modes * dim);
  const direction = new Float64Array(dim);
  // Compare squared distances of unit vectors: |u − v|² ≥ 1 ⇔ angle ≥ 60°.
  for (let k = 0; k < modes; k++) {
    let placed = false;
    for (let attempt = 0; attempt < maxTries && !placed; attempt++) {
      rng.fillNormal(direction);
      let norm = 0;
      for (const v of direction) norm += v * v;
      norm = Math.sqrt(norm);
      if (norm === 0) continue;
      for (let j = 0; j < dim; j++) direction[j] = (direction[j] as number) / norm;
      placed = true;
      for (let other = 0; other < k && placed; other++) {
        let d2 = 0;
        for (let j = 0; j < dim; j++) {
          const diff = (direction[j] as number) - (means[other * dim + j] as number) / separation;
          d2 += diff * diff;
        }
        if (d2 < 1) placed = false;
      }
    }
    if (!placed) {
      throw new RangeError(
        `"modes" expected a count whose means fit ${separation} apart on a sphere of radius ${separation} in ${dim} dimensions, got ${modes} (mode ${k} not placed after ${maxTries} tries; use fewer modes or more dimensions)`,
      );
    }
    for (let j = 0; j < dim; j++) means[k * dim + j] = separation * (direction[j] as number);
  }
  return means;
}
