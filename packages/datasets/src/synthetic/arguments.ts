// Boundary checks shared by the synthetic benchmarks: sample counts, seeds, scales and
// option objects, all in the package's message form `"name" expected …, got …`.
import { describeValue, expectInteger } from '@aeot/tensor-backend';

export { expectNonNegative, expectPositive } from '@aeot/tensor-backend';

/** Largest typed-array length the generators allocate (elements). */
const MAX_ELEMENTS = 2 ** 31 - 1;

/** @internal Throws `TypeError` unless `value` is `undefined` or a plain options object. */
export function expectOptions(name: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`"${name}" expected an options object, got ${describeValue(value)}`);
  }
  return value as Record<string, unknown>;
}

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
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw new TypeError(`"name" expected a string, got ${describeValue(value)}`);
  return value;
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
