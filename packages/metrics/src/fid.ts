// Fréchet distance between Gaussians fitted to two feature sets (FID when the features
// come from an image network), in float64 by the symmetric-square-root route of TF-GAN:
// A = √Σ₁ from a symmetric eigensolver, then Tr √(A Σ₂ A) from another one, with tiny
// negative eigenvalues (rounding) clamped to 0.
import { describeValue } from '@aeot/tensor-backend';
import { FeatureStatistics } from './feature-statistics.js';
import { toFeatureMatrix, type FeatureInput } from './features.js';
import { congruence, trace } from './linalg/matrix.js';
import { symmetricEigen } from './linalg/symmetric-eigen.js';

/** Mean and covariance of a Gaussian, row-major covariance `dim × dim`. */
export interface GaussianStatistics {
  readonly mean: ArrayLike<number>;
  readonly covariance: ArrayLike<number>;
}

/** The terms of a Fréchet distance. */
export interface FrechetDistance {
  /** |μ₁ − μ₂|² + Tr Σ₁ + Tr Σ₂ − 2 Tr √(Σ₁Σ₂), ≥ 0 up to rounding. */
  value: number;
  /** |μ₁ − μ₂|². */
  meanTerm: number;
  /** Tr Σ₁ + Tr Σ₂ − 2 Tr √(Σ₁Σ₂). */
  covarianceTerm: number;
}

/** Options of {@link fid}. */
export interface FidOptions {
  /**
   * Names the feature network, e.g. `"aeot-mnist-cnn/1 (128-d)"`; defaults to the
   * name carried by FeatureStatistics inputs. Reported so that nobody compares an
   * MNIST-FID with a published InceptionV3 FID.
   */
  features?: string;
  /** Called with each warning (default `console.warn`); `false` to stay silent. Warnings are also in the result. */
  warn?: ((message: string) => void) | false;
}

/** An FID and what it was computed from. */
export interface FidResult extends FrechetDistance {
  /** Feature vectors in the real / fake sets. FID is biased by N: compare only at equal N. */
  realCount: number;
  fakeCount: number;
  /** Feature dimension. */
  dim: number;
  /** The feature network's name ('' when not given). */
  features: string;
  /** E.g. a rank-deficient covariance (N ≤ d). */
  warnings: string[];
}

/**
 * Fréchet distance between N(μ₁, Σ₁) and N(μ₂, Σ₂) in float64:
 * `|μ₁ − μ₂|² + Tr Σ₁ + Tr Σ₂ − 2 Tr √(Σ₁Σ₂)`.
 * Tr √(Σ₁Σ₂) is computed as Σ √λ over the eigenvalues of A Σ₂ A with A = √Σ₁
 * (A Σ₂ A is symmetric PSD and similar to Σ₁Σ₂); the eigen-decomposition of Σ₁ makes it
 * `D^½ Vᵀ Σ₂ V D^½`, whose eigenvalues are the same.
 *
 * Cost: about 12 d³ flops in plain JavaScript: milliseconds at d = 128, a second at
 * d = 512, over a minute at d = 2048.
 *
 * @param a mean (length d) and covariance (d × d, row-major, symmetric PSD).
 * @param b the same for the other Gaussian.
 * @returns the distance and its two terms.
 * @throws {TypeError | RangeError} for mismatched shapes, non-finite values, or a covariance
 *   that is not symmetric positive semi-definite.
 * @example
 * frechetDistance({ mean: [0, 0], covariance: [1, 0, 0, 1] }, { mean: [1, 0], covariance: [1, 0, 0, 1] }).value; // 1
 */
export function frechetDistance(a: GaussianStatistics, b: GaussianStatistics): FrechetDistance {
  const d = expectGaussian('a', a);
  if (expectGaussian('b', b) !== d) throw new RangeError(`"b" expected a Gaussian of dimension ${d} (that of "a"), got ${b.mean.length}`);
  const s1 = Float64Array.from(a.covariance);
  const s2 = Float64Array.from(b.covariance);
  let meanTerm = 0;
  for (let j = 0; j < d; j++) meanTerm += ((a.mean[j] as number) - (b.mean[j] as number)) ** 2;
  const { values, vectors } = symmetricEigen(s1, d, true);
  const roots = clampedRoots('a.covariance', values);
  // B = D^½ Vᵀ Σ₂ V D^½ with V's columns the eigenvectors (rows of `vectors`).
  const inner = congruence(vectors!, s2, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) inner[i * d + j] = (inner[i * d + j] as number) * (roots[i] as number) * (roots[j] as number);
  let traceRoot = 0;
  for (const r of clampedRoots('A Σ₂ A', symmetricEigen(inner, d, false).values)) traceRoot += r;
  const covarianceTerm = trace(s1, d) + trace(s2, d) - 2 * traceRoot;
  return { value: meanTerm + covarianceTerm, meanTerm, covarianceTerm };
}

/**
 * Fréchet Inception-style distance between two feature sets: Gaussians fitted in float64
 * (covariance with ddof = 1), then {@link frechetDistance}. Pass features from the same
 * network for both sets, and say which network in `options.features`.
 *
 * Gotchas: FID is biased by N (it shrinks as N grows), so compare values only at equal N;
 * with N ≤ d the covariance is rank-deficient and the value unreliable (a warning says so);
 * without the standard InceptionV3 weights a value is not comparable to published FID.
 *
 * @param real features `[N, d]` or their {@link FeatureStatistics} (streamed).
 * @param fake the same for generated samples.
 * @param options feature name and warning handler.
 * @returns the distance, its terms, counts, and warnings.
 * @throws {RangeError} for mismatched dimensions or fewer than 2 vectors in a set.
 * @throws {NonFiniteFeaturesError} for NaN or infinite features.
 * @example
 * const result = fid(realFeatures, fakeFeatures, { features: 'aeot-mnist-cnn/1' });
 * console.log(`MNIST-FID ${result.value.toFixed(2)} (${result.features}, N = ${result.fakeCount})`);
 */
export function fid(real: FeatureInput | FeatureStatistics, fake: FeatureInput | FeatureStatistics, options: FidOptions = {}): FidResult {
  const r = asStatistics('real', real);
  const f = asStatistics('fake', fake, r.dim, 'real');
  const warnings: string[] = [];
  for (const [name, s] of [['real', r], ['fake', f]] as const) {
    if (s.count <= s.dim) {
      warnings.push(`"${name}" has N = ${s.count} ≤ d = ${s.dim} feature vectors: its covariance is rank-deficient and the FID unreliable; use N > d (10,000 is customary)`);
    }
  }
  const warn = options.warn === undefined ? (m: string) => console.warn(m) : options.warn;
  if (warn !== false) for (const w of warnings) warn(w);
  const distance = frechetDistance({ mean: r.mean(), covariance: r.covariance() }, { mean: f.mean(), covariance: f.covariance() });
  return { ...distance, realCount: r.count, fakeCount: f.count, dim: r.dim, features: options.features ?? (r.features || f.features), warnings };
}

function asStatistics(name: string, input: FeatureInput | FeatureStatistics, dim?: number, dimOf?: string): FeatureStatistics {
  if (input instanceof FeatureStatistics) {
    if (dim !== undefined && input.dim !== dim) throw new RangeError(`"${name}" expected features of dimension ${dim} (that of "${dimOf}"), got ${input.dim}`);
    if (input.count < 2) throw new RangeError(`"${name}" expected statistics of at least 2 feature vectors, got ${input.count}`);
    return input;
  }
  const matrix = toFeatureMatrix(name, input, dim === undefined ? { minRows: 2 } : { minRows: 2, dim, dimOf: dimOf ?? '' });
  return new FeatureStatistics(matrix.dim).add(matrix);
}

function expectGaussian(name: string, g: GaussianStatistics): number {
  if (typeof g !== 'object' || g === null || g.mean === undefined || g.covariance === undefined) {
    throw new TypeError(`"${name}" expected { mean, covariance }, got ${describeValue(g)}`);
  }
  const d = g.mean.length;
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`"${name}.mean" expected a non-empty array, got ${describeValue(g.mean)}`);
  if (g.covariance.length !== d * d) throw new RangeError(`"${name}.covariance" expected ${d} × ${d} = ${d * d} values (row-major), got ${g.covariance.length}`);
  for (let i = 0; i < d; i++) if (!Number.isFinite(g.mean[i])) throw new RangeError(`"${name}.mean" expected finite values, got ${g.mean[i]} at ${i}`);
  let scale = 0;
  for (let i = 0; i < d * d; i++) {
    const v = g.covariance[i] as number;
    if (!Number.isFinite(v)) throw new RangeError(`"${name}.covariance" expected finite values, got ${v} at ${i}`);
    scale = Math.max(scale, Math.abs(v));
  }
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const u = g.covariance[i * d + j] as number;
      const l = g.covariance[j * d + i] as number;
      if (Math.abs(u - l) > 1e-9 * scale) throw new RangeError(`"${name}.covariance" expected a symmetric matrix, got [${i}][${j}] = ${u} ≠ [${j}][${i}] = ${l}`);
    }
  }
  return d;
}

// √max(λ, 0); a clearly negative eigenvalue means the matrix was not PSD to begin with.
function clampedRoots(name: string, values: Float64Array): Float64Array {
  let top = 0;
  for (const v of values) top = Math.max(top, Math.abs(v));
  const roots = new Float64Array(values.length);
  values.forEach((v, i) => {
    if (v < -1e-8 * top) throw new RangeError(`"${name}" expected a positive semi-definite matrix, got an eigenvalue ${v}`);
    roots[i] = v > 0 ? Math.sqrt(v) : 0;
  });
  return roots;
}
