// Grid-25, the 2-D mode-collapse benchmark of PacGAN / GDPP: 25 Gaussians on the grid
// {−4, −2, 0, 2, 4}², σ = 0.05 (see shared/design/EVALUATION.md).
import { expectInteger, expectOptions, expectPositive } from '@aeot/tensor-backend';
import { expectOptionalName } from './arguments.js';
import { GaussianMixture } from './gaussian-mixture.js';

/** Options of {@link grid25}; the defaults are the benchmark's definition. */
export interface GridOptions {
  /** Modes per side, an integer ≥ 1. Default 5. */
  size?: number | undefined;
  /** Distance between neighbouring modes. Default 2. */
  spacing?: number | undefined;
  /** Per-coordinate standard deviation of each mode. Default 0.05. */
  sigma?: number | undefined;
  /** Name of the mixture. Default `'grid-25'` (`'grid-<size²>'` for other sizes). */
  name?: string | undefined;
}

/**
 * The grid benchmark: a `size × size` grid centred on the origin, coordinates
 * `c_i = (i − (size − 1)/2) · spacing`, i = 0..size−1; mode `k = i · size + j` is centred
 * at `(c_i, c_j)` (x varies slowest), each N(μ_k, σ² I), equal weights. Defaults give
 * grid-25: {−4, −2, 0, 2, 4}², σ = 0.05. Score with the 3σ rule of EVALUATION.md
 * (`threeSigmaRadius(sigma)`).
 *
 * @param options size, spacing, sigma, name.
 * @returns the mixture (uniform weights, `dim` 2).
 * @throws {TypeError} for an option of the wrong type.
 * @throws {RangeError} for size < 1 or a spacing / sigma that is not finite and > 0.
 * @example
 * const grid = grid25();
 * grid.means[0]; // [-4, -4]
 */
export function grid25(options: GridOptions = {}): GaussianMixture {
  const opts = expectOptions('options', options);
  const size = opts.size === undefined ? 5 : expectInteger('size', opts.size, 1);
  const spacing = opts.spacing === undefined ? 2 : expectPositive('spacing', opts.spacing);
  const sigma = opts.sigma === undefined ? 0.05 : expectPositive('sigma', opts.sigma);
  const name = expectOptionalName(opts.name, `grid-${size * size}`);
  const coords = Array.from({ length: size }, (_, i) => (i - (size - 1) / 2) * spacing);
  const means = new Float64Array(2 * size * size);
  coords.forEach((x, i) =>
    coords.forEach((y, j) => {
      means[2 * (i * size + j)] = x;
      means[2 * (i * size + j) + 1] = y;
    }),
  );
  return new GaussianMixture(name, means, 2, sigma, Array.from({ length: size * size }, () => 1 / (size * size)));
}
