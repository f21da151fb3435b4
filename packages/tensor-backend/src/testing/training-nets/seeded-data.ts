// Seeded test data for the training fixtures, computed in JavaScript so that every
// backend sees bit-identical inputs and initial weights: a mulberry32 uniform stream,
// normals from it, and a deterministic MNIST stand-in.

/**
 * Small seeded PRNG (mulberry32): deterministic uniform numbers in [0, 1). Used instead
 * of tfjs's random ops so the initial weights do not depend on the backend.
 */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal values from the seeded uniform stream (Box–Muller), identical on every backend. */
export function seededNormal(count: number, seed: number): Float32Array {
  const rand = seededUniform(seed);
  return Float32Array.from({ length: count }, () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()));
}

/**
 * Deterministic stand-in for MNIST: `count` images of 28×28×1 in [0, 1], each two soft
 * strokes (anisotropic Gaussian bumps) at random places over a faint noise floor.
 * Returned as a flat NHWC array so the caller creates the tensor on whichever backend
 * is active.
 *
 * The noise floor keeps every pixel distinct, so max-pool windows hold no exact ties.
 * Which tied input receives the gradient is an implementation choice, and rounding
 * differences between backends can turn a tie on one into a strict order on the other;
 * either would make a cross-backend gradient comparison test the data, not the kernels.
 */
export function syntheticImages(count: number, seed: number): Float32Array {
  const rand = seededUniform(seed);
  const size = 28;
  const out = new Float32Array(count * size * size);
  for (let i = 0; i < out.length; i++) out[i] = 0.02 * rand();
  for (let n = 0; n < count; n++) {
    for (let stroke = 0; stroke < 2; stroke++) {
      const cy = 6 + rand() * 16;
      const cx = 6 + rand() * 16;
      const angle = rand() * Math.PI;
      const long = 2 + rand() * 5;
      const short = 0.8 + rand() * 0.8;
      const cos = Math.cos(angle);
      const sin = Math.sin(angle);
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const u = ((x - cx) * cos + (y - cy) * sin) / long;
          const v = (-(x - cx) * sin + (y - cy) * cos) / short;
          const i = n * size * size + y * size + x;
          out[i] = Math.min(1, (out[i] ?? 0) + Math.exp(-0.5 * (u * u + v * v)));
        }
      }
    }
  }
  return out;
}
