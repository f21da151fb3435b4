// Sobol low-discrepancy sequence: 32-bit Gray-code construction (Antonov & Saleev,
// 1979) on the Joe–Kuo direction numbers of ./sobol-directions.generated.ts, with an
// optional seeded randomisation (linear matrix scramble + digital shift, Matoušek 1998;
// the same kind of scramble as scipy.stats.qmc.Sobol). Unscrambled points coincide with
// Joe–Kuo's reference generator and scipy's `Sobol(d, scramble=False)`, starting at 0.
import * as tf from '@tensorflow/tfjs-core';
import { describeValue, expectBoolean, expectInteger, expectInterval, expectOptions } from '../validate.js';
import { createRng } from './create-rng.js';
import { float32Below } from './float-bits.js';
import { SOBOL_DIRECTIONS_BITS, SOBOL_DIRECTIONS_MAX_DIM, SOBOL_DIRECTIONS_PACKED } from './sobol-directions.generated.js';

/** Highest supported dimension. */
export const SOBOL_MAX_DIM: number = SOBOL_DIRECTIONS_MAX_DIM;

/** Number of points a sequence holds: indices run over [0, 2^32). */
export const SOBOL_MAX_POINTS = 2 ** 32;

const BITS = 32;
const TWO_POW_M32 = 2 ** -32;
// Fork id for the scrambling stream (ASCII "Sobol"): a seed shared with createRng
// must not make the scramble reuse the caller's own random numbers.
const SCRAMBLE_STREAM = 0x536f626f6c;

/** Options of {@link createSobol}. */
export interface SobolOptions {
  /** Seed of the randomisation (any safe integer). Giving one turns scrambling on by default; ignored when `scramble` is `false`. */
  readonly seed?: number;
  /** Randomise the points (default: `true` when `seed` is given, else `false`). Without a seed a random one is drawn and exposed as {@link SobolSequence.seed}. */
  readonly scramble?: boolean;
  /** Number of initial points to skip (default 0). */
  readonly skip?: number;
}

/** Affine target box of {@link SobolSequence.nextTensor}: coordinates lie in [min, max). */
export interface SobolTensorOptions {
  /** Inclusive lower bound, default 0. */
  readonly min?: number;
  /** Exclusive upper bound, default 1. */
  readonly max?: number;
}

/** JSON-safe snapshot of a {@link SobolSequence}; restore it with {@link restoreSobol}. */
export interface SobolState {
  /** Generator name, checked on restore. */
  readonly algorithm: 'sobol-joe-kuo-6.21201';
  /** Format version of this object, checked on restore. */
  readonly version: 1;
  /** Dimension. */
  readonly dim: number;
  /** Index of the next point. */
  readonly position: number;
  /** Whether the points are scrambled. */
  readonly scramble: boolean;
  /** Scramble seed, `null` when unscrambled. */
  readonly seed: number | null;
}

// Direction numbers decoded so far, 32 words per dimension (dimension-major),
// v_k = m_k · 2^(32-k) for k = 1..32. Decoding continues lazily where it stopped.
let table = new Uint32Array(0);
let decodedDims = 0;
let bitPos = 0;
let packed: string | undefined;
let charValue: Int8Array | undefined;

function readBits(width: number): number {
  let v = 0;
  for (let i = 0; i < width; i++, bitPos++) {
    const c = charValue![packed!.charCodeAt(Math.floor(bitPos / 6))]!;
    v = v * 2 + ((c >> (5 - (bitPos % 6))) & 1);
  }
  return v;
}

function directionTable(dim: number): Uint32Array {
  if (dim <= decodedDims) return table;
  if (packed === undefined) {
    packed = SOBOL_DIRECTIONS_PACKED.join('');
    charValue = new Int8Array(128).fill(-1);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    for (let i = 0; i < 64; i++) charValue[alphabet.charCodeAt(i)] = i;
  }
  const grown = new Uint32Array(dim * BITS);
  grown.set(table);
  for (let j = decodedDims; j < dim; j++) {
    const v = grown.subarray(j * BITS, (j + 1) * BITS);
    if (j === 0) {
      for (let k = 0; k < BITS; k++) v[k] = 2 ** (BITS - 1 - k); // van der Corput
      continue;
    }
    const s = readBits(5);
    const a = readBits(s - 1);
    v[0] = 2 ** (BITS - 1);
    for (let k = 1; k < s; k++) v[k] = ((readBits(k) * 2 + 1) * 2 ** (BITS - 1 - k)) >>> 0;
    // Bratley–Fox recurrence: v_k = a_1 v_{k-1} ⊕ … ⊕ a_{s-1} v_{k-s+1} ⊕ v_{k-s} ⊕ (v_{k-s} >> s).
    for (let k = s; k < BITS; k++) {
      let x = v[k - s]! ^ (v[k - s]! >>> s);
      for (let i = 1; i < s; i++) if ((a >> (s - 1 - i)) & 1) x ^= v[k - i]!;
      v[k] = x;
    }
  }
  if (dim === SOBOL_DIRECTIONS_MAX_DIM && bitPos !== SOBOL_DIRECTIONS_BITS) {
    throw new Error(`corrupt Sobol direction table: decoded ${bitPos} of ${SOBOL_DIRECTIONS_BITS} bits`);
  }
  table = grown;
  decodedDims = dim;
  return table;
}

function randomSeed(): number {
  const words = new Uint32Array(2);
  const c = (globalThis as { crypto?: { getRandomValues?(a: Uint32Array): Uint32Array } }).crypto;
  if (c?.getRandomValues) c.getRandomValues(words);
  else for (let i = 0; i < 2; i++) words[i] = Math.floor(Math.random() * 2 ** 32);
  return (words[0]! & 0x1fffff) * 2 ** 32 + words[1]!; // 53 random bits, a safe integer
}

/**
 * A stream of Sobol points in [0, 1)^dim. Create one with {@link createSobol}.
 * Point values are multiples of 2^-32; the sequence holds {@link SOBOL_MAX_POINTS} points.
 */
export class SobolSequence {
  /** Dimension of each point. */
  readonly dim: number;
  /** Whether the points are randomised (linear matrix scramble + digital shift). */
  readonly scrambled: boolean;
  /** Seed of the randomisation, or `null` when not scrambled. */
  readonly seed: number | null;
  // dirs[k * dim + j]: direction k of coordinate j (scrambled when `scrambled`);
  // shift[j]: digital shift; cur: the point at index `pos` as 32-bit integers.
  private readonly dirs: Uint32Array;
  private readonly shift: Uint32Array;
  private readonly cur: Uint32Array;
  private pos = 0;

  private constructor(dim: number, scrambled: boolean, seed: number | null) {
    this.dim = dim;
    this.scrambled = scrambled;
    this.seed = scrambled ? seed : null;
    const base = directionTable(dim);
    this.dirs = new Uint32Array(BITS * dim);
    this.shift = new Uint32Array(dim);
    this.cur = new Uint32Array(dim);
    const rng = scrambled ? createRng(seed!).fork(SCRAMBLE_STREAM) : undefined;
    const cols = new Uint32Array(BITS);
    for (let j = 0; j < dim; j++) {
      if (rng !== undefined) {
        // Lower-triangular (in digit order) matrix with unit diagonal: column b has bit b
        // and random lower bits, so each output digit depends only on the input digit
        // and more significant ones; elementary intervals map onto elementary intervals.
        cols[0] = 1;
        for (let b = BITS - 1; b >= 1; b--) cols[b] = ((rng.nextUint32() & (2 ** b - 1)) | (1 << b)) >>> 0;
        this.shift[j] = rng.nextUint32();
      }
      for (let k = 0; k < BITS; k++) {
        const v = base[j * BITS + k]!;
        let x = v;
        if (rng !== undefined) {
          x = 0;
          for (let b = 0; b < BITS; b++) if ((v >>> b) & 1) x ^= cols[b]!;
        }
        this.dirs[k * dim + j] = x;
      }
    }
    this.cur.set(this.shift);
  }

  /** @internal Use {@link createSobol}. */
  static create(dim: number, options?: SobolOptions): SobolSequence {
    expectInteger('dim', dim, 1, SOBOL_MAX_DIM);
    expectOptions('options', options);
    const seed = options?.seed;
    if (seed !== undefined) expectInteger('seed', seed, -Number.MAX_SAFE_INTEGER);
    const scramble = options?.scramble === undefined ? seed !== undefined : expectBoolean('scramble', options.scramble);
    const skip = options?.skip === undefined ? 0 : expectInteger('skip', options.skip, 0, SOBOL_MAX_POINTS);
    const seq = new SobolSequence(dim, scramble, scramble ? (seed ?? randomSeed()) : null);
    if (skip > 0) seq.skipTo(skip);
    return seq;
  }

  /** @internal Use {@link restoreSobol}. */
  static fromState(state: SobolState): SobolSequence {
    if (typeof state !== 'object' || state === null || Array.isArray(state)) {
      throw new TypeError(`"state" expected a SobolState object, got ${describeValue(state)}`);
    }
    if (state.algorithm !== 'sobol-joe-kuo-6.21201') {
      throw new RangeError(`"state.algorithm" expected 'sobol-joe-kuo-6.21201', got ${describeValue(state.algorithm)}`);
    }
    if (state.version !== 1) throw new RangeError(`"state.version" expected 1, got ${describeValue(state.version)}`);
    const dim = expectInteger('state.dim', state.dim, 1, SOBOL_MAX_DIM);
    const position = expectInteger('state.position', state.position, 0, SOBOL_MAX_POINTS);
    const scramble = expectBoolean('state.scramble', state.scramble);
    let seed: number | null = null;
    if (scramble) seed = expectInteger('state.seed', state.seed, -Number.MAX_SAFE_INTEGER);
    else if (state.seed !== null) throw new RangeError(`"state.seed" expected null when not scrambled, got ${describeValue(state.seed)}`);
    const seq = new SobolSequence(dim, scramble, seed);
    seq.skipTo(position);
    return seq;
  }

  /** Index of the next point (0 for a fresh unskipped sequence). */
  get position(): number {
    return this.pos;
  }

  /**
   * The next `n` points, row-major: point i occupies `[i * dim, (i + 1) * dim)`.
   *
   * @param n number of points, with `position + n ≤ 2^32`.
   * @returns a new Float64Array of length `n * dim`, values in [0, 1) (exact multiples of 2^-32).
   * @throws {TypeError} if `n` is not a number.
   * @throws {RangeError} if `n` is negative, not an integer, or runs past the last point.
   * @example
   * const pts = createSobol(2).next(4); // [0, 0, 0.5, 0.5, 0.75, 0.25, 0.25, 0.75]
   */
  next(n: number): Float64Array {
    const { dim, cur } = this;
    const out = new Float64Array(this.take(n) * dim);
    for (let r = 0, i = 0; r < n; r++) {
      for (let j = 0; j < dim; j++) out[i++] = cur[j]! * TWO_POW_M32;
      this.advance();
    }
    return out;
  }

  /**
   * The next `n` points as a float32 `[n, dim]` tensor, mapped affinely from [0, 1)
   * to [min, max); after rounding to float32 values stay below `max`.
   *
   * @param n number of points, with `position + n ≤ 2^32`.
   * @param options target interval, default [0, 1).
   * @returns a new float32 tensor; the caller disposes it.
   * @throws {TypeError} if `n` or a bound is not a number.
   * @throws {RangeError} if `n` is out of range, or the bounds are not finite with `min < max`.
   * @example
   * const z = createSobol(16, { seed: 7 }).nextTensor(1024, { min: -1, max: 1 });
   */
  nextTensor(n: number, options?: SobolTensorOptions): tf.Tensor2D {
    expectOptions('options', options);
    const [lo, hi] = expectInterval(options?.min ?? 0, options?.max ?? 1);
    const width = (hi - lo) * TWO_POW_M32;
    const top = float32Below(hi);
    const { dim, cur } = this;
    const out = new Float32Array(this.take(n) * dim);
    for (let r = 0, i = 0; r < n; r++) {
      for (let j = 0; j < dim; j++) {
        const v = Math.fround(lo + width * cur[j]!);
        out[i++] = v < hi ? v : top;
      }
      this.advance();
    }
    return tf.tensor2d(out, [n, dim], 'float32');
  }

  /**
   * Moves to point `index`: the next call returns points from there on. Equivalent
   * to generating and discarding points, but O(dim) (the Gray code gives any point directly).
   *
   * @param index point index in [0, 2^32].
   * @returns this sequence.
   * @throws {TypeError} if `index` is not a number.
   * @throws {RangeError} if `index` is not an integer in range.
   * @example
   * seq.skipTo(0); // rewind
   */
  skipTo(index: number): this {
    expectInteger('index', index, 0, SOBOL_MAX_POINTS);
    const { dim, dirs, cur } = this;
    cur.set(this.shift);
    if (index < SOBOL_MAX_POINTS) {
      const gray = (index ^ (index >>> 1)) >>> 0;
      for (let k = 0; k < BITS; k++) {
        if (((gray >>> k) & 1) === 0) continue;
        const off = k * dim;
        for (let j = 0; j < dim; j++) cur[j] = cur[j]! ^ dirs[off + j]!;
      }
    }
    this.pos = index;
    return this;
  }

  /**
   * A JSON-safe snapshot; {@link restoreSobol} continues from it exactly.
   *
   * @returns the state.
   * @example
   * const saved = JSON.stringify(seq.getState());
   */
  getState(): SobolState {
    return {
      algorithm: 'sobol-joe-kuo-6.21201',
      version: 1,
      dim: this.dim,
      position: this.pos,
      scramble: this.scrambled,
      seed: this.seed,
    };
  }

  private take(n: number): number {
    expectInteger('n', n, 0);
    if (this.pos + n > SOBOL_MAX_POINTS) {
      throw new RangeError(`"n" expected at most ${SOBOL_MAX_POINTS - this.pos} (points left after position ${this.pos}), got ${n}`);
    }
    return n;
  }

  // Steps to the next point by the Gray code: point p+1 = point p ⊕ direction ctz(p+1).
  private advance(): void {
    const next = this.pos + 1;
    this.pos = next;
    if (next === SOBOL_MAX_POINTS) return; // past the last point; nothing left to compute
    const { dim, dirs, cur } = this;
    const off = (31 - Math.clz32(next & -next)) * dim; // next & -next: lowest set bit (int32)
    for (let j = 0; j < dim; j++) cur[j] = cur[j]! ^ dirs[off + j]!;
  }
}

/**
 * A Sobol sequence in `dim` dimensions (Joe–Kuo direction numbers, Gray-code order,
 * first point 0 when unscrambled, like Joe–Kuo's and scipy's generators).
 *
 * With a seed the points are randomised by a linear matrix scramble plus a digital
 * shift per coordinate, drawn from `createRng(seed).fork(…)`: deterministic per seed,
 * still a (t, m, s)-net in base 2 (every 2^m consecutive points from index 0 fill each
 * elementary interval of each coordinate equally), and each point is uniform on [0,1)^dim.
 *
 * @param dim dimension, an integer in [1, {@link SOBOL_MAX_DIM}].
 * @param options seed, scrambling and initial skip.
 * @returns a new sequence positioned at `skip`.
 * @throws {TypeError} on wrongly typed arguments.
 * @throws {RangeError} if `dim`, `seed` or `skip` is out of range.
 * @example
 * const qmc = createSobol(8, { seed: 1 });
 * const batch = qmc.next(256); // Float64Array, 256 × 8
 */
export function createSobol(dim: number, options?: SobolOptions): SobolSequence {
  return SobolSequence.create(dim, options);
}

/**
 * Rebuilds a sequence from {@link SobolSequence.getState}'s snapshot.
 *
 * @param state the snapshot (e.g. parsed from JSON).
 * @returns a sequence that continues exactly where the snapshot was taken.
 * @throws {TypeError} if `state` is malformed.
 * @throws {RangeError} if `state` has an unknown algorithm/version or out-of-range fields.
 * @example
 * const resumed = restoreSobol(JSON.parse(saved));
 */
export function restoreSobol(state: SobolState): SobolSequence {
  return SobolSequence.fromState(state);
}
