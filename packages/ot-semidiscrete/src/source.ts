// The continuous side of the problem: the source measure μ, and the stream of samples
// the Monte Carlo solver draws from it (quasi-random Sobol points or pseudo-random
// ones), with a state that checkpoints exactly.
import {
  createRng,
  createSobol,
  describeValue,
  restoreRng,
  restoreSobol,
  SOBOL_MAX_DIM,
  type Rng,
  type RngState,
  type SobolSequence,
  type SobolState,
} from '@aeot/tensor-backend';

/** How samples are drawn: Sobol points (low discrepancy) or xoshiro128** pseudo-random. */
export type Sampling = 'sobol' | 'random';

/** A user's sampler: `n` points of dimension d, row-major, drawn with the given RNG. */
export type SampleFunction = (n: number, rng: Rng) => Float32Array | Float64Array | readonly number[];

/** A source measure μ on R^d. Create with {@link uniformCube}, {@link gaussian} or {@link fromSampler}. */
export interface SourceMeasure {
  /** Which family. */
  readonly kind: 'uniform-cube' | 'gaussian' | 'custom';
  /** Dimension d. */
  readonly dim: number;
  /** Parameters (JSON), saved with a solved map. */
  readonly params: { readonly [key: string]: number | string };
  /**
   * A length scale of the source: the cube's half-width, or 2σ for a Gaussian; the
   * solver scales targets against it so that defaults work at any scale of the codes.
   */
  readonly radius: number;
  /** Centre of the source (the cube's centre, the Gaussian's mean). */
  readonly center: number;
  /** The user's function, for custom sources. */
  readonly sampleFunction?: SampleFunction;
}

/**
 * The uniform measure on the cube [low, high]^d (default [−0.5, 0.5]^d, the authors'
 * choice).
 *
 * @param dim d ≥ 1.
 * @param options low (default −0.5) and high (default 0.5).
 * @throws {RangeError} for a bad dimension or an empty interval.
 * @example
 * const mu = uniformCube(2, { low: 0, high: 1 });
 */
export function uniformCube(dim: number, options: { low?: number; high?: number } = {}): SourceMeasure {
  checkDim(dim);
  const low = options.low ?? -0.5;
  const high = options.high ?? 0.5;
  if (!Number.isFinite(low) || !Number.isFinite(high) || !(low < high)) {
    throw new RangeError(`"low" and "high" expected finite numbers with low < high, got ${describeValue(low)} and ${describeValue(high)}`);
  }
  return Object.freeze({ kind: 'uniform-cube', dim, params: Object.freeze({ low, high }), radius: (high - low) / 2, center: (low + high) / 2 });
}

/**
 * The isotropic Gaussian N(mean·1, std²·I) on R^d. With Sobol sampling the points are
 * mapped through the inverse normal CDF.
 *
 * @param dim d ≥ 1.
 * @param options mean (default 0) and std (default 1).
 * @throws {RangeError} for a bad dimension or std ≤ 0.
 */
export function gaussian(dim: number, options: { mean?: number; std?: number } = {}): SourceMeasure {
  checkDim(dim);
  const mean = options.mean ?? 0;
  const std = options.std ?? 1;
  if (!Number.isFinite(mean) || !Number.isFinite(std) || std <= 0) {
    throw new RangeError(`"std" expected a finite number > 0 and "mean" a finite number, got ${describeValue(std)} and ${describeValue(mean)}`);
  }
  return Object.freeze({ kind: 'gaussian', dim, params: Object.freeze({ mean, std }), radius: 2 * std, center: mean });
}

/**
 * A custom source given by a sampling function. It is drawn with the solver's seeded
 * RNG (so runs stay reproducible); `sampling: 'sobol'` does not apply to it.
 *
 * @param dim d ≥ 1.
 * @param sample returns `n × d` values, row-major.
 * @param options radius: a length scale of the source (default 1), center (default 0).
 * @throws {TypeError} when `sample` is not a function.
 */
export function fromSampler(dim: number, sample: SampleFunction, options: { radius?: number; center?: number } = {}): SourceMeasure {
  checkDim(dim);
  if (typeof sample !== 'function') throw new TypeError(`"sample" expected a function (n, rng) => values, got ${describeValue(sample)}`);
  return Object.freeze({ kind: 'custom', dim, params: Object.freeze({}), radius: options.radius ?? 1, center: options.center ?? 0, sampleFunction: sample });
}

function checkDim(dim: number): void {
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`"dim" expected an integer ≥ 1, got ${describeValue(dim)}`);
}

/** Checkpointable state of a {@link SourceSampler}. */
export type SamplerState =
  | { readonly sampling: 'sobol'; readonly sobol: SobolState; readonly second?: SobolState }
  | { readonly sampling: 'random'; readonly rng: RngState };

/** A stream of source samples, as float32 rows. */
export class SourceSampler {
  readonly measure: SourceMeasure;
  readonly sampling: Sampling;
  #sobol: SobolSequence | undefined;
  #second: SobolSequence | undefined;
  #rng: Rng | undefined;

  private constructor(measure: SourceMeasure, sampling: Sampling, sobol: SobolSequence | undefined, rng: Rng | undefined, second?: SobolSequence) {
    this.measure = measure;
    this.sampling = sampling;
    this.#sobol = sobol;
    this.#second = second;
    this.#rng = rng;
  }

  /**
   * True when each batch's two halves are independent randomisations (two Sobol
   * sequences scrambled with different seeds, or pseudo-random points): the solver then
   * estimates its error from the halves without bias.
   */
  get independentHalves(): boolean {
    return this.#sobol === undefined || this.#second !== undefined;
  }

  /**
   * Starts a stream.
   *
   * @param measure the source.
   * @param sampling 'sobol' (scrambled with `seed`) or 'random'; custom sources always draw with the RNG.
   * @param seed seed of the scramble or the RNG.
   * @param scramble scramble the Sobol points (default true; the authors use plain ones).
   */
  static create(measure: SourceMeasure, sampling: Sampling, seed: number, scramble = true): SourceSampler {
    if (sampling === 'sobol' && measure.kind !== 'custom') {
      if (measure.dim > SOBOL_MAX_DIM) throw new RangeError(`"sampling" 'sobol' supports d ≤ ${SOBOL_MAX_DIM}, got d = ${measure.dim}; use 'random'`);
      // Scrambled: two independently scrambled sequences, each giving half of every batch
      // (randomised QMC with two replicates). Plain: one unscrambled sequence.
      if (!scramble) return new SourceSampler(measure, 'sobol', createSobol(measure.dim, { scramble: false }), undefined);
      const first = createSobol(measure.dim, { seed, scramble: true });
      const second = createSobol(measure.dim, { seed: seed + 0x9e3779b9, scramble: true });
      return new SourceSampler(measure, 'sobol', first, undefined, second);
    }
    return new SourceSampler(measure, measure.kind === 'custom' ? 'random' : sampling, undefined, createRng(seed));
  }

  /** Restores a stream from {@link SourceSampler.getState}. */
  static restore(measure: SourceMeasure, state: SamplerState): SourceSampler {
    if (state.sampling === 'sobol') {
      return new SourceSampler(measure, 'sobol', restoreSobol(state.sobol), undefined, state.second === undefined ? undefined : restoreSobol(state.second));
    }
    return new SourceSampler(measure, 'random', undefined, restoreRng(state.rng));
  }

  /** The stream's position, for checkpoints. */
  getState(): SamplerState {
    if (this.#sobol !== undefined) {
      return this.#second === undefined ? { sampling: 'sobol', sobol: this.#sobol.getState() } : { sampling: 'sobol', sobol: this.#sobol.getState(), second: this.#second.getState() };
    }
    return { sampling: 'random', rng: (this.#rng as Rng).getState() };
  }

  /**
   * The next `n` samples.
   *
   * @returns `n × d` float32 values, row-major.
   * @throws {RangeError} when a custom sampler returns the wrong number of values or a non-finite one.
   */
  next(n: number): Float32Array {
    const { measure } = this;
    const d = measure.dim;
    const out = new Float32Array(n * d);
    if (measure.kind === 'custom') {
      const values = (measure.sampleFunction as SampleFunction)(n, this.#rng as Rng);
      if (values.length !== n * d) throw new RangeError(`custom source sampler expected to return ${n * d} values (${n} × ${d}), got ${values.length}`);
      for (let i = 0; i < out.length; i++) {
        const v = values[i] as number;
        if (!Number.isFinite(v)) throw new RangeError(`custom source sampler returned a non-finite value ${describeValue(v)} at ${i}`);
        out[i] = v;
      }
      return out;
    }
    let unit: Float64Array;
    if (this.#sobol !== undefined && this.#second !== undefined) {
      const half = n >> 1;
      unit = new Float64Array(n * d);
      unit.set(this.#sobol.next(half));
      unit.set(this.#second.next(n - half), half * d);
    } else if (this.#sobol !== undefined) unit = this.#sobol.next(n);
    else {
      unit = new Float64Array(n * d);
      const rng = this.#rng as Rng;
      if (measure.kind === 'gaussian') {
        const { mean, std } = measure.params as { mean: number; std: number };
        for (let i = 0; i < unit.length; i++) out[i] = mean + std * rng.nextNormal();
        return out;
      }
      for (let i = 0; i < unit.length; i++) unit[i] = rng.nextFloat64();
    }
    if (measure.kind === 'uniform-cube') {
      const { low, high } = measure.params as { low: number; high: number };
      for (let i = 0; i < out.length; i++) out[i] = low + (high - low) * (unit[i] as number);
    } else {
      const { mean, std } = measure.params as { mean: number; std: number };
      // Sobol points are in [0, 1); 0 maps to −∞, so nudge it half a grid step in.
      for (let i = 0; i < out.length; i++) out[i] = mean + std * inverseNormalCdf(Math.max(unit[i] as number, 2 ** -33));
    }
    return out;
  }
}

/**
 * Φ⁻¹(p), the standard normal quantile, by Acklam's rational approximation (relative
 * error below 1.2e-9: far below float32 resolution of the samples).
 */
export function inverseNormalCdf(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const e = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [e0, e1, e2, e3] = e as [number, number, number, number];
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((e0 * q + e1) * q + e2) * q + e3) * q + 1);
  } else if (p <= 1 - 0.02425) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((e0 * q + e1) * q + e2) * q + e3) * q + 1);
  }
  return x;
}
