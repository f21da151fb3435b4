// Float assertions for the conformance suite: tolerance from the backend's precision.
import type { Backend } from '../backend.js';

/** Thrown by a conformance case whose result is wrong. */
export class ConformanceFailure extends Error {
  override readonly name = 'ConformanceFailure';
}

/**
 * Default relative tolerance for a backend: 1e-4 for 32-bit floats, 1e-1 for 16-bit
 * (tfjs's own suites use 1e-3 / 1e-1 as absolute epsilons on values near 1).
 */
export function defaultTolerance(backend: Pick<Backend, 'floatPrecision'>): number {
  return backend.floatPrecision === 32 ? 1e-4 : 1e-1;
}

/**
 * Checks |actual − expected| ≤ tol · max(1, |expected|) elementwise and equal lengths;
 * throws {@link ConformanceFailure} naming the worst element otherwise.
 */
export function assertClose(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  if (actual.length !== expected.length) {
    throw new ConformanceFailure(`${what}: expected ${expected.length} values, got ${actual.length}`);
  }
  let worst = -1;
  let worstRatio = 1;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    const ratio = Math.abs(a - e) / (tol * Math.max(1, Math.abs(e)));
    if (!(ratio <= worstRatio)) {
      worst = i;
      worstRatio = Number.isNaN(ratio) ? Infinity : ratio;
    }
  }
  if (worst >= 0) {
    throw new ConformanceFailure(
      `${what}: element ${worst} is ${actual[worst]}, expected ${expected[worst]} (tolerance ${tol} relative, off by ${worstRatio.toPrecision(3)}×)`,
    );
  }
}

/** Exact equality of two sequences (integers, booleans as 0/1). */
export function assertEqual(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  if (actual.length !== expected.length) throw new ConformanceFailure(`${what}: expected ${expected.length} values, got ${actual.length}`);
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== expected[i]) throw new ConformanceFailure(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]}`);
  }
}

/** Shape equality. */
export function assertShape(what: string, actual: readonly number[], expected: readonly number[]): void {
  if (actual.length !== expected.length || actual.some((d, i) => d !== expected[i])) {
    throw new ConformanceFailure(`${what}: shape [${actual.join(', ')}], expected [${expected.join(', ')}]`);
  }
}

/** Deterministic inputs for cases: a 32-bit LCG in [-1, 1), independent of any backend. */
export function testValues(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}
