// imageGrid and imageGridPng: exact grid layout byte for byte, value mapping, argument
// errors, and the PNG read back by an independent reader.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '@aeot/datasets';
import { imageGrid, imageGridPng, type FlatImages } from '../src/image-grid.js';

// ---- The PNG read back by datasets' decoder (pngjs in Node), independent of the
// encoder; the encoder's own byte-level checks (chunks, CRCs, filters) are in datasets ----

interface Decoded {
  width: number;
  height: number;
  channels: number;
  pixels: Uint8Array;
}

async function decodePng(png: Uint8Array): Promise<Decoded> {
  // IHDR's colour type (byte 25 of the file) says how many channels were written.
  const channels = { 0: 1, 2: 3, 6: 4 }[png[25] as 0 | 2 | 6];
  expect(channels, 'colour type').toBeDefined();
  const { width, height, data } = await decodeImage(png, 'grid.png');
  const pixels = new Uint8Array(width * height * channels!);
  for (let p = 0; p < width * height; p++) for (let c = 0; c < channels!; c++) pixels[p * channels! + c] = data[p * 4 + c]!;
  return { width, height, channels: channels!, pixels };
}

/** Deterministic pseudo-random bytes (LCG). */
function bytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

/** Byte equality without a slow deep-equal over large arrays; names the first difference. */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length, 'byte count').toBe(expected.length);
  const first = actual.findIndex((v, i) => v !== expected[i]);
  expect(first, first < 0 ? '' : `first differing byte ${first}: ${actual[first]} ≠ ${expected[first]}`).toBe(-1);
}

describe('imageGrid', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('lays out 3 grey 2×2 images in 2 columns with padding 1, byte for byte', async () => {
    const images: FlatImages = {
      // image 0: 0, 1/255, …; values chosen so round(v·255) gives 10k + j
      data: Float32Array.from({ length: 12 }, (_, i) => (10 * (Math.floor(i / 4) + 1) + (i % 4)) / 255),
      shape: [3, 2, 2, 1],
    };
    const grid = await imageGrid(images, { columns: 2, padding: 1, background: 200 });
    expect(grid.width).toBe(2 * 3 + 1);
    expect(grid.height).toBe(2 * 3 + 1);
    expect(grid.channels).toBe(1);
    const B = 200;
    // prettier-ignore
    const expected = [
      B, B,  B,  B, B,  B,  B,
      B, 10, 11, B, 20, 21, B,
      B, 12, 13, B, 22, 23, B,
      B, B,  B,  B, B,  B,  B,
      B, 30, 31, B, B,  B,  B,
      B, 32, 33, B, B,  B,  B,
      B, B,  B,  B, B,  B,  B,
    ];
    expect(Array.from(grid.pixels)).toEqual(expected);
  });

  it('lays out RGB images with channels interleaved, one row of columns ≥ n', async () => {
    // two 1×2 RGB images, values k/255
    const data = Float32Array.from({ length: 12 }, (_, i) => (i + 1) / 255);
    const grid = await imageGrid({ data, shape: [2, 1, 2, 3] }, { columns: 3, padding: 1, background: 0 });
    expect([grid.width, grid.height, grid.channels]).toEqual([3 * 3 + 1, 3, 3]);
    const row = (y: number) => Array.from(grid.pixels.subarray(y * grid.width * 3, (y + 1) * grid.width * 3));
    expect(row(0)).toEqual(new Array(30).fill(0));
    expect(row(2)).toEqual(new Array(30).fill(0));
    // prettier-ignore
    expect(row(1)).toEqual([
      0, 0, 0,  1, 2, 3,  4, 5, 6,  0, 0, 0,  7, 8, 9,  10, 11, 12,  0, 0, 0,  0, 0, 0, 0, 0, 0,  0, 0, 0,
    ]);
  });

  it('uses columns = ceil(sqrt(n)), padding 2 and a white background by default', async () => {
    const grid = await imageGrid({ data: new Float32Array(5 * 3 * 4), shape: [5, 3, 4, 1] });
    // 3 columns, 2 rows
    expect(grid.width).toBe(3 * (4 + 2) + 2);
    expect(grid.height).toBe(2 * (3 + 2) + 2);
    let zeros = 0;
    for (const p of grid.pixels) {
      if (p === 0) zeros++;
      else expect(p).toBe(255);
    }
    expect(zeros).toBe(5 * 3 * 4);
    expect(grid.pixels[0]).toBe(255);
    expect(grid.pixels[2 * grid.width + 2]).toBe(0); // first pixel of cell (0, 0)
    expect(grid.pixels[2 * grid.width + 1]).toBe(255);
    // the sixth cell (1, 2) is empty: background
    expect(grid.pixels[(2 + 5) * grid.width + 2 + 2 * 6]).toBe(255);
  });

  it('maps the unit range by round(v·255) and clamps outside [0, 1]', async () => {
    const values = [-5, -0.001, 0, 0.5, 0.2, 1, 1.001, 1e9];
    const grid = await imageGrid({ data: values, shape: [1, 1, 8, 1] }, { padding: 0 });
    expect(Array.from(grid.pixels)).toEqual([0, 0, 0, 128, 51, 255, 255, 255]);
  });

  it('maps the symmetric range by round((v + 1)·127.5) and clamps outside [−1, 1]', async () => {
    const values = [-3, -1, -0.5, 0, 0.5, 1, 2];
    const grid = await imageGrid({ data: values, shape: [1, 1, 7, 1] }, { padding: 0, range: 'symmetric' });
    expect(Array.from(grid.pixels)).toEqual([0, 0, Math.round(0.5 * 127.5), 128, Math.round(1.5 * 127.5), 255, 255]);
  });

  it('reads a tensor asynchronously, leaves it alive and creates no tensor', async () => {
    const t = tf.tensor4d(
      [0, 1, 0.5, 0.25, -1, 1, 0, 0.5],
      [2, 2, 2, 1],
    );
    const before = tf.memory().numTensors;
    const grid = await imageGrid(t, { columns: 2, padding: 0, range: 'symmetric' });
    expect(tf.memory().numTensors).toBe(before);
    expect(t.isDisposed).toBe(false);
    // prettier-ignore
    expect(Array.from(grid.pixels)).toEqual([
      128, 255, 0,   255,
      191, 159, 128, 191,
    ]);
    const png = await imageGridPng(t, { columns: 1, padding: 1 });
    expect(tf.memory().numTensors).toBe(before);
    const decoded = await decodePng(png);
    expect([decoded.width, decoded.height, decoded.channels]).toEqual([4, 7, 1]);
    t.dispose();
  });

  it('imageGridPng encodes exactly the grid of imageGrid (RGB)', async () => {
    const data = Float32Array.from(bytes(4 * 5 * 6 * 3, 11), (b) => b / 255);
    const images: FlatImages = { data, shape: [4, 5, 6, 3] };
    const options = { columns: 3, padding: 2, background: 17 } as const;
    const grid = await imageGrid(images, options);
    const decoded = await decodePng(await imageGridPng(images, options));
    expect([decoded.width, decoded.height, decoded.channels]).toEqual([grid.width, grid.height, 3]);
    expectSameBytes(decoded.pixels, grid.pixels);
    expect(grid.width).toBe(3 * 8 + 2);
    expect(grid.height).toBe(2 * 7 + 2);
  });

  it('names the image with a non-finite value', async () => {
    const data = new Float32Array(3 * 2 * 2 * 1);
    data[2 * 4 + 3] = Number.NaN;
    await expect(imageGrid({ data, shape: [3, 2, 2, 1] })).rejects.toThrow(
      new RangeError('"images" has a non-finite value NaN in image 2 (y 1, x 1, channel 0); only finite pixel values can be drawn'),
    );
    const rgb = new Float32Array(2 * 1 * 2 * 3);
    rgb[3 + 2] = Number.POSITIVE_INFINITY; // image 0, x 1, channel 2
    await expect(imageGrid({ data: rgb, shape: [2, 1, 2, 3] })).rejects.toThrow(/non-finite value Infinity in image 0 \(y 0, x 1, channel 2\)/);
    const t = tf.tensor4d([0, 0, 0, Number.NaN], [4, 1, 1, 1]);
    await expect(imageGrid(t)).rejects.toThrow(/in image 3 /);
    await expect(imageGridPng(t)).rejects.toThrow(RangeError);
    t.dispose();
  });

  it('rejects bad inputs', async () => {
    await expect(imageGrid({ data: [], shape: [0, 2, 2, 1] })).rejects.toThrow(new RangeError('"images" expected at least 1 image, got 0'));
    await expect(imageGrid({ data: new Float32Array(8), shape: [2, 2, 2, 1] as const }, { columns: 1 })).resolves.toBeDefined();
    await expect(imageGrid({ data: new Float32Array(16), shape: [2, 2, 2, 2] })).rejects.toThrow(
      new RangeError('"images" expected 1 (grey) or 3 (RGB) channels, got 2 in shape [2, 2, 2, 2]'),
    );
    await expect(imageGrid({ data: new Float32Array(32), shape: [2, 2, 2, 4] })).rejects.toThrow(RangeError);
    await expect(imageGrid({ data: new Float32Array(0), shape: [1, 0, 2, 1] })).rejects.toThrow(
      new RangeError('"images" expected images of at least 1 × 1 pixels, got shape [1, 0, 2, 1]'),
    );
    await expect(imageGrid({ data: new Float32Array(7), shape: [2, 2, 2, 1] })).rejects.toThrow(
      new RangeError('"images.data" expected 2 × 2 × 2 × 1 = 8 values for shape [2, 2, 2, 1], got 7'),
    );
    await expect(imageGrid({ data: new Float32Array(8), shape: [2, 4, 1] as unknown as FlatImages['shape'] })).rejects.toThrow(
      new RangeError('"images.shape" expected [n, height, width, channels] of integers, got array of length 3'),
    );
    await expect(imageGrid({ data: new Float32Array(8), shape: [2, 2, 2.5, 1] })).rejects.toThrow(RangeError);
    await expect(imageGrid({ data: 5 as unknown as number[], shape: [1, 1, 1, 1] })).rejects.toThrow(
      new TypeError('"images.data" expected an array of numbers, got 5'),
    );
    await expect(imageGrid(null as unknown as FlatImages)).rejects.toThrow(TypeError);
    await expect(imageGrid([[0]] as unknown as FlatImages)).rejects.toThrow(
      new TypeError('"images" expected a 4-D tensor or { data, shape: [n, height, width, channels] }, got array of length 1'),
    );
  });

  it('rejects bad tensors', async () => {
    const t3 = tf.zeros([2, 2, 1]);
    await expect(imageGrid(t3 as unknown as tf.Tensor4D)).rejects.toThrow(
      new RangeError('"images" expected a 4-D tensor [n, height, width, channels], got shape [2, 2, 1]'),
    );
    t3.dispose();
    const t4 = tf.zeros([1, 2, 2, 4]) as tf.Tensor4D;
    await expect(imageGrid(t4)).rejects.toThrow(RangeError);
    t4.dispose();
    const empty = tf.zeros([0, 2, 2, 1]) as tf.Tensor4D;
    await expect(imageGrid(empty)).rejects.toThrow(new RangeError('"images" expected at least 1 image, got 0'));
    empty.dispose();
    const gone = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D;
    gone.dispose();
    await expect(imageGrid(gone)).rejects.toThrow(new TypeError('"images" expected a live tensor, got a disposed one'));
    const strings = tf.tensor(['a'], [1, 1, 1, 1], 'string');
    await expect(imageGrid(strings as unknown as tf.Tensor4D)).rejects.toThrow(new TypeError(`"images" expected a numeric tensor, got dtype 'string'`));
    strings.dispose();
  });

  it('rejects bad options', async () => {
    const images: FlatImages = { data: new Float32Array(4), shape: [1, 2, 2, 1] };
    await expect(imageGrid(images, { columns: 0 })).rejects.toThrow(new RangeError('"columns" expected an integer ≥ 1, got 0'));
    await expect(imageGrid(images, { columns: 1.5 })).rejects.toThrow(RangeError);
    await expect(imageGrid(images, { columns: '2' as unknown as number })).rejects.toThrow(new TypeError('"columns" expected an integer, got "2"'));
    await expect(imageGrid(images, { padding: -1 })).rejects.toThrow(new RangeError('"padding" expected an integer ≥ 0, got -1'));
    await expect(imageGrid(images, { background: 256 })).rejects.toThrow(new RangeError('"background" expected an integer in [0, 255], got 256'));
    await expect(imageGrid(images, { background: 0.5 })).rejects.toThrow(RangeError);
    await expect(imageGrid(images, { range: 'bytes' as 'unit' })).rejects.toThrow(new RangeError(`"range" expected one of 'unit', 'symmetric', got "bytes"`));
    await expect(imageGrid(images, { range: 1 as unknown as 'unit' })).rejects.toThrow(TypeError);
    await expect(imageGrid(images, null as unknown as object)).rejects.toThrow(new TypeError('"options" expected an options object, got null'));
    await expect(imageGridPng(images, { padding: -2 })).rejects.toThrow(RangeError);
  });
});
