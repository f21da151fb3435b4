// The file helpers of Node's "#file-io" that data loaders use: existence checks, sorted
// recursive listings with `/` separators, path joins, and package directories resolved
// from the caller's module (pnpm's strict node_modules).
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageError } from '../../src/errors.js';
import { fileExists, fileIoAvailable, joinPath, listFilesRecursive, packageDirectory } from '../../src/io/file-node.js';

let dir: string;
beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'aeot-files-'));
  await fsp.mkdir(path.join(dir, 'b', 'deep'), { recursive: true });
  await fsp.mkdir(path.join(dir, 'a'), { recursive: true });
  await fsp.mkdir(path.join(dir, 'empty'), { recursive: true });
  for (const rel of ['z.txt', 'a/2.png', 'a/10.png', 'b/deep/x.jpg', 'B.txt']) await fsp.writeFile(path.join(dir, rel), rel);
});
afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('file helpers (Node)', () => {
  it('has file IO', () => {
    expect(fileIoAvailable).toBe(true);
  });

  it('fileExists: true for regular files only, by path or file URL', async () => {
    expect(await fileExists(path.join(dir, 'z.txt'))).toBe(true);
    expect(await fileExists(pathToFileURL(path.join(dir, 'a', '2.png')))).toBe(true);
    expect(await fileExists(pathToFileURL(path.join(dir, 'a', '2.png')).href)).toBe(true);
    expect(await fileExists(path.join(dir, 'a'))).toBe(false);
    expect(await fileExists(path.join(dir, 'nope.txt'))).toBe(false);
  });

  it('listFilesRecursive: every file, relative with "/", sorted by code point, no directories', async () => {
    const expected = ['B.txt', 'a/10.png', 'a/2.png', 'b/deep/x.jpg', 'z.txt'];
    expect(await listFilesRecursive(dir)).toEqual(expected);
    expect(await listFilesRecursive(pathToFileURL(dir))).toEqual(expected);
    expect(await listFilesRecursive(path.join(dir, 'empty'))).toEqual([]);
  });

  it('listFilesRecursive: a missing directory is a StorageError naming it', async () => {
    const missing = path.join(dir, 'missing');
    const e = await listFilesRecursive(missing).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(StorageError);
    expect((e as StorageError).target).toBe(missing);
    expect((e as StorageError).message).toMatch(/^cannot list ".*missing": ENOENT/);
  });

  it('joinPath joins with the platform separator, from a path or a file URL', () => {
    expect(joinPath(dir, 'a/2.png')).toBe(path.join(dir, 'a', '2.png'));
    expect(joinPath(pathToFileURL(dir), 'z.txt')).toBe(path.join(dir, 'z.txt'));
  });

  it('packageDirectory resolves from the caller’s module, undefined when not installed', async () => {
    const core = packageDirectory('@tensorflow/tfjs-core', import.meta.url);
    expect(core).toBeDefined();
    const manifest = JSON.parse(await fsp.readFile(path.join(core as string, 'package.json'), 'utf8')) as { name: string };
    expect(manifest.name).toBe('@tensorflow/tfjs-core');
    expect(packageDirectory('aeot-no-such-package', import.meta.url)).toBeUndefined();
    // Resolution is relative to `fromUrl`: from the file system root nothing is installed.
    expect(packageDirectory('@tensorflow/tfjs-core', pathToFileURL(path.join(path.parse(dir).root, 'x.js')))).toBeUndefined();
  });
});
