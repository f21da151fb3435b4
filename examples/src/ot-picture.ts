// A picture of a solved 2-D semi-discrete OT problem, as PNG bytes: on the left the
// source square with its power cells (each pixel coloured by the cell it falls in, cell
// borders darkened), on the right the targets (dark dots), with transported samples T(x)
// of seeded source points in their cell's colour, spread around the target they reach: one picture shows which part of the
// source goes to which target. Colours follow each target's angle around the targets'
// centre (nearby targets, one mode, get nearby hues) with a per-target shade.
import * as tf from '@tensorflow/tfjs-core';
import type { SemiDiscreteMap } from '@aeot/ot-semidiscrete';
import { createRng } from '@aeot/tensor-backend';
import { encodePng } from '@aeot/datasets';

/** Options of {@link renderPowerCells}. */
export interface PictureOptions {
  /** Side of each of the two panels, pixels. Default 400. */
  size?: number;
  /** Transported samples drawn on the right. Default 2000. */
  samples?: number;
  /** Seed of those samples. Default 0. */
  seed?: number;
}

/**
 * Renders a solved map whose source is the square [−0.5, 0.5]² (the default source).
 *
 * @returns PNG bytes (RGB, 2·size × size).
 */
export async function renderPowerCells(ot: SemiDiscreteMap, options: PictureOptions = {}): Promise<Uint8Array> {
  if (ot.dim !== 2) throw new RangeError(`renderPowerCells draws 2-D problems, got dim ${ot.dim}`);
  const size = options.size ?? 400;
  const width = 2 * size;
  const rgb = new Uint8Array(width * size * 3).fill(255);
  const colour = cellColours(ot.targets, ot.count);
  // Left panel: the cell of every pixel centre.
  const cellOf = await assign(ot, pixelCentres(size), size * size);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const cell = cellOf[r * size + c] as number;
      const border = (c + 1 < size && cellOf[r * size + c + 1] !== cell) || (r + 1 < size && cellOf[(r + 1) * size + c] !== cell);
      const o = 3 * (r * width + c);
      for (let k = 0; k < 3; k++) rgb[o + k] = border ? Math.round((colour[3 * cell + k] as number) * 0.45) : (colour[3 * cell + k] as number);
    }
  }
  // Right panel: the targets' bounding square (with a margin), transported samples as
  // small dots in their target's colour, then every target as a darker dot.
  const [lo, hi] = targetBounds(ot.targets);
  const toPixel = (x: number, y: number): [number, number] => [size + Math.round(((x - lo) / (hi - lo)) * (size - 1)), Math.round(((hi - y) / (hi - lo)) * (size - 1))];
  const dot = (cx: number, cy: number, radius: number, col: ArrayLike<number>): void => {
    for (let dy = -radius; dy <= radius; dy++) {
      for (let dx = -radius; dx <= radius; dx++) {
        const x = cx + dx;
        const y = cy + dy;
        if (dx * dx + dy * dy > radius * radius || x < size || x >= width || y < 0 || y >= size) continue;
        for (let k = 0; k < 3; k++) rgb[3 * (y * width + x) + k] = col[k] as number;
      }
    }
  };
  const n = options.samples ?? 2000;
  const xs = createRng(options.seed ?? 0).fillUniform(new Float32Array(2 * n), -0.5, 0.5);
  const sent = await assign(ot, xs, n);
  // A transported sample lands exactly on its target; spread the dots around it (by the
  // sample's offset inside the source) so that how many each target receives shows.
  const jitter = 0.06 * (hi - lo);
  for (let i = 0; i < n; i++) {
    const j = sent[i] as number;
    const [x, y] = toPixel((ot.targets[2 * j] as number) + jitter * (xs[2 * i] as number), (ot.targets[2 * j + 1] as number) + jitter * (xs[2 * i + 1] as number));
    dot(x, y, 1, colour.subarray(3 * j, 3 * j + 3));
  }
  for (let j = 0; j < ot.count; j++) {
    const [x, y] = toPixel(ot.targets[2 * j] as number, ot.targets[2 * j + 1] as number);
    dot(x, y, 1, Array.from(colour.subarray(3 * j, 3 * j + 3), (v) => Math.round(v * 0.35)));
  }
  // Divider.
  for (let r = 0; r < size; r++) for (let k = 0; k < 3; k++) rgb[3 * (r * width + size) + k] = 0;
  return encodePng(width, size, rgb, 3);
}

/** Centres of the pixels of a size × size picture of the square [−0.5, 0.5]², row-major, y up. */
export function pixelCentres(size: number): Float32Array {
  const px = new Float32Array(size * size * 2);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      px[2 * (r * size + c)] = (c + 0.5) / size - 0.5;
      px[2 * (r * size + c) + 1] = 0.5 - (r + 0.5) / size;
    }
  }
  return px;
}

/** The targets' coordinate range with an 8 % margin: the square the code panels show. */
export function targetBounds(targets: Float64Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of targets) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const pad = 0.08 * (hi - lo || 1);
  return [lo - pad, hi + pad];
}

/** The cell of each of n 2-D points. */
export async function assign(ot: SemiDiscreteMap, x: Float32Array, n: number): Promise<Int32Array> {
  const xt = tf.tensor2d(x, [n, 2]);
  const cells = ot.assign(xt);
  xt.dispose();
  try {
    return (await cells.data()) as Int32Array;
  } finally {
    cells.dispose();
  }
}

/** RGB bytes per target: hue from its angle around the targets' centre, a per-target shade. */
export function cellColours(targets: Float64Array, m: number): Uint8Array {
  let cx = 0;
  let cy = 0;
  for (let j = 0; j < m; j++) {
    cx += (targets[2 * j] as number) / m;
    cy += (targets[2 * j + 1] as number) / m;
  }
  const out = new Uint8Array(3 * m);
  for (let j = 0; j < m; j++) {
    const hue = (Math.atan2((targets[2 * j + 1] as number) - cy, (targets[2 * j] as number) - cx) / (2 * Math.PI) + 1) % 1;
    const shade = 0.62 + 0.3 * (((j * 2654435761) >>> 0) / 4294967296);
    const [r, g, b] = hsvToRgb(hue, 0.55, shade);
    out[3 * j] = r;
    out[3 * j + 1] = g;
    out[3 * j + 2] = b;
  }
  return out;
}

function hsvToRgb(h: number, s: number, v: number): [number, number, number] {
  const f = (n: number): number => {
    const k = (n + h * 6) % 6;
    return Math.round(255 * (v - v * s * Math.max(0, Math.min(k, 4 - k, 1))));
  };
  return [f(5), f(3), f(1)];
}
