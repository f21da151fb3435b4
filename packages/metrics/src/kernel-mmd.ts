// Kernel two-sample statistics: the unbiased MMD² with a polynomial or Gaussian (RBF)
// kernel, and KID (Bińkowski et al. 2018): the polynomial-kernel MMD² averaged over
// seeded random subsets. Kernel values and sums are float64; the inner products are
// float64 in JavaScript or float32 on the tfjs backend (see `precision`).
import { createRng, expectInteger, expectOneOf, expectPositive } from '@aeot/tensor-backend';
import { crossProducts, pooledMean, squaredNorms, type ProductPrecision } from './cross-products.js';
import { toFeatureMatrix, type FeatureInput, type FeatureMatrix } from './features.js';

/** The kernels of {@link mmd}. */
export type MmdKernel = 'polynomial' | 'rbf';

/** Options of {@link mmd}. */
export interface MmdOptions {
  /** `'polynomial'`: (x·y/d + 1)³, KID's kernel (default). `'rbf'`: exp(−|x − y|²/(2 bandwidth²)). */
  kernel?: MmdKernel;
  /** RBF bandwidth in feature units. Default: the median distance between pooled points (up to 1,000 of them). */
  bandwidth?: number;
  /**
   * `'float64'` (default here): inner products in JavaScript float64, exact to rounding.
   * `'float32'`: one tfjs matMul on the active backend; much faster for large sets, kernel
   * values then carry float32 rounding (≈1e−7 relative).
   */
  precision?: ProductPrecision;
}

/** Options of {@link kid}. */
export interface KidOptions {
  /** Number of random subsets. Default 100. */
  subsets?: number;
  /** Points drawn (without replacement) from each set per subset. Default min(1000, N_real, N_fake). */
  subsetSize?: number;
  /** Seed of the subset draws. Default 0. */
  seed?: number;
  /** `'float32'` (default: tfjs matMul, fast) or `'float64'` (JavaScript, exact to rounding, slower). */
  precision?: ProductPrecision;
}

/** An MMD² estimate. */
export interface MmdResult {
  /** Unbiased MMD²: may be slightly negative when the two distributions agree. */
  value: number;
  kernel: MmdKernel;
  /** The RBF bandwidth used (undefined for the polynomial kernel). */
  bandwidth: number | undefined;
}

/** A KID estimate. */
export interface KidResult {
  /** Mean of the per-subset unbiased MMD² (slightly negative values are valid). */
  mean: number;
  /** Standard deviation over subsets (ddof = 0, as the reference implementations report). */
  std: number;
  /** The per-subset values. */
  values: Float64Array;
  subsetSize: number;
}

interface Kernel {
  kind: MmdKernel;
  /** Polynomial: 1/d. RBF: −1/(2 bandwidth²). */
  scale: number;
}

const polynomialKernel = (dim: number): Kernel => ({ kind: 'polynomial', scale: 1 / dim });
const rbfKernel = (bandwidth: number): Kernel => ({ kind: 'rbf', scale: -1 / (2 * bandwidth * bandwidth) });

// Σ k(x_i, y_j) over a block of inner products (only j > i when `upper`), one loop per
// kernel so the hot loop has no call in it.
function kernelSum(kernel: Kernel, dots: Float64Array | Float32Array, nx: Float64Array, ny: Float64Array, upper: boolean): number {
  const m = nx.length;
  const n = ny.length;
  const f = kernel.scale;
  let sum = 0;
  for (let i = 0; i < m; i++) {
    const row = i * n;
    const ni = nx[i] as number;
    let rowSum = 0;
    if (kernel.kind === 'polynomial') {
      for (let j = upper ? i + 1 : 0; j < n; j++) {
        const t = (dots[row + j] as number) * f + 1;
        rowSum += t * t * t;
      }
    } else {
      for (let j = upper ? i + 1 : 0; j < n; j++) rowSum += Math.exp(f * Math.max(ni + (ny[j] as number) - 2 * (dots[row + j] as number), 0));
    }
    sum += rowSum;
  }
  return sum;
}

// Unbiased MMD² between rows xs of x and ys of y.
async function unbiasedMmd(x: FeatureMatrix, xs: Int32Array | undefined, y: FeatureMatrix, ys: Int32Array | undefined, kernel: Kernel, precision: ProductPrecision, centre: Float64Array | undefined): Promise<number> {
  const nxs = squaredNorms(x, xs, centre);
  const nys = squaredNorms(y, ys, centre);
  const m = nxs.length;
  const n = nys.length;
  const opts = centre === undefined ? {} : { centre };
  const within = async (set: FeatureMatrix, rows: Int32Array | undefined, norms: Float64Array): Promise<number> => {
    const dots = await crossProducts(set, rows, set, rows, precision, { ...opts, symmetric: true });
    const k = norms.length;
    return (2 * kernelSum(kernel, dots, norms, norms, true)) / (k * (k - 1));
  };
  const cross = kernelSum(kernel, await crossProducts(x, xs, y, ys, precision, opts), nxs, nys, false);
  return (await within(x, xs, nxs)) + (await within(y, ys, nys)) - (2 * cross) / (m * n);
}

/**
 * Unbiased MMD² between two sample sets (Gretton et al. 2012), with KID's polynomial
 * kernel or a Gaussian kernel. Sets may differ in size.
 *
 * Gotcha: the whole sets are compared, m × n kernel values: for large sets use {@link kid}
 * (subsets) or `precision: 'float32'`.
 *
 * @param real `[m, d]` samples (m ≥ 2).
 * @param fake `[n, d]` samples (n ≥ 2).
 * @param options kernel, bandwidth, precision.
 * @returns the estimate and the kernel used.
 * @throws {TypeError} for a bandwidth that is not a number.
 * @throws {RangeError} for mismatched dimensions, fewer than 2 rows, a bad bandwidth.
 * @throws {NonFiniteFeaturesError} for NaN or infinite values.
 * @example
 * const { value } = await mmd(realFeatures, fakeFeatures, { kernel: 'rbf' });
 */
export async function mmd(real: FeatureInput, fake: FeatureInput, options: MmdOptions = {}): Promise<MmdResult> {
  const x = toFeatureMatrix('real', real, { minRows: 2 });
  const y = toFeatureMatrix('fake', fake, { minRows: 2, dim: x.dim, dimOf: 'real' });
  const kind = expectOneOf('kernel', options.kernel ?? 'polynomial', ['polynomial', 'rbf'] as const);
  const precision = expectOneOf('precision', options.precision ?? 'float64', ['float32', 'float64'] as const);
  if (kind === 'polynomial') {
    if (options.bandwidth !== undefined) throw new RangeError('"bandwidth" applies to the rbf kernel only');
    return { value: await unbiasedMmd(x, undefined, y, undefined, polynomialKernel(x.dim), precision, undefined), kernel: kind, bandwidth: undefined };
  }
  const bandwidth = options.bandwidth === undefined ? medianDistance(x, y) : expectPositive('bandwidth', options.bandwidth);
  if (!(bandwidth > 0)) throw new RangeError('the median distance between the samples is 0 (all points coincide): pass "bandwidth"');
  // RBF is translation invariant: centring keeps float32 inner products accurate.
  const centre = pooledMean(x, y);
  return { value: await unbiasedMmd(x, undefined, y, undefined, rbfKernel(bandwidth), precision, centre), kernel: kind, bandwidth };
}

/**
 * Kernel Inception-style Distance (Bińkowski et al. 2018): the unbiased MMD² with the
 * kernel (x·y/d + 1)³, averaged over `subsets` random subsets of `subsetSize` points
 * from each set, seeded. Unlike FID it is unbiased in N, so values at different N compare.
 *
 * @param real `[N, d]` features of real data.
 * @param fake `[M, d]` features of generated data.
 * @param options subsets (100), subset size (min(1000, N, M)), seed (0), precision ('float32').
 * @returns mean and std over subsets (std with ddof = 0), and every subset's value.
 * @throws {RangeError} for mismatched dimensions, fewer than 2 rows, or a subset size
 *   larger than a set.
 * @throws {NonFiniteFeaturesError} for NaN or infinite features.
 * @example
 * const { mean, std } = await kid(realFeatures, fakeFeatures);
 * console.log(`KID ${(mean * 1e3).toFixed(2)} ± ${(std * 1e3).toFixed(2)} ×10⁻³`);
 */
export async function kid(real: FeatureInput, fake: FeatureInput, options: KidOptions = {}): Promise<KidResult> {
  const x = toFeatureMatrix('real', real, { minRows: 2 });
  const y = toFeatureMatrix('fake', fake, { minRows: 2, dim: x.dim, dimOf: 'real' });
  const subsets = expectInteger('subsets', options.subsets ?? 100, 1);
  const largest = Math.min(x.rows, y.rows);
  const subsetSize = expectInteger('subsetSize', options.subsetSize ?? Math.min(1000, largest), 2);
  if (subsetSize > largest) throw new RangeError(`"subsetSize" expected at most ${largest} (the smaller set's size), got ${subsetSize}`);
  const seed = expectInteger('seed', options.seed ?? 0, 0, 2 ** 32 - 1);
  const precision = expectOneOf('precision', options.precision ?? 'float32', ['float32', 'float64'] as const);
  const rng = createRng(seed);
  const kernel = polynomialKernel(x.dim);
  const values = new Float64Array(subsets);
  for (let s = 0; s < subsets; s++) {
    const xs = rng.permutation(x.rows).subarray(0, subsetSize);
    const ys = rng.permutation(y.rows).subarray(0, subsetSize);
    values[s] = await unbiasedMmd(x, xs, y, ys, kernel, precision, undefined);
  }
  let mean = 0;
  for (const v of values) mean += v;
  mean /= subsets;
  let variance = 0;
  for (const v of values) variance += (v - mean) ** 2;
  return { mean, std: Math.sqrt(variance / subsets), values, subsetSize };
}

// Median pairwise distance over up to 1,000 pooled points (evenly strided, deterministic).
function medianDistance(x: FeatureMatrix, y: FeatureMatrix): number {
  const total = x.rows + y.rows;
  const step = Math.max(1, Math.ceil(total / 1000));
  const d = x.dim;
  const pick: Float64Array[] = [];
  for (let i = 0; i < total; i += step) pick.push(i < x.rows ? x.data.subarray(i * d, (i + 1) * d) : y.data.subarray((i - x.rows) * d, (i - x.rows + 1) * d));
  const dists: number[] = [];
  for (let i = 0; i < pick.length; i++) {
    for (let j = i + 1; j < pick.length; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += ((pick[i]![k] as number) - (pick[j]![k] as number)) ** 2;
      dists.push(Math.sqrt(s));
    }
  }
  dists.sort((a, b) => a - b);
  return dists[Math.floor(dists.length / 2)] ?? 0;
}
