// Shared by the wasm-kernel tests: seeded inputs and the cross-backend error measure.
import { expect } from 'vitest';

/** `size` values uniform in [−1, 1) from a seeded uniform stream. */
export function randomValues(size: number, rand: () => number): Float32Array {
  return Float32Array.from({ length: size }, () => 2 * rand() - 1);
}

/** ||a − b|| / ||b||, accumulated in float64 (||a − b|| when b is all zeros). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += ((a[i] ?? 0) - (b[i] ?? 0)) ** 2;
    den += (b[i] ?? 0) ** 2;
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}
