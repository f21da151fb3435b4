// The IDX file format of MNIST and its relatives (Fashion-MNIST, EMNIST, KMNIST): a
// 4-byte magic number (0, 0, element type, number of dimensions), one big-endian uint32
// per dimension, then the elements, big-endian, row-major. Plain or gzip-compressed.
import { CorruptFileError, readBytes, sourceLabel, type ByteSource } from '@aeot/tensor-backend';

/** Element types of IDX files, by their type byte. */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** A decoded IDX array. */
export interface IdxArray {
  /** Element type of the file. */
  dtype: IdxDtype;
  /** Dimensions, e.g. `[60000, 28, 28]`. */
  shape: number[];
  /** Elements, row-major, in host byte order (a `Uint8Array` for `uint8` files). */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPES: Record<number, { dtype: IdxDtype; bytes: number }> = {
  0x08: { dtype: 'uint8', bytes: 1 },
  0x09: { dtype: 'int8', bytes: 1 },
  0x0b: { dtype: 'int16', bytes: 2 },
  0x0c: { dtype: 'int32', bytes: 4 },
  0x0d: { dtype: 'float32', bytes: 4 },
  0x0e: { dtype: 'float64', bytes: 8 },
};

/**
 * Decodes the bytes of an (uncompressed) IDX file. Every inconsistency is an error:
 * nothing is returned from a truncated or padded file.
 *
 * @param bytes the file's bytes.
 * @param source the file's name, for errors. Default `'bytes'`.
 * @returns the array.
 * @throws {CorruptFileError} (format `'IDX'`) for a bad magic number, an unknown element
 *   type, a truncated header, or data whose size does not match the header's shape.
 * @example
 * const { shape, data } = parseIdx(bytes, 'train-labels-idx1-ubyte');
 */
export function parseIdx(bytes: Uint8Array, source = 'bytes'): IdxArray {
  const fail = (problem: string): CorruptFileError => new CorruptFileError(source, problem, { format: 'IDX' });
  if (bytes.length < 4) throw fail(`file is ${bytes.length} bytes, shorter than the 4-byte magic number`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const type = TYPES[bytes[2] as number];
  const ndim = bytes[3] as number;
  if (bytes[0] !== 0 || bytes[1] !== 0 || type === undefined || ndim === 0) {
    throw fail(`bad magic number 0x${magic.toString(16).padStart(8, '0')} (expected 0x0000TTNN: TT an element type 08/09/0B/0C/0D/0E, NN ≥ 1 dimensions)`);
  }
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) throw fail(`header needs ${headerBytes} bytes for ${ndim} dimensions, file has ${bytes.length}`);
  const shape: number[] = [];
  let count = 1;
  for (let i = 0; i < ndim; i++) {
    const n = view.getUint32(4 + 4 * i, false);
    shape.push(n);
    count *= n;
  }
  const expected = headerBytes + count * type.bytes;
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? 'truncated' : 'has trailing bytes';
    throw fail(
      `size mismatch: header says ${type.dtype} [${shape.join(', ')}] = ${expected} bytes in all, ` +
        `file has ${bytes.length} (${what})`,
    );
  }
  return { dtype: type.dtype, shape, data: decodeElements(view, headerBytes, count, type.dtype, bytes) };
}

function decodeElements(view: DataView, offset: number, count: number, dtype: IdxDtype, bytes: Uint8Array): IdxArray['data'] {
  switch (dtype) {
    case 'uint8':
      return bytes.slice(offset, offset + count);
    case 'int8':
      return new Int8Array(bytes.slice(offset, offset + count).buffer);
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

/**
 * Reads an IDX file (plain or `.gz`, detected from its bytes) from a path, URL, Blob or
 * bytes.
 *
 * @param source where to read from.
 * @returns the array.
 * @throws {StorageError} when the source cannot be read.
 * @throws {CorruptFileError} when it is not a complete, valid IDX file.
 * @example
 * const labels = await readIdx('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz');
 */
export async function readIdx(source: ByteSource): Promise<IdxArray> {
  return parseIdx(await readBytes(source, 'IDX'), sourceLabel(source));
}

/**
 * Encodes an array as IDX bytes (the inverse of {@link parseIdx}); handy for writing
 * test files and subsets in the same format as the originals.
 *
 * @param array dtype, shape and data (data length must equal the shape's product).
 * @returns the file's bytes.
 * @throws {RangeError} when data and shape disagree or a dimension is not a uint32.
 */
export function encodeIdx(array: IdxArray): Uint8Array {
  const entry = Object.entries(TYPES).find(([, t]) => t.dtype === array.dtype);
  if (entry === undefined) throw new RangeError(`"dtype" expected an IDX element type, got ${String(array.dtype)}`);
  const [typeByte, type] = entry;
  const count = array.shape.reduce((a, b) => a * b, 1);
  if (array.shape.length < 1 || array.shape.length > 255 || array.shape.some((n) => !Number.isInteger(n) || n < 0 || n > 0xffffffff)) {
    throw new RangeError(`"shape" expected 1 to 255 uint32 dimensions, got [${array.shape.join(', ')}]`);
  }
  if (array.data.length !== count) throw new RangeError(`"data" expected ${count} elements for shape [${array.shape.join(', ')}], got ${array.data.length}`);
  const header = 4 + 4 * array.shape.length;
  const out = new Uint8Array(header + count * type.bytes);
  const view = new DataView(out.buffer);
  out[2] = Number(typeByte);
  out[3] = array.shape.length;
  array.shape.forEach((n, i) => view.setUint32(4 + 4 * i, n, false));
  for (let i = 0; i < count; i++) {
    const v = array.data[i] as number;
    const at = header + i * type.bytes;
    switch (array.dtype) {
      case 'uint8':
        view.setUint8(at, v);
        break;
      case 'int8':
        view.setInt8(at, v);
        break;
      case 'int16':
        view.setInt16(at, v, false);
        break;
      case 'int32':
        view.setInt32(at, v, false);
        break;
      case 'float32':
        view.setFloat32(at, v, false);
        break;
      case 'float64':
        view.setFloat64(at, v, false);
        break;
    }
  }
  return out;
}
