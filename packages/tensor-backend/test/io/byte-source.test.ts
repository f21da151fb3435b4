// readRawBytes / readBytes on every kind of source (paths, file URLs, Blobs, Files,
// ArrayBuffers, typed-array views), transparent gzip, source labels for messages, and
// the typed errors for a missing file, a truncated gzip stream and a wrong source type.
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorruptFileError, StorageError } from '../../src/errors.js';
import { gunzip, isGzip, readBytes, readRawBytes, sourceLabel } from '../../src/io/byte-source.js';

const payload = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 256);
let dir: string;
let plain: string;
let gz: string;
beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'aeot-bytes-'));
  plain = path.join(dir, 'data.bin');
  gz = path.join(dir, 'data.bin.gz');
  await fsp.writeFile(plain, payload);
  await fsp.writeFile(gz, gzipSync(payload));
});
afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('sourceLabel', () => {
  it('names each kind of source', () => {
    expect(sourceLabel('a/b.idx')).toBe('a/b.idx');
    expect(sourceLabel(new URL('https://example.org/x.bin'))).toBe('https://example.org/x.bin');
    expect(sourceLabel(new Blob([new Uint8Array(3)]))).toBe('Blob of 3 bytes');
    expect(sourceLabel(new File([new Uint8Array(2)], 'picked.png'))).toBe('picked.png');
    expect(sourceLabel(new ArrayBuffer(4))).toBe('ArrayBuffer of 4 bytes');
    expect(sourceLabel(new Uint16Array(5))).toBe('Uint16Array of 10 bytes');
  });
});

describe('readRawBytes', () => {
  it('reads the same bytes from a path, a file URL (string or URL), a Blob and a File', async () => {
    for (const source of [plain, pathToFileURL(plain).href, pathToFileURL(plain), new Blob([payload]), new File([payload], 'f.bin')]) {
      expect(Array.from(await readRawBytes(source))).toEqual(Array.from(payload));
    }
  });

  it('returns views on bytes in memory, honouring a view’s offset and length', async () => {
    const view = payload.subarray(10, 20);
    const got = await readRawBytes(view);
    expect(got.buffer).toBe(payload.buffer);
    expect(Array.from(got)).toEqual(Array.from(view));
    const words = new Uint16Array([0x0201, 0x0403]);
    expect(Array.from(await readRawBytes(words.buffer))).toEqual([1, 2, 3, 4]);
  });

  it('does not decompress', async () => {
    expect(isGzip(await readRawBytes(gz))).toBe(true);
  });

  it('throws StorageError for a missing file and TypeError for a non-source', async () => {
    const missing = path.join(dir, 'missing.bin');
    const e = await readRawBytes(missing).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(StorageError);
    expect((e as StorageError).target).toBe(missing);
    expect((e as StorageError).message).toMatch(/cannot read .*ENOENT/);
    await expect(readRawBytes(42 as unknown as string)).rejects.toThrow(
      new TypeError('"source" expected a path, URL, Blob, ArrayBuffer or typed array, got 42'),
    );
  });
});

describe('readBytes and gzip', () => {
  it('recognises gzip by its magic number only', () => {
    expect(isGzip(new Uint8Array([0x1f, 0x8b]))).toBe(true);
    expect(isGzip(new Uint8Array([0x1f]))).toBe(false);
    expect(isGzip(new Uint8Array([0x8b, 0x1f, 0]))).toBe(false);
  });

  it('reads plain and gzip sources alike', async () => {
    for (const source of [plain, gz, new Blob([gzipSync(payload)]), gzipSync(payload)]) {
      expect(Array.from(await readBytes(source, 'test'))).toEqual(Array.from(payload));
    }
  });

  it('reports a truncated gzip stream as a CorruptFileError naming the source and format', async () => {
    const cut = gzipSync(payload).subarray(0, 20);
    const e = await readBytes(new File([cut], 'cut.gz'), 'IDX').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(CorruptFileError);
    expect((e as CorruptFileError).source).toBe('cut.gz');
    expect((e as CorruptFileError).format).toBe('IDX');
    expect((e as CorruptFileError).problem).toMatch(/^gzip stream is truncated or invalid/);
    await expect(gunzip(new Uint8Array([0x1f, 0x8b, 0, 0]), 'x', 'IDX')).rejects.toBeInstanceOf(CorruptFileError);
  });
});
