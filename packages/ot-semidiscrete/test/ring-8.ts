// ring-8 targets for the tests of this package (it depends on no other aeot package):
// 8 modes at (cos 2πk/8, sin 2πk/8), σ = 0.01, drawn with a seeded generator.
import { mulberry32 } from '../src/testing/mulberry32.js';

/** M points of ring-8 (radius 1, σ = 0.01), with the mode each came from. */
export function ring8(m: number, seed: number): { points: Float32Array; mode: Int32Array } {
  const rnd = mulberry32(seed);
  const points = new Float32Array(2 * m);
  const mode = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const k = Math.floor(rnd() * 8);
    // Box–Muller
    const r = Math.sqrt(-2 * Math.log(1 - rnd()));
    const a = 2 * Math.PI * rnd();
    points[2 * i] = Math.cos((2 * Math.PI * k) / 8) + 0.01 * r * Math.cos(a);
    points[2 * i + 1] = Math.sin((2 * Math.PI * k) / 8) + 0.01 * r * Math.sin(a);
    mode[i] = k;
  }
  return { points, mode };
}
