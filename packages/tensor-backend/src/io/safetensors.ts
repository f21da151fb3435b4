// The safetensors format, encode and decode, without platform code: an 8-byte
// little-endian u64 header length N, N bytes of JSON header (padded with spaces to
// 8-byte alignment), then the tensors' bytes, contiguous and in offset order.
// Also the typed errors of aeot's tensor IO (corrupt file, unsupported dtype, storage).
//
// tfjs dtypes that safetensors lacks are stored losslessly and marked in __metadata__
// under `aeot.dtype.<name>` so that aeot restores them (other readers see plain data):
//   complex64 → F32 with a trailing dimension 2 (real, imaginary), marker "complex64";
//   string    → 1-D U8 bytes, marker "string", layout (all integers u32 little-endian):
//               rank, the rank dimensions, then for each element in row-major order
//               its byte length followed by its bytes.
import * as tf from '@tensorflow/tfjs-core';
import { AeotError } from '../errors.js';
import { describeValue, expectOneOf } from '../validate.js';

// ---------------------------------------------------------------------------------
// Errors

/**
 * A safetensors file (or byte buffer) is malformed: truncated, a header that is not
 * JSON, offsets out of bounds or overlapping, a size that does not match the shape, an
 * unknown dtype. Nothing is loaded when this is thrown. Code `ERR_AEOT_CORRUPT_FILE`.
 *
 * @example
 * try { await loadTensors('model.safetensors'); }
 * catch (e) { if (e instanceof CorruptFileError) console.log(e.source, e.problem); }
 */
export class CorruptFileError extends AeotError {
  /** The file path, storage key or `bytes` label that was being read. */
  readonly source: string;
  /** What is wrong, without the source. */
  readonly problem: string;
  /** The file format that was expected, e.g. `'safetensors'`, `'IDX'`, `'CIFAR-10'`. */
  readonly format: string;

  /**
   * @param source the file path, storage key or label of the bytes.
   * @param problem what is wrong.
   * @param options `cause`, when another error revealed the problem; `format`, the file
   *   format that was expected (default `'safetensors'`), e.g. `'IDX'` or `'CIFAR-10'`.
   */
  constructor(source: string, problem: string, options?: { cause?: unknown; format?: string }) {
    super('ERR_AEOT_CORRUPT_FILE', `corrupt ${options?.format ?? 'safetensors'} data in "${source}": ${problem}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.format = options?.format ?? 'safetensors';
    this.source = source;
    this.problem = problem;
  }
}

/**
 * A dtype cannot be represented where it was asked for: e.g. a U64 tensor with values
 * beyond int32 loaded as tfjs tensors (load it with `{ as: 'arrays' }` instead), or a
 * sub-byte float format. Code `ERR_AEOT_UNSUPPORTED_DTYPE`.
 *
 * @example
 * try { await loadTensors('big.safetensors'); }
 * catch (e) { if (e instanceof UnsupportedDtypeError) await loadTensors('big.safetensors', { as: 'arrays' }); }
 */
export class UnsupportedDtypeError extends AeotError {
  /** The dtype in question (a safetensors or tfjs dtype name). */
  readonly dtype: string;

  /**
   * @param dtype the dtype name.
   * @param message the full explanation.
   */
  constructor(dtype: string, message: string) {
    super('ERR_AEOT_UNSUPPORTED_DTYPE', message);
    this.dtype = dtype;
  }
}

/**
 * Saving or loading failed outside the data itself: the file cannot be read or
 * written, nothing is stored under an IndexedDB key, the quota is exceeded, or the
 * target kind does not exist on this platform (`indexeddb://` in Node, a file path in
 * the browser). Code `ERR_AEOT_STORAGE`; `cause` holds the underlying error if any.
 *
 * @example
 * try { await loadTensors('indexeddb://missing'); }
 * catch (e) { if (e instanceof StorageError) console.log(e.target, e.message); }
 */
export class StorageError extends AeotError {
  /** The target or source as the caller wrote it. */
  readonly target: string;

  /**
   * @param target the path or URL-like target.
   * @param message the full explanation.
   * @param options `cause`: the underlying error.
   */
  constructor(target: string, message: string, options?: { cause?: unknown }) {
    super('ERR_AEOT_STORAGE', message, options);
    this.target = target;
  }
}

// ---------------------------------------------------------------------------------
// Types

/** Every dtype name of the safetensors format that aeot reads and writes. */
export const SAFETENSORS_DTYPES = [
  'BOOL',
  'U8',
  'I8',
  'F8_E5M2',
  'F8_E4M3',
  'F8_E8M0',
  'U16',
  'I16',
  'F16',
  'BF16',
  'U32',
  'I32',
  'F32',
  'U64',
  'I64',
  'F64',
] as const;

/** A safetensors dtype name, e.g. `'F32'`. */
export type SafetensorsDtype = (typeof SAFETENSORS_DTYPES)[number];

/** Sub-byte dtypes of the format that aeot recognises but cannot read. */
const SUB_BYTE_DTYPES: readonly string[] = ['F4', 'F6_E2M3', 'F6_E3M2'];

/** The typed arrays that hold raw tensor data. */
export type TensorArrayData =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | BigInt64Array
  | BigUint64Array;

/** tfjs dtypes that are stored under a marker (see the file comment of this module). */
export type MarkedTfDtype = 'complex64' | 'string';

/**
 * A tensor as raw data: a typed array in row-major order, its shape and its
 * safetensors dtype. This is what `{ as: 'arrays' }` loads: exactly the stored form.
 */
export interface TensorArray {
  /** The safetensors dtype of `data`. */
  dtype: SafetensorsDtype;
  /** Dimensions; `[]` for a scalar. */
  shape: number[];
  /**
   * The values. F16 / BF16 / F8 hold their bit patterns (Uint16Array / Uint8Array);
   * BOOL holds 0 / 1 bytes; I64 / U64 hold BigInt64Array / BigUint64Array.
   */
  data: TensorArrayData;
  /** Set when the data stores a tfjs complex64 or string tensor (see module comment). */
  tfDtype?: MarkedTfDtype;
}

/**
 * Raw data to save. `dtype` defaults from the array type (Float64Array → F64,
 * Float32Array → F32, Int32Array → I32, Uint8Array → U8, BigInt64Array → I64, …); give
 * it to store a Uint8Array as BOOL or a Uint16Array as F16 / BF16 bit patterns.
 */
export interface TensorArrayLike {
  /** The values in row-major order; length = product of `shape`. */
  data: TensorArrayData;
  /** Dimensions; `[]` for a scalar. */
  shape: readonly number[];
  /** Safetensors dtype; must match the array type. */
  dtype?: SafetensorsDtype;
  /** Marks data in the stored layout of a tfjs complex64 or string tensor. */
  tfDtype?: MarkedTfDtype;
}

/** Named values to save: tfjs tensors (any dtype) and/or raw typed arrays. */
export type TensorRecord = Readonly<Record<string, tf.Tensor | TensorArrayLike>>;

/** What to load tensors as: tfjs tensors (default) or raw {@link TensorArray}s. */
export type LoadAs = 'tensors' | 'arrays';

/** Loaded tensors (or arrays) and the user metadata of the file. */
export interface LoadedTensors<T> {
  /** The tensors by name, in file offset order. */
  tensors: Record<string, T>;
  /** The string → string `__metadata__`, without aeot's own `aeot.dtype.*` markers. */
  metadata: Record<string, string>;
}

/** Options of {@link encodeSafetensors}. */
export interface EncodeOptions {
  /** String → string metadata stored in `__metadata__` (keys `aeot.dtype.*` are reserved). */
  metadata?: Readonly<Record<string, string>>;
}

/** Options of {@link decodeSafetensors}. */
export interface DecodeOptions {
  /** `'tensors'` (default) or `'arrays'`; see {@link decodeSafetensors}. */
  as?: LoadAs;
  /** Name of the data in error messages (a path, a URL); default `"bytes"`. */
  source?: string;
}

/** The encoded file as a list of byte chunks (header first) that share tensor memory. */
export interface SafetensorsParts {
  /** Header (length prefix + JSON + padding), then one chunk per non-empty tensor. */
  parts: Uint8Array[];
  /** Total byte length of all parts. */
  byteLength: number;
}

// ---------------------------------------------------------------------------------
// Dtype tables

interface DtypeInfo {
  readonly size: number;
  /** Constructor of the typed array that holds this dtype. */
  readonly array: new (buffer: ArrayBuffer, byteOffset?: number, length?: number) => TensorArrayData;
}

const DTYPES: Readonly<Record<SafetensorsDtype, DtypeInfo>> = {
  BOOL: { size: 1, array: Uint8Array },
  U8: { size: 1, array: Uint8Array },
  I8: { size: 1, array: Int8Array },
  F8_E5M2: { size: 1, array: Uint8Array },
  F8_E4M3: { size: 1, array: Uint8Array },
  F8_E8M0: { size: 1, array: Uint8Array },
  U16: { size: 2, array: Uint16Array },
  I16: { size: 2, array: Int16Array },
  F16: { size: 2, array: Uint16Array },
  BF16: { size: 2, array: Uint16Array },
  U32: { size: 4, array: Uint32Array },
  I32: { size: 4, array: Int32Array },
  F32: { size: 4, array: Float32Array },
  U64: { size: 8, array: BigUint64Array },
  I64: { size: 8, array: BigInt64Array },
  F64: { size: 8, array: Float64Array },
};

const METADATA_KEY = '__metadata__';
/** Prefix of the `__metadata__` keys that mark complex64 and string tensors. */
export const DTYPE_MARKER_PREFIX = 'aeot.dtype.';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function isSafetensorsDtype(value: string): value is SafetensorsDtype {
  return Object.prototype.hasOwnProperty.call(DTYPES, value);
}

/** The default safetensors dtype of a typed array, or undefined for other values. */
function defaultDtype(data: unknown): SafetensorsDtype | undefined {
  if (data instanceof Float64Array) return 'F64';
  if (data instanceof Float32Array) return 'F32';
  if (data instanceof Int32Array) return 'I32';
  if (data instanceof Uint32Array) return 'U32';
  if (data instanceof Int16Array) return 'I16';
  if (data instanceof Uint16Array) return 'U16';
  if (data instanceof Int8Array) return 'I8';
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return 'U8';
  if (data instanceof BigInt64Array) return 'I64';
  if (data instanceof BigUint64Array) return 'U64';
  return undefined;
}

/** Sets an own enumerable property, safe for keys like "__proto__". */
function put<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

function product(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function isTensor(value: unknown): value is tf.Tensor {
  if (value instanceof tf.Tensor) return true;
  // Tolerate a second copy of tfjs-core (instanceof fails across copies).
  const v = value as { dataId?: unknown; dtype?: unknown; shape?: unknown; data?: unknown } | null;
  return (
    typeof v === 'object' && v !== null && v.dataId !== undefined && typeof v.dtype === 'string' &&
    Array.isArray(v.shape) && typeof v.data === 'function'
  );
}

// ---------------------------------------------------------------------------------
// String tensor layout

/** Packs string elements (as bytes) with the shape into aeot's U8 layout. */
function packStrings(shape: readonly number[], values: readonly Uint8Array[]): Uint8Array {
  let total = 4 + 4 * shape.length;
  for (const v of values) total += 4 + v.byteLength;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let pos = 0;
  view.setUint32(pos, shape.length, true);
  pos += 4;
  for (const d of shape) {
    view.setUint32(pos, d, true);
    pos += 4;
  }
  for (const v of values) {
    view.setUint32(pos, v.byteLength, true);
    pos += 4;
    out.set(v, pos);
    pos += v.byteLength;
  }
  return out;
}

/** Unpacks aeot's U8 string layout; returns a description of the problem on failure. */
function unpackStrings(bytes: Uint8Array): { shape: number[]; values: Uint8Array[] } | string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const u32 = (): number | undefined => {
    if (pos + 4 > bytes.byteLength) return undefined;
    const v = view.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const rank = u32();
  if (rank === undefined) return 'string data is shorter than its rank field';
  if (rank > 64) return `string data declares rank ${rank}`;
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) {
    const d = u32();
    if (d === undefined) return 'string data ends inside its shape';
    shape.push(d);
  }
  const count = product(shape);
  // Each element takes at least 4 bytes, which bounds the count before allocating.
  if (count * 4 > bytes.byteLength - pos) return `string data is too short for ${count} elements`;
  const values: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const len = u32();
    if (len === undefined || pos + len > bytes.byteLength) return `string element ${i} runs past the end of its data`;
    values.push(bytes.slice(pos, pos + len));
    pos += len;
  }
  if (pos !== bytes.byteLength) return `${bytes.byteLength - pos} unused bytes after the last string element`;
  return { shape, values };
}

// ---------------------------------------------------------------------------------
// Encoding

interface PreparedEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  bytes: Uint8Array;
  marker?: MarkedTfDtype;
}

/** Little-endian bytes of a typed array, sharing its memory where the platform allows. */
function littleEndianBytes(data: TensorArrayData): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN || data.BYTES_PER_ELEMENT === 1) return bytes;
  const size = data.BYTES_PER_ELEMENT;
  const out = new Uint8Array(bytes.byteLength);
  for (let i = 0; i < out.byteLength; i += size) {
    for (let j = 0; j < size; j++) out[i + j] = bytes[i + size - 1 - j] as number;
  }
  return out;
}

function checkShape(where: string, shape: unknown): number[] {
  if (!Array.isArray(shape)) throw new TypeError(`"${where}.shape" expected an array of integers, got ${describeValue(shape)}`);
  const out: number[] = [];
  for (const d of shape as unknown[]) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new RangeError(`"${where}.shape" expected non-negative integers, got ${describeValue(d)} in [${shape.join(', ')}]`);
    }
    out.push(d);
  }
  return out;
}

function prepareArray(name: string, value: TensorArrayLike): PreparedEntry {
  const where = `tensors.${name}`;
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(`"${where}" expected a tf.Tensor or { data, shape, dtype? }, got ${describeValue(value)}`);
  }
  const natural = defaultDtype(value.data);
  if (natural === undefined) {
    throw new TypeError(`"${where}.data" expected a typed array (Float64Array, Float32Array, Int32Array, …), got ${describeValue(value.data)}`);
  }
  const shape = checkShape(where, value.shape);
  let dtype: SafetensorsDtype = natural;
  if (value.dtype !== undefined) {
    dtype = expectOneOf(`${where}.dtype`, value.dtype, SAFETENSORS_DTYPES);
    const info = DTYPES[dtype];
    const matches =
      value.data instanceof Uint8ClampedArray ? info.array === Uint8Array : value.data instanceof info.array;
    if (!matches) {
      throw new TypeError(`"${where}.data" expected the array type of dtype ${dtype} (${info.array.name}), got ${describeValue(value.data)}`);
    }
  }
  const count = product(shape);
  if (value.data.length !== count) {
    throw new RangeError(`"${where}.data" expected ${count} elements for shape [${shape.join(', ')}], got ${value.data.length}`);
  }
  const bytes = littleEndianBytes(value.data);
  const entry: PreparedEntry = { name, dtype, shape, bytes };
  if (value.tfDtype !== undefined) {
    const marker = expectOneOf(`${where}.tfDtype`, value.tfDtype, ['complex64', 'string'] as const);
    const problem = markerProblem(marker, dtype, shape, bytes);
    if (problem !== undefined) throw new RangeError(`"${where}" is marked ${marker} but ${problem}`);
    entry.marker = marker;
  }
  if (dtype === 'BOOL') {
    for (const b of bytes) {
      if (b > 1) throw new RangeError(`"${where}.data" expected only 0 and 1 for dtype BOOL, got ${b}`);
    }
  }
  return entry;
}

async function prepareTensor(name: string, t: tf.Tensor): Promise<PreparedEntry> {
  if (t.isDisposed) throw new TypeError(`"tensors.${name}" expected a live tf.Tensor, got a disposed tensor`);
  const shape = [...t.shape];
  switch (t.dtype) {
    case 'float32':
      return { name, dtype: 'F32', shape, bytes: littleEndianBytes((await t.data()) as Float32Array) };
    case 'int32':
      return { name, dtype: 'I32', shape, bytes: littleEndianBytes((await t.data()) as Int32Array) };
    case 'bool': {
      const data = (await t.data()) as Uint8Array;
      return { name, dtype: 'BOOL', shape, bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
    }
    case 'complex64': {
      // tfjs reads complex64 as interleaved (real, imaginary) float32 pairs.
      const data = (await t.data()) as Float32Array;
      return { name, dtype: 'F32', shape: [...shape, 2], bytes: littleEndianBytes(data), marker: 'complex64' };
    }
    case 'string': {
      const values = (await t.bytes()) as Uint8Array[];
      const bytes = packStrings(shape, values);
      return { name, dtype: 'U8', shape: [bytes.byteLength], bytes, marker: 'string' };
    }
    default:
      throw new UnsupportedDtypeError(String(t.dtype), `tensor "${name}" has dtype ${String(t.dtype)}, which cannot be saved`);
  }
}

function checkMetadata(metadata: unknown): Record<string, string> {
  if (metadata === undefined) return {};
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new TypeError(`"metadata" expected an object of strings, got ${describeValue(metadata)}`);
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') throw new TypeError(`"metadata.${key}" expected a string, got ${describeValue(value)}`);
    if (key.startsWith(DTYPE_MARKER_PREFIX)) {
      throw new RangeError(`"metadata" expected no key starting with "${DTYPE_MARKER_PREFIX}" (reserved), got "${key}"`);
    }
    put(out, key, value);
  }
  return out;
}

/**
 * Encodes named tensors into safetensors chunks without concatenating them: the
 * header, then each tensor's bytes (views of the tensors' own memory wherever
 * possible, so large files are never copied twice). Tensors are ordered by item size
 * (largest first), then by name, so every tensor is naturally aligned in the file.
 * Do not modify the inputs until the chunks have been consumed.
 *
 * @param tensors named tfjs tensors (any dtype) and/or raw typed arrays.
 * @param options `metadata`: string → string pairs stored in `__metadata__`.
 * @returns the chunks and their total byte length.
 * @throws {TypeError | RangeError} for a malformed record, value or metadata.
 * @throws {UnsupportedDtypeError} for a tensor dtype outside tfjs's five.
 * @example
 * const { parts } = await encodeSafetensorsParts({ w: tf.ones([2, 2]) });
 * const blob = new Blob(parts);
 */
export async function encodeSafetensorsParts(tensors: TensorRecord, options: EncodeOptions = {}): Promise<SafetensorsParts> {
  if (typeof tensors !== 'object' || tensors === null || Array.isArray(tensors) || isTensor(tensors)) {
    throw new TypeError(`"tensors" expected an object of named tensors, got ${describeValue(tensors)}`);
  }
  if (typeof options !== 'object' || options === null) throw new TypeError(`"options" expected an object, got ${describeValue(options)}`);
  const userMetadata = checkMetadata(options.metadata);

  const names = Object.keys(tensors);
  for (const name of names) {
    if (name === '' || name === METADATA_KEY) {
      throw new RangeError(`"tensors" expected names other than "" and "${METADATA_KEY}", got ${describeValue(name)}`);
    }
  }
  // Validate every value before reading any tensor data.
  for (const name of names) {
    const value = tensors[name];
    if (!isTensor(value) && (typeof value !== 'object' || value === null || !('data' in value))) {
      throw new TypeError(`"tensors.${name}" expected a tf.Tensor or { data, shape, dtype? }, got ${describeValue(value)}`);
    }
  }
  const entries: PreparedEntry[] = [];
  for (const name of names) {
    const value = tensors[name] as tf.Tensor | TensorArrayLike;
    entries.push(isTensor(value) ? await prepareTensor(name, value) : prepareArray(name, value));
  }
  entries.sort((a, b) => DTYPES[b.dtype].size - DTYPES[a.dtype].size || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(userMetadata)) put(metadata, k, v);
  for (const e of entries) if (e.marker !== undefined) put(metadata, DTYPE_MARKER_PREFIX + e.name, e.marker);

  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) put(header, METADATA_KEY, metadata);
  let offset = 0;
  for (const e of entries) {
    put(header, e.name, { dtype: e.dtype, shape: e.shape, data_offsets: [offset, offset + e.bytes.byteLength] });
    offset += e.bytes.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.byteLength / 8) * 8;
  const head = new Uint8Array(8 + padded);
  new DataView(head.buffer).setBigUint64(0, BigInt(padded), true);
  head.set(json, 8);
  head.fill(0x20, 8 + json.byteLength);

  const parts: Uint8Array[] = [head];
  for (const e of entries) if (e.bytes.byteLength > 0) parts.push(e.bytes);
  return { parts, byteLength: head.byteLength + offset };
}

/**
 * Encodes named tensors as one safetensors byte array (readable by Python's
 * `safetensors`, numpy, and {@link decodeSafetensors}). tfjs complex64 and string
 * tensors are stored under markers in `__metadata__` (see the module comment).
 *
 * @param tensors named tfjs tensors (any dtype) and/or raw typed arrays.
 * @param options `metadata`: string → string pairs stored in `__metadata__`.
 * @returns the file's bytes.
 * @throws {TypeError | RangeError} for a malformed record, value or metadata.
 * @throws {UnsupportedDtypeError} for a tensor dtype outside tfjs's five.
 * @example
 * const bytes = await encodeSafetensors({ w: tf.ones([2, 2]), acc: { data: new Float64Array(4), shape: [4] } });
 */
export async function encodeSafetensors(tensors: TensorRecord, options: EncodeOptions = {}): Promise<Uint8Array> {
  const { parts, byteLength } = await encodeSafetensorsParts(tensors, options);
  return concatParts(parts, byteLength);
}

/**
 * Concatenates byte chunks (e.g. {@link encodeSafetensorsParts}' parts) into one array.
 *
 * @param parts the chunks, in order.
 * @param byteLength their total byte length.
 * @returns a new array holding all chunks back to back.
 * @example
 * const { parts, byteLength } = await encodeSafetensorsParts(tensors);
 * const bytes = concatParts(parts, byteLength);
 */
export function concatParts(parts: readonly Uint8Array[], byteLength: number): Uint8Array {
  const out = new Uint8Array(byteLength);
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.byteLength;
  }
  return out;
}

// ---------------------------------------------------------------------------------
// Decoding

function markerProblem(marker: MarkedTfDtype, dtype: SafetensorsDtype, shape: readonly number[], bytes: Uint8Array): string | undefined {
  if (marker === 'complex64') {
    if (dtype !== 'F32') return `its dtype is ${dtype}, not F32`;
    if (shape.length === 0 || shape[shape.length - 1] !== 2) return `its shape [${shape.join(', ')}] lacks a trailing dimension 2`;
    return undefined;
  }
  if (dtype !== 'U8' || shape.length !== 1) return `it is ${dtype} [${shape.join(', ')}], not 1-D U8`;
  const unpacked = unpackStrings(bytes);
  return typeof unpacked === 'string' ? unpacked : undefined;
}

interface HeaderEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

function parseEntry(corrupt: (problem: string) => CorruptFileError, name: string, raw: unknown, bufferLength: number): HeaderEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw corrupt(`tensor "${name}" has a header entry that is not an object`);
  const { dtype, shape, data_offsets: offsets } = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (typeof dtype !== 'string') throw corrupt(`tensor "${name}" has no dtype string`);
  if (!isSafetensorsDtype(dtype)) {
    if (SUB_BYTE_DTYPES.includes(dtype)) {
      throw new UnsupportedDtypeError(dtype, `tensor "${name}" has the sub-byte dtype ${dtype}, which aeot cannot read`);
    }
    throw corrupt(`tensor "${name}" has unknown dtype ${JSON.stringify(dtype)}`);
  }
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    throw corrupt(`tensor "${name}" has an invalid shape ${JSON.stringify(shape)}`);
  }
  if (
    !Array.isArray(offsets) || offsets.length !== 2 ||
    !offsets.every((o) => typeof o === 'number' && Number.isSafeInteger(o) && o >= 0)
  ) {
    throw corrupt(`tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) throw corrupt(`tensor "${name}" has data_offsets [${begin}, ${end}] that end before they begin`);
  if (end > bufferLength) {
    throw corrupt(`tensor "${name}" has data_offsets [${begin}, ${end}] beyond the ${bufferLength}-byte data buffer (truncated file?)`);
  }
  const dims = shape as number[];
  const expected = product(dims) * DTYPES[dtype].size;
  if (expected !== end - begin) {
    throw corrupt(
      `tensor "${name}" of shape [${dims.join(', ')}] and dtype ${dtype} needs ${expected} bytes, ` +
        `but its data_offsets [${begin}, ${end}] span ${end - begin}`,
    );
  }
  return { name, dtype, shape: dims, begin, end };
}

/** Parses and validates the whole file; returns raw arrays and the full metadata. */
function decodeRaw(input: Uint8Array, source: string): { tensors: Record<string, TensorArray>; metadata: Record<string, string> } {
  const corrupt = (problem: string, cause?: unknown): CorruptFileError =>
    new CorruptFileError(source, problem, cause === undefined ? undefined : { cause });
  const total = input.byteLength;
  if (total < 8) throw corrupt(`truncated: ${total} bytes, fewer than the 8-byte header length`);
  const view = new DataView(input.buffer, input.byteOffset, total);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(total - 8)) {
    throw corrupt(`header length ${headerLength} exceeds the ${total - 8} bytes after the length field (truncated or not safetensors)`);
  }
  const n = Number(headerLength);
  if (n < 2) throw corrupt(`header length ${n} is too small for a JSON object`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(input.subarray(8, 8 + n));
  } catch (e) {
    throw corrupt('header is not valid UTF-8', e);
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw corrupt(`header is not valid JSON (${(e as Error).message})`, e);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw corrupt('header JSON is not an object');

  const dataStart = 8 + n;
  const bufferLength = total - dataStart;
  const metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [key, raw] of Object.entries(header as Record<string, unknown>)) {
    if (key === METADATA_KEY) {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw corrupt('__metadata__ is not an object');
      for (const [mk, mv] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof mv !== 'string') throw corrupt(`__metadata__ value of "${mk}" is not a string`);
        put(metadata, mk, mv);
      }
      continue;
    }
    entries.push(parseEntry(corrupt, key, raw, bufferLength));
  }

  // Contiguous, in offset order, covering the buffer exactly.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expectedBegin = 0;
  let previous: HeaderEntry | undefined;
  for (const e of entries) {
    if (e.begin < expectedBegin && previous !== undefined) {
      throw corrupt(`tensors "${previous.name}" [${previous.begin}, ${previous.end}] and "${e.name}" [${e.begin}, ${e.end}] overlap`);
    }
    if (e.begin > expectedBegin) throw corrupt(`${e.begin - expectedBegin} unused bytes before tensor "${e.name}" at offset ${expectedBegin}`);
    expectedBegin = e.end;
    previous = e;
  }
  if (expectedBegin !== bufferLength) {
    throw corrupt(`tensors cover ${expectedBegin} bytes, but the data buffer holds ${bufferLength} (${bufferLength - expectedBegin} trailing bytes)`);
  }

  const tensors: Record<string, TensorArray> = {};
  for (const e of entries) {
    const start = input.byteOffset + dataStart + e.begin;
    const copy = input.buffer.slice(start, start + (e.end - e.begin)) as ArrayBuffer;
    const info = DTYPES[e.dtype];
    if (!LITTLE_ENDIAN && info.size > 1) {
      const b = new Uint8Array(copy);
      for (let i = 0; i < b.length; i += info.size) b.subarray(i, i + info.size).reverse();
    }
    const data = new info.array(copy);
    if (e.dtype === 'BOOL') {
      const bad = (data as Uint8Array).findIndex((b) => b > 1);
      if (bad >= 0) throw corrupt(`BOOL tensor "${e.name}" holds byte ${(data as Uint8Array)[bad]} at element ${bad}`);
    }
    put(tensors, e.name, { dtype: e.dtype, shape: e.shape, data });
  }

  for (const [key, value] of Object.entries(metadata)) {
    if (!key.startsWith(DTYPE_MARKER_PREFIX)) continue;
    const name = key.slice(DTYPE_MARKER_PREFIX.length);
    const t = tensors[name];
    if (t === undefined) throw corrupt(`__metadata__ marks "${name}" as ${value}, but there is no such tensor`);
    if (value !== 'complex64' && value !== 'string') throw corrupt(`__metadata__ marks "${name}" with unknown tfjs dtype ${JSON.stringify(value)}`);
    const problem = markerProblem(value, t.dtype, t.shape, t.data as Uint8Array);
    if (problem !== undefined) throw corrupt(`tensor "${name}" is marked ${value} but ${problem}`);
    t.tfDtype = value;
  }
  return { tensors, metadata };
}

function f16ToF32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Converts one raw array to what a tfjs tensor holds, or throws UnsupportedDtypeError. */
function tensorValues(name: string, t: TensorArray): { dtype: tf.DataType; shape: number[]; values: tf.TypedArray | Uint8Array[] } {
  const { shape } = t;
  if (t.tfDtype === 'complex64') return { dtype: 'complex64', shape: shape.slice(0, -1), values: t.data as Float32Array };
  if (t.tfDtype === 'string') {
    const unpacked = unpackStrings(t.data as Uint8Array) as { shape: number[]; values: Uint8Array[] };
    return { dtype: 'string', shape: unpacked.shape, values: unpacked.values };
  }
  const toInt32 = (): Int32Array => {
    const out = new Int32Array(t.data.length);
    for (let i = 0; i < out.length; i++) {
      const v = t.data[i] as number | bigint;
      if (v < -2147483648 || v > 2147483647) {
        throw new UnsupportedDtypeError(
          t.dtype,
          `tensor "${name}" (${t.dtype}) holds ${String(v)} at element ${i}, outside the int32 range of tfjs; load it with { as: 'arrays' }`,
        );
      }
      out[i] = Number(v);
    }
    return out;
  };
  switch (t.dtype) {
    case 'F32':
      return { dtype: 'float32', shape, values: t.data as Float32Array };
    case 'F64':
      return { dtype: 'float32', shape, values: Float32Array.from(t.data as Float64Array) };
    case 'F16':
      return { dtype: 'float32', shape, values: Float32Array.from(t.data as Uint16Array, f16ToF32) };
    case 'BF16': {
      const out = new Uint32Array(t.data.length);
      for (let i = 0; i < out.length; i++) out[i] = ((t.data[i] as number) << 16) >>> 0;
      return { dtype: 'float32', shape, values: new Float32Array(out.buffer) };
    }
    case 'I32':
      return { dtype: 'int32', shape, values: t.data as Int32Array };
    case 'BOOL':
      return { dtype: 'bool', shape, values: t.data as Uint8Array };
    case 'U8':
    case 'I8':
    case 'U16':
    case 'I16':
      return { dtype: 'int32', shape, values: Int32Array.from(t.data as ArrayLike<number>) };
    case 'U32':
    case 'I64':
    case 'U64':
      return { dtype: 'int32', shape, values: toInt32() };
    default:
      throw new UnsupportedDtypeError(t.dtype, `tensor "${name}" has dtype ${t.dtype}, which tfjs cannot hold; load it with { as: 'arrays' }`);
  }
}

/**
 * Decodes safetensors bytes (from `fetch`, a File input, a file read) after validating
 * them strictly: header length within the data, valid JSON, known dtypes, sizes that
 * match the shapes, offsets in bounds, contiguous, non-overlapping and covering the
 * buffer. Nothing is returned unless everything is valid. The result never shares
 * memory with `bytes`.
 *
 * With `as: 'tensors'` (default) values become tfjs tensors: F32 → float32; F64 →
 * float32 rounded to nearest (out-of-range values become ±Infinity; keep full
 * precision with `as: 'arrays'`); F16 / BF16 → float32 (exact); I32 → int32; I8, U8,
 * I16, U16 → int32 (exact); U32, I64, U64 → int32 when every value fits, else
 * {@link UnsupportedDtypeError}; BOOL → bool; marked complex64 / string data →
 * complex64 / string tensors. F8 formats cannot become tensors. The caller owns the
 * returned tensors (dispose them).
 *
 * With `as: 'arrays'`, values are {@link TensorArray}s in the stored form.
 *
 * @param bytes the whole file.
 * @param options `as`: `'tensors'` | `'arrays'`; `source`: name for error messages.
 * @returns the tensors (or arrays) in offset order and the user metadata.
 * @throws {CorruptFileError} when the data is not valid safetensors.
 * @throws {UnsupportedDtypeError} when a dtype cannot be loaded as asked.
 * @throws {TypeError | RangeError} for invalid arguments.
 * @example
 * const res = await fetch('/weights.safetensors');
 * const { tensors, metadata } = decodeSafetensors(new Uint8Array(await res.arrayBuffer()));
 */
export function decodeSafetensors(bytes: Uint8Array | ArrayBuffer, options?: DecodeOptions & { as?: 'tensors' }): LoadedTensors<tf.Tensor>;
export function decodeSafetensors(bytes: Uint8Array | ArrayBuffer, options: DecodeOptions & { as: 'arrays' }): LoadedTensors<TensorArray>;
export function decodeSafetensors(bytes: Uint8Array | ArrayBuffer, options?: DecodeOptions): LoadedTensors<tf.Tensor> | LoadedTensors<TensorArray>;
export function decodeSafetensors(
  bytes: Uint8Array | ArrayBuffer,
  options: DecodeOptions = {},
): LoadedTensors<tf.Tensor> | LoadedTensors<TensorArray> {
  const input = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  if (!(input instanceof Uint8Array)) throw new TypeError(`"bytes" expected a Uint8Array or ArrayBuffer, got ${describeValue(bytes)}`);
  if (typeof options !== 'object' || options === null) throw new TypeError(`"options" expected an object, got ${describeValue(options)}`);
  const as = options.as === undefined ? 'tensors' : expectOneOf('options.as', options.as, ['tensors', 'arrays'] as const);
  const source = options.source === undefined ? 'bytes' : String(options.source);

  const raw = decodeRaw(input, source);
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw.metadata)) if (!k.startsWith(DTYPE_MARKER_PREFIX)) put(metadata, k, v);
  if (as === 'arrays') return { tensors: raw.tensors, metadata };

  // Convert everything first (this may throw), then create tensors.
  const converted = Object.entries(raw.tensors).map(([name, t]) => [name, tensorValues(name, t)] as const);
  const tensors: Record<string, tf.Tensor> = {};
  try {
    for (const [name, c] of converted) {
      if (c.dtype === 'complex64') {
        const pairs = c.values as Float32Array;
        const re = new Float32Array(pairs.length / 2);
        const im = new Float32Array(pairs.length / 2);
        for (let i = 0; i < re.length; i++) {
          re[i] = pairs[2 * i] as number;
          im[i] = pairs[2 * i + 1] as number;
        }
        put(tensors, name, tf.tidy(() => tf.complex(tf.tensor(re, c.shape, 'float32'), tf.tensor(im, c.shape, 'float32'))));
      } else {
        put(tensors, name, tf.tensor(c.values, c.shape, c.dtype));
      }
    }
  } catch (e) {
    tf.dispose(Object.values(tensors));
    throw e;
  }
  return { tensors, metadata };
}
