// The image-folder loader in Node: PNG / JPEG files written here with pngjs / jpeg-js,
// then read back through loadImageFolder. Pixel values are checked against ground
// truths computed in the test (exact round trips, block means, an independent
// supersampled area average, bilinear by hand), plus labels, batches, corrupt files,
// and that files are decoded only when read.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { CorruptFileError, initBackend, MissingPackageError, StorageError } from '@aeot/tensor-backend';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { centerCrop, centerSquare } from '../src/image/crop.js';
import { loadImageFolder } from '../src/image/image-folder.js';
import { toChannels } from '../src/image/raster.js';
import { resizeImage } from '../src/image/resize.js';
import { rgbaImage, rgbOf, writeJpeg, writePng } from './image/fixtures.js';

let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'aeot-images-'));
  await initBackend({ backend: 'cpu' });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh folder under the temp root. */
let folders = 0;
const folder = (): string => {
  const dir = join(root, `f${folders++}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};
const rejection = (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);

/** Independent area average: split every source pixel into k×k sub-pixels, average each output's block. */
function supersampledAverage(src: number[][], outH: number, outW: number, k: number): number[][] {
  const h = src.length;
  const w = (src[0] as number[]).length;
  const bh = (h * k) / outH;
  const bw = (w * k) / outW;
  expect(Number.isInteger(bh) && Number.isInteger(bw)).toBe(true);
  return Array.from({ length: outH }, (_, oy) =>
    Array.from({ length: outW }, (_, ox) => {
      let sum = 0;
      for (let sy = oy * bh; sy < (oy + 1) * bh; sy++) for (let sx = ox * bw; sx < (ox + 1) * bw; sx++) sum += (src[Math.floor(sy / k)] as number[])[Math.floor(sx / k)] as number;
      return sum / (bh * bw);
    }),
  );
}

describe('resizeImage and centerCrop (pure)', () => {
  it('4×4 → 2×2 is the mean of each 2×2 block, per channel', () => {
    const data = Uint8Array.from({ length: 16 * 3 }, (_, i) => (i * 53 + 7) % 256);
    const out = resizeImage({ width: 4, height: 4, channels: 3, data }, 2, 2);
    for (let oy = 0; oy < 2; oy++) for (let ox = 0; ox < 2; ox++) for (let c = 0; c < 3; c++) {
      let sum = 0;
      for (let dy = 0; dy < 2; dy++) for (let dx = 0; dx < 2; dx++) sum += data[((2 * oy + dy) * 4 + 2 * ox + dx) * 3 + c] as number;
      expect(out.data[(oy * 2 + ox) * 3 + c]).toBe(Math.round(sum / 4));
    }
  });

  it('3×3 → 2×2 weights the edge pixels by the fraction of the footprint covered', () => {
    const src = [[10, 200, 37], [90, 0, 255], [3, 141, 66]];
    const out = resizeImage({ width: 3, height: 3, channels: 1, data: Uint8Array.from(src.flat()) }, 2, 2);
    const truth = supersampledAverage(src, 2, 2, 2);
    expect(Array.from(out.data)).toEqual(truth.flat().map(Math.round));
    // Spelled out for the top-left: (4·10 + 2·200 + 2·90 + 1·0) / 9 = 68.9 → 69.
    expect(out.data[0]).toBe(69);
    // Non-square, shrinking one axis only: 6×3 (w×h) → 4×3 uses 1.5-pixel footprints horizontally.
    const wide = [[0, 30, 60, 90, 120, 150], [5, 5, 5, 5, 5, 5], [255, 0, 255, 0, 255, 0]];
    const wideOut = resizeImage({ width: 6, height: 3, channels: 1, data: Uint8Array.from(wide.flat()) }, 3, 4);
    expect(Array.from(wideOut.data)).toEqual(supersampledAverage(wide, 3, 4, 2).flat().map(Math.round));
  });

  it('enlarging is bilinear with half-pixel centres and clamped edges', () => {
    const out = resizeImage({ width: 2, height: 1, channels: 1, data: Uint8Array.of(0, 100) }, 1, 4);
    expect(Array.from(out.data)).toEqual([0, 25, 75, 100]);
    const square = resizeImage({ width: 2, height: 2, channels: 1, data: Uint8Array.of(0, 100, 200, 40) }, 4, 4);
    // Row 1 (y src 0.25): 0.75·row0 + 0.25·row1 = [50, 85]; then x as above.
    expect(Array.from(square.data.subarray(4, 8))).toEqual([50, 59, 76, 85]);
    expect(() => resizeImage({ width: 2, height: 1, channels: 1, data: Uint8Array.of(0, 100) }, 0, 4)).toThrow(RangeError);
    expect(() => resizeImage({ width: 2, height: 2, channels: 1, data: Uint8Array.of(0) }, 1, 1)).toThrow(/expected 2×2×1 = 4 bytes, got 1/);
  });

  it('centerCrop takes the centred window, rounding the top-left margin down', () => {
    const data = Uint8Array.from({ length: 6 * 5 }, (_, i) => i); // width 6, height 5, value = y*6 + x
    const win = centerCrop({ width: 6, height: 5, channels: 1, data }, 2, 3);
    // top = ⌊3/2⌋ = 1, left = ⌊3/2⌋ = 1
    expect(Array.from(win.data)).toEqual([7, 8, 9, 13, 14, 15]);
    const square = centerSquare({ width: 6, height: 5, channels: 1, data });
    expect([square.width, square.height, square.data[0]]).toEqual([5, 5, 0]);
    expect(() => centerCrop({ width: 6, height: 5, channels: 1, data }, 6, 6)).toThrow(RangeError);
  });

  it('grey is round(0.299 R + 0.587 G + 0.114 B), alpha dropped', () => {
    const grey = toChannels({ width: 2, height: 1, channels: 4, data: Uint8Array.of(255, 0, 0, 7, 10, 200, 30, 0) }, 1);
    expect(Array.from(grey.data)).toEqual([Math.round(0.299 * 255), Math.round(0.299 * 10 + 0.587 * 200 + 0.114 * 30)]);
  });
});

describe('loadImageFolder (Node)', () => {
  it('round-trips PNG pixels exactly at native size (alpha dropped, HWC)', async () => {
    const dir = folder();
    const a = rgbaImage(7, 5, (x, y, c) => (c === 3 ? 40 * x : (x * 37 + y * 11 + c * 90) % 256));
    const b = rgbaImage(7, 5, (x, y, c) => (c === 3 ? 255 : 255 - ((x * 5 + y * 29 + c) % 256)));
    writePng(join(dir, 'a.png'), 7, 5, a);
    writePng(join(dir, 'b.PNG'), 7, 5, b);
    writeFileSync(join(dir, 'notes.txt'), 'not an image');
    const ds = await loadImageFolder(dir, { size: [5, 7], crop: 'none' });
    expect(ds.size).toBe(2);
    expect(ds.exampleShape).toEqual([5, 7, 3]);
    expect(ds.relativePaths).toEqual(['a.png', 'b.PNG']);
    expect(ds.labels).toBeUndefined();
    const values = await ds.read([1, 0, 1]);
    expect(values).toEqual(Uint8Array.from([...rgbOf(b), ...rgbOf(a), ...rgbOf(b)]));
  });

  it('expands grey PNGs to RGB and reduces 16-bit PNGs to 8 bits', async () => {
    const dir = folder();
    writePng(join(dir, 'grey.png'), 3, 3, rgbaImage(3, 3, (x, y, c) => (c === 3 ? 255 : x * 80 + y)), { colorType: 0 });
    const levels = [0, 1000, 40000, 65535, 128, 32896, 12345, 54321, 700];
    const wide = Buffer.alloc(3 * 3 * 4 * 2);
    const w16 = new Uint16Array(wide.buffer, wide.byteOffset, 36);
    for (let i = 0; i < 9; i++) for (let c = 0; c < 4; c++) w16[4 * i + c] = c === 3 ? 65535 : ((levels[i] as number) + c * 3) % 65536;
    writePng(join(dir, 'wide.png'), 3, 3, wide, { bitDepth: 16, colorType: 2, inputHasAlpha: true });
    const ds = await loadImageFolder(dir, { size: 3 });
    const [grey, deep] = [await ds.read([0]), await ds.read([1])];
    for (let i = 0; i < 9; i++) for (let c = 0; c < 3; c++) expect(grey[3 * i + c]).toBe((i % 3) * 80 + Math.floor(i / 3));
    for (let i = 0; i < 9; i++) for (let c = 0; c < 3; c++) expect(deep[3 * i + c]).toBe(Math.round(((((levels[i] as number) + c * 3) % 65536) * 255) / 65535));
  });

  it('area-averages on load: 4×4 → 2×2 block means and 3×3 → 2×2 fractional footprints', async () => {
    const dir = folder();
    const big = rgbaImage(4, 4, (x, y, c) => (c === 3 ? 255 : (x * 61 + y * 17 + c * 45) % 256));
    writePng(join(dir, '0-four.png'), 4, 4, big);
    const src = [[10, 200, 37], [90, 0, 255], [3, 141, 66]];
    writePng(join(dir, '1-three.png'), 3, 3, rgbaImage(3, 3, (x, y, c) => (c === 3 ? 255 : (src[y] as number[])[x] as number)));
    const ds = await loadImageFolder(dir, { size: 2 });
    const four = await ds.read([0]);
    for (let oy = 0; oy < 2; oy++) for (let ox = 0; ox < 2; ox++) for (let c = 0; c < 3; c++) {
      let sum = 0;
      for (let dy = 0; dy < 2; dy++) for (let dx = 0; dx < 2; dx++) sum += big[((2 * oy + dy) * 4 + 2 * ox + dx) * 4 + c] as number;
      expect(four[(oy * 2 + ox) * 3 + c]).toBe(Math.round(sum / 4));
    }
    const three = await ds.read([1]);
    const truth = supersampledAverage(src, 2, 2, 2).flat().map(Math.round);
    expect(Array.from(three.filter((_, i) => i % 3 === 0))).toEqual(truth);
  });

  it('crops the centre before resizing: the square by default, or a given window', async () => {
    const dir = folder();
    // width 6, height 4; red = x, green = y: the window's position shows in its values.
    writePng(join(dir, 'wide.png'), 6, 4, rgbaImage(6, 4, (x, y, c) => [x * 10, y * 10, 99, 255][c] as number));
    const square = await (await loadImageFolder(dir, { size: 4 })).read([0]);
    expect(square[0]).toBe(10); // left = ⌊(6 − 4)/2⌋ = 1
    expect(square[1]).toBe(0);
    const win = await (await loadImageFolder(dir, { size: [2, 3], crop: [2, 3] })).read([0]);
    // top = 1, left = ⌊3/2⌋ = 1 → x ∈ {1,2,3}, y ∈ {1,2}
    expect(Array.from(win.filter((_, i) => i % 3 === 0))).toEqual([10, 20, 30, 10, 20, 30]);
    expect(Array.from(win.filter((_, i) => i % 3 === 1))).toEqual([10, 10, 10, 20, 20, 20]);
    const halved = await (await loadImageFolder(dir, { size: 1, crop: 2 })).read([0]);
    expect(Array.from(halved)).toEqual([25, 15, 99]); // mean of x ∈ {2,3}, y ∈ {1,2}
    await expect((await loadImageFolder(dir, { crop: 5 })).read([0])).rejects.toThrow(/"crop" expected at most.*wide\.png/);
  });

  it('labels from first-level subfolders, classes sorted; batches are [b, h, w, c] in [0, 1]', async () => {
    const dir = folder();
    const colour = (v: number) => rgbaImage(4, 4, (_x, _y, c) => (c === 3 ? 255 : v + c));
    writePng(join(dir, 'zebra', 'z1.png'), 4, 4, colour(10));
    writePng(join(dir, 'apple', 'deep', 'a2.png'), 4, 4, colour(20));
    writePng(join(dir, 'apple', 'a1.png'), 4, 4, colour(30));
    writeJpeg(join(dir, 'zebra', 'z0.jpeg'), 4, 4, colour(40));
    const ds = await loadImageFolder(dir, { labels: 'subfolder', size: 2, channels: 1 });
    expect(ds.classNames).toEqual(['apple', 'zebra']);
    expect(ds.relativePaths).toEqual(['apple/a1.png', 'apple/deep/a2.png', 'zebra/z0.jpeg', 'zebra/z1.png']);
    expect(Array.from(ds.labels!)).toEqual([0, 0, 1, 1]);
    expect(ds.numClasses).toBe(2);
    expect(ds.exampleShape).toEqual([2, 2, 1]);
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    for await (const { x, labels, indices } of ds.batches(3, { autoDispose: true })) {
      expect(x.shape).toEqual([indices.length, 2, 2, 1]);
      const v = await x.data();
      const bytes = await ds.read(indices);
      for (let i = 0; i < v.length; i++) expect(v[i]).toBeCloseTo((bytes[i] as number) / 255, 6);
      expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...v)).toBeLessThanOrEqual(1);
      seen.push(...(await labels!.data()));
    }
    expect(seen).toEqual([0, 0, 1, 1]);
    expect(tf.memory().numTensors).toBe(before);
    // The top-level file has no class.
    writePng(join(dir, 'loose.png'), 4, 4, colour(0));
    await expect(loadImageFolder(dir, { labels: 'subfolder' })).rejects.toThrow(/"labels" 'subfolder' expected.*loose\.png/);
  });

  it('decodes JPEG close to the source at quality 100', async () => {
    const dir = folder();
    const smooth = rgbaImage(16, 16, (x, y, c) => (c === 3 ? 255 : Math.round(40 + 8 * x + 5 * y + 20 * c)));
    const path = writeJpeg(join(dir, 'smooth.jpg'), 16, 16, smooth, 100);
    const got = await (await loadImageFolder([path], { size: 16 })).read([0]);
    const want = rgbOf(smooth);
    let maxDiff = 0;
    for (let i = 0; i < want.length; i++) maxDiff = Math.max(maxDiff, Math.abs((got[i] as number) - (want[i] as number)));
    expect(maxDiff).toBeLessThanOrEqual(3);
  });

  it('takes arrays of paths, URLs and Blobs/Files, with labels from the shared parent', async () => {
    const dir = folder();
    const data = rgbaImage(2, 2, (x, y, c) => (c === 3 ? 255 : x * 100 + y * 10 + c));
    const p1 = writePng(join(dir, 'b', 'one.png'), 2, 2, data);
    const p2 = writePng(join(dir, 'a', 'two.png'), 2, 2, data);
    const ds = await loadImageFolder([p1, new URL(`file://${p2}`), join(dir, 'skip.txt')], { labels: 'subfolder', size: 2 });
    expect(ds.relativePaths).toEqual(['a/two.png', 'b/one.png']);
    expect(ds.classNames).toEqual(['a', 'b']);
    const file = new File([readFileSync(p1)], 'one.png');
    const blobs = await loadImageFolder([file, new Blob([readFileSync(p2)])], { size: 2, crop: 'none' });
    expect(await blobs.read([0, 1])).toEqual(Uint8Array.from([...rgbOf(data), ...rgbOf(data)]));
  });

  it('corrupt, truncated and non-image files are CorruptFileErrors naming the file', async () => {
    const dir = folder();
    const ok = writePng(join(dir, 'ok.png'), 4, 4, rgbaImage(4, 4, () => 255));
    const png = readFileSync(ok);
    writeFileSync(join(dir, 'short.png'), png.subarray(0, png.length - 20));
    writeJpeg(join(dir, 'full.jpg'), 8, 8, rgbaImage(8, 8, (x) => x * 30));
    const jpg = readFileSync(join(dir, 'full.jpg'));
    writeFileSync(join(dir, 'short.jpg'), jpg.subarray(0, Math.floor(jpg.length / 2)));
    writeFileSync(join(dir, 'text.png'), 'hello, not a png');
    const ds = await loadImageFolder(dir, { size: 4 });
    expect(ds.relativePaths).toEqual(['full.jpg', 'ok.png', 'short.jpg', 'short.png', 'text.png']);
    for (const [index, name, problem] of [[2, 'short.jpg', /truncated or invalid JPEG/], [3, 'short.png', /truncated or invalid PNG/], [4, 'text.png', /not a PNG or JPEG image/]] as const) {
      const e = await rejection(ds.read([1, index]));
      expect(e).toBeInstanceOf(CorruptFileError);
      expect((e as CorruptFileError).source).toBe(join(dir, name));
      expect((e as CorruptFileError).problem).toMatch(problem);
      expect((e as Error).message).toContain(name);
    }
    expect((await ds.read([0, 1])).length).toBe(2 * 48); // the good files still read
  });

  it('an empty folder, or one without images, is a StorageError saying what was looked for', async () => {
    const empty = folder();
    const e = await rejection(loadImageFolder(empty));
    expect(e).toBeInstanceOf(StorageError);
    expect((e as Error).message).toMatch(/no images found in .*\.png, \.jpg, \.jpeg/);
    writeFileSync(join(empty, 'a.gif'), 'GIF89a');
    await expect(loadImageFolder(empty, { extensions: ['GIF'] })).resolves.toHaveProperty('size', 1);
    await expect(loadImageFolder([])).rejects.toThrow(/"source" expected at least one image file, got an empty array/);
    await expect(loadImageFolder(join(empty, 'nope'))).rejects.toBeInstanceOf(StorageError);
  });

  it('decodes on demand: only the files read are touched, unless cached', async () => {
    const dir = folder();
    const n = 12;
    for (let i = 0; i < n; i++) writePng(join(dir, `img${String(i).padStart(2, '0')}.png`), 3, 3, rgbaImage(3, 3, (_x, _y, c) => (c === 3 ? 255 : i * 20 + c)));
    const ds = await loadImageFolder(dir, { size: 3, concurrency: 3 });
    const cached = await loadImageFolder(dir, { size: 3, cache: true });
    expect((await cached.read([5]))[0]).toBe(100);
    // After construction, files that are never read may vanish without any effect…
    for (let i = 6; i < n; i++) rmSync(join(dir, `img${String(i).padStart(2, '0')}.png`));
    const first = await ds.read([0, 1, 2, 3, 4, 5]);
    expect(Array.from({ length: 6 }, (_, i) => first[i * 27])).toEqual([0, 20, 40, 60, 80, 100]);
    // …while reading one that vanished goes to the file system (a StorageError naming it).
    const e = await rejection(ds.read([7]));
    expect(e).toBeInstanceOf(StorageError);
    expect((e as Error).message).toContain('img07.png');
    // The cache holds what was decoded, so a removed file still reads there.
    rmSync(join(dir, 'img05.png'));
    expect((await cached.read([5]))[0]).toBe(100);
    await expect(ds.read([5])).rejects.toBeInstanceOf(StorageError);
  });

  it('rejects bad options', async () => {
    const dir = folder();
    writePng(join(dir, 'a.png'), 2, 2, rgbaImage(2, 2, () => 1));
    await expect(loadImageFolder(dir, { size: 0 })).rejects.toThrow(RangeError);
    await expect(loadImageFolder(dir, { size: [2] as unknown as number })).rejects.toThrow(TypeError);
    await expect(loadImageFolder(dir, { channels: 4 as 3 })).rejects.toThrow(/"channels" expected 1 \(grey\) or 3/);
    await expect(loadImageFolder(dir, { labels: 'folder' as 'none' })).rejects.toThrow(RangeError);
    await expect(loadImageFolder(dir, { concurrency: 0 })).rejects.toThrow(RangeError);
    await expect(loadImageFolder(42 as unknown as string)).rejects.toThrow(TypeError);
    await expect((await loadImageFolder(dir, { size: 2 })).read([1])).rejects.toThrow(RangeError);
  });
});

describe('optional decoders', () => {
  it('a missing pngjs is a MissingPackageError, raised on the first PNG only', async () => {
    vi.resetModules();
    vi.doMock('pngjs', () => {
      throw new Error('Cannot find package pngjs');
    });
    try {
      const { decodeImage } = await import('../src/image/codec-node.js');
      const png = readFileSync(writePng(join(folder(), 'a.png'), 2, 2, rgbaImage(2, 2, () => 9)));
      const e = await rejection(decodeImage(png, 'a.png'));
      // Fresh modules mean a fresh copy of the error classes: compare the stable code.
      expect((e as MissingPackageError).code).toBe('ERR_AEOT_PACKAGE_MISSING');
      expect((e as MissingPackageError).packageName).toBe('pngjs');
      await expect(decodeImage(Uint8Array.of(1, 2, 3, 4), 'x.bin')).rejects.toHaveProperty('code', 'ERR_AEOT_CORRUPT_FILE');
    } finally {
      vi.doUnmock('pngjs');
      vi.resetModules();
    }
  });
});
