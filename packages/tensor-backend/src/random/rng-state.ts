// The JSON snapshot of an Rng (four xoshiro128** words and the cached normal) and its
// validation on restore, so that a checkpoint from elsewhere cannot corrupt a stream.
import { describeValue, expectFinite, expectInteger, expectOptions } from '../validate.js';

/** JSON-safe snapshot of an {@link Rng}; restore it with {@link restoreRng}. */
export interface RngState {
  /** Generator name, checked on restore. */
  readonly algorithm: 'xoshiro128**';
  /** Format version of this object, checked on restore. */
  readonly version: 1;
  /** The four 32-bit state words, as unsigned integers; never all zero. */
  readonly words: readonly [number, number, number, number];
  /** Second normal of the last Marsaglia pair, not handed out yet, or `null`. */
  readonly spareNormal: number | null;
}

/**
 * @internal Validates a snapshot (possibly after a JSON round trip).
 *
 * @param state the snapshot.
 * @returns its words and spare normal.
 * @throws {TypeError} if `state` is not a snapshot object.
 * @throws {RangeError} if it names another algorithm or version, or its words are invalid.
 */
export function checkRngState(state: unknown): { words: [number, number, number, number]; spare: number | null } {
  if (state === undefined) throw new TypeError('"state" expected an RngState object, got undefined');
  const st = expectOptions('state', state);
  if (st.algorithm !== 'xoshiro128**') {
    throw new RangeError(`"state.algorithm" expected 'xoshiro128**', got ${describeValue(st.algorithm)}`);
  }
  if (st.version !== 1) throw new RangeError(`"state.version" expected 1, got ${describeValue(st.version)}`);
  const w = st.words;
  if (!Array.isArray(w) || w.length !== 4) {
    throw new TypeError(`"state.words" expected an array of 4 integers, got ${describeValue(w)}`);
  }
  const words = w.map((x: unknown, i) => expectInteger(`state.words[${i}]`, x, 0, 0xffffffff));
  if (words.every((x) => x === 0)) throw new RangeError('"state.words" expected not all zero, got [0, 0, 0, 0]');
  const spare = st.spareNormal;
  if (spare !== null) expectFinite('state.spareNormal', spare);
  return { words: words as [number, number, number, number], spare: spare as number | null };
}
