// The derived Dataset operations: views, seeded order, splits, batches as tensors,
// scaling, and that iterating leaks no tensor.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, initBackend } from '@aeot/tensor-backend';
import { fromArrays } from '../src/array-dataset.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** 10 pixel examples of shape [1, 2, 1]; example i holds bytes (i, 255 − i). */
function tinyPixels() {
  const values = new Uint8Array(20);
  for (let i = 0; i < 10; i++) {
    values[2 * i] = i;
    values[2 * i + 1] = 255 - i;
  }
  return fromArrays({ values, exampleShape: [1, 2, 1], labels: Array.from({ length: 10 }, (_, i) => i % 3), name: 'tiny' });
}

describe('fromArrays', () => {
  it('infers kind, size and classes', () => {
    const ds = tinyPixels();
    expect(ds.size).toBe(10);
    expect(ds.kind).toBe('pixels');
    expect(ds.exampleLength).toBe(2);
    expect(ds.numClasses).toBe(3);
    expect(Array.from(ds.labelCounts() ?? [])).toEqual([4, 3, 3]);
    const pts = fromArrays({ values: [0, 1, 2, 3, 4, 5], exampleShape: [3] });
    expect(pts.kind).toBe('points');
    expect(pts.size).toBe(2);
    expect(pts.labels).toBeUndefined();
  });

  it('rejects bad input with typed errors', () => {
    expect(() => fromArrays({ values: new Uint8Array(5), exampleShape: [2] })).toThrow(RangeError);
    expect(() => fromArrays({ values: new Uint8Array(5), exampleShape: [2] })).toThrow('"values" expected a multiple of 2 values');
    expect(() => fromArrays({ values: [0, Number.NaN], exampleShape: [2] })).toThrow('"values" expected finite numbers, got NaN at position 1');
    expect(() => fromArrays({ values: new Int16Array(4) as unknown as Uint8Array, exampleShape: [2] })).toThrow(TypeError);
    expect(() => fromArrays({ values: new Uint8Array(4), exampleShape: [2], labels: [0] })).toThrow('"labels" expected 2 labels');
    expect(() => fromArrays({ values: new Uint8Array(4), exampleShape: [2], labels: [0, 1.5] })).toThrow(RangeError);
    expect(() => fromArrays({ values: new Uint8Array(4), exampleShape: [2], labels: [0, 3], numClasses: 3 })).toThrow('in [0, 3)');
    expect(() => fromArrays({ values: new Uint8Array(4), exampleShape: [0] })).toThrow('"exampleShape"');
  });
});

describe('views', () => {
  it('subset by range and by indices, and out-of-range reads fail', async () => {
    const ds = tinyPixels();
    const s = ds.subset({ start: 2, end: 5 });
    expect(s.size).toBe(3);
    expect(Array.from(await s.read([0, 2]))).toEqual([2, 253, 4, 251]);
    expect(Array.from(s.labels ?? [])).toEqual([2, 0, 1]);
    const picked = ds.subset([9, 9, 0]);
    expect(Array.from(await picked.read([0, 1, 2]))).toEqual([9, 246, 9, 246, 0, 255]);
    expect(() => ds.subset([10])).toThrow(RangeError);
    expect(() => ds.subset({ start: 4, end: 2 })).toThrow(RangeError);
    await expect(s.read([3])).rejects.toThrow('"indices" expected integers in [0, 3), got 3 at position 0');
    expect(ds.take(4).size).toBe(4);
    expect(ds.take(40).size).toBe(10);
  });

  it('shuffle follows the seeded permutation; same seed, same order', async () => {
    const ds = tinyPixels();
    const order = createRng(7).permutation(10);
    const sh = ds.shuffle(7);
    const firsts = await sh.read(Array.from({ length: 10 }, (_, i) => i));
    expect(Array.from({ length: 10 }, (_, i) => firsts[2 * i])).toEqual(Array.from(order));
    expect(Array.from(ds.shuffle(7).labels ?? [])).toEqual(Array.from(sh.labels ?? []));
    expect(Array.from(ds.shuffle(8).labels ?? [])).not.toEqual(Array.from({ length: 10 }, (_, i) => i % 3));
  });

  it('split gives disjoint parts covering the dataset', async () => {
    const ds = tinyPixels();
    const { train, test } = ds.split(0.3, { seed: 3 });
    expect([train.size, test.size]).toEqual([7, 3]);
    const all = [...(await train.read([0, 1, 2, 3, 4, 5, 6])), ...(await test.read([0, 1, 2]))].filter((_, i) => i % 2 === 0);
    expect(all.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const tail = ds.split(2, { shuffle: false });
    expect(Array.from(await tail.test.read([0, 1])).filter((_, i) => i % 2 === 0)).toEqual([8, 9]);
    expect(() => ds.split(0)).toThrow(RangeError);
    expect(() => ds.split(10)).toThrow('leave both parts non-empty');
    expect(() => ds.split(0.01)).toThrow(RangeError);
  });
});

describe('batches', () => {
  it('yields [b, ...shape] float32 tensors with exact unit / symmetric scaling', async () => {
    const ds = tinyPixels();
    const sizes: number[] = [];
    const seen: number[] = [];
    for await (const b of ds.batches(4, { scale: 'symmetric' })) {
      sizes.push(b.x.shape[0] as number);
      expect(b.x.shape.slice(1)).toEqual([1, 2, 1]);
      const x = await b.x.data();
      for (let i = 0; i < b.indices.length; i++) {
        const k = b.indices[i] as number;
        expect(x[2 * i]).toBeCloseTo(k / 127.5 - 1, 6);
        expect(x[2 * i + 1]).toBeCloseTo((255 - k) / 127.5 - 1, 6);
        seen.push(k);
      }
      expect(Array.from(await (b.labels as tf.Tensor).data())).toEqual(Array.from(b.indices, (k) => k % 3));
      tf.dispose([b.x, b.labels]);
    }
    expect(sizes).toEqual([4, 4, 2]);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const unit = await ds.toTensor({ flatten: true });
    expect(unit.shape).toEqual([10, 2]);
    const u = await unit.data();
    expect([u[0], u[1], u[19]]).toEqual([0, 1, 246 / 255].map(Math.fround));
    unit.dispose();
  });

  it('shuffled, dropRemainder, flatten; autoDispose leaks nothing', async () => {
    const ds = tinyPixels();
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    let count = 0;
    for await (const b of ds.batches(3, { shuffle: true, seed: 5, dropRemainder: true, flatten: true, autoDispose: true })) {
      expect(b.x.shape).toEqual([3, 2]);
      seen.push(...b.indices);
      count++;
    }
    expect(count).toBe(3);
    expect(seen).toEqual(Array.from(createRng(5).permutation(10).slice(0, 9)));
    expect(tf.memory().numTensors).toBe(before);
    // Breaking out early disposes the batch in hand too.
    for await (const b of ds.batches(3, { autoDispose: true })) {
      expect(b.x.isDisposed).toBe(false);
      break;
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('points come back as stored; scale is refused for them', async () => {
    const pts = fromArrays({ values: new Float64Array([0.5, -2, 3e-8, 7]), exampleShape: [2] });
    const t = await pts.toTensor();
    expect(Array.from(await t.data())).toEqual([0.5, -2, 3e-8, 7].map(Math.fround));
    t.dispose();
    await expect(pts.batches(2, { scale: 'unit' }).next()).rejects.toThrow('"scale" applies to pixel datasets only');
    await expect(pts.batches(0).next()).rejects.toThrow(RangeError);
    await expect(pts.toTensor({ maxBytes: 8 })).rejects.toThrow('over "maxBytes"');
  });
});

describe('pixel scaling on every CPU backend', () => {
  it('all 256 byte values scale to v / 255 exactly and to v / 127.5 − 1 within 1e-7', async () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, v) => v);
    const ds = fromArrays({ values: bytes, exampleShape: [16, 16, 1] });
    for (const backend of ['wasm', 'cpu'] as const) {
      await initBackend({ backend });
      for await (const { x } of ds.batches(1, { autoDispose: true })) {
        const unit = await x.data();
        for (let v = 0; v < 256; v++) expect(unit[v]).toBe(Math.fround(v / 255));
      }
      for await (const { x } of ds.batches(1, { scale: 'symmetric', autoDispose: true })) {
        const sym = await x.data();
        let worst = 0;
        for (let v = 0; v < 256; v++) worst = Math.max(worst, Math.abs((sym[v] as number) - (v / 127.5 - 1)));
        expect(worst).toBeLessThan(1e-7);
        expect([sym[0], sym[255]]).toEqual([-1, 1]);
      }
    }
  });
});
