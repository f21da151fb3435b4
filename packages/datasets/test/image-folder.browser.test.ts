// The image-folder loader and CIFAR parsing in headless Chromium: PNGs are made in the
// page with OffscreenCanvas (known opaque pixels), handed over as File / Blob objects the
// way <input webkitdirectory> does, and decoded by the browser's own codecs.
import * as tf from '@tensorflow/tfjs-core';
import { CorruptFileError, initBackend, StorageError } from '@aeot/tensor-backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCifarBatch } from '../src/cifar.js';
import { loadImageFolder } from '../src/image/image-folder.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** A PNG of opaque pixels with RGB of (x, y) = f(x, y), encoded by the browser. */
async function pngBlob(width: number, height: number, f: (x: number, y: number) => [number, number, number]): Promise<Blob> {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
  const image = context.createImageData(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = f(x, y);
      image.data.set([r, g, b, 255], (y * width + x) * 4);
    }
  }
  context.putImageData(image, 0, 0);
  return canvas.convertToBlob({ type: 'image/png' });
}

/** A File as a folder picker gives it, with its path under the picked folder. */
function pickedFile(blob: Blob, relativePath: string): File {
  const file = new File([blob], relativePath.slice(relativePath.lastIndexOf('/') + 1), { type: blob.type });
  Object.defineProperty(file, 'webkitRelativePath', { value: relativePath });
  return file;
}

const colour = (x: number, y: number): [number, number, number] => [x * 50 + 3, y * 60 + 7, 200 - x * 10 - y];

describe('loadImageFolder in the browser', () => {
  it('decodes picked PNG files exactly, with labels from their subfolders', async () => {
    const a = await pngBlob(4, 3, colour);
    const b = await pngBlob(4, 3, (x, y) => [255 - x, 255 - y, 0]);
    const files = [pickedFile(b, 'faces/zeta/b.png'), pickedFile(a, 'faces/alpha/a.png'), pickedFile(a, 'faces/alpha/.DS_Store')];
    const ds = await loadImageFolder(files, { size: [3, 4], crop: 'none', labels: 'subfolder' });
    expect(ds.relativePaths).toEqual(['alpha/a.png', 'zeta/b.png']);
    expect(ds.classNames).toEqual(['alpha', 'zeta']);
    expect(Array.from(ds.labels!)).toEqual([0, 1]);
    const values = await ds.read([0, 1]);
    const want: number[] = [];
    for (let y = 0; y < 3; y++) for (let x = 0; x < 4; x++) want.push(...colour(x, y));
    for (let y = 0; y < 3; y++) for (let x = 0; x < 4; x++) want.push(255 - x, 255 - y, 0);
    expect(Array.from(values)).toEqual(want);
  });

  it('crops and area-averages: 6×4 → centre 4×4 → 2×2 block means; batches are in [0, 1]', async () => {
    const blob = await pngBlob(6, 4, colour);
    const ds = await loadImageFolder([blob], { size: 2 });
    const got = await ds.read([0]);
    for (let oy = 0; oy < 2; oy++) {
      for (let ox = 0; ox < 2; ox++) {
        for (let c = 0; c < 3; c++) {
          let sum = 0;
          for (let dy = 0; dy < 2; dy++) for (let dx = 0; dx < 2; dx++) sum += colour(1 + 2 * ox + dx, 2 * oy + dy)[c] as number;
          expect(got[(oy * 2 + ox) * 3 + c]).toBe(Math.round(sum / 4));
        }
      }
    }
    const before = tf.memory().numTensors;
    for await (const { x } of ds.batches(1, { autoDispose: true })) {
      expect(x.shape).toEqual([1, 2, 2, 3]);
      const v = await x.data();
      expect(Array.from(v, (e) => Math.round(e * 255))).toEqual(Array.from(got));
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('non-images are CorruptFileErrors naming the file; paths need Node', async () => {
    const ds = await loadImageFolder([new File(['not an image'], 'fake.png')], { size: 2 });
    const e = await ds.read([0]).then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(CorruptFileError);
    expect((e as CorruptFileError).source).toBe('fake.png');
    expect((e as CorruptFileError).problem).toMatch(/not a PNG or JPEG image/);
    await expect(loadImageFolder('img_align_celeba')).rejects.toBeInstanceOf(StorageError);
  });
});

describe('CIFAR in the browser', () => {
  it('parses a batch from a Blob into HWC pixels', async () => {
    const n = 3;
    const bytes = new Uint8Array(n * 3073);
    for (let r = 0; r < n; r++) {
      bytes[r * 3073] = 7 - r;
      for (let c = 0; c < 3; c++) for (let p = 0; p < 1024; p++) bytes[r * 3073 + 1 + c * 1024 + p] = (r * 40 + c * 90 + p) % 256;
    }
    const { pixels, labels } = await readCifarBatch(new Blob([bytes]));
    expect(Array.from(labels)).toEqual([7, 6, 5]);
    let mismatches = 0;
    for (let r = 0; r < n; r++) for (let p = 0; p < 1024; p++) for (let c = 0; c < 3; c++) if (pixels[(r * 1024 + p) * 3 + c] !== (r * 40 + c * 90 + p) % 256) mismatches++;
    expect(mismatches).toBe(0);
    const e = await readCifarBatch(new File([bytes.subarray(1)], 'data_batch_1.bin')).then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(CorruptFileError);
    expect((e as CorruptFileError).source).toBe('data_batch_1.bin');
  });
});
