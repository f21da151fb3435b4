// The one input form of every metric over sample sets: n rows of d features, row-major,
// in float64. Accepts nested arrays, `{ data, shape }` objects (any numeric typed array)
// and, in the async entry point, tfjs tensors; validates shape and finiteness once.
import * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '@aeot/tensor-backend';
import { NonFiniteFeaturesError } from './errors.js';

/** A row-major `[rows, dim]` matrix of features, float64, validated finite. */
export interface FeatureMatrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly dim: number;
}

/** A row-major matrix given as flat values and a `[rows, dim]` shape. */
export interface FlatFeatures {
  readonly data: ArrayLike<number>;
  readonly shape: readonly [number, number];
}

/** What the metrics accept as a sample set: nested rows, or flat values with a shape. */
export type FeatureInput = readonly (readonly number[])[] | FlatFeatures | FeatureMatrix;

/** {@link FeatureInput} or a 2-D tfjs tensor (read asynchronously, safe on WebGPU). */
export type FeatureSource = FeatureInput | tf.Tensor;

/** Limits checked by {@link toFeatureMatrix}. */
export interface FeatureLimits {
  /** Fewest rows accepted. Default 1. */
  minRows?: number;
  /** Required dimension (e.g. the other set's). */
  dim?: number;
  /** Name of the set whose dimension `dim` is, for the message. */
  dimOf?: string;
}

function isFeatureMatrix(value: object): value is FeatureMatrix {
  return 'rows' in value && 'dim' in value && (value as FeatureMatrix).data instanceof Float64Array;
}

/**
 * Validates a sample set and returns it as a float64 {@link FeatureMatrix}.
 *
 * @param name the argument's name, used in messages (e.g. `"real"`).
 * @param input nested rows, `{ data, shape }`, or a FeatureMatrix.
 * @param limits fewest rows and a required dimension.
 * @returns a new float64 matrix (the input is copied; a FeatureMatrix is re-checked, not copied).
 * @throws {TypeError} for something that is not a matrix of numbers.
 * @throws {RangeError} for ragged rows, a shape that does not match the data, too few
 *   rows, or a dimension other than `limits.dim`.
 * @throws {NonFiniteFeaturesError} for a NaN or infinite entry.
 * @example
 * const real = toFeatureMatrix('real', [[0, 1], [2, 3], [4, 5]]);
 * real.rows; // 3
 */
export function toFeatureMatrix(name: string, input: FeatureInput, limits: FeatureLimits = {}): FeatureMatrix {
  let matrix: FeatureMatrix;
  if (Array.isArray(input)) {
    const rows = input.length;
    const first: unknown = input[0];
    if (rows > 0 && !Array.isArray(first) && !ArrayBuffer.isView(first)) throw new TypeError(`"${name}" expected an array of rows (number[][]), got an array of ${describeValue(first)}`);
    const dim = rows === 0 ? 0 : (first as readonly number[]).length;
    const data = new Float64Array(rows * dim);
    for (let i = 0; i < rows; i++) {
      const row: unknown = input[i];
      if (!(Array.isArray(row) || ArrayBuffer.isView(row)) || (row as ArrayLike<number>).length !== dim) {
        throw new RangeError(`"${name}" expected rows of equal length ${dim}, got row ${i} = ${describeValue(row)}`);
      }
      for (let j = 0; j < dim; j++) data[i * dim + j] = Number((row as ArrayLike<number>)[j]);
    }
    matrix = { data, rows, dim };
  } else if (typeof input === 'object' && input !== null && isFeatureMatrix(input)) {
    matrix = input;
    if (matrix.data.length !== matrix.rows * matrix.dim) throw new RangeError(`"${name}" has ${matrix.data.length} values for ${matrix.rows} × ${matrix.dim}`);
  } else if (typeof input === 'object' && input !== null && 'data' in input && 'shape' in input) {
    const { data, shape } = input as FlatFeatures;
    if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((s) => Number.isInteger(s) && s >= 0)) {
      throw new RangeError(`"${name}.shape" expected [rows, dim], got ${describeValue(shape)}`);
    }
    if (data === null || typeof data !== 'object' || typeof data.length !== 'number') throw new TypeError(`"${name}.data" expected an array of numbers, got ${describeValue(data)}`);
    const [rows, dim] = shape as [number, number];
    if (data.length !== rows * dim) throw new RangeError(`"${name}.data" expected ${rows} × ${dim} = ${rows * dim} values for shape [${rows}, ${dim}], got ${data.length}`);
    matrix = { data: Float64Array.from(data as ArrayLike<number>), rows, dim };
  } else {
    throw new TypeError(`"${name}" expected a matrix of features (number[][] or { data, shape: [rows, dim] }), got ${describeValue(input)}`);
  }
  const minRows = limits.minRows ?? 1;
  if (matrix.rows < minRows) throw new RangeError(`"${name}" expected at least ${minRows} rows, got ${matrix.rows}`);
  if (matrix.dim < 1) throw new RangeError(`"${name}" expected rows of at least 1 feature, got shape [${matrix.rows}, ${matrix.dim}]`);
  if (limits.dim !== undefined && matrix.dim !== limits.dim) {
    throw new RangeError(`"${name}" expected rows of dimension ${limits.dim}${limits.dimOf === undefined ? '' : ` (that of "${limits.dimOf}")`}, got ${matrix.dim}`);
  }
  expectFiniteFeatures(name, matrix);
  return matrix;
}

/**
 * Checks that every entry of a feature matrix is finite.
 *
 * @param name the argument's name, used in the error (e.g. `"fake"`).
 * @param matrix the features.
 * @throws {NonFiniteFeaturesError} at the first NaN or infinite entry, with its row and column.
 * @example
 * expectFiniteFeatures('fake', toFeatureMatrix('fake', rows, { minRows: 2 }));
 */
export function expectFiniteFeatures(name: string, matrix: FeatureMatrix): void {
  const { data, dim } = matrix;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (!Number.isFinite(v)) throw new NonFiniteFeaturesError(name, Math.floor(i / dim), i % dim, v);
  }
}

/**
 * {@link toFeatureMatrix} that also takes a 2-D tfjs tensor (read with `await data()`,
 * which is safe on every backend, WebGPU included). The tensor is not disposed.
 *
 * @throws as {@link toFeatureMatrix}; RangeError for a tensor that is not 2-D.
 */
export async function readFeatureMatrix(name: string, input: FeatureSource, limits: FeatureLimits = {}): Promise<FeatureMatrix> {
  if (input instanceof tf.Tensor) {
    if (input.rank !== 2) throw new RangeError(`"${name}" expected a 2-D tensor [rows, dim], got shape [${input.shape.join(', ')}]`);
    const values = await input.data();
    return toFeatureMatrix(name, { data: values as ArrayLike<number>, shape: input.shape as [number, number] }, limits);
  }
  return toFeatureMatrix(name, input, limits);
}

/** Row i of a matrix as a subarray view. */
export function row(matrix: FeatureMatrix, i: number): Float64Array {
  return matrix.data.subarray(i * matrix.dim, (i + 1) * matrix.dim);
}
