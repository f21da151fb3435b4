// Seeded pseudo-random numbers: xoshiro128** (Blackman & Vigna, "Scrambled linear
// pseudorandom number generators", ACM TOMS 47(4), 2021) seeded through SplitMix64.
// Everything is generated in JavaScript and uploaded, so a seed gives the same numbers
// on every tfjs backend, and the whole state is four 32-bit words (plus one cached
// normal) that serialize to JSON, so long-running solvers can checkpoint and resume.
import * as tf from '@tensorflow/tfjs-core';
import { describeValue, expectFinite, expectInteger, expectInterval, expectOptions, expectShape } from '../validate.js';
import { float32Below, float64Below } from './float-bits.js';
import { checkRngState, type RngState } from './rng-state.js';
import { forkKey, wordsFromKey } from './seeding.js';

/** Bounds of {@link Rng.uniform}: values lie in [min, max). */
export interface UniformOptions {
  /** Inclusive lower bound, default 0. */
  readonly min?: number;
  /** Exclusive upper bound, default 1. */
  readonly max?: number;
}

/** Parameters of {@link Rng.normal}. */
export interface NormalOptions {
  /** Mean, default 0. */
  readonly mean?: number;
  /** Standard deviation (≥ 0), default 1. */
  readonly std?: number;
}

const TWO_POW_M24 = 2 ** -24;
const TWO_POW_M53 = 2 ** -53;
const TWO_POW_26 = 2 ** 26;
const TWO_POW_32 = 2 ** 32;

function expectSeed(name: string, value: unknown): number {
  return expectInteger(name, value, -Number.MAX_SAFE_INTEGER);
}

function expectFloatArray(out: unknown): Float32Array | Float64Array {
  if (out instanceof Float32Array || out instanceof Float64Array) return out;
  throw new TypeError(`"out" expected a Float32Array or Float64Array, got ${describeValue(out)}`);
}

/**
 * A seeded xoshiro128** generator (period 2^128 − 1). Create one with
 * {@link createRng}, snapshot it with {@link Rng.getState} and resume with
 * {@link restoreRng}; the numbers are identical across platforms and tfjs backends.
 *
 * Consumption, which fixes the stream: {@link Rng.nextUint32} takes one 32-bit word,
 * {@link Rng.nextFloat64} two (53 random bits), a float32 uniform one (24 bits), and
 * normals come from Marsaglia's polar method on float64 uniforms, two per attempt
 * (accepted with probability π/4), each attempt yielding a pair of normals.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null;
  private pairSecond = 0;

  private constructor(words: readonly [number, number, number, number], spare: number | null) {
    this.s0 = words[0] | 0;
    this.s1 = words[1] | 0;
    this.s2 = words[2] | 0;
    this.s3 = words[3] | 0;
    this.spare = spare;
  }

  /**
   * A generator seeded from `seed` via SplitMix64 (the seeding its authors recommend).
   *
   * @param seed any safe integer; negative seeds are taken modulo 2^64.
   * @returns a fresh generator.
   * @throws {TypeError} if `seed` is not a number.
   * @throws {RangeError} if `seed` is not a safe integer.
   * @example
   * const rng = Rng.fromSeed(42);
   */
  static fromSeed(seed: number): Rng {
    expectSeed('seed', seed);
    return new Rng(wordsFromKey(BigInt.asUintN(64, BigInt(seed))), null);
  }

  /**
   * Rebuilds a generator from {@link Rng.getState}'s snapshot (possibly after a JSON
   * round trip); it continues exactly where the snapshot was taken.
   *
   * @param state the snapshot.
   * @returns a generator in that state.
   * @throws {TypeError} if `state` is not a snapshot object.
   * @throws {RangeError} if it names another algorithm or version, or its words are invalid.
   * @example
   * const copy = Rng.fromState(JSON.parse(JSON.stringify(rng.getState())));
   */
  static fromState(state: RngState): Rng {
    const { words, spare } = checkRngState(state);
    return new Rng(words, spare);
  }

  /**
   * Next 32 random bits.
   *
   * @returns an integer in [0, 2^32).
   * @example
   * const word = rng.nextUint32();
   */
  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 = s1 ^ this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /**
   * A uniform double in [0, 1) with 53 random bits (two words).
   *
   * @returns a multiple of 2^-53 in [0, 1).
   * @example
   * const u = rng.nextFloat64();
   */
  nextFloat64(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * TWO_POW_26 + lo) * TWO_POW_M53;
  }

  /**
   * A uniform number in [0, 1) on the float32 grid, 24 random bits (one word); exactly
   * representable as float32, so it never rounds up to 1.
   *
   * @returns a multiple of 2^-24 in [0, 1).
   * @example
   * const u = rng.nextFloat32();
   */
  nextFloat32(): number {
    return (this.nextUint32() >>> 8) * TWO_POW_M24;
  }

  /**
   * A uniform integer in [0, bound), without modulo bias (rejection sampling).
   *
   * @param bound exclusive upper bound, an integer in [1, 2^32].
   * @returns an integer in [0, bound).
   * @throws {TypeError} if `bound` is not a number.
   * @throws {RangeError} if `bound` is not an integer in [1, 2^32].
   * @example
   * const i = rng.nextInt(10); // 0..9
   */
  nextInt(bound: number): number {
    expectInteger('bound', bound, 1, TWO_POW_32);
    // Accept words below the largest multiple of `bound`, so every residue is equally likely.
    const limit = TWO_POW_32 - (TWO_POW_32 % bound);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % bound;
  }

  /**
   * A standard normal sample (Marsaglia polar method; the second of each pair is kept
   * and returned by the next call, and is part of the state).
   *
   * @returns a sample of N(0, 1).
   * @example
   * const z = rng.nextNormal();
   */
  nextNormal(): number {
    const spare = this.spare;
    if (spare !== null) {
      this.spare = null;
      return spare;
    }
    const a = this.polarPair();
    this.spare = this.pairSecond;
    return a;
  }

  // Marsaglia & Bray (1964): a point uniform in the unit disc, radially rescaled,
  // gives two independent normals without trigonometric functions. Returns the first
  // and leaves the second in `pairSecond` (no array allocated per pair in hot loops).
  private polarPair(): number {
    for (;;) {
      const u = 2 * this.nextFloat64() - 1;
      const v = 2 * this.nextFloat64() - 1;
      const s = u * u + v * v;
      if (s < 1 && s > 0) {
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        this.pairSecond = v * f;
        return u * f;
      }
    }
  }

  /**
   * Fills `out` with uniform samples in [min, max). Float64Array entries use
   * {@link Rng.nextFloat64}, Float32Array entries {@link Rng.nextFloat32}; after
   * rounding to the array's precision values are clamped below `max`.
   *
   * @param out array to fill.
   * @param min inclusive lower bound, default 0.
   * @param max exclusive upper bound, default 1.
   * @returns `out`.
   * @throws {TypeError} if `out` is not a Float32Array/Float64Array or a bound is not a number.
   * @throws {RangeError} if a bound is not finite or `min >= max`.
   * @example
   * const xs = rng.fillUniform(new Float32Array(1000), -1, 1);
   */
  fillUniform<T extends Float32Array | Float64Array>(out: T, min = 0, max = 1): T {
    const arr = expectFloatArray(out);
    const [lo, hi] = expectInterval(min, max);
    const width = hi - lo;
    const n = arr.length;
    if (arr instanceof Float32Array) {
      if (lo === 0 && hi === 1) {
        for (let i = 0; i < n; i++) arr[i] = (this.nextUint32() >>> 8) * TWO_POW_M24;
      } else {
        const top = float32Below(hi);
        for (let i = 0; i < n; i++) {
          const v = Math.fround(lo + width * ((this.nextUint32() >>> 8) * TWO_POW_M24));
          arr[i] = v < hi ? v : top;
        }
      }
    } else {
      const top = float64Below(hi);
      for (let i = 0; i < n; i++) {
        const v = lo + width * this.nextFloat64();
        arr[i] = v < hi ? v : top;
      }
    }
    return out;
  }

  /**
   * Fills `out` with normal samples, `mean + std · z`. The standard normals z are the
   * same stream as {@link Rng.nextNormal} (so chunking never changes the numbers), and
   * a Float32Array receives them rounded to float32.
   *
   * @param out array to fill.
   * @param mean mean, default 0.
   * @param std standard deviation (≥ 0), default 1.
   * @returns `out`.
   * @throws {TypeError} if `out` is not a Float32Array/Float64Array or a parameter is not a number.
   * @throws {RangeError} if `mean` or `std` is not finite, or `std < 0`.
   * @example
   * const z = rng.fillNormal(new Float64Array(1000), 0, 2);
   */
  fillNormal<T extends Float32Array | Float64Array>(out: T, mean = 0, std = 1): T {
    const arr = expectFloatArray(out);
    const mu = expectFinite('mean', mean);
    const sigma = expectFinite('std', std);
    if (sigma < 0) throw new RangeError(`"std" expected a number ≥ 0, got ${sigma}`);
    const n = arr.length;
    let i = 0;
    if (n > 0 && this.spare !== null) {
      arr[i++] = mu + sigma * this.spare;
      this.spare = null;
    }
    for (; i + 1 < n; i += 2) {
      arr[i] = mu + sigma * this.polarPair();
      arr[i + 1] = mu + sigma * this.pairSecond;
    }
    if (i < n) arr[i] = mu + sigma * this.nextNormal();
    return out;
  }

  /**
   * A float32 tensor of uniform samples in [min, max), generated like
   * {@link Rng.fillUniform} on a Float32Array (identical on every backend).
   *
   * @param shape tensor shape, non-negative integers.
   * @param options bounds, default [0, 1).
   * @returns a new float32 tensor; the caller disposes it.
   * @throws {TypeError} on a malformed shape or options.
   * @throws {RangeError} on negative or non-integer dimensions or invalid bounds.
   * @example
   * const x = rng.uniform([128, 2], { min: -1, max: 1 });
   */
  uniform(shape: readonly number[], options?: UniformOptions): tf.Tensor {
    const dims = expectShape('shape', shape);
    const opts = expectOptions('options', options);
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    this.fillUniform(data, (opts.min ?? 0) as number, (opts.max ?? 1) as number);
    return tf.tensor(data, dims, 'float32');
  }

  /**
   * A float32 tensor of normal samples, generated like {@link Rng.fillNormal}.
   *
   * @param shape tensor shape, non-negative integers.
   * @param options mean and standard deviation, default 0 and 1.
   * @returns a new float32 tensor; the caller disposes it.
   * @throws {TypeError} on a malformed shape or options.
   * @throws {RangeError} on negative or non-integer dimensions, or invalid mean/std.
   * @example
   * const z = rng.normal([64, 16]);
   */
  normal(shape: readonly number[], options?: NormalOptions): tf.Tensor {
    const dims = expectShape('shape', shape);
    const opts = expectOptions('options', options);
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    this.fillNormal(data, (opts.mean ?? 0) as number, (opts.std ?? 1) as number);
    return tf.tensor(data, dims, 'float32');
  }

  /**
   * A random permutation of 0..n-1 (Fisher–Yates with {@link Rng.nextInt}).
   *
   * @param n length, an integer in [0, 2^31 - 1].
   * @returns a new Int32Array holding each of 0..n-1 once.
   * @throws {TypeError} if `n` is not a number.
   * @throws {RangeError} if `n` is not an integer in range.
   * @example
   * const order = rng.permutation(dataset.length);
   */
  permutation(n: number): Int32Array {
    expectInteger('n', n, 0, 2 ** 31 - 1);
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }

  /**
   * An independent generator for sub-task `stream`, keyed by a hash of this
   * generator's current state and `stream` (like NumPy's spawned seed sequences).
   * Does not advance this generator: the same state and stream always give the same
   * child, different streams give unrelated sequences.
   *
   * @param stream stream id, an integer ≥ 0.
   * @returns a new generator.
   * @throws {TypeError} if `stream` is not a number.
   * @throws {RangeError} if `stream` is not a safe non-negative integer.
   * @example
   * const workers = [0, 1, 2, 3].map((i) => rng.fork(i));
   */
  fork(stream: number): Rng {
    expectInteger('stream', stream, 0);
    return new Rng(wordsFromKey(forkKey([this.s0, this.s1, this.s2, this.s3], stream)), null);
  }

  /**
   * An independent copy in the same state.
   *
   * @returns a new generator that will produce the same numbers as this one.
   * @example
   * const replay = rng.clone();
   */
  clone(): Rng {
    return new Rng([this.s0, this.s1, this.s2, this.s3], this.spare);
  }

  /**
   * A JSON-safe snapshot of the complete state.
   *
   * @returns the state; {@link restoreRng} continues from it exactly.
   * @example
   * localStorage.setItem('rng', JSON.stringify(rng.getState()));
   */
  getState(): RngState {
    return {
      algorithm: 'xoshiro128**',
      version: 1,
      words: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0],
      spareNormal: this.spare,
    };
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
