// The boundary checks of the CPU engines' setTargets and topK, shared so that the
// WebAssembly and the native engine reject the same calls with the same messages
// (the addon repeats them in C, for callers that bypass the class).
import { expectInteger, expectTypedArray } from '@aeot/tensor-backend';
import { MAX_TOP_K } from '../power-assign-kernel.js';

// Counts index typed arrays, so they stay below 2^31 whatever the caller passes.
const MAX_COUNT = 2 ** 31 - 1;

/**
 * Validates the arguments of `setTargets`.
 *
 * @throws TypeError when `y` is not a Float32Array (or m, d not numbers); RangeError for
 *   m, d not integers ≥ 1 or `y` shorter than m·d.
 */
export function expectTargetArgs(y: Float32Array, m: number, d: number): void {
  expectInteger('m', m, 1, MAX_COUNT);
  expectInteger('d', d, 1, MAX_COUNT);
  expectTypedArray('y', y, Float32Array, m * d, 'm·d');
}

/**
 * Validates the arguments of `topK` against the current m × d targets.
 *
 * @throws TypeError for arrays of the wrong class; RangeError for a bad n or k, or
 *   arrays shorter than the call needs.
 */
export function expectTopKArgs(x: Float32Array, n: number, h: Float32Array, k: number, outIndex: Int32Array, outScore: Float32Array | undefined, m: number, d: number): void {
  expectInteger('n', n, 0, MAX_COUNT);
  expectInteger('k', k, 1, Math.min(m, MAX_TOP_K));
  expectTypedArray('x', x, Float32Array, n * d, 'n·d');
  expectTypedArray('h', h, Float32Array, m, 'm');
  expectTypedArray('outIndex', outIndex, Int32Array, n * k, 'n·k');
  if (outScore !== undefined) expectTypedArray('outScore', outScore, Float32Array, n * k, 'n·k');
}
