// Validation of a Gaussian mixture's parameters (means, mixing weights) at the boundary,
// so that the sampler and the scoring helpers can trust them.
import { describeValue, expectFinite, expectInteger, expectPositive } from '@aeot/tensor-backend';

/** Tolerance on `Σ weights = 1`. */
export const WEIGHT_SUM_TOLERANCE = 1e-9;

/**
 * @internal Means as a row-major Float64Array plus their dimension. Accepts an array of
 * rows (all the same length ≥ 1) or a flat Float64Array with `dim`.
 */
export function parseMeans(means: unknown, dim: unknown): { values: Float64Array; dim: number; count: number } {
  if (means instanceof Float64Array) {
    if (dim === undefined) throw new TypeError('"dim" expected an integer ≥ 1 (required when "means" is a flat Float64Array), got undefined');
    const d = expectInteger('dim', dim, 1);
    if (means.length === 0 || means.length % d !== 0) {
      throw new RangeError(`"means" expected a non-empty multiple of ${d} values (rows of dimension ${d}), got ${means.length}`);
    }
    checkFinite(means, d);
    return { values: Float64Array.from(means), dim: d, count: means.length / d };
  }
  if (!Array.isArray(means)) {
    throw new TypeError(`"means" expected an array of rows (number[][]) or a Float64Array with "dim", got ${describeValue(means)}`);
  }
  if (means.length === 0) throw new RangeError('"means" expected at least one mode, got an empty array');
  const first: unknown = means[0];
  if (!isRow(first)) throw new TypeError(`"means[0]" expected an array of numbers, got ${describeValue(first)}`);
  const d = dim === undefined ? first.length : expectInteger('dim', dim, 1);
  if (d < 1) throw new RangeError('"means[0]" expected at least one coordinate, got 0');
  const values = new Float64Array(means.length * d);
  means.forEach((row: unknown, k) => {
    if (!isRow(row)) throw new TypeError(`"means[${k}]" expected an array of numbers, got ${describeValue(row)}`);
    if (row.length !== d) throw new RangeError(`"means" expected every row of dimension ${d}, got ${row.length} at row ${k}`);
    for (let j = 0; j < d; j++) values[k * d + j] = expectCoordinate(row[j], k, j);
  });
  return { values, dim: d, count: means.length };
}

/**
 * @internal Mixing weights: one finite number > 0 per mode, summing to 1 within
 * {@link WEIGHT_SUM_TOLERANCE}; uniform when `undefined`.
 */
export function parseWeights(weights: unknown, count: number): number[] {
  if (weights === undefined) return Array.from({ length: count }, () => 1 / count);
  const ok = Array.isArray(weights) || weights instanceof Float64Array || weights instanceof Float32Array;
  if (!ok) throw new TypeError(`"weights" expected an array of ${count} numbers, got ${describeValue(weights)}`);
  const w = Array.from(weights as ArrayLike<unknown>);
  if (w.length !== count) throw new RangeError(`"weights" expected ${count} weights (one per mode), got ${w.length}`);
  let sum = 0;
  w.forEach((v, k) => {
    sum += expectPositive(`weights[${k}]`, v);
  });
  if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
    throw new RangeError(`"weights" expected to sum to 1 (within ${WEIGHT_SUM_TOLERANCE}), got a sum of ${sum}`);
  }
  return w as number[];
}

function isRow(row: unknown): row is ArrayLike<unknown> {
  return Array.isArray(row) || row instanceof Float64Array || row instanceof Float32Array;
}

function checkFinite(values: Float64Array, dim: number): void {
  for (let i = 0; i < values.length; i++) expectCoordinate(values[i], Math.floor(i / dim), i % dim);
}

function expectCoordinate(v: unknown, k: number, j: number): number {
  return expectFinite(`means[${k}][${j}]`, v);
}
