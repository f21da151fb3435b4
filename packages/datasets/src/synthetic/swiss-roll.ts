// The 2-D swiss roll of the WGAN-GP toy experiments (Gulrajani et al. 2017, "Improved
// Training of Wasserstein GANs", gan_toy.py): scikit-learn's make_swiss_roll with its
// height axis dropped, noise 0.25, divided by 7.5.
import { createRng, expectNonNegative, expectOptions, expectPositive } from '@aeot/tensor-backend';
import { ArrayDataset } from '../array-dataset.js';
import { expectOptionalName, expectSampleCount, expectSeedOption } from './arguments.js';
import type { SyntheticSampleOptions } from './gaussian-mixture.js';

/** Options of {@link swissRoll}; the defaults are the WGAN-GP toy's. */
export interface SwissRollOptions {
  /** Standard deviation of the Gaussian noise added to each coordinate before scaling. Default 0.25. */
  noise?: number | undefined;
  /** Divisor applied to the noisy points. Default 7.5. */
  scale?: number | undefined;
  /** Name for datasets. Default `'swiss-roll'`. */
  name?: string | undefined;
}

/** A sample of the swiss roll. */
export interface SwissRollSample {
  /** `n × 2` coordinates, row-major, float32 (computed in float64, then rounded). */
  points: Float32Array;
  /** The roll parameter t ∈ [1.5π, 4.5π) of each point (float64). */
  t: Float64Array;
}

/**
 * The 2-D swiss roll. Per point: u ~ U(0, 1), t = 1.5π (1 + 2u), and
 * `p = ((t cos t, t sin t) + noise · (z₁, z₂)) / scale` with z₁, z₂ ~ N(0, 1).
 * Create with {@link swissRoll}.
 */
export class SwissRoll {
  /** Name used for datasets. */
  readonly name: string;
  /** Dimension of a point: 2. */
  readonly dim = 2;
  /** Noise standard deviation (before scaling). */
  readonly noise: number;
  /** Divisor applied to the points. */
  readonly scale: number;

  /** @internal use {@link swissRoll}. */
  constructor(name: string, noise: number, scale: number) {
    this.name = name;
    this.noise = noise;
    this.scale = scale;
  }

  /**
   * Draws `n` points. Per point the generator gives one uniform double (t) then two
   * standard normals, also when `noise` is 0 — so one seed gives the same t for every
   * noise level.
   *
   * @param n number of points, an integer ≥ 0.
   * @param options `seed` (default 0).
   * @returns `{ points, t }`.
   * @throws {TypeError} for a non-numeric `n` or `seed`.
   * @throws {RangeError} for a negative or fractional `n` or `seed`.
   * @example
   * const { points, t } = swissRoll().sample(256, { seed: 3 });
   */
  sample(n: number, options: SyntheticSampleOptions = {}): SwissRollSample {
    const count = expectSampleCount(n, 2);
    const rng = createRng(expectSeedOption(options));
    const points = new Float32Array(2 * count);
    const t = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const ti = 1.5 * Math.PI * (1 + 2 * rng.nextFloat64());
      t[i] = ti;
      const z1 = rng.nextNormal();
      const z2 = rng.nextNormal();
      points[2 * i] = (ti * Math.cos(ti) + this.noise * z1) / this.scale;
      points[2 * i + 1] = (ti * Math.sin(ti) + this.noise * z2) / this.scale;
    }
    return { points, t };
  }

  /**
   * An unlabelled points dataset of `n` samples ({@link SwissRoll.sample}).
   *
   * @param n number of points, an integer ≥ 0.
   * @param options `seed` (default 0).
   * @returns an {@link ArrayDataset} of kind `'points'`, example shape `[2]`, no labels.
   * @throws {TypeError} / {RangeError} as {@link SwissRoll.sample}.
   * @example
   * const train = swissRoll().dataset(100_000, { seed: 0 });
   */
  dataset(n: number, options: SyntheticSampleOptions = {}): ArrayDataset {
    const { points } = this.sample(n, options);
    return new ArrayDataset(points, { name: this.name, exampleShape: [2], kind: 'points' });
  }
}

/**
 * The swiss roll of the WGAN-GP toy experiments (Gulrajani et al. 2017): scikit-learn's
 * `make_swiss_roll(noise=0.25)` keeping coordinates (x, z) = (t cos t, t sin t), divided
 * by 7.5, so points lie within about ±1.9.
 *
 * @param options noise (default 0.25), scale (default 7.5), name.
 * @returns the generator.
 * @throws {TypeError} for an option of the wrong type.
 * @throws {RangeError} for noise < 0 or a scale that is not finite and > 0.
 * @example
 * const roll = swissRoll({ noise: 0 }); // points exactly on the spiral
 */
export function swissRoll(options: SwissRollOptions = {}): SwissRoll {
  const opts = expectOptions('options', options);
  const noise = opts.noise === undefined ? 0.25 : expectNonNegative('noise', opts.noise);
  const scale = opts.scale === undefined ? 7.5 : expectPositive('scale', opts.scale);
  return new SwissRoll(expectOptionalName(opts.name, 'swiss-roll'), noise, scale);
}
