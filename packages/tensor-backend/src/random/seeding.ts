// Seeding of xoshiro128** state through SplitMix64 (the seeding its authors recommend):
// four 32-bit words from a 64-bit key, where the key is a seed or, for a fork, a hash of
// the parent's state and a stream id.

const MASK64 = (1n << 64n) - 1n;
const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n; // SplitMix64 increment
const FORK_TAG = 0x6a09e667f3bcc909n; // fractional bits of √2: separates fork keys from seeds

/** SplitMix64's output function, a bijection on 64-bit words with good avalanche. */
function mix64(x: bigint): bigint {
  let z = x & MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/**
 * @internal The first two SplitMix64 outputs from `key`, split into four words. mix64 is
 * a bijection and its two inputs differ, so the words are never all zero (the one state
 * xoshiro cannot leave).
 *
 * @param key a 64-bit key (taken modulo 2^64).
 * @returns four 32-bit state words.
 */
export function wordsFromKey(key: bigint): [number, number, number, number] {
  const a = mix64(key + GOLDEN_GAMMA);
  const b = mix64(key + 2n * GOLDEN_GAMMA);
  return [Number(a & 0xffffffffn), Number(a >> 32n), Number(b & 0xffffffffn), Number(b >> 32n)];
}

/**
 * @internal The key of a child generator: a hash of the parent's four state words and
 * the stream id, so the same state and stream always give the same child.
 *
 * @param words the parent's state words (signed or unsigned 32-bit).
 * @param stream the stream id, a safe integer ≥ 0.
 * @returns the child's 64-bit key.
 */
export function forkKey(words: readonly [number, number, number, number], stream: number): bigint {
  const [s0, s1, s2, s3] = words;
  const lo = (BigInt(s1 >>> 0) << 32n) | BigInt(s0 >>> 0);
  const hi = (BigInt(s3 >>> 0) << 32n) | BigInt(s2 >>> 0);
  return mix64(mix64(mix64(lo ^ FORK_TAG) ^ hi) ^ BigInt(stream));
}
