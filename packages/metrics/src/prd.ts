// Precision and recall for distributions (PRD, Sajjadi et al. 2018): a curve of
// (precision, recall) pairs from histograms of the two sets over shared clusters of
// their features, summarised by the maximum F_β and F_{1/β} (β = 8).
import { createRng, describeValue, expectInteger, expectPositive } from '@aeot/tensor-backend';
import { toFeatureMatrix, type FeatureInput } from './features.js';
import { kMeans } from './k-means.js';

/** A PRD curve: `precision[i]`, `recall[i]` for slope λ_i = tan θ_i. */
export interface PrdCurve {
  precision: Float64Array;
  recall: Float64Array;
}

/** Options of {@link prd}. */
export interface PrdOptions {
  /** Clusters of the pooled features. Default 20 (Sajjadi et al.). */
  clusters?: number;
  /** Independent clusterings averaged. Default 10. */
  runs?: number;
  /** Points on the curve. Default 1001. */
  angles?: number;
  /** β of the summary. Default 8. */
  beta?: number;
  /** Seed of the clusterings. Default 0. */
  seed?: number;
}

/** A PRD curve and its F_β summary. */
export interface PrdResult extends PrdCurve {
  /** max F_β over the curve (β = 8: weighs recall; low when modes are missing). */
  fBeta: number;
  /** max F_{1/β} over the curve (weighs precision; low when samples are off the data). */
  fBetaInverse: number;
  beta: number;
}

/**
 * Element-wise F_β = (1 + β²) P R / (β² P + R), and 0 where P = R = 0.
 *
 * @param precision values in [0, 1].
 * @param recall values in [0, 1], as many as `precision`.
 * @param beta β > 0: β > 1 weighs recall more, β < 1 precision.
 * @returns F_β per pair.
 * @throws {TypeError} for a β that is not a number.
 * @throws {RangeError} for mismatched lengths, values outside [0, 1], β ≤ 0.
 * @example
 * fBetaScores([1, 0.5], [0.5, 0.5], 2); // [5/9, 0.5]
 */
export function fBetaScores(precision: ArrayLike<number>, recall: ArrayLike<number>, beta: number): Float64Array {
  expectPositive('beta', beta);
  if (precision.length !== recall.length) throw new RangeError(`"recall" expected ${precision.length} values (as many as "precision"), got ${recall.length}`);
  const b2 = beta * beta;
  const out = new Float64Array(precision.length);
  for (let i = 0; i < precision.length; i++) {
    const p = expectUnit('precision', precision[i], i);
    const r = expectUnit('recall', recall[i], i);
    out[i] = p === 0 && r === 0 ? 0 : ((1 + b2) * p * r) / (b2 * p + r);
  }
  return out;
}

/**
 * The PRD curve of a model histogram Q against a reference histogram P over the same
 * bins: α(λ) = Σ min(λ P(ω), Q(ω)) (precision) and β(λ) = α(λ)/λ (recall) for
 * λ = tan θ, θ evenly spaced in (0, π/2).
 *
 * @param reference P, non-negative, summing to 1 (e.g. real samples per cluster / N).
 * @param model Q, the same for generated samples.
 * @param angles points on the curve, ≥ 2. Default 1001.
 * @returns precision and recall per angle, clipped to [0, 1].
 * @throws {RangeError} for histograms that differ in length, are negative, or do not sum to 1 (±1e−6).
 * @example
 * const { precision, recall } = prdCurve([0.5, 0.5], [1, 0]); // recall ≤ 0.5: a mode is missing
 */
export function prdCurve(reference: ArrayLike<number>, model: ArrayLike<number>, angles = 1001): PrdCurve {
  expectHistogram('reference', reference);
  expectHistogram('model', model);
  if (reference.length !== model.length) throw new RangeError(`"model" expected ${reference.length} bins (as many as "reference"), got ${model.length}`);
  const count = expectInteger('angles', angles, 2);
  const eps = 1e-10;
  const precision = new Float64Array(count);
  const recall = new Float64Array(count);
  for (let a = 0; a < count; a++) {
    const theta = eps + ((Math.PI / 2 - 2 * eps) * a) / (count - 1);
    const slope = Math.tan(theta);
    let alpha = 0;
    for (let w = 0; w < reference.length; w++) alpha += Math.min(slope * (reference[w] as number), model[w] as number);
    precision[a] = Math.min(Math.max(alpha, 0), 1);
    recall[a] = Math.min(Math.max(alpha / slope, 0), 1);
  }
  return { precision, recall };
}

/**
 * PRD between real and generated features: k-means on the pooled features, histograms of
 * each set over the clusters, the PRD curve, averaged over independent clusterings, and
 * its max F_β / F_{1/β}. Use equal set sizes, as the authors do.
 *
 * @param real `[N, d]` real features.
 * @param fake `[M, d]` generated features.
 * @param options clusters (20), runs (10), angles (1001), β (8), seed (0).
 * @returns the averaged curve and its F_β summary.
 * @throws {RangeError} for mismatched dimensions or fewer points than clusters.
 * @throws {NonFiniteFeaturesError} for NaN or infinite features.
 * @example
 * const { fBeta, fBetaInverse } = prd(realFeatures, fakeFeatures); // F_8 (recall), F_1/8 (precision)
 */
export function prd(real: FeatureInput, fake: FeatureInput, options: PrdOptions = {}): PrdResult {
  const clusters = expectInteger('clusters', options.clusters ?? 20, 1);
  const runs = expectInteger('runs', options.runs ?? 10, 1);
  const angles = expectInteger('angles', options.angles ?? 1001, 2);
  const beta = options.beta ?? 8;
  const seed = expectInteger('seed', options.seed ?? 0, 0, 2 ** 32 - 1);
  const x = toFeatureMatrix('real', real, { minRows: 1 });
  const y = toFeatureMatrix('fake', fake, { minRows: 1, dim: x.dim, dimOf: 'real' });
  if (x.rows + y.rows < clusters) throw new RangeError(`"clusters" expected at most ${x.rows + y.rows} (the pooled points), got ${clusters}`);
  const pooled = new Float64Array((x.rows + y.rows) * x.dim);
  pooled.set(x.data);
  pooled.set(y.data, x.data.length);
  const precision = new Float64Array(angles);
  const recall = new Float64Array(angles);
  const rng = createRng(seed);
  for (let run = 0; run < runs; run++) {
    const labels = kMeans({ data: pooled, rows: x.rows + y.rows, dim: x.dim }, clusters, rng.fork(run)).labels;
    const p = new Float64Array(clusters);
    const q = new Float64Array(clusters);
    for (let i = 0; i < x.rows; i++) p[labels[i] as number]! += 1 / x.rows;
    for (let i = 0; i < y.rows; i++) q[labels[x.rows + i] as number]! += 1 / y.rows;
    const curve = prdCurve(p, q, angles);
    for (let a = 0; a < angles; a++) {
      precision[a] = precision[a]! + curve.precision[a]! / runs;
      recall[a] = recall[a]! + curve.recall[a]! / runs;
    }
  }
  const max = (v: Float64Array) => v.reduce((m, s) => Math.max(m, s), 0);
  return { precision, recall, beta, fBeta: max(fBetaScores(precision, recall, beta)), fBetaInverse: max(fBetaScores(precision, recall, 1 / beta)) };
}

function expectUnit(name: string, value: unknown, i: number): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new RangeError(`"${name}" expected values in [0, 1], got ${describeValue(value)} at ${i}`);
  return value;
}

function expectHistogram(name: string, h: ArrayLike<number>): void {
  if (h === null || typeof h !== 'object' || typeof h.length !== 'number' || h.length < 1) throw new TypeError(`"${name}" expected a non-empty array of bin weights, got ${describeValue(h)}`);
  let total = 0;
  for (let i = 0; i < h.length; i++) {
    const v = h[i];
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) throw new RangeError(`"${name}" expected finite weights ≥ 0, got ${describeValue(v)} at ${i}`);
    total += v;
  }
  if (Math.abs(total - 1) > 1e-6) throw new RangeError(`"${name}" expected weights summing to 1, got a sum of ${total}`);
}
