// Neighbours of floating-point numbers by stepping their bit patterns: the largest float32
// or float64 strictly below a number. Uniform samplers clamp to these so that an upper
// bound stays exclusive after rounding.

const TWO_POW_32 = 2 ** 32;

// Scratch views that reinterpret one number's bits; module-level so no call allocates.
const f32 = new Float32Array(1);
const u32OfF32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u32OfF64 = new Uint32Array(f64.buffer); // little-endian hosts only (all tfjs targets)

/**
 * @internal The largest float32 strictly below `x` (keeps rounded bounds exclusive).
 *
 * @param x a finite number.
 * @returns a float32 value < x.
 */
export function float32Below(x: number): number {
  f32[0] = x;
  const r = f32[0];
  if (r < x) return r;
  if (r === 0) return -(2 ** -149);
  u32OfF32[0] = r > 0 ? u32OfF32[0]! - 1 : u32OfF32[0]! + 1;
  return f32[0];
}

/**
 * @internal The largest float64 strictly below the finite number `x`.
 *
 * @param x a finite number.
 * @returns the float64 just below x.
 */
export function float64Below(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  f64[0] = x;
  // Step the 64-bit pattern by one towards -∞: down in magnitude for x > 0, up for x < 0.
  const step = x > 0 ? -1 : 1;
  let lo = u32OfF64[0]! + step;
  let hi = u32OfF64[1]!;
  if (lo < 0) {
    lo += TWO_POW_32;
    hi -= 1;
  } else if (lo >= TWO_POW_32) {
    lo -= TWO_POW_32;
    hi += 1;
  }
  u32OfF64[0] = lo;
  u32OfF64[1] = hi;
  return f64[0];
}
