// Image output: a batch of images [n, h, w, c] laid out as one grid of cells, and that
// grid as a PNG file (encoded by @aeot/datasets' encodePng), so the same code writes
// sample sheets in Node and in the browser.
import * as tf from '@tensorflow/tfjs-core';
import { encodePng } from '@aeot/datasets';
import { describeValue, expectInteger, expectOneOf } from '@aeot/tensor-backend';

/** A batch of images given as flat row-major values and an `[n, height, width, channels]` shape. */
export interface FlatImages {
  readonly data: Float32Array | ArrayLike<number>;
  readonly shape: readonly [number, number, number, number];
}

/** What {@link imageGrid} accepts: a 4-D tensor `[n, h, w, c]` or {@link FlatImages}; c is 1 or 3. */
export type ImageGridInput = tf.Tensor4D | FlatImages;

/** Options of {@link imageGrid} and {@link imageGridPng}. */
export interface ImageGridOptions {
  /** Cells per row, an integer ≥ 1. Default `ceil(sqrt(n))`. */
  readonly columns?: number;
  /** Pixels between cells and around the grid, an integer ≥ 0. Default 2. */
  readonly padding?: number;
  /** Pixel range of the images: `'unit'` ([0, 1], default) or `'symmetric'` ([−1, 1]). */
  readonly range?: 'unit' | 'symmetric';
  /** Byte value of the padding and of empty cells, an integer in [0, 255]. Default 255 (white). */
  readonly background?: number;
}

/** An 8-bit image, row-major, channels interleaved (what {@link imageGrid} returns). */
export interface ImageGrid {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  /** `height · width · channels` bytes. */
  readonly pixels: Uint8Array;
}

/** Default of {@link ImageGridOptions.padding}. */
export const IMAGE_GRID_PADDING = 2;

/** Default of {@link ImageGridOptions.background}. */
export const IMAGE_GRID_BACKGROUND = 255;

/**
 * Lays out a batch of images as one grid: row-major cells, `columns` per row, cell
 * (r, col) with its top-left corner at x = padding + col·(w + padding),
 * y = padding + r·(h + padding). The grid is `columns·(w + padding) + padding` pixels
 * wide and `rows·(h + padding) + padding` high, rows = ceil(n / columns); padding and
 * empty cells are filled with `background`. Values are clamped to the range and mapped
 * to bytes by round(v·255) (`'unit'`) or round((v + 1)·127.5) (`'symmetric'`).
 *
 * @param images a `[n, h, w, c]` tensor (read with `await data()`, not disposed) or
 *   `{ data, shape: [n, h, w, c] }`; c is 1 (grey) or 3 (RGB).
 * @param options `columns` (default ceil(√n)), `padding` (default 2), `range`
 *   (default `'unit'`), `background` (default 255).
 * @returns `{ width, height, channels, pixels }`, 8 bits per channel, row-major.
 * @throws {TypeError} for input that is not a tensor or `{ data, shape }`, a tensor of a
 *   non-numeric dtype, or options of the wrong type.
 * @throws {RangeError} for no images, a shape that is not `[n, h, w, 1 | 3]` or does
 *   not match the data, a NaN or infinite value (the message names the image), or an
 *   option out of range.
 * @example
 * const samples = generator.decode(codes); // [16, 28, 28, 1] in [0, 1]
 * const grid = await imageGrid(samples, { columns: 4 });
 * grid.width; // 4 · (28 + 2) + 2 = 122
 */
export async function imageGrid(images: ImageGridInput, options: ImageGridOptions = {}): Promise<ImageGrid> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`"options" expected an options object, got ${describeValue(options)}`);
  }
  const { data, shape } = await readImages(images);
  const [n, h, w, c] = shape;
  const columns = options.columns === undefined ? Math.ceil(Math.sqrt(n)) : expectInteger('columns', options.columns, 1);
  const padding = options.padding === undefined ? IMAGE_GRID_PADDING : expectInteger('padding', options.padding, 0);
  const range = options.range === undefined ? 'unit' : expectOneOf('range', options.range, ['unit', 'symmetric'] as const);
  const background = options.background === undefined ? IMAGE_GRID_BACKGROUND : expectInteger('background', options.background, 0, 255);

  const imageSize = h * w * c;
  for (let i = 0; i < data.length; i++) {
    const v = Number(data[i]);
    if (!Number.isFinite(v)) {
      const image = Math.floor(i / imageSize);
      const within = i % imageSize;
      const y = Math.floor(within / (w * c));
      const x = Math.floor(within / c) % w;
      throw new RangeError(`"images" has a non-finite value ${v} in image ${image} (y ${y}, x ${x}, channel ${within % c}); only finite pixel values can be drawn`);
    }
  }

  const rows = Math.ceil(n / columns);
  const width = columns * (w + padding) + padding;
  const height = rows * (h + padding) + padding;
  const pixels = new Uint8Array(width * height * c).fill(background);
  const [lo, scale, offset] = range === 'unit' ? [0, 255, 0] : [-1, 127.5, 1];
  const rowBytes = width * c;
  for (let k = 0; k < n; k++) {
    const x0 = padding + (k % columns) * (w + padding);
    const y0 = padding + Math.floor(k / columns) * (h + padding);
    for (let y = 0; y < h; y++) {
      let src = k * imageSize + y * w * c;
      let dst = (y0 + y) * rowBytes + x0 * c;
      for (let j = 0; j < w * c; j++) {
        const v = Math.min(1, Math.max(lo, Number(data[src++])));
        pixels[dst++] = Math.round((v + offset) * scale);
      }
    }
  }
  return { width, height, channels: c as 1 | 3, pixels };
}

/**
 * {@link imageGrid} encoded as a PNG file (grey or RGB, 8 bits per channel).
 *
 * @param images as {@link imageGrid}.
 * @param options as {@link imageGrid}.
 * @returns the bytes of the PNG file.
 * @throws as {@link imageGrid} and {@link encodePng}.
 * @example
 * import { writeFile } from 'node:fs/promises';
 * await writeFile('samples.png', await imageGridPng(samples, { columns: 8, range: 'symmetric' }));
 */
export async function imageGridPng(images: ImageGridInput, options: ImageGridOptions = {}): Promise<Uint8Array> {
  const grid = await imageGrid(images, options);
  return encodePng(grid.width, grid.height, grid.pixels, grid.channels);
}

/** Validates {@link ImageGridInput} and reads its values (a tensor asynchronously). */
async function readImages(images: ImageGridInput): Promise<{ data: ArrayLike<number>; shape: [number, number, number, number] }> {
  let data: unknown;
  let shape: unknown;
  if (images instanceof tf.Tensor) {
    if (images.isDisposed) throw new TypeError('"images" expected a live tensor, got a disposed one');
    if (images.dtype !== 'float32' && images.dtype !== 'int32' && images.dtype !== 'bool') {
      throw new TypeError(`"images" expected a numeric tensor, got dtype '${images.dtype}'`);
    }
    shape = images.shape;
    if (images.rank !== 4) throw new RangeError(`"images" expected a 4-D tensor [n, height, width, channels], got shape [${images.shape.join(', ')}]`);
    data = await images.data();
  } else if (typeof images === 'object' && images !== null && 'data' in images && 'shape' in images) {
    ({ data, shape } = images);
    if (data === null || typeof data !== 'object' || typeof (data as ArrayLike<number>).length !== 'number') {
      throw new TypeError(`"images.data" expected an array of numbers, got ${describeValue(data)}`);
    }
  } else {
    throw new TypeError(`"images" expected a 4-D tensor or { data, shape: [n, height, width, channels] }, got ${describeValue(images)}`);
  }
  if (!Array.isArray(shape) || shape.length !== 4 || !shape.every((s) => Number.isInteger(s) && s >= 0)) {
    throw new RangeError(`"images.shape" expected [n, height, width, channels] of integers, got ${describeValue(shape)}`);
  }
  const [n, h, w, c] = shape as [number, number, number, number];
  if (n === 0) throw new RangeError('"images" expected at least 1 image, got 0');
  if (h === 0 || w === 0) throw new RangeError(`"images" expected images of at least 1 × 1 pixels, got shape [${shape.join(', ')}]`);
  if (c !== 1 && c !== 3) throw new RangeError(`"images" expected 1 (grey) or 3 (RGB) channels, got ${c} in shape [${shape.join(', ')}]`);
  const values = data as ArrayLike<number>;
  if (values.length !== n * h * w * c) {
    throw new RangeError(`"images.data" expected ${n} × ${h} × ${w} × ${c} = ${n * h * w * c} values for shape [${shape.join(', ')}], got ${values.length}`);
  }
  return { data: values, shape: [n, h, w, c] };
}
