// Browser stand-in for file-node.ts (selected by the package's "#file-io" import):
// same exports, but plain file paths do not exist here, so every call fails with a
// StorageError that names the targets browsers do support.
import { StorageError } from './safetensors.js';

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
