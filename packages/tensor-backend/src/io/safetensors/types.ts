// The public shapes of aeot's safetensors IO: dtype names, raw tensor arrays, records to
// save, loaded results and the encode / decode options. tfjs dtypes that safetensors
// lacks are stored losslessly and marked in __metadata__ (see string-layout.ts):
// complex64 as F32 with a trailing dimension 2, string as aeot's 1-D U8 layout.
import type * as tf from '@tensorflow/tfjs-core';

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

/** tfjs dtypes that are stored under a marker (see string-layout.ts). */
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
  /** Set when the data stores a tfjs complex64 or string tensor (see string-layout.ts). */
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
