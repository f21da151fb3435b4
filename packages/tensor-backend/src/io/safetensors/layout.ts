// The byte layout of a safetensors file, shared by encode and decode: an 8-byte
// little-endian u64 header length N, N bytes of JSON header (padded with spaces to
// 8-byte alignment), then the tensors' bytes, contiguous and in offset order. The
// header maps names to { dtype, shape, data_offsets } and may hold string → string
// pairs under __metadata__.

/** The header key of the string → string metadata. */
export const METADATA_KEY = '__metadata__';

/** Prefix of the `__metadata__` keys that mark complex64 and string tensors. */
export const DTYPE_MARKER_PREFIX = 'aeot.dtype.';

/** Sets an own enumerable property, safe for keys like "__proto__". */
export function put<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Number of elements of a shape (1 for a scalar). */
export function product(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
