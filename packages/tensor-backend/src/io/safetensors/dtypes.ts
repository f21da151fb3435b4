// The dtype table of the safetensors format: element size and typed-array class of each
// dtype, the default dtype of each typed array, and little-endian byte views (the
// format is little-endian whatever the host is).
import type { SafetensorsDtype, TensorArrayData } from './types.js';

/** How one dtype is stored: bytes per element and the typed array that holds it. */
export interface DtypeInfo {
  /** Bytes per element. */
  readonly size: number;
  /** Constructor of the typed array that holds this dtype. */
  readonly array: new (buffer: ArrayBuffer, byteOffset?: number, length?: number) => TensorArrayData;
}

/** Every safetensors dtype with its storage. */
export const DTYPES: Readonly<Record<SafetensorsDtype, DtypeInfo>> = {
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

/** Sub-byte dtypes of the format that aeot recognises but cannot read. */
export const SUB_BYTE_DTYPES: readonly string[] = ['F4', 'F6_E2M3', 'F6_E3M2'];

/** True on little-endian hosts (every tfjs target); the byte swaps below are for the rest. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** True when `value` names a dtype of the table (sub-byte dtypes are not in it). */
export function isSafetensorsDtype(value: string): value is SafetensorsDtype {
  return Object.prototype.hasOwnProperty.call(DTYPES, value);
}

/** The default safetensors dtype of a typed array, or undefined for other values. */
export function defaultDtype(data: unknown): SafetensorsDtype | undefined {
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

/** Little-endian bytes of a typed array, sharing its memory where the platform allows. */
export function littleEndianBytes(data: TensorArrayData): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN || data.BYTES_PER_ELEMENT === 1) return bytes;
  const size = data.BYTES_PER_ELEMENT;
  const out = new Uint8Array(bytes.byteLength);
  for (let i = 0; i < out.byteLength; i += size) {
    for (let j = 0; j < size; j++) out[i + j] = bytes[i + size - 1 - j] as number;
  }
  return out;
}
