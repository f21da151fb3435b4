// The discrete side of the problem: M target points y_i ∈ R^d with weights ν_i,
// validated once at the boundary and held as float64 (the solver's bookkeeping) and
// float32 (what the kernels read).
import * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '@aeot/tensor-backend';

/**
 * Targets as accepted by the solver: rows (`number[][]`), a flat row-major
 * `Float32Array` / `Float64Array` with `dim`, or a 2-D tensor `[M, d]`.
 */
export type TargetsInput = readonly (readonly number[])[] | Float32Array | Float64Array | tf.Tensor2D;

/** Validated targets and weights. */
export interface TargetSet {
  /** Number of targets M. */
  readonly count: number;
  /** Dimension d. */
  readonly dim: number;
  /** Row-major `[M, d]` coordinates. */
  readonly points: Float64Array;
  /** Weights ν, positive, summing to 1. */
  readonly weights: Float64Array;
  /** True when every weight is 1/M. */
  readonly uniform: boolean;
}

/** Tolerance on Σν = 1 (relative to 1). */
export const WEIGHT_SUM_TOLERANCE = 1e-6;

/**
 * Reads and validates targets and weights.
 *
 * @param targets the M target points.
 * @param dim the dimension when `targets` is a flat typed array.
 * @param weights optional weights (default uniform 1/M).
 * @returns the validated set.
 * @throws {TypeError} for values of the wrong type.
 * @throws {RangeError} for M = 0, ragged rows, non-finite coordinates, a flat array whose
 *   length is not a multiple of `dim`, weights of the wrong length, ≤ 0, non-finite, or
 *   not summing to 1.
 */
export async function readTargets(targets: TargetsInput, dim?: number, weights?: ArrayLike<number>): Promise<TargetSet> {
  let points: Float64Array;
  let d: number;
  if (targets instanceof tf.Tensor) {
    if (targets.rank !== 2) throw new RangeError(`"targets" expected a finite 2-D array of shape [M, d], got shape [${targets.shape.join(', ')}]`);
    [, d] = targets.shape as [number, number];
    points = Float64Array.from(await targets.data());
  } else if (targets instanceof Float32Array || targets instanceof Float64Array) {
    if (dim === undefined || !Number.isInteger(dim) || dim < 1) {
      throw new RangeError(`"dim" expected a positive integer with flat "targets", got ${describeValue(dim)}`);
    }
    if (targets.length % dim !== 0) throw new RangeError(`"targets" expected a multiple of dim = ${dim} values, got ${targets.length}`);
    d = dim;
    points = Float64Array.from(targets);
  } else if (Array.isArray(targets)) {
    const rows = targets as readonly (readonly number[])[];
    const first = rows[0];
    if (first === undefined || !Array.isArray(first) && !ArrayBuffer.isView(first)) {
      throw new RangeError(`"targets" expected a finite 2-D array of shape [M, d] with M ≥ 1, got ${rows.length === 0 ? '[0]' : describeValue(first)}`);
    }
    d = first.length;
    points = new Float64Array(rows.length * d);
    rows.forEach((row, i) => {
      if (row.length !== d) throw new RangeError(`"targets" expected rows of length ${d}, got ${row.length} at row ${i}`);
      for (let j = 0; j < d; j++) points[i * d + j] = row[j] as number;
    });
  } else {
    throw new TypeError(`"targets" expected number[][], a Float32Array / Float64Array with dim, or a Tensor2D, got ${describeValue(targets)}`);
  }
  const count = d === 0 ? 0 : points.length / d;
  if (count === 0 || d === 0) throw new RangeError(`"targets" expected a finite 2-D array of shape [M, d] with M ≥ 1 and d ≥ 1, got [${count}, ${d}]`);
  for (let i = 0; i < points.length; i++) {
    if (points[i] === 0) points[i] = 0; // −0 → +0, so equal rows hash equal
    if (!Number.isFinite(points[i])) {
      throw new RangeError(`"targets" expected finite values, got ${describeValue(points[i])} at row ${Math.floor(i / d)}, column ${i % d}`);
    }
  }
  return { count, dim: d, points, ...readWeights(weights, count) };
}

/**
 * Validates weights (positive, finite, Σ = 1 within {@link WEIGHT_SUM_TOLERANCE}) and
 * renormalises them exactly.
 *
 * @param weights the weights, or `undefined` for uniform.
 * @param count M.
 * @throws {RangeError} for a wrong length or invalid values.
 */
export function readWeights(weights: ArrayLike<number> | undefined, count: number): { weights: Float64Array; uniform: boolean } {
  if (weights === undefined) return { weights: new Float64Array(count).fill(1 / count), uniform: true };
  if (typeof weights !== 'object' || weights === null || typeof weights.length !== 'number') {
    throw new TypeError(`"weights" expected an array of ${count} numbers, got ${describeValue(weights)}`);
  }
  if (weights.length !== count) throw new RangeError(`"weights" expected ${count} values (one per target), got ${weights.length}`);
  const w = Float64Array.from(weights);
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const v = w[i] as number;
    if (!Number.isFinite(v) || v <= 0) throw new RangeError(`"weights" expected positive finite values, got ${describeValue(v)} at ${i}`);
    sum += v;
  }
  if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) throw new RangeError(`"weights" expected values summing to 1, got a sum of ${sum}`);
  for (let i = 0; i < count; i++) w[i] = (w[i] as number) / sum;
  const uniform = w.every((v) => Math.abs(v - 1 / count) < 1e-15);
  return { weights: w, uniform };
}
