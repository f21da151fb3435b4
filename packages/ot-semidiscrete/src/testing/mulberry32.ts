// A small seeded generator for test and benchmark data (mulberry32), uniform in [0, 1):
// independent of the library's own RNG, so the references do not share its code.

/**
 * A seeded stream of uniform numbers in [0, 1).
 *
 * @param seed - any number; its low 32 bits seed the stream.
 * @returns a function that gives the next number of the stream.
 * @example
 * const rand = mulberry32(1);
 * const x = Float32Array.from({ length: 8 }, () => rand() - 0.5);
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
