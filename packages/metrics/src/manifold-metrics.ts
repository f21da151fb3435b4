// k-NN manifold metrics between real and generated samples: improved precision and
// recall (Kynkäänniemi et al. 2019: k = 3, a point is inside a ball when d ≤ r) and
// density and coverage (Naeem et al. 2020: k = 5, strict d < r, as their `prdc` code).
// Each set's k-NN radii come from one pass over its own pairs, then one pass over the
// fake × real pairs gives all four numbers. Distances are computed in row blocks, never
// as a whole N × M matrix.
import { expectInteger, expectOneOf } from '@aeot/tensor-backend';
import { crossProducts, pooledMean, squaredNorms, type ProductPrecision } from './cross-products.js';
import { toFeatureMatrix, type FeatureInput, type FeatureMatrix } from './features.js';

/** Options of {@link prdc}, {@link precisionRecall} and {@link densityCoverage}. */
export interface ManifoldOptions {
  /** Neighbours for precision and recall. Default 3 (Kynkäänniemi et al.). */
  precisionRecallK?: number;
  /** Neighbours for density and coverage. Default 5 (Naeem et al.). */
  densityCoverageK?: number;
  /**
   * Inner products for the distances: `'float32'` (default) on the active tfjs backend,
   * `'float64'` in JavaScript. Features are centred on the real mean first, which keeps
   * float32 distances accurate; a pair within float32 rounding of a radius may flip.
   */
  precision?: ProductPrecision;
  /** Distance entries per block (rows × columns). Default 2^22 (16 MiB of float32). */
  blockEntries?: number;
}

/** The four manifold metrics and what they were computed with. */
export interface ManifoldMetrics {
  /** Fraction of fake samples inside the real manifold (d ≤ r_k of some real point). */
  precision: number;
  /** Fraction of real samples inside the fake manifold (d ≤ r_k of some fake point). */
  recall: number;
  /** (1 / (k M)) Σ_fake #{real balls (strict <) containing it}; 1 on average for matching distributions, can exceed 1. */
  density: number;
  /** Fraction of real points whose ball (strict <) contains at least one fake sample. */
  coverage: number;
  precisionRecallK: number;
  densityCoverageK: number;
  realCount: number;
  fakeCount: number;
}

/**
 * Precision, recall, density and coverage between real and fake samples. Argument order
 * matters: precision asks whether fakes look real, recall whether the reals are covered.
 *
 * Gotcha (documented choice): density and coverage use the strict `d < r` of the authors'
 * code. A real point with k duplicates has radius 0 and then contains nothing, so a set
 * of coincident points scores 0 coverage even against itself; precision and recall use
 * `d ≤ r` and do not have that defect.
 *
 * @param real `[N, d]` real features (N > max k).
 * @param fake `[M, d]` generated features (M > precisionRecallK).
 * @param options neighbour counts, precision, block size.
 * @returns the four metrics.
 * @throws {RangeError} for mismatched dimensions, too few rows for k, bad options.
 * @throws {NonFiniteFeaturesError} for NaN or infinite features.
 * @example
 * const { precision, recall, density, coverage } = await prdc(realFeatures, fakeFeatures);
 */
export async function prdc(real: FeatureInput, fake: FeatureInput, options: ManifoldOptions = {}): Promise<ManifoldMetrics> {
  const kpr = expectInteger('precisionRecallK', options.precisionRecallK ?? 3, 1);
  const kdc = expectInteger('densityCoverageK', options.densityCoverageK ?? 5, 1);
  const precision = expectOneOf('precision', options.precision ?? 'float32', ['float32', 'float64'] as const);
  const blockEntries = expectInteger('blockEntries', options.blockEntries ?? 1 << 22, 1);
  const x = toFeatureMatrix('real', real, { minRows: Math.max(kpr, kdc) + 1 });
  const y = toFeatureMatrix('fake', fake, { minRows: kpr + 1, dim: x.dim, dimOf: 'real' });
  const centre = pooledMean(x);
  const engine = new DistanceEngine(precision, centre, blockEntries);
  const [realPr, realDc] = await engine.kNearestRadii(x, [kpr, kdc]);
  const [fakePr] = await engine.kNearestRadii(y, [kpr]);
  const fakeInside = new Uint8Array(y.rows);
  const realCovered = new Uint8Array(x.rows);
  const nearestFake = new Float64Array(x.rows).fill(Infinity);
  let densityCount = 0;
  await engine.forEachBlock(y, x, (start, rows, dots, fakeNorms, realNorms) => {
    const n = x.rows;
    for (let b = 0; b < rows; b++) {
      const j = start + b;
      const rf = fakePr![j] as number;
      const nj = fakeNorms[j] as number;
      let inside = 0;
      for (let i = 0; i < n; i++) {
        const dd = Math.max(nj + (realNorms[i] as number) - 2 * (dots[b * n + i] as number), 0);
        if (dd <= (realPr![i] as number)) inside = 1;
        if (dd < (realDc![i] as number)) densityCount++;
        if (dd < (nearestFake[i] as number)) nearestFake[i] = dd;
        if (dd <= rf) realCovered[i] = 1;
      }
      fakeInside[j] = inside;
    }
  });
  let coverage = 0;
  for (let i = 0; i < x.rows; i++) if ((nearestFake[i] as number) < (realDc![i] as number)) coverage++;
  return {
    precision: sum(fakeInside) / y.rows,
    recall: sum(realCovered) / x.rows,
    density: densityCount / (kdc * y.rows),
    coverage: coverage / x.rows,
    precisionRecallK: kpr,
    densityCoverageK: kdc,
    realCount: x.rows,
    fakeCount: y.rows,
  };
}

/**
 * Improved precision and recall (Kynkäänniemi et al. 2019), k = 3 by default.
 * @see {@link prdc} for the arguments; `options.k` sets the neighbour count.
 * @example
 * const { precision, recall } = await precisionRecall(real, fake);
 */
export async function precisionRecall(real: FeatureInput, fake: FeatureInput, options: Omit<ManifoldOptions, 'precisionRecallK' | 'densityCoverageK'> & { k?: number } = {}): Promise<Pick<ManifoldMetrics, 'precision' | 'recall' | 'precisionRecallK' | 'realCount' | 'fakeCount'>> {
  const { k = 3, ...rest } = options;
  const r = await prdc(real, fake, { ...rest, precisionRecallK: k, densityCoverageK: k });
  return { precision: r.precision, recall: r.recall, precisionRecallK: r.precisionRecallK, realCount: r.realCount, fakeCount: r.fakeCount };
}

/**
 * Density and coverage (Naeem et al. 2020), k = 5 by default, strict `d < r`.
 * @see {@link prdc} for the arguments and the strict-inequality gotcha.
 * @example
 * const { density, coverage } = await densityCoverage(real, fake);
 */
export async function densityCoverage(real: FeatureInput, fake: FeatureInput, options: Omit<ManifoldOptions, 'precisionRecallK' | 'densityCoverageK'> & { k?: number } = {}): Promise<Pick<ManifoldMetrics, 'density' | 'coverage' | 'densityCoverageK' | 'realCount' | 'fakeCount'>> {
  const { k = 5, ...rest } = options;
  const r = await prdc(real, fake, { ...rest, precisionRecallK: k, densityCoverageK: k });
  return { density: r.density, coverage: r.coverage, densityCoverageK: r.densityCoverageK, realCount: r.realCount, fakeCount: r.fakeCount };
}

function sum(flags: Uint8Array): number {
  let s = 0;
  for (const f of flags) s += f;
  return s;
}

// Inner products between row blocks of one set and the rows of another, with the squared
// norms that turn them into squared distances |q|² + |r|² − 2 q·r (features centred).
class DistanceEngine {
  constructor(
    private readonly precision: ProductPrecision,
    private readonly centre: Float64Array,
    private readonly blockEntries: number,
  ) {}

  // Visits blocks of query rows against reference columns [firstColumn(start), refs.rows).
  async forEachBlock(
    queries: FeatureMatrix,
    refs: FeatureMatrix,
    visit: (start: number, rows: number, dots: Float32Array | Float64Array, queryNorms: Float64Array, refNorms: Float64Array) => void,
    firstColumn: (start: number) => number = () => 0,
  ): Promise<void> {
    const refNorms = squaredNorms(refs, undefined, this.centre);
    const queryNorms = queries === refs ? refNorms : squaredNorms(queries, undefined, this.centre);
    const blockRows = Math.max(1, Math.floor(this.blockEntries / refs.rows));
    for (let start = 0; start < queries.rows; start += blockRows) {
      const rows = Math.min(blockRows, queries.rows - start);
      const first = firstColumn(start);
      const idx = Int32Array.from({ length: rows }, (_, b) => start + b);
      const columns = first === 0 ? undefined : Int32Array.from({ length: refs.rows - first }, (_, c) => first + c);
      const dots = await crossProducts(queries, idx, refs, columns, this.precision, { centre: this.centre });
      visit(start, rows, dots, queryNorms, first === 0 ? refNorms : refNorms.subarray(first));
    }
  }

  // Squared distance to the k-th nearest other point of the same set, for each k asked.
  // Each pair is computed once (blocks against the columns from their own first row on)
  // and offered to both points' sorted lists of their kmax nearest.
  async kNearestRadii(set: FeatureMatrix, ks: number[]): Promise<Float64Array[]> {
    const kmax = Math.max(...ks);
    const n = set.rows;
    const best = new Float64Array(n * kmax).fill(Infinity);
    const offer = (p: number, dd: number): void => {
      const base = p * kmax;
      if (dd >= (best[base + kmax - 1] as number)) return;
      let q = kmax - 1;
      while (q > 0 && (best[base + q - 1] as number) > dd) {
        best[base + q] = best[base + q - 1] as number;
        q--;
      }
      best[base + q] = dd;
    };
    await this.forEachBlock(
      set,
      set,
      (start, rows, dots, norms, columnNorms) => {
        const width = columnNorms.length;
        for (let b = 0; b < rows; b++) {
          const i = start + b;
          const ni = norms[i] as number;
          // Columns start at `start`: skip up to and including the diagonal.
          for (let c = b + 1; c < width; c++) {
            const dd = Math.max(ni + (columnNorms[c] as number) - 2 * (dots[b * width + c] as number), 0);
            offer(i, dd);
            offer(start + c, dd);
          }
        }
      },
      (start) => start,
    );
    return ks.map((k) => Float64Array.from({ length: n }, (_, i) => best[i * kmax + k - 1] as number));
  }
}
