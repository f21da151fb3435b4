// Blocks of inner products x_i · y_j between selected rows of two feature matrices: the
// one heavy primitive of the kernel metrics (KID, MMD) and of the k-NN metrics. Two
// routes: float64 loops in JavaScript (exact to rounding), or float32 matMul on the
// active tfjs backend (fast on wasm / WebGPU), read back asynchronously.
import * as tf from '@tensorflow/tfjs-core';
import type { FeatureMatrix } from './features.js';

/** How the inner products are computed. */
export type ProductPrecision = 'float32' | 'float64';

/**
 * Rows `rows` of `m` (all rows when undefined), minus `centre`, into a new array made by
 * `make` (float32 for the device, float64 for the JavaScript route): `[count, d]`, or
 * transposed `[d, count]`.
 */
function gatherRows<T extends Float32Array | Float64Array>(m: FeatureMatrix, rows: Int32Array | undefined, centre: Float64Array | undefined, make: (length: number) => T, transposed = false): T {
  const d = m.dim;
  const count = rows === undefined ? m.rows : rows.length;
  const out = make(count * d);
  for (let i = 0; i < count; i++) {
    const src = (rows === undefined ? i : (rows[i] as number)) * d;
    for (let j = 0; j < d; j++) out[transposed ? j * count + i : i * d + j] = (m.data[src + j] as number) - (centre === undefined ? 0 : (centre[j] as number));
  }
  return out;
}

const float32 = (n: number): Float32Array => new Float32Array(n);
const float64 = (n: number): Float64Array => new Float64Array(n);

/**
 * Inner products `out[i * ny + j] = (x[xRows[i]] − c) · (y[yRows[j]] − c)` with c the
 * optional centre.
 *
 * @param precision 'float64': JavaScript loops; 'float32': one tfjs matMul on the active backend.
 * @param symmetric x and y are the same rows of the same matrix: computes the upper
 *   triangle once (float64 route) and mirrors it.
 */
export async function crossProducts(
  x: FeatureMatrix,
  xRows: Int32Array | undefined,
  y: FeatureMatrix,
  yRows: Int32Array | undefined,
  precision: ProductPrecision,
  options: { centre?: Float64Array; symmetric?: boolean } = {},
): Promise<Float64Array | Float32Array> {
  const { centre, symmetric = false } = options;
  if (precision === 'float32') {
    const nx = xRows === undefined ? x.rows : xRows.length;
    const ny = yRows === undefined ? y.rows : yRows.length;
    // B is uploaded transposed ([d, ny]): tfjs-wasm's matMul with transposeB is ~10× slower.
    const a = tf.tensor2d(gatherRows(x, xRows, centre, float32), [nx, x.dim]);
    const b = tf.tensor2d(gatherRows(y, yRows, centre, float32, true), [y.dim, ny]);
    const product = tf.matMul(a, b);
    try {
      return (await product.data()) as Float32Array;
    } finally {
      tf.dispose([a, b, product]);
    }
  }
  // The matrix itself when nothing is selected or centred; a gathered copy otherwise.
  const rows64 = (m: FeatureMatrix, rows: Int32Array | undefined): Float64Array => (rows === undefined && centre === undefined ? m.data : gatherRows(m, rows, centre, float64));
  const xs = rows64(x, xRows);
  const ys = symmetric ? xs : rows64(y, yRows);
  const d = x.dim;
  const nx = xs.length / d;
  const ny = ys.length / d;
  const out = new Float64Array(nx * ny);
  for (let i = 0; i < nx; i++) {
    const xi = i * d;
    for (let j = symmetric ? i : 0; j < ny; j++) {
      const yj = j * d;
      let s0 = 0;
      let s1 = 0;
      let k = 0;
      for (; k + 1 < d; k += 2) {
        s0 += (xs[xi + k] as number) * (ys[yj + k] as number);
        s1 += (xs[xi + k + 1] as number) * (ys[yj + k + 1] as number);
      }
      if (k < d) s0 += (xs[xi + k] as number) * (ys[yj + k] as number);
      out[i * ny + j] = s0 + s1;
      if (symmetric) out[j * ny + i] = s0 + s1;
    }
  }
  return out;
}

/** Squared norms of the selected rows (minus the centre), float64. */
export function squaredNorms(m: FeatureMatrix, rows: Int32Array | undefined, centre: Float64Array | undefined): Float64Array {
  const d = m.dim;
  const count = rows === undefined ? m.rows : rows.length;
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const src = (rows === undefined ? i : (rows[i] as number)) * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += ((m.data[src + j] as number) - (centre === undefined ? 0 : (centre[j] as number))) ** 2;
    out[i] = s;
  }
  return out;
}

/** Mean of the rows of one or more matrices together (float64). */
export function pooledMean(...sets: FeatureMatrix[]): Float64Array {
  const d = sets[0]!.dim;
  const mean = new Float64Array(d);
  let n = 0;
  for (const m of sets) {
    for (let i = 0; i < m.rows * d; i++) mean[i % d] = (mean[i % d] as number) + (m.data[i] as number);
    n += m.rows;
  }
  for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) / n;
  return mean;
}
