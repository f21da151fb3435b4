// CIFAR-10 / CIFAR-100 binary batches written here record by record (planes R, G, B of
// known values), read back as HWC: exact pixels and labels, gzip, the folder loaders,
// and every corrupt case naming its file.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import { CorruptFileError, initBackend, StorageError } from '@aeot/tensor-backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CIFAR10_CLASS_NAMES, loadCifar10, loadCifar100, parseCifarBatch, readCifarBatch } from '../src/cifar.js';

/** Value of channel c at plane position p (= y*32 + x) of record r: distinct enough to catch any transposition. */
const value = (r: number, c: number, p: number): number => (r * 31 + c * 101 + p * 7 + ((p >> 5) * 3)) % 256;

/** A batch file of `n` records; `labels(r)` gives the label byte(s) of record r. */
function batchBytes(n: number, labels: (r: number) => number[], offset = 0): Uint8Array {
  const labelBytes = labels(0).length;
  const record = labelBytes + 3072;
  const out = new Uint8Array(n * record);
  for (let r = 0; r < n; r++) {
    out.set(labels(r), r * record);
    for (let c = 0; c < 3; c++) for (let p = 0; p < 1024; p++) out[r * record + labelBytes + c * 1024 + p] = value(r + offset, c, p);
  }
  return out;
}

/** Checks HWC pixels of `n` images against {@link value}. */
function expectPixels(pixels: Uint8Array, n: number, offset = 0): void {
  expect(pixels.length).toBe(n * 3072);
  let mismatches = 0;
  for (let r = 0; r < n; r++) {
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        for (let c = 0; c < 3; c++) if (pixels[((r * 32 + y) * 32 + x) * 3 + c] !== value(r + offset, c, y * 32 + x)) mismatches++;
      }
    }
  }
  expect(mismatches).toBe(0);
}

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aeot-cifar-'));
  await initBackend({ backend: 'cpu' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function corrupt(promise: Promise<unknown>): Promise<CorruptFileError> {
  const e = await promise.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(CorruptFileError);
  return e as CorruptFileError;
}

describe('parseCifarBatch', () => {
  it('turns CIFAR-10 CHW planes into HWC bytes with their labels', () => {
    const { pixels, labels } = parseCifarBatch(batchBytes(7, (r) => [(r * 3) % 10]), { source: 'seven.bin' });
    expect(Array.from(labels)).toEqual([0, 3, 6, 9, 2, 5, 8]);
    expectPixels(pixels, 7);
    // One pixel spelled out: image 2, row 1, column 5, green.
    expect(pixels[((2 * 32 + 1) * 32 + 5) * 3 + 1]).toBe((2 * 31 + 101 + 37 * 7 + 3) % 256);
  });

  it('reads CIFAR-100 fine or coarse labels', () => {
    const bytes = batchBytes(5, (r) => [19 - r, 99 - 7 * r]);
    expect(Array.from(parseCifarBatch(bytes, { variant: 'cifar100' }).labels)).toEqual([99, 92, 85, 78, 71]);
    const coarse = parseCifarBatch(bytes, { variant: 'cifar100', label: 'coarse' });
    expect(Array.from(coarse.labels)).toEqual([19, 18, 17, 16, 15]);
    expectPixels(coarse.pixels, 5);
  });

  it('rejects wrong arguments with TypeError / RangeError', () => {
    expect(() => parseCifarBatch([1, 2] as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => parseCifarBatch(new Uint8Array(3073), { variant: 'cifar11' as 'cifar10' })).toThrow(RangeError);
    expect(() => parseCifarBatch(new Uint8Array(3074), { variant: 'cifar100', label: 'medium' as 'fine' })).toThrow(/"label" expected/);
  });

  it('names the record of an out-of-range CIFAR-100 label', () => {
    const bytes = batchBytes(4, (r) => [r === 2 ? 20 : 1, 3]);
    const e = (() => { try { parseCifarBatch(bytes, { variant: 'cifar100', source: 'train.bin' }); } catch (err) { return err; } })() as CorruptFileError;
    expect(e).toBeInstanceOf(CorruptFileError);
    expect(e.format).toBe('CIFAR-100');
    expect(e.problem).toMatch(/record 2 .*coarse label 20, expected 0\.\.19/);
    const fine = batchBytes(3, (r) => [1, r === 1 ? 100 : 0]);
    expect(() => parseCifarBatch(fine, { variant: 'cifar100' })).toThrow(/record 1 .*fine label 100, expected 0\.\.99/);
  });
});

describe('readCifarBatch: files, gzip and corrupt files', () => {
  it('reads a plain and a gzipped batch identically', async () => {
    const bytes = batchBytes(7, (r) => [r]);
    writeFileSync(join(dir, 'plain.bin'), bytes);
    writeFileSync(join(dir, 'packed.bin.gz'), gzipSync(bytes));
    const plain = await readCifarBatch(join(dir, 'plain.bin'));
    const packed = await readCifarBatch(join(dir, 'packed.bin.gz'));
    expectPixels(packed.pixels, 7);
    expect(Array.from(packed.labels)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(packed.pixels).toEqual(plain.pixels);
  });

  it('a file one byte short is truncated: size, record size and file named', async () => {
    const path = join(dir, 'short.bin');
    writeFileSync(path, batchBytes(7, (r) => [r]).subarray(0, 7 * 3073 - 1));
    const e = await corrupt(readCifarBatch(path));
    expect(e.source).toBe(path);
    expect(e.format).toBe('CIFAR-10');
    expect(e.code).toBe('ERR_AEOT_CORRUPT_FILE');
    expect(e.problem).toContain(`size ${7 * 3073 - 1} bytes`);
    expect(e.problem).toContain('record size 3073');
    expect(e.problem).toContain('truncated');
    expect(e.message).toContain(path);
  });

  it('a label byte ≥ 10 names its record', async () => {
    const bytes = batchBytes(7, (r) => [r]);
    bytes[4 * 3073] = 10;
    const path = join(dir, 'badlabel.bin');
    writeFileSync(path, bytes);
    const e = await corrupt(readCifarBatch(path));
    expect(e.source).toBe(path);
    expect(e.problem).toMatch(/record 4 .*label 10, expected 0\.\.9/);
  });

  it('an empty file is corrupt, not an empty dataset', async () => {
    const path = join(dir, 'empty.bin');
    writeFileSync(path, new Uint8Array(0));
    const e = await corrupt(readCifarBatch(path));
    expect(e.source).toBe(path);
    expect(e.problem).toMatch(/empty/);
  });
});

describe('loadCifar10 / loadCifar100', () => {
  /** Writes a cifar-10-batches-bin folder: batch b has 2 + b records, test has 3. */
  function writeCifar10(root: string, meta?: string): string {
    const folder = join(root, 'cifar-10-batches-bin');
    mkdirSync(folder, { recursive: true });
    let offset = 0;
    for (let b = 1; b <= 5; b++) {
      const o = offset;
      writeFileSync(join(folder, `data_batch_${b}.bin`), batchBytes(2 + b, (r) => [(r + o) % 10], o));
      offset += 2 + b;
    }
    writeFileSync(join(folder, 'test_batch.bin'), batchBytes(3, (r) => [9 - r], 100));
    if (meta !== undefined) writeFileSync(join(folder, 'batches.meta.txt'), meta);
    return folder;
  }

  it('loads train (all five batches in order) and test from the parent folder', async () => {
    const root = join(dir, 'c10');
    writeCifar10(root);
    const { train, test } = await loadCifar10({ dir: root });
    expect(train?.size).toBe(25);
    expect(test?.size).toBe(3);
    expect(train?.name).toBe('cifar10/train');
    expect(train?.exampleShape).toEqual([32, 32, 3]);
    expect(train?.kind).toBe('pixels');
    expect(train?.numClasses).toBe(10);
    expect(train?.classNames).toEqual(CIFAR10_CLASS_NAMES);
    expect(Array.from(train!.labels!)).toEqual(Array.from({ length: 25 }, (_, i) => i % 10));
    expectPixels(train!.values as Uint8Array, 25);
    expectPixels(test!.values as Uint8Array, 3, 100);
    expect(Array.from(test!.labels!)).toEqual([9, 8, 7]);

    const before = tf.memory().numTensors;
    const shapes: number[][] = [];
    for await (const b of test!.batches(2, { autoDispose: true })) {
      shapes.push(b.x.shape);
      const x = await b.x.data();
      const bytes = test!.readSync(b.indices);
      let worst = 0;
      for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs((x[i] as number) - (bytes[i] as number) / 255));
      expect(worst).toBeLessThan(1e-6);
    }
    expect(shapes).toEqual([[2, 32, 32, 3], [1, 32, 32, 3]]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('accepts the batches folder itself, one split, and names from batches.meta.txt', async () => {
    const names = ['a0', 'b1', 'c2', 'd3', 'e4', 'f5', 'g6', 'h7', 'i8', 'j9'];
    const folder = writeCifar10(join(dir, 'c10meta'), `${names.join('\n')}\n\n`);
    const only = await loadCifar10({ dir: folder, split: 'test' });
    expect(only.train).toBeUndefined();
    expect(only.test?.classNames).toEqual(names);
    expect((await loadCifar10({ dir: new URL(`file://${folder}`), split: 'train' })).train?.size).toBe(25);
  });

  it('a missing data_batch file is a StorageError naming it and the expected contents', async () => {
    const folder = writeCifar10(join(dir, 'c10missing'));
    rmSync(join(folder, 'data_batch_4.bin'));
    const e = await loadCifar10({ dir: folder }).then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(StorageError);
    expect((e as StorageError).target).toBe(join(folder, 'data_batch_4.bin'));
    expect((e as Error).message).toMatch(/data_batch_4\.bin.*data_batch_1\.bin … data_batch_5\.bin and test_batch\.bin/);
    // The test split alone does not need it.
    expect((await loadCifar10({ dir: folder, split: 'test' })).test?.size).toBe(3);
  });

  it('a truncated batch inside the folder fails the whole load, naming that file', async () => {
    const folder = writeCifar10(join(dir, 'c10short'));
    const path = join(folder, 'data_batch_3.bin');
    writeFileSync(path, batchBytes(5, () => [1]).subarray(1));
    const e = await corrupt(loadCifar10({ dir: folder, split: 'train' }));
    expect(e.source).toBe(path);
  });

  it('loads CIFAR-100 with fine or coarse labels and their names', async () => {
    const folder = join(dir, 'c100', 'cifar-100-binary');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'train.bin'), batchBytes(6, (r) => [r, 50 + r]));
    writeFileSync(join(folder, 'test.bin.gz'), gzipSync(batchBytes(2, (r) => [19, 99 - r])));
    writeFileSync(join(folder, 'coarse_label_names.txt'), Array.from({ length: 20 }, (_, i) => `super${i}`).join('\n'));
    const fine = await loadCifar100({ dir: join(dir, 'c100') });
    expect(fine.train?.numClasses).toBe(100);
    expect(fine.train?.classNames).toBeUndefined();
    expect(Array.from(fine.train!.labels!)).toEqual([50, 51, 52, 53, 54, 55]);
    expect(Array.from(fine.test!.labels!)).toEqual([99, 98]);
    expectPixels(fine.train!.values as Uint8Array, 6);
    const coarse = await loadCifar100({ dir: folder, label: 'coarse', split: 'train' });
    expect(coarse.train?.name).toBe('cifar100/train');
    expect(coarse.train?.numClasses).toBe(20);
    expect(coarse.train?.classNames?.[3]).toBe('super3');
    expect(Array.from(coarse.train!.labels!)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('rejects bad options', async () => {
    await expect(loadCifar10({ dir: 3 as unknown as string })).rejects.toThrow(TypeError);
    await expect(loadCifar10({ dir, split: 'val' as 'train' })).rejects.toThrow(RangeError);
  });
});
