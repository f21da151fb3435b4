// Boundary checks specific to the synthetic benchmarks: sample counts, seeds, names and
// point rows, in the message form `"name" expected …, got …` of @aeot/tensor-backend's
// shared validators (which the generators use for everything generic).
import { describeValue, expectInteger, expectOptions, expectString } from '@aeot/tensor-backend';

/** Largest typed-array length the generators allocate (elements). */
const MAX_ELEMENTS = 2 ** 31 - 1;

/**
 * @internal A sample count: an integer ≥ 0 (an empty sample is allowed) small enough
 * that `n × dim` values fit one typed array.
 */
export function expectSampleCount(n: unknown, dim: number): number {
  return expectInteger('n', n, 0, Math.floor(MAX_ELEMENTS / dim));
}

/** @internal The `seed` of a sampling options object: an integer in [0, 2^32 − 1], default 0. */
export function expectSeedOption(options: unknown): number {
  const opts = expectOptions('options', options);
  return opts.seed === undefined ? 0 : expectInteger('seed', opts.seed, 0, 0xffffffff);
}

/** @internal `undefined` or a string. */
export function expectOptionalName(value: unknown, fallback: string): string {
  return value === undefined ? fallback : expectString('name', value);
}

/**
 * @internal Points given row-major as one flat array: their count, or a `RangeError`
 * when the length is not a multiple of `dim`.
 */
export function expectPointRows(points: unknown, dim: number): number {
  const ok = Array.isArray(points) || (ArrayBuffer.isView(points) && !(points instanceof DataView));
  if (!ok) {
    throw new TypeError(`"points" expected a flat row-major array of numbers (Float32Array, Float64Array or number[]), got ${describeValue(points)}`);
  }
  const len = (points as ArrayLike<number>).length;
  if (len % dim !== 0) throw new RangeError(`"points" expected a multiple of ${dim} values (points of dimension ${dim}), got ${len}`);
  return len / dim;
}
