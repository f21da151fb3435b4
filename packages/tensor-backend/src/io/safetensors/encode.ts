// Encoding named tensors (tfjs tensors of any dtype, or raw typed arrays) as safetensors:
// validation of every value first, then a header and one chunk per tensor that shares
// the tensor's memory where it can.
import * as tf from '@tensorflow/tfjs-core';
import { UnsupportedDtypeError } from '../../errors.js';
import { describeValue, expectOneOf } from '../../validate.js';
import { concatParts } from '../concat-parts.js';
import { defaultDtype, DTYPES, littleEndianBytes } from './dtypes.js';
import { DTYPE_MARKER_PREFIX, METADATA_KEY, product, put } from './layout.js';
import { markerProblem, packStrings } from './string-layout.js';
import {
  SAFETENSORS_DTYPES,
  type EncodeOptions,
  type MarkedTfDtype,
  type SafetensorsDtype,
  type SafetensorsParts,
  type TensorArrayLike,
  type TensorRecord,
} from './types.js';

interface PreparedEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  bytes: Uint8Array;
  marker?: MarkedTfDtype;
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
