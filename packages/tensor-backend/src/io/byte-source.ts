// Where bytes come from: a path (Node), a URL (fetched), a File / Blob (browser file
// pickers), or bytes already in memory; and transparent gzip decompression, so
// `train-images-idx3-ubyte.gz` and the unpacked file read the same. Every loader of
// aeot (data sets, model files, checkpoints) reads through here.
import { fileIoAvailable, readFileBytes } from '#file-io';
import { CorruptFileError } from '../errors.js';
import { describeValue } from '../validate.js';
import { fetchBytes } from './fetch-bytes.js';

/**
 * Anything a loader can read bytes from: a file path or `file://` URL (Node), an
 * `http(s)://` or relative URL (fetched; relative URLs in the browser only), a `File`
 * or `Blob`, or the bytes themselves.
 */
export type ByteSource = string | URL | Blob | ArrayBuffer | ArrayBufferView;

/** A short name for a source, used in error messages and dataset names. */
export function sourceLabel(source: ByteSource): string {
  if (typeof source === 'string') return source;
  if (source instanceof URL) return source.href;
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    const name = (source as Blob & { name?: unknown }).name;
    return typeof name === 'string' && name !== '' ? name : `Blob of ${source.size} bytes`;
  }
  if (source instanceof ArrayBuffer) return `ArrayBuffer of ${source.byteLength} bytes`;
  if (ArrayBuffer.isView(source)) return `${source.constructor.name} of ${source.byteLength} bytes`;
  return describeValue(source);
}

function isRemote(s: string): boolean {
  return /^https?:\/\//i.test(s) || /^blob:/i.test(s) || /^data:/i.test(s);
}

/**
 * Reads every byte of a source, without decompressing.
 *
 * @param source where to read from.
 * @returns the bytes (a view on the caller's memory when given bytes).
 * @throws {TypeError} when `source` is none of the {@link ByteSource} kinds.
 * @throws {StorageError} when a file cannot be read or a URL cannot be fetched.
 */
export async function readRawBytes(source: ByteSource): Promise<Uint8Array> {
  if (typeof source === 'string') {
    if (isRemote(source) || !fileIoAvailable) return fetchBytes(source);
    return readFileBytes(source);
  }
  if (source instanceof URL) {
    return source.protocol === 'file:' ? readFileBytes(source.href) : fetchBytes(source.href);
  }
  if (typeof Blob !== 'undefined' && source instanceof Blob) return new Uint8Array(await source.arrayBuffer());
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  throw new TypeError(`"source" expected a path, URL, Blob, ArrayBuffer or typed array, got ${describeValue(source)}`);
}

/** True when the bytes start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses gzip bytes with the platform's `DecompressionStream` (Node ≥ 18 and
 * every current browser).
 *
 * @param bytes a gzip stream.
 * @param label the source's name for errors.
 * @param format the expected file format, for errors.
 * @throws {CorruptFileError} when the stream is truncated or not valid gzip.
 */
export async function gunzip(bytes: Uint8Array, label: string, format: string): Promise<Uint8Array> {
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new CorruptFileError(label, `gzip stream is truncated or invalid (${e instanceof Error ? e.message : String(e)})`, {
      cause: e,
      format,
    });
  }
}

/**
 * Reads a source and decompresses it when it is gzip.
 *
 * @param source where to read from.
 * @param format the expected file format, for errors (e.g. `'IDX'`).
 * @returns the (decompressed) bytes.
 * @throws {StorageError} when the source cannot be read.
 * @throws {CorruptFileError} when a gzip stream is truncated or invalid.
 */
export async function readBytes(source: ByteSource, format: string): Promise<Uint8Array> {
  const raw = await readRawBytes(source);
  return isGzip(raw) ? gunzip(raw, sourceLabel(source), format) : raw;
}
