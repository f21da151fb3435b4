// Streaming first and second moments of feature vectors in float64: batches are merged
// with Chan, Golub & LeVeque's pairwise update, so features of any number of images can
// be summarised without holding them, with the accuracy of a two-pass computation per batch.
import { describeValue, expectInteger } from '@aeot/tensor-backend';
import { toFeatureMatrix, type FeatureInput, type FeatureMatrix } from './features.js';

/** The JSON form of {@link FeatureStatistics} (save reference statistics once, reuse them). */
export interface FeatureStatisticsJson {
  format: 'aeot-feature-statistics/1';
  /** Names the feature network, e.g. `"aeot-mnist-cnn/1 (128-d)"`; empty when unknown. */
  features: string;
  count: number;
  dim: number;
  mean: number[];
  /** Upper triangle, row by row, of the scatter matrix Σ (x − μ)(x − μ)ᵀ. */
  scatter: number[];
}

/**
 * Running mean and covariance of feature vectors (float64). Add batches as they come
 * out of the feature network; read the mean and the covariance (ddof = 1) at any time.
 *
 * @example
 * const stats = new FeatureStatistics(128, { features: 'my-net' });
 * stats.add([[...], [...]]);            // any number of batches
 * stats.mean(); stats.covariance();     // float64
 */
export class FeatureStatistics {
  /** Dimension of a feature vector. */
  readonly dim: number;
  /** Names the feature network the statistics came from ('' when unknown). */
  readonly features: string;
  private n = 0;
  private readonly mu: Float64Array;
  // Upper triangle is authoritative while accumulating; mirrored when read.
  private readonly m2: Float64Array;

  /**
   * @param dim feature dimension, an integer ≥ 1.
   * @param options `features`: the feature network's name, carried into FID reports.
   * @throws {TypeError} for a dimension that is not a number.
   * @throws {RangeError} for a dimension that is not an integer ≥ 1.
   */
  constructor(dim: number, options: { features?: string } = {}) {
    this.dim = expectInteger('dim', dim, 1);
    this.features = options.features ?? '';
    this.mu = new Float64Array(dim);
    this.m2 = new Float64Array(dim * dim);
  }

  /** Number of feature vectors added so far. */
  get count(): number {
    return this.n;
  }

  /**
   * Adds a batch of feature vectors.
   *
   * @param batch `[rows, dim]` features.
   * @returns this.
   * @throws {RangeError} for a batch of another dimension.
   * @throws {NonFiniteFeaturesError} for a NaN or infinite feature (nothing is added).
   */
  add(batch: FeatureInput): this {
    const m = toFeatureMatrix('batch', batch, { dim: this.dim, dimOf: 'statistics' });
    this.merge(m.rows, ...batchMoments(m));
    return this;
  }

  /**
   * Merges statistics of another stream of the same features into this one.
   * @throws {RangeError} for statistics of another dimension.
   */
  addStatistics(other: FeatureStatistics): this {
    if (!(other instanceof FeatureStatistics)) throw new TypeError(`"other" expected FeatureStatistics, got ${describeValue(other)}`);
    if (other.dim !== this.dim) throw new RangeError(`"other" expected statistics of dimension ${this.dim}, got ${other.dim}`);
    this.merge(other.n, other.mu, other.m2);
    return this;
  }

  /** The mean μ (a new Float64Array). */
  mean(): Float64Array {
    return Float64Array.from(this.mu);
  }

  /**
   * The covariance Σ (x − μ)(x − μ)ᵀ / (n − ddof), row-major `dim × dim`.
   * @param ddof delta degrees of freedom, 1 (unbiased, the FID convention) by default.
   * @throws {RangeError} when count ≤ ddof.
   */
  covariance(ddof = 1): Float64Array {
    if (this.n <= ddof) throw new RangeError(`a covariance with ddof = ${ddof} needs more than ${ddof} feature vectors, got ${this.n}`);
    const d = this.dim;
    const out = new Float64Array(d * d);
    const f = 1 / (this.n - ddof);
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) {
        const v = (this.m2[i * d + j] as number) * f;
        out[i * d + j] = v;
        out[j * d + i] = v;
      }
    }
    return out;
  }

  /** A JSON-safe copy (numbers round-trip exactly through JSON). */
  toJSON(): FeatureStatisticsJson {
    const d = this.dim;
    const scatter: number[] = [];
    for (let i = 0; i < d; i++) for (let j = i; j < d; j++) scatter.push(this.m2[i * d + j] as number);
    return { format: 'aeot-feature-statistics/1', features: this.features, count: this.n, dim: d, mean: Array.from(this.mu), scatter };
  }

  /**
   * Rebuilds statistics saved with {@link FeatureStatistics.toJSON}.
   * @throws {TypeError | RangeError} for anything that is not such an object.
   */
  static fromJSON(json: FeatureStatisticsJson): FeatureStatistics {
    if (typeof json !== 'object' || json === null || json.format !== 'aeot-feature-statistics/1') {
      throw new TypeError(`"json" expected an object with format "aeot-feature-statistics/1", got ${describeValue(json)}`);
    }
    const { dim, count, mean, scatter } = json;
    expectInteger('json.count', count, 0);
    const stats = new FeatureStatistics(dim, { features: typeof json.features === 'string' ? json.features : '' });
    if (!Array.isArray(mean) || mean.length !== dim || !Array.isArray(scatter) || scatter.length !== (dim * (dim + 1)) / 2) {
      throw new RangeError(`"json" expected a mean of ${dim} and a scatter triangle of ${(dim * (dim + 1)) / 2} numbers`);
    }
    if (![...mean, ...scatter].every(Number.isFinite)) throw new RangeError('"json" holds non-finite statistics');
    stats.n = count;
    stats.mu.set(mean);
    let t = 0;
    for (let i = 0; i < dim; i++) for (let j = i; j < dim; j++) stats.m2[i * dim + j] = scatter[t++] as number;
    return stats;
  }

  private merge(nb: number, mub: Float64Array, m2b: Float64Array): void {
    if (nb === 0) return;
    const d = this.dim;
    const na = this.n;
    const n = na + nb;
    const delta = new Float64Array(d);
    for (let j = 0; j < d; j++) delta[j] = (mub[j] as number) - (this.mu[j] as number);
    const w = (na * nb) / n;
    for (let i = 0; i < d; i++) {
      const di = (delta[i] as number) * w;
      for (let j = i; j < d; j++) this.m2[i * d + j] = (this.m2[i * d + j] as number) + (m2b[i * d + j] as number) + di * (delta[j] as number);
    }
    for (let j = 0; j < d; j++) this.mu[j] = (this.mu[j] as number) + ((delta[j] as number) * nb) / n;
    this.n = n;
  }
}

// Mean and upper-triangle scatter of one batch, two-pass (centred) for accuracy. Rows
// are centred in blocks stored column by column, so each scatter entry is a dot product
// of two contiguous columns, computed in 2 × 2 register tiles.
const BLOCK_ROWS = 256;

function batchMoments(m: FeatureMatrix): [Float64Array, Float64Array] {
  const { data, rows, dim: d } = m;
  const mu = new Float64Array(d);
  for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) mu[j] = (mu[j] as number) + (data[r * d + j] as number);
  for (let j = 0; j < d; j++) mu[j] = (mu[j] as number) / rows;
  const m2 = new Float64Array(d * d);
  const cols = new Float64Array(d * BLOCK_ROWS);
  for (let start = 0; start < rows; start += BLOCK_ROWS) {
    const b = Math.min(BLOCK_ROWS, rows - start);
    for (let r = 0; r < b; r++) {
      const src = (start + r) * d;
      for (let j = 0; j < d; j++) cols[j * b + r] = (data[src + j] as number) - (mu[j] as number);
    }
    // 2 × 2 tiles of (i, j) pairs: four dot products share each pair of column loads.
    for (let i = 0; i < d; i += 2) {
      const i1 = Math.min(i + 1, d - 1);
      const ca = i * b;
      const cb = i1 * b;
      for (let j = i; j < d; j += 2) {
        const j1 = Math.min(j + 1, d - 1);
        const cc = j * b;
        const cd = j1 * b;
        let s00 = 0;
        let s01 = 0;
        let s10 = 0;
        let s11 = 0;
        for (let r = 0; r < b; r++) {
          const xa = cols[ca + r] as number;
          const xb = cols[cb + r] as number;
          const yc = cols[cc + r] as number;
          const yd = cols[cd + r] as number;
          s00 += xa * yc;
          s01 += xa * yd;
          s10 += xb * yc;
          s11 += xb * yd;
        }
        m2[i * d + j] = (m2[i * d + j] as number) + s00;
        if (j1 > j) m2[i * d + j1] = (m2[i * d + j1] as number) + s01;
        if (i1 > i && j >= i1) m2[i1 * d + j] = (m2[i1 * d + j] as number) + s10;
        if (i1 > i && j1 > j) m2[i1 * d + j1] = (m2[i1 * d + j1] as number) + s11;
      }
    }
  }
  return [mu, m2];
}
