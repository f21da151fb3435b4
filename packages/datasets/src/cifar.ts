// CIFAR-10 and CIFAR-100 in their "binary version" batches: fixed-size records of label
// byte(s) + 3072 pixel bytes stored as three 32×32 colour planes (R, G, B). Parsed into
// HWC bytes (what tfjs and every image model here expect), validated whole before any
// dataset is built, so a damaged download never becomes a silently short dataset.
import {
  CorruptFileError,
  describeValue,
  expectOneOf,
  fileExists,
  fileIoAvailable,
  joinPath,
  readBytes,
  readRawBytes,
  sourceLabel,
  StorageError,
  type ByteSource,
} from '@aeot/tensor-backend';
import { ArrayDataset } from './array-dataset.js';

/** The ten CIFAR-10 classes, in label order (what `batches.meta.txt` lists). */
export const CIFAR10_CLASS_NAMES: readonly string[] = Object.freeze([
  'airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck',
]);

/** Pixel bytes of one CIFAR image: 32 × 32 × 3. */
const PIXELS = 3072;
const PLANE = 1024;

/** Which CIFAR file layout; `'cifar100'` records carry a coarse and a fine label byte. */
export type CifarVariant = 'cifar10' | 'cifar100';
/** Which CIFAR-100 label to return: 100 `'fine'` classes or 20 `'coarse'` superclasses. */
export type CifarLabelKind = 'fine' | 'coarse';

/** Options of {@link parseCifarBatch} and {@link readCifarBatch}. */
export interface CifarBatchOptions {
  /** Name of the file for error messages. Default `'bytes'` (or the source's name). */
  source?: string;
  /** File layout. Default `'cifar10'`. */
  variant?: CifarVariant;
  /** CIFAR-100 only: which label to return. Default `'fine'`. */
  label?: CifarLabelKind;
}

/** One parsed batch: `pixels` is `N × 32 × 32 × 3` bytes (HWC), `labels` has N entries. */
export interface CifarBatch {
  pixels: Uint8Array;
  labels: Int32Array;
}

function formatOf(variant: CifarVariant): string {
  return variant === 'cifar10' ? 'CIFAR-10' : 'CIFAR-100';
}

/**
 * Parses one CIFAR binary batch (e.g. `data_batch_1.bin`, or CIFAR-100's `train.bin`).
 * The whole file is validated before anything is returned: never a partial load.
 *
 * @param bytes the file's bytes (already decompressed).
 * @param options `source` (for errors), `variant` (default `'cifar10'`), `label`
 *   (CIFAR-100: `'fine'` by default, or `'coarse'`).
 * @returns HWC pixel bytes and int32 labels.
 * @throws {TypeError} when `bytes` is not a Uint8Array.
 * @throws {RangeError} for an unknown `variant` or `label`.
 * @throws {CorruptFileError} when the file is empty, its size is not a whole number of
 *   records (truncated), or a label byte is out of range (the record is named).
 * @example
 * const { pixels, labels } = parseCifarBatch(bytes, { source: 'data_batch_1.bin' });
 * // pixels.length === labels.length * 3072; pixel (y, x, c) of image n at ((n*32+y)*32+x)*3+c
 */
export function parseCifarBatch(bytes: Uint8Array, options: CifarBatchOptions = {}): CifarBatch {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`"bytes" expected a Uint8Array, got ${describeValue(bytes)}`);
  const variant = options.variant === undefined ? 'cifar10' : expectOneOf('variant', options.variant, ['cifar10', 'cifar100'] as const);
  const labelKind = options.label === undefined ? 'fine' : expectOneOf('label', options.label, ['fine', 'coarse'] as const);
  const source = options.source ?? 'bytes';
  const format = formatOf(variant);
  const labelBytes = variant === 'cifar10' ? 1 : 2;
  const record = labelBytes + PIXELS;
  const layout = variant === 'cifar10' ? '1 label byte + 3072 pixel bytes' : '2 label bytes (coarse, fine) + 3072 pixel bytes';
  const fail = (problem: string): CorruptFileError => new CorruptFileError(source, problem, { format });
  if (bytes.length === 0) throw fail(`the file is empty (expected records of ${record} bytes: ${layout})`);
  if (bytes.length % record !== 0) {
    throw fail(
      `size ${bytes.length} bytes is not a multiple of the record size ${record} (${layout}): ` +
        `the file is truncated or not a ${format} batch (${Math.floor(bytes.length / record)} whole records + ${bytes.length % record} bytes)`,
    );
  }
  const n = bytes.length / record;
  // CIFAR-100 stores (coarse, fine); the requested one sits at offset 0 or 1.
  const labelOffset = variant === 'cifar100' && labelKind === 'fine' ? 1 : 0;
  const limits = variant === 'cifar10' ? [10] : [20, 100];
  const labels = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < labelBytes; k++) {
      const v = bytes[r * record + k] as number;
      const limit = limits[k] as number;
      if (v >= limit) {
        const which = variant === 'cifar10' ? 'label' : k === 0 ? 'coarse label' : 'fine label';
        throw fail(`record ${r} (0-based, at byte ${r * record + k}) has ${which} ${v}, expected 0..${limit - 1}`);
      }
    }
    labels[r] = bytes[r * record + labelOffset] as number;
  }
  const pixels = new Uint8Array(n * PIXELS);
  for (let r = 0; r < n; r++) {
    const planes = r * record + labelBytes;
    const out = r * PIXELS;
    for (let p = 0; p < PLANE; p++) {
      pixels[out + 3 * p] = bytes[planes + p] as number;
      pixels[out + 3 * p + 1] = bytes[planes + PLANE + p] as number;
      pixels[out + 3 * p + 2] = bytes[planes + 2 * PLANE + p] as number;
    }
  }
  return { pixels, labels };
}

/**
 * Reads and parses one CIFAR batch from a path, URL, File / Blob or bytes; gzip
 * (`data_batch_1.bin.gz`) is decompressed transparently.
 *
 * @param source where the batch is.
 * @param options as {@link parseCifarBatch}; `source` defaults to the source's name.
 * @returns HWC pixel bytes and int32 labels.
 * @throws {StorageError} when the source cannot be read.
 * @throws {CorruptFileError} as {@link parseCifarBatch}, or for a broken gzip stream.
 * @example
 * const test = await readCifarBatch('cifar-10-batches-bin/test_batch.bin');
 */
export async function readCifarBatch(source: ByteSource, options: CifarBatchOptions = {}): Promise<CifarBatch> {
  const variant = options.variant ?? 'cifar10';
  const bytes = await readBytes(source, formatOf(variant));
  return parseCifarBatch(bytes, { ...options, source: options.source ?? sourceLabel(source) });
}

// ---------------------------------------------------------------------------------
// Folder loaders

/** Options of {@link loadCifar10} and {@link loadCifar100}. */
export interface CifarFolderOptions {
  /**
   * The unpacked archive: the `cifar-10-batches-bin` / `cifar-100-binary` folder or the
   * folder holding it (a path or `file://` URL in Node; an http(s) URL anywhere).
   * Each `.bin` may also be stored gzipped as `.bin.gz` (local folders).
   */
  dir: string | URL;
  /** Which part to load. Default `'all'` (both). */
  split?: 'train' | 'test' | 'all';
}

/** Options of {@link loadCifar100}. */
export interface Cifar100FolderOptions extends CifarFolderOptions {
  /** 100 `'fine'` classes (default) or 20 `'coarse'` superclasses. */
  label?: CifarLabelKind;
}

/** What the CIFAR loaders return: the requested parts. */
export interface CifarSplits {
  train?: ArrayDataset;
  test?: ArrayDataset;
}

const CIFAR10_TRAIN = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'];

/**
 * Loads CIFAR-10 from its binary batches: 50,000 training images (`data_batch_1.bin` …
 * `data_batch_5.bin`) and 10,000 test images (`test_batch.bin`), 32×32×3 bytes each,
 * 10 classes named from `batches.meta.txt` when present (else {@link CIFAR10_CLASS_NAMES}).
 *
 * @param options `dir` (the `cifar-10-batches-bin` folder or its parent), `split`
 *   (default `'all'`).
 * @returns `{ train, test }` (only the requested parts), in-memory pixel datasets named
 *   `'cifar10/train'` and `'cifar10/test'`.
 * @throws {TypeError} when `dir` is not a string or URL.
 * @throws {RangeError} for an unknown `split`.
 * @throws {StorageError} when a batch file is missing or unreadable (named, with the
 *   list of files the folder should contain).
 * @throws {CorruptFileError} when a batch is truncated or holds a bad label.
 * @example
 * const { train } = await loadCifar10({ dir: 'data/cifar-10-batches-bin', split: 'train' });
 * for await (const { x } of train!.batches(64, { shuffle: true, autoDispose: true })) { … }
 */
export async function loadCifar10(options: CifarFolderOptions): Promise<CifarSplits> {
  const { dir, split } = checkFolderOptions(options);
  const root = await resolveDir(dir, 'cifar-10-batches-bin', 'test_batch.bin');
  const needed = [...(split === 'test' ? [] : CIFAR10_TRAIN), ...(split === 'train' ? [] : ['test_batch.bin'])];
  const files = await locateAll(root, needed, 'the CIFAR-10 binary batches data_batch_1.bin … data_batch_5.bin and test_batch.bin');
  const classNames = (await readClassNames(root, 'batches.meta.txt', 10, 'CIFAR-10')) ?? CIFAR10_CLASS_NAMES;
  const read = async (names: readonly string[]): Promise<CifarBatch> =>
    concatBatches(await Promise.all(names.map((f) => readCifarBatch(files.get(f) as string))));
  const out: CifarSplits = {};
  if (split !== 'test') out.train = cifarDataset(await read(CIFAR10_TRAIN), 'cifar10/train', 10, classNames);
  if (split !== 'train') out.test = cifarDataset(await read(['test_batch.bin']), 'cifar10/test', 10, classNames);
  return out;
}

/**
 * Loads CIFAR-100 from its binary version: `train.bin` (50,000 images) and `test.bin`
 * (10,000), 32×32×3 bytes each, with 100 fine or 20 coarse labels; class names from
 * `fine_label_names.txt` / `coarse_label_names.txt` when present.
 *
 * @param options `dir` (the `cifar-100-binary` folder or its parent), `split` (default
 *   `'all'`), `label` (default `'fine'`).
 * @returns `{ train, test }` (only the requested parts), named `'cifar100/train'` etc.
 * @throws {TypeError} when `dir` is not a string or URL.
 * @throws {RangeError} for an unknown `split` or `label`.
 * @throws {StorageError} when `train.bin` or `test.bin` is missing or unreadable.
 * @throws {CorruptFileError} when a file is truncated or holds a bad label.
 * @example
 * const { test } = await loadCifar100({ dir: 'data', split: 'test', label: 'coarse' });
 */
export async function loadCifar100(options: Cifar100FolderOptions): Promise<CifarSplits> {
  const { dir, split } = checkFolderOptions(options);
  const label = options.label === undefined ? 'fine' : expectOneOf('label', options.label, ['fine', 'coarse'] as const);
  const numClasses = label === 'fine' ? 100 : 20;
  const root = await resolveDir(dir, 'cifar-100-binary', 'test.bin');
  const needed = [...(split === 'test' ? [] : ['train.bin']), ...(split === 'train' ? [] : ['test.bin'])];
  const files = await locateAll(root, needed, 'the CIFAR-100 binary files train.bin and test.bin');
  const classNames = await readClassNames(root, `${label}_label_names.txt`, numClasses, 'CIFAR-100');
  const read = (f: string): Promise<CifarBatch> => readCifarBatch(files.get(f) as string, { variant: 'cifar100', label });
  const out: CifarSplits = {};
  if (split !== 'test') out.train = cifarDataset(await read('train.bin'), 'cifar100/train', numClasses, classNames);
  if (split !== 'train') out.test = cifarDataset(await read('test.bin'), 'cifar100/test', numClasses, classNames);
  return out;
}

function checkFolderOptions(options: CifarFolderOptions): { dir: string | URL; split: 'train' | 'test' | 'all' } {
  if (options === null || typeof options !== 'object') throw new TypeError(`"options" expected an object, got ${describeValue(options)}`);
  const { dir } = options;
  if (typeof dir !== 'string' && !(dir instanceof URL)) throw new TypeError(`"dir" expected a path or URL, got ${describeValue(dir)}`);
  const split = options.split === undefined ? 'all' : expectOneOf('split', options.split, ['train', 'test', 'all'] as const);
  return { dir, split };
}

/** A folder that is fetched (a URL, or any folder in the browser) rather than listed. */
function isRemote(dir: string | URL): boolean {
  const s = dir instanceof URL ? dir.href : dir;
  return !fileIoAvailable || /^(https?|blob|data):/i.test(s);
}

function childPath(dir: string | URL, name: string): string {
  if (isRemote(dir)) {
    const base = dir instanceof URL ? dir.href : dir;
    return base.endsWith('/') ? base + name : `${base}/${name}`;
  }
  return joinPath(dir, name);
}

/** `dir` itself, or its archive folder `sub` when that is where `probe` lies. */
async function resolveDir(dir: string | URL, sub: string, probe: string): Promise<string | URL> {
  if (isRemote(dir)) return dir;
  if ((await fileExists(childPath(dir, probe))) || (await fileExists(childPath(dir, `${probe}.gz`)))) return dir;
  const inner = childPath(dir, sub);
  if ((await fileExists(childPath(inner, probe))) || (await fileExists(childPath(inner, `${probe}.gz`)))) return inner;
  return dir;
}

/** Maps each needed file to its path (`name` or `name.gz`), checking all before any is read. */
async function locateAll(dir: string | URL, names: readonly string[], what: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const name of names) {
    const path = childPath(dir, name);
    if (isRemote(dir) || (await fileExists(path))) found.set(name, path);
    else if (await fileExists(`${path}.gz`)) found.set(name, `${path}.gz`);
    else throw new StorageError(path, `missing "${path}": the folder "${String(dir)}" should contain ${what}`);
  }
  return found;
}

/** An optional list of class names, one per line; `undefined` when the file is absent. */
async function readClassNames(dir: string | URL, file: string, count: number, format: string): Promise<string[] | undefined> {
  const path = childPath(dir, file);
  if (!isRemote(dir) && !(await fileExists(path))) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = await readRawBytes(path);
  } catch (e) {
    if (isRemote(dir) && e instanceof StorageError) return undefined;
    throw e;
  }
  const names = new TextDecoder().decode(bytes).split(/\r?\n/).map((s) => s.trim()).filter((s) => s !== '');
  if (names.length !== count) throw new CorruptFileError(path, `expected ${count} class names (one per line), got ${names.length}`, { format });
  return names;
}

function concatBatches(parts: readonly CifarBatch[]): CifarBatch {
  let n = 0;
  for (const p of parts) n += p.labels.length;
  const pixels = new Uint8Array(n * PIXELS);
  const labels = new Int32Array(n);
  let at = 0;
  for (const p of parts) {
    pixels.set(p.pixels, at * PIXELS);
    labels.set(p.labels, at);
    at += p.labels.length;
  }
  return { pixels, labels };
}

function cifarDataset(batch: CifarBatch, name: string, numClasses: number, classNames: readonly string[] | undefined): ArrayDataset {
  return new ArrayDataset(batch.pixels, { name, exampleShape: [32, 32, 3], kind: 'pixels', labels: batch.labels, numClasses, classNames });
}
