// Strict parsing of safetensors bytes into raw TensorArrays: the header length within the
// data, valid UTF-8 JSON, known dtypes, sizes that match the shapes, offsets in bounds,
// contiguous, non-overlapping and covering the buffer, BOOL bytes 0 / 1, and valid
// complex64 / string markers. Nothing is returned unless everything is valid.
import { CorruptFileError, UnsupportedDtypeError } from '../../errors.js';
import { DTYPES, isSafetensorsDtype, LITTLE_ENDIAN, SUB_BYTE_DTYPES } from './dtypes.js';
import { DTYPE_MARKER_PREFIX, METADATA_KEY, product, put } from './layout.js';
import { markerProblem } from './string-layout.js';
import type { SafetensorsDtype, TensorArray } from './types.js';

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

/**
 * Parses and validates the whole file; returns raw arrays (copies, never views of
 * `input`) and the full metadata, aeot's markers included.
 *
 * @throws {CorruptFileError} when the data is not valid safetensors.
 * @throws {UnsupportedDtypeError} for a sub-byte dtype.
 */
export function decodeRaw(input: Uint8Array, source: string): { tensors: Record<string, TensorArray>; metadata: Record<string, string> } {
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
