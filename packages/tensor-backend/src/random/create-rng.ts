// The entry points of seeded randomness: a generator from a seed, or one resumed from a
// snapshot. Rng itself lives in rng.ts.
import { Rng } from './rng.js';
import type { RngState } from './rng-state.js';

/**
 * A seeded generator; see {@link Rng}.
 *
 * @param seed any safe integer.
 * @returns a new generator.
 * @throws {TypeError} if `seed` is not a number.
 * @throws {RangeError} if `seed` is not a safe integer.
 * @example
 * const rng = createRng(1234);
 * const x = rng.normal([256, 2]); // float32 tensor, same on every backend
 */
export function createRng(seed: number): Rng {
  return Rng.fromSeed(seed);
}

/**
 * Rebuilds a generator from a snapshot taken by {@link Rng.getState}.
 *
 * @param state the snapshot (e.g. parsed from JSON).
 * @returns a generator that continues exactly where the snapshot was taken.
 * @throws {TypeError} if `state` is malformed.
 * @throws {RangeError} if `state` has an unknown algorithm/version or invalid words.
 * @example
 * const resumed = restoreRng(JSON.parse(saved));
 */
export function restoreRng(state: RngState): Rng {
  return Rng.fromState(state);
}
