// Image resizing without a dependency, separable per axis: area averaging when an axis
// shrinks (each output pixel is the mean over its exact footprint in the source, edge
// pixels weighted by the fraction covered; what PIL's BOX and OpenCV's INTER_AREA do)
// and bilinear interpolation with half-pixel centres when it grows (align_corners=false,
// the convention of tf.image.resize and torch interpolate). Accumulates in float64 and
// rounds once at the end.
import { checkRaster, type RasterImage } from './raster.js';

/** Per output index: the first source index it reads and the weight of each source index from there. */
interface AxisWeights {
  start: Int32Array;
  weights: Float64Array[];
}

/** Area-average weights for shrinking `n` source pixels to `m < n`. */
function areaWeights(n: number, m: number): AxisWeights {
  const scale = n / m;
  const start = new Int32Array(m);
  const weights: Float64Array[] = [];
  for (let o = 0; o < m; o++) {
    const lo = o * scale;
    const hi = Math.min(n, (o + 1) * scale);
    const first = Math.floor(lo);
    const last = Math.min(n - 1, Math.ceil(hi) - 1);
    const w = new Float64Array(last - first + 1);
    for (let i = first; i <= last; i++) w[i - first] = (Math.min(hi, i + 1) - Math.max(lo, i)) / scale;
    start[o] = first;
    weights.push(w);
  }
  return { start, weights };
}

/** Bilinear weights (half-pixel centres, edges clamped) for `n` source pixels to `m ≥ n`. */
function bilinearWeights(n: number, m: number): AxisWeights {
  const start = new Int32Array(m);
  const weights: Float64Array[] = [];
  for (let o = 0; o < m; o++) {
    const src = Math.min(n - 1, Math.max(0, ((o + 0.5) * n) / m - 0.5));
    const i0 = Math.floor(src);
    const frac = src - i0;
    start[o] = i0;
    weights.push(i0 + 1 < n && frac > 0 ? Float64Array.of(1 - frac, frac) : Float64Array.of(1));
  }
  return { start, weights };
}

function axisWeights(n: number, m: number): AxisWeights {
  return m < n ? areaWeights(n, m) : bilinearWeights(n, m);
}

/**
 * Resizes an image to `height × width`: area averaging on an axis that shrinks,
 * bilinear (half-pixel centres) on an axis that grows, unchanged on an axis that keeps
 * its size. Works on any channel count (grey, RGB, RGBA), channel by channel.
 *
 * Gotcha: shrinking by a non-integer factor weights the source pixels at a footprint's
 * edges by the fraction covered, e.g. 3 → 2 gives (2a + b) / 3 and (b + 2c) / 3.
 *
 * @param image the source image.
 * @param height output height (≥ 1).
 * @param width output width (≥ 1).
 * @returns a new image of the same channel count, values rounded to bytes.
 * @throws {TypeError} when `image` is not an image record.
 * @throws {RangeError} when a size is not a positive integer or `image` is inconsistent.
 * @example
 * const small = resizeImage({ width: 4, height: 4, channels: 1, data }, 2, 2); // 2×2 block means
 */
export function resizeImage(image: RasterImage, height: number, width: number): RasterImage {
  checkRaster('image', image);
  for (const [k, v] of [['height', height], ['width', width]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`"${k}" expected a positive integer, got ${String(v)}`);
  }
  const { width: w0, height: h0, channels: c, data } = image;
  if (h0 === height && w0 === width) return { width, height, channels: c, data: data.slice() };
  // Horizontal pass: h0 rows of `width` pixels, in float64.
  const wx = axisWeights(w0, width);
  const rows = new Float64Array(h0 * width * c);
  for (let y = 0; y < h0; y++) {
    for (let x = 0; x < width; x++) {
      const s = wx.start[x] as number;
      const ws = wx.weights[x] as Float64Array;
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let k = 0; k < ws.length; k++) acc += (ws[k] as number) * (data[(y * w0 + s + k) * c + ch] as number);
        rows[(y * width + x) * c + ch] = acc;
      }
    }
  }
  // Vertical pass, then round once.
  const wy = axisWeights(h0, height);
  const out = new Uint8Array(height * width * c);
  const stride = width * c;
  for (let y = 0; y < height; y++) {
    const s = wy.start[y] as number;
    const ws = wy.weights[y] as Float64Array;
    for (let i = 0; i < stride; i++) {
      let acc = 0;
      for (let k = 0; k < ws.length; k++) acc += (ws[k] as number) * (rows[(s + k) * stride + i] as number);
      // A tiny epsilon keeps exact halves (e.g. a mean of 2.5) from rounding down after float error.
      out[y * stride + i] = Math.min(255, Math.max(0, Math.round(acc + 1e-9)));
    }
  }
  return { width, height, channels: c, data: out };
}
