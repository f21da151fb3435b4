// Decoding safetensors bytes into tfjs tensors or raw arrays: strict parsing (parse.ts),
// then the documented conversions of each stored dtype to what a tfjs tensor holds.
import * as tf from '@tensorflow/tfjs-core';
import { UnsupportedDtypeError } from '../../errors.js';
import { describeValue, expectOneOf } from '../../validate.js';
import { DTYPE_MARKER_PREFIX, put } from './layout.js';
import { decodeRaw } from './parse.js';
import { unpackStrings } from './string-layout.js';
import type { DecodeOptions, LoadedTensors, TensorArray } from './types.js';

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
