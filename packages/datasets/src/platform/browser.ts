// Browser stand-in for node.ts (selected by the package's "#platform" import): same
// exports; plain file paths do not exist here, so callers fetch URLs or pass Blobs.
import { StorageError } from '@aeot/tensor-backend';

/** True where plain file paths can be read (Node); false here. */
export const filePathsAvailable: boolean = false;

function noFiles(target: string): StorageError {
  return new StorageError(
    target,
    `"${target}" is a file path, but file paths need Node (node:fs); in the browser pass an ` +
      `http(s) or relative URL, a File / Blob (e.g. from <input type="file">), or the bytes`,
  );
}

/** Node only: always throws here. */
export async function readFilePath(target: string | URL): Promise<Uint8Array> {
  throw noFiles(String(target));
}

/** Node only: always false here. */
export async function fileExists(target: string | URL): Promise<boolean> {
  void target;
  return false;
}

/** Node only: always throws here. */
export async function listFilesRecursive(dir: string | URL): Promise<string[]> {
  throw noFiles(String(dir));
}

/** Joins a base URL and a relative path with `/`. */
export function joinPath(dir: string | URL, rel: string): string {
  const base = String(dir);
  return base.endsWith('/') ? base + rel : `${base}/${rel}`;
}

/** Node only: packages cannot be located on disk in the browser, so always `undefined`. */
export function packageDirectory(name: string): string | undefined {
  void name;
  return undefined;
}
