// Seeds for other seeded things (tfjs-layers initialisers, per-layer streams): a
// splitmix32-style counter hash, so that one user seed gives every layer of a net its
// own well-mixed seed, identically on every platform. Numbers for computation come from
// Rng (rng.ts); this only hands out seeds.

/**
 * A deterministic stream of seeds in [0, 2^31) from one seed: each call returns the
 * next one. Used to seed tfjs-layers initialisers layer by layer.
 *
 * @param seed any number; its low 32 bits are used.
 * @returns a function that returns the next seed.
 * @example
 * const seeds = seedStream(1);
 * tfl.initializers.heNormal({ seed: seeds() });
 */
export function seedStream(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) % 2 ** 31;
  };
}
