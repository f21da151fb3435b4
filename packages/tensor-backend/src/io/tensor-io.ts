// Public tensor IO: saveTensors / loadTensors / deleteTensors in the safetensors format,
// dispatched by target: a file path or file:// URL (Node, atomic writes),
// indexeddb://<key> and download://<filename> (browser), http(s):// URLs (load only).
import type * as tf from '@tensorflow/tfjs-core';
import { readFileBytes, removeFile, writeFileAtomic } from '#file-io';
import { StorageError } from '../errors.js';
import { describeValue, expectString } from '../validate.js';
import { idbDelete, idbGetBytes, idbPutBytes, triggerDownload } from './browser-storage.js';
import { fetchBytes } from './fetch-bytes.js';
import { concatParts } from './concat-parts.js';
import { decodeSafetensors } from './safetensors/decode.js';
import { encodeSafetensorsParts } from './safetensors/encode.js';
import type { LoadAs, LoadedTensors, TensorArray, TensorRecord } from './safetensors/types.js';

/** Options of {@link saveTensors}. */
export interface SaveTensorsOptions {
  /** String → string pairs stored in the file's `__metadata__`. */
  metadata?: Readonly<Record<string, string>>;
}

/** What {@link saveTensors} wrote. */
export interface SaveTensorsResult {
  /** The target as given. */
  target: string;
  /** Size of the safetensors data in bytes. */
  byteLength: number;
}

/** Options of {@link loadTensors}. */
export interface LoadTensorsOptions {
  /** `'tensors'` (default): tfjs tensors; `'arrays'`: raw typed arrays in the stored form. */
  as?: LoadAs;
}

type Target =
  | { kind: 'file'; path: string }
  | { kind: 'indexeddb'; key: string }
  | { kind: 'download'; filename: string }
  | { kind: 'http'; url: string };

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(.*)$/s;

function parseTarget(name: string, value: unknown): Target {
  const target = expectString(name, value);
  if (target === '') throw new RangeError(`"${name}" expected a file path or indexeddb:// / download:// / http(s):// URL, got ""`);
  const match = SCHEME.exec(target);
  if (match === null) return { kind: 'file', path: target };
  const scheme = (match[1] as string).toLowerCase();
  const rest = match[2] as string;
  switch (scheme) {
    case 'file':
      return { kind: 'file', path: target };
    case 'http':
    case 'https':
      return { kind: 'http', url: target };
    case 'indexeddb':
    case 'download':
      if (rest === '') throw new RangeError(`"${name}" expected a non-empty ${scheme === 'indexeddb' ? 'key' : 'file name'} after ${scheme}://, got ${describeValue(target)}`);
      return scheme === 'indexeddb' ? { kind: 'indexeddb', key: rest } : { kind: 'download', filename: rest };
    default:
      throw new RangeError(
        `"${name}" expected a file path or a URL with scheme file, indexeddb, download, http or https, got ${describeValue(target)}`,
      );
  }
}

/**
 * Saves named tensors in the safetensors format, which Python's `safetensors` and numpy
 * read. Every tfjs dtype round-trips (complex64 and string under `__metadata__`
 * markers), and raw typed arrays (e.g. float64 accumulators) are saved as they are.
 * Tensor data is read asynchronously; the tensors are neither disposed nor copied more
 * than needed.
 *
 * Targets:
 * - a file path or `file://` URL (Node): written atomically — temp file in the same
 *   directory, fsync, rename over the target, fsync the directory; a failure or crash
 *   leaves any previous file intact;
 * - `indexeddb://<key>` (browser): stored in IndexedDB database `aeot-tensors`;
 * - `download://<filename>` (browser): the browser downloads the file.
 *
 * @param target where to save (see above).
 * @param tensors named tfjs tensors (any dtype) and/or `{ data, shape, dtype? }` arrays.
 * @param options `metadata`: string → string pairs for `__metadata__`.
 * @returns the target and the number of bytes written.
 * @throws {TypeError | RangeError} for a malformed target, record, value or metadata.
 * @throws {StorageError} when the target does not exist on this platform (file paths in
 *   the browser, `indexeddb://` / `download://` in Node, http URLs) or writing fails.
 * @throws {UnsupportedDtypeError} for a tensor dtype tfjs does not define.
 * @example
 * await saveTensors('ckpt/ot.safetensors', { h: heights, acc: { data: acc64, shape: [n] } }, { metadata: { step: '100' } });
 * await saveTensors('indexeddb://ot-run', { h: heights }); // browser
 */
export async function saveTensors(target: string, tensors: TensorRecord, options: SaveTensorsOptions = {}): Promise<SaveTensorsResult> {
  const parsed = parseTarget('target', target);
  if (typeof options !== 'object' || options === null) throw new TypeError(`"options" expected an object, got ${describeValue(options)}`);
  if (parsed.kind === 'http') {
    throw new StorageError(target, `cannot save to "${target}": http(s) URLs are load-only; use a file path, indexeddb:// or download://`);
  }
  const encodeOptions = options.metadata === undefined ? {} : { metadata: options.metadata };
  const { parts, byteLength } = await encodeSafetensorsParts(tensors, encodeOptions);
  switch (parsed.kind) {
    case 'file':
      await writeFileAtomic(parsed.path, parts);
      break;
    case 'indexeddb':
      await idbPutBytes(parsed.key, concatParts(parts, byteLength));
      break;
    case 'download':
      triggerDownload(parsed.filename, parts);
      break;
  }
  return { target, byteLength };
}

/**
 * Loads named tensors from safetensors data (written by aeot, Python or any other
 * implementation) after validating it strictly; nothing is returned from a corrupt
 * source. Dtype conversion rules for `as: 'tensors'` are those of
 * {@link decodeSafetensors} (notably F64 → float32, rounded to nearest); use
 * `as: 'arrays'` to get the stored typed arrays. The caller owns returned tensors.
 *
 * Sources: a file path or `file://` URL (Node), `indexeddb://<key>` (browser),
 * `http(s)://` URLs (via fetch).
 *
 * @param source where to load from.
 * @param options `as`: `'tensors'` (default) or `'arrays'`.
 * @returns the tensors (or arrays) by name and the user metadata.
 * @throws {CorruptFileError} when the data is not valid safetensors (names the source).
 * @throws {StorageError} when the source cannot be read or does not exist on this platform.
 * @throws {UnsupportedDtypeError} when a dtype cannot become a tfjs tensor.
 * @throws {TypeError | RangeError} for a malformed source or options.
 * @example
 * const { tensors, metadata } = await loadTensors('ckpt/ot.safetensors');
 * const { tensors: raw } = await loadTensors('ckpt/ot.safetensors', { as: 'arrays' });
 */
export function loadTensors(source: string, options?: LoadTensorsOptions & { as?: 'tensors' }): Promise<LoadedTensors<tf.Tensor>>;
export function loadTensors(source: string, options: LoadTensorsOptions & { as: 'arrays' }): Promise<LoadedTensors<TensorArray>>;
export function loadTensors(source: string, options?: LoadTensorsOptions): Promise<LoadedTensors<tf.Tensor> | LoadedTensors<TensorArray>>;
export async function loadTensors(
  source: string,
  options: LoadTensorsOptions = {},
): Promise<LoadedTensors<tf.Tensor> | LoadedTensors<TensorArray>> {
  const parsed = parseTarget('source', source);
  if (typeof options !== 'object' || options === null) throw new TypeError(`"options" expected an object, got ${describeValue(options)}`);
  let bytes: Uint8Array;
  switch (parsed.kind) {
    case 'file':
      bytes = await readFileBytes(parsed.path);
      break;
    case 'indexeddb':
      bytes = await idbGetBytes(parsed.key);
      break;
    case 'http':
      bytes = await fetchBytes(parsed.url);
      break;
    case 'download':
      throw new StorageError(source, `cannot load from "${source}": download:// targets are save-only`);
  }
  return decodeSafetensors(bytes, { source, ...(options.as === undefined ? {} : { as: options.as }) });
}

/**
 * Deletes saved tensors: a file (Node) or an IndexedDB record (browser).
 *
 * @param target a file path, `file://` URL or `indexeddb://<key>`.
 * @returns true if something was deleted, false if nothing was there.
 * @throws {StorageError} when the target kind does not exist here, cannot be deleted,
 *   or is not deletable (`download://`, http URLs).
 * @throws {TypeError | RangeError} for a malformed target.
 * @example
 * await deleteTensors('indexeddb://ot-run');
 */
export async function deleteTensors(target: string): Promise<boolean> {
  const parsed = parseTarget('target', target);
  switch (parsed.kind) {
    case 'file':
      return removeFile(parsed.path);
    case 'indexeddb':
      return idbDelete(parsed.key);
    default:
      throw new StorageError(target, `cannot delete "${target}": only file paths and indexeddb:// keys can be deleted`);
  }
}
