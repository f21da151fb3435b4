// Ring-8, the 2-D mode-collapse benchmark of PacGAN / Unrolled GAN: 8 Gaussians evenly
// spaced on the unit circle, σ = 0.01 (see shared/design/EVALUATION.md).
import { expectInteger, expectOptions, expectPositive } from '@aeot/tensor-backend';
import { expectOptionalName } from './arguments.js';
import { GaussianMixture } from './gaussian-mixture.js';

/** Options of {@link ring8}; the defaults are the benchmark's definition. */
export interface RingOptions {
  /** Number of modes, an integer ≥ 1. Default 8. */
  modes?: number | undefined;
  /** Radius of the circle. Default 1. */
  radius?: number | undefined;
  /** Per-coordinate standard deviation of each mode. Default 0.01. */
  sigma?: number | undefined;
  /** Name of the mixture. Default `'ring-8'` (`'ring-<modes>'` for other counts). */
  name?: string | undefined;
}

/**
 * The ring benchmark: mode k (k = 0..modes−1) is centred at
 * `radius · (cos 2πk/modes, sin 2πk/modes)`, each an isotropic N(μ_k, σ² I), equal
 * weights. Defaults give ring-8: 8 modes, radius 1, σ = 0.01.
 *
 * Gotcha: the angles are 2πk/modes, not `linspace(0, 2π, modes)` as in some public code,
 * which puts modes 0 and modes−1 on the same point. Score with the 3σ rule of
 * EVALUATION.md (`threeSigmaRadius(sigma)`).
 *
 * @param options modes, radius, sigma, name.
 * @returns the mixture (uniform weights, `dim` 2).
 * @throws {TypeError} for an option of the wrong type.
 * @throws {RangeError} for modes < 1 or a radius / sigma that is not finite and > 0.
 * @example
 * const ring = ring8();
 * const { points, labels } = ring.sample(2500, { seed: 0 });
 */
export function ring8(options: RingOptions = {}): GaussianMixture {
  const opts = expectOptions('options', options);
  const modes = opts.modes === undefined ? 8 : expectInteger('modes', opts.modes, 1);
  const radius = opts.radius === undefined ? 1 : expectPositive('radius', opts.radius);
  const sigma = opts.sigma === undefined ? 0.01 : expectPositive('sigma', opts.sigma);
  const name = expectOptionalName(opts.name, `ring-${modes}`);
  const means = new Float64Array(2 * modes);
  for (let k = 0; k < modes; k++) {
    const angle = (2 * Math.PI * k) / modes;
    means[2 * k] = radius * Math.cos(angle);
    means[2 * k + 1] = radius * Math.sin(angle);
  }
  return new GaussianMixture(name, means, 2, sigma, Array.from({ length: modes }, () => 1 / modes));
}
