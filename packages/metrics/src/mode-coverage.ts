// Mode-collapse scores for data with known modes: which modes a generator reaches and
// how evenly. For mixtures with known centres (ring-8, grid-25, any means): the PacGAN
// protocol — a sample is high quality (HQ) within `radius` of its nearest mode (3σ by
// default), a mode is captured with ≥ 1 HQ sample, and KL / JSD compare the HQ samples'
// mode distribution with the uniform one. For labelled samples (stacked MNIST's 1,000
// classifier-read modes, digit classes) the same distribution scores on the labels.
import { describeValue, expectInteger } from '@aeot/tensor-backend';
import { toFeatureMatrix, type FeatureInput } from './features.js';

/** Mode centres and the high-quality radius (or σ, for the 3σ rule). */
export interface ModeSet {
  /** Mode centres, one row each (e.g. a GaussianMixture's `means`). */
  readonly means: readonly (readonly number[])[];
  /** Per-coordinate σ of the modes: the default radius is 3σ (EVALUATION.md, PacGAN). */
  readonly sigma?: number;
}

/** How evenly a set of samples spreads over K modes. */
export interface ModeDistribution {
  /** Modes with at least one (HQ) sample. */
  modesCaptured: number;
  numModes: number;
  /** (HQ) samples per mode. */
  counts: Int32Array;
  /** KL(p ‖ uniform) = Σ p log(K p), natural log; 0 when even, log K when all in one mode; Infinity with no samples. */
  kl: number;
  /** Jensen–Shannon divergence between p and uniform, natural log, in [0, log 2]; log 2 with no samples. */
  jsd: number;
  /** Modes with no (HQ) sample, ascending. */
  missingModes: number[];
}

/** {@link modeCoverage}'s result. */
export interface ModeCoverage extends ModeDistribution {
  /** Fraction of samples within `radius` of their nearest mode. */
  highQuality: number;
  highQualityCount: number;
  total: number;
  /** The high-quality radius used, in the samples' units. */
  radius: number;
}

/**
 * Scores samples against known modes: nearest mode per sample, high quality within
 * `radius` (default 3σ), modes captured, and KL / JSD of the HQ samples' mode distribution
 * against uniform.
 *
 * Gotcha: 3σ is the 2-D benchmarks' rule; in d dimensions samples of a mode lie at about
 * σ√d from its centre, so pass `radius: highQualityRadius(d, σ)` (from @aeot/datasets).
 *
 * @param samples `[n, d]` generated points.
 * @param modes centres and σ, e.g. `ring8()` or `grid25()` from @aeot/datasets.
 * @param options `radius`: overrides 3σ.
 * @returns the scores.
 * @throws {RangeError} for a dimension other than the modes', no modes, no radius and no σ.
 * @throws {NonFiniteFeaturesError} for a NaN or infinite sample.
 * @example
 * const ring = ring8();
 * const score = modeCoverage(generated, ring); // { modesCaptured: 8, highQuality: 0.99, kl: 0.001, ... }
 */
export function modeCoverage(samples: FeatureInput, modes: ModeSet, options: { radius?: number } = {}): ModeCoverage {
  if (typeof modes !== 'object' || modes === null || !Array.isArray(modes.means)) throw new TypeError(`"modes" expected { means, sigma }, got ${describeValue(modes)}`);
  const centres = toFeatureMatrix('modes.means', modes.means);
  const x = toFeatureMatrix('samples', samples, { dim: centres.dim, dimOf: 'modes.means' });
  const radius = options.radius ?? (modes.sigma === undefined ? undefined : 3 * modes.sigma);
  if (typeof radius !== 'number' || !(radius > 0) || !Number.isFinite(radius)) {
    throw new RangeError(`"radius" expected a finite number > 0 (or "modes.sigma" for 3σ), got ${describeValue(radius)}`);
  }
  const k = centres.rows;
  const d = centres.dim;
  const counts = new Int32Array(k);
  const r2 = radius * radius;
  let hq = 0;
  for (let i = 0; i < x.rows; i++) {
    let best = 0;
    let bestD = Infinity;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += ((x.data[i * d + j] as number) - (centres.data[c * d + j] as number)) ** 2;
      if (s < bestD) {
        bestD = s;
        best = c;
      }
    }
    if (bestD <= r2) {
      hq++;
      counts[best]!++;
    }
  }
  return { ...distribution(counts), highQuality: hq / x.rows, highQualityCount: hq, total: x.rows, radius };
}

/**
 * Scores labels (modes read by a classifier, e.g. stacked MNIST's 100·d₀ + 10·d₁ + d₂, or
 * digit classes): modes captured, KL and JSD against uniform over `numModes`.
 *
 * @param labels one mode index per sample, integers in [0, numModes).
 * @param numModes K, e.g. 1000 for stacked MNIST.
 * @returns the mode distribution's scores.
 * @throws {RangeError} for a label outside [0, numModes) or numModes < 1.
 * @example
 * const modes = await stackedMnistModes(classifier, images);
 * labelCoverage(modes, 1000).modesCaptured; // distinct modes
 */
export function labelCoverage(labels: ArrayLike<number>, numModes: number): ModeDistribution {
  const k = expectInteger('numModes', numModes, 1);
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') throw new TypeError(`"labels" expected an array of integers, got ${describeValue(labels)}`);
  const counts = new Int32Array(k);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (typeof l !== 'number' || !Number.isInteger(l) || l < 0 || l >= k) throw new RangeError(`"labels" expected integers in [0, ${k}), got ${describeValue(l)} at ${i}`);
    counts[l]!++;
  }
  return distribution(counts);
}

function distribution(counts: Int32Array): ModeDistribution {
  const k = counts.length;
  let total = 0;
  for (const c of counts) total += c;
  const missingModes: number[] = [];
  counts.forEach((c, m) => c === 0 && missingModes.push(m));
  if (total === 0) return { modesCaptured: 0, numModes: k, counts, kl: Infinity, jsd: Math.LN2, missingModes };
  let kl = 0;
  let jsd = 0;
  const u = 1 / k;
  for (const c of counts) {
    const p = c / total;
    const mid = (p + u) / 2;
    if (p > 0) {
      kl += p * Math.log(p / u);
      jsd += 0.5 * p * Math.log(p / mid);
    }
    jsd += 0.5 * u * Math.log(u / mid);
  }
  return { modesCaptured: k - missingModes.length, numModes: k, counts, kl: Math.max(kl, 0), jsd: Math.max(jsd, 0), missingModes };
}
