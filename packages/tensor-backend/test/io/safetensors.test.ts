// encodeSafetensors / decodeSafetensors on bytes: exact layout against hand-written
// bytes, lossless round trips of every tfjs dtype and every raw dtype, the documented
// conversions to tfjs tensors, strict validation of corrupt data, argument errors.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { AeotError, CorruptFileError, UnsupportedDtypeError } from '../../src/errors.js';
import { decodeSafetensors } from '../../src/io/safetensors/decode.js';
import { encodeSafetensors, encodeSafetensorsParts } from '../../src/io/safetensors/encode.js';
import type { TensorArray, TensorArrayLike } from '../../src/io/safetensors/types.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));
const u64le = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff, 0, 0, 0, 0];
/** A safetensors file from a header string (ASCII) and the data bytes, all by hand. */
const file = (header: string, data: number[], headerLength = header.length): Uint8Array =>
  new Uint8Array([...u64le(headerLength), ...ascii(header), ...data]);
const bytesOf = (a: ArrayBufferView): number[] => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

function expectCorrupt(bytes: Uint8Array, problem: RegExp, source = 'model.safetensors'): CorruptFileError {
  let caught: unknown;
  try {
    decodeSafetensors(bytes, { source, as: 'arrays' });
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(CorruptFileError);
  const err = caught as CorruptFileError;
  expect(err).toBeInstanceOf(AeotError);
  expect(err.code).toBe('ERR_AEOT_CORRUPT_FILE');
  expect(err.source).toBe(source);
  expect(err.message).toContain(`"${source}"`);
  expect(err.message).toMatch(problem);
  return err;
}

describe('layout against hand-written bytes', () => {
  it('encodes one F32 tensor exactly: u64 length, JSON, space padding to 8, little-endian data', async () => {
    const bytes = await encodeSafetensors({ x: { data: new Float32Array([1]), shape: [1] } });
    const json = '{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}'; // 54 bytes
    expect(json.length).toBe(54);
    expect(Array.from(bytes)).toEqual([56, 0, 0, 0, 0, 0, 0, 0, ...ascii(json), 0x20, 0x20, 0x00, 0x00, 0x80, 0x3f]);
  });

  it('decodes a hand-built file with F32, I32, F64, BOOL and metadata', async () => {
    const header =
      '{"__metadata__":{"format":"pt"},' +
      '"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},' +
      '"b":{"dtype":"I32","shape":[],"data_offsets":[8,12]},' +
      '"c":{"dtype":"F64","shape":[1,1],"data_offsets":[12,20]},' +
      '"d":{"dtype":"BOOL","shape":[3],"data_offsets":[20,23]}}';
    const data = [
      0x00, 0x00, 0xc0, 0x3f, /* 1.5f */ 0x00, 0x00, 0x00, 0xc0, /* -2f */
      0xf9, 0xff, 0xff, 0xff, /* -7 */
      0x9a, 0x99, 0x99, 0x99, 0x99, 0x99, 0xb9, 0x3f, /* 0.1 */
      1, 0, 1,
    ];
    const before = tf.memory().numTensors;
    const { tensors, metadata } = decodeSafetensors(file(header, data), { source: 'hand' });
    expect(metadata).toEqual({ format: 'pt' });
    expect(Object.keys(tensors)).toEqual(['a', 'b', 'c', 'd']);
    expect(tf.memory().numTensors - before).toBe(4);
    const { a, b, c, d } = tensors as Record<string, tf.Tensor>;
    expect([a!.dtype, a!.shape, Array.from(await a!.data())]).toEqual(['float32', [2], [1.5, -2]]);
    expect([b!.dtype, b!.shape, Array.from(await b!.data())]).toEqual(['int32', [], [-7]]);
    expect([c!.dtype, c!.shape, Array.from(await c!.data())]).toEqual(['float32', [1, 1], [Math.fround(0.1)]]);
    expect([d!.dtype, d!.shape, Array.from(await d!.data())]).toEqual(['bool', [3], [1, 0, 1]]);
    tf.dispose(Object.values(tensors));

    const raw = decodeSafetensors(file(header, data), { as: 'arrays' }).tensors;
    expect(raw['c']!.data).toBeInstanceOf(Float64Array);
    expect(raw['c']!.data[0]).toBe(0.1);
    expect(raw['a']).toEqual({ dtype: 'F32', shape: [2], data: new Float32Array([1.5, -2]) });
  });

  it('accepts an ArrayBuffer and a Uint8Array view at an odd offset (unaligned tensor data)', () => {
    const f = file('{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}', [0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
    expect(decodeSafetensors(f.slice().buffer, { as: 'arrays' }).tensors['a']!.data[0]).toBe(1);
    const shifted = new Uint8Array(f.byteLength + 3);
    shifted.set(f, 3);
    const view = shifted.subarray(3);
    const out = decodeSafetensors(view, { as: 'arrays' }).tensors['a']!;
    expect(out.data[0]).toBe(1);
    expect(out.data.buffer).not.toBe(shifted.buffer);
  });

  it('orders tensors by item size then name and pads the header to a multiple of 8', async () => {
    const bytes = await encodeSafetensors({
      z8: { data: new Uint8Array([1, 2, 3]), shape: [3] },
      a32: { data: new Float32Array([1]), shape: [1] },
      b64: { data: new Float64Array([2]), shape: [1] },
      a16: { data: new Int16Array([3]), shape: [1] },
    });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, { data_offsets: number[] }>;
    expect(Object.keys(header)).toEqual(['b64', 'a32', 'a16', 'z8']);
    expect(header['b64']!.data_offsets).toEqual([0, 8]);
    expect(header['a32']!.data_offsets).toEqual([8, 12]);
    expect(header['a16']!.data_offsets).toEqual([12, 14]);
    expect(header['z8']!.data_offsets).toEqual([14, 17]);
    expect(bytes.byteLength).toBe(8 + n + 17);
  });

  it('encodes the parts without copying raw arrays', async () => {
    const data = new Float32Array([1, 2, 3, 4]);
    const { parts, byteLength } = await encodeSafetensorsParts({ x: { data, shape: [4] } });
    expect(parts).toHaveLength(2);
    expect(parts[1]!.buffer).toBe(data.buffer);
    expect(byteLength).toBe(parts[0]!.byteLength + 16);
  });
});

describe('round trips', () => {
  it('every tfjs dtype round-trips exactly, with shapes incl. scalar and zero-size, without leaking', async () => {
    const f32 = new Float32Array([0, -0, 1.5, NaN, Infinity, -Infinity, 1e-45, 3.4028234663852886e38]);
    const made = {
      f: tf.tensor(f32, [2, 4], 'float32'),
      i: tf.tensor([-2147483648, 2147483647, 0, -1], [4], 'int32'),
      b: tf.tensor([true, false, false, true, true, false], [3, 1, 2], 'bool'),
      c: tf.complex(tf.tensor([1, -2, 0.5], [3]), tf.tensor([3, 4, -0.25], [3])),
      s: tf.tensor(['hé', '', 'tensor', '𝔸'], [2, 2], 'string'),
      bin: tf.tensor([new Uint8Array([0xff, 0x00, 0xfe])], [], 'string'),
      scalar: tf.scalar(42.25),
      empty: tf.zeros([0, 3], 'int32'),
    };
    const count = tf.memory().numTensors;
    const bytes = await encodeSafetensors(made, { metadata: { note: 'x', 'aeot-like': 'y' } });
    expect(tf.memory().numTensors).toBe(count);

    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ note: 'x', 'aeot-like': 'y' });
    expect(tf.memory().numTensors).toBe(count + Object.keys(made).length);
    expect(Object.keys(tensors).sort()).toEqual(Object.keys(made).sort());
    for (const [name, original] of Object.entries(made)) {
      const loaded = tensors[name]!;
      expect(loaded.dtype, name).toBe(original.dtype);
      expect(loaded.shape, name).toEqual(original.shape);
      if (original.dtype === 'string') {
        expect(await loaded.bytes(), name).toEqual(await original.bytes());
      } else {
        const a = await original.data();
        const b = await loaded.data();
        expect(bytesOf(b), name).toEqual(bytesOf(a));
      }
    }
    const c = await tensors['c']!.data();
    expect(Array.from(c)).toEqual([1, 3, -2, 4, 0.5, -0.25]);
    tf.dispose(Object.values(tensors));
    tf.dispose(Object.values(made));
  });

  it('every raw dtype round-trips as arrays with identical bytes', async () => {
    const input: Record<string, TensorArrayLike> = {
      f64: { data: new Float64Array([0.1, -1e300, NaN, -0, 5e-324]), shape: [5] },
      f32: { data: new Float32Array([0.1, -2]), shape: [2, 1] },
      f16: { data: new Uint16Array([0x3c00, 0xc000, 0x7c00]), shape: [3], dtype: 'F16' },
      bf16: { data: new Uint16Array([0x3f80, 0x4049]), shape: [2], dtype: 'BF16' },
      i64: { data: new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n, 0n]), shape: [3] },
      u64: { data: new BigUint64Array([2n ** 64n - 1n]), shape: [1] },
      i32: { data: new Int32Array([-5, 7]), shape: [2] },
      u32: { data: new Uint32Array([4294967295]), shape: [] },
      i16: { data: new Int16Array([-32768, 32767]), shape: [2] },
      u16: { data: new Uint16Array([65535, 1]), shape: [2] },
      i8: { data: new Int8Array([-128, 127]), shape: [2] },
      u8: { data: new Uint8Array([255, 0, 7]), shape: [3] },
      bool: { data: new Uint8Array([1, 0]), shape: [2], dtype: 'BOOL' },
      e5m2: { data: new Uint8Array([0x3c]), shape: [1], dtype: 'F8_E5M2' },
      e4m3: { data: new Uint8Array([0x38]), shape: [1], dtype: 'F8_E4M3' },
      e8m0: { data: new Uint8Array([0x7f]), shape: [1], dtype: 'F8_E8M0' },
      nothing: { data: new Float64Array(0), shape: [2, 0] },
    };
    const expectedDtype: Record<string, string> = {
      f64: 'F64', f32: 'F32', f16: 'F16', bf16: 'BF16', i64: 'I64', u64: 'U64', i32: 'I32', u32: 'U32', i16: 'I16',
      u16: 'U16', i8: 'I8', u8: 'U8', bool: 'BOOL', e5m2: 'F8_E5M2', e4m3: 'F8_E4M3', e8m0: 'F8_E8M0', nothing: 'F64',
    };
    const { tensors } = decodeSafetensors(await encodeSafetensors(input), { as: 'arrays' });
    for (const [name, original] of Object.entries(input)) {
      const loaded = tensors[name] as TensorArray;
      expect(loaded.dtype, name).toBe(expectedDtype[name]);
      expect(loaded.shape, name).toEqual(original.shape);
      expect(loaded.data.constructor, name).toBe(original.data.constructor);
      expect(bytesOf(loaded.data), name).toEqual(bytesOf(original.data));
    }
  });

  it('arrays loaded with their tfDtype save back as the same tfjs tensors', async () => {
    const c = tf.complex(tf.tensor([1, 2]), tf.tensor([3, 4]));
    const s = tf.tensor(['a', 'bc'], [2], 'string');
    const first = decodeSafetensors(await encodeSafetensors({ c, s }), { as: 'arrays' });
    expect(first.tensors['c']).toMatchObject({ dtype: 'F32', shape: [2, 2], tfDtype: 'complex64' });
    expect(first.tensors['s']).toMatchObject({ dtype: 'U8', tfDtype: 'string' });
    // The documented string layout: rank, dims, then (length, bytes) per element.
    expect(Array.from(first.tensors['s']!.data as Uint8Array)).toEqual([1, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 97, 2, 0, 0, 0, 98, 99]);
    const second = decodeSafetensors(await encodeSafetensors(first.tensors));
    expect(second.tensors['c']!.dtype).toBe('complex64');
    expect(Array.from(await second.tensors['c']!.data())).toEqual([1, 3, 2, 4]);
    expect(await second.tensors['s']!.data()).toEqual(['a', 'bc']);
    tf.dispose([c, s, ...Object.values(second.tensors)]);
  });

  it('a metadata key "__proto__" and a tensor named "__proto__" survive', async () => {
    const tensors = JSON.parse('{"__proto__": {"shape": [1]}}') as Record<string, TensorArrayLike>;
    tensors['__proto__']!.data = new Int32Array([9]);
    const metadata = JSON.parse('{"__proto__": "m"}') as Record<string, string>;
    const out = decodeSafetensors(await encodeSafetensors(tensors, { metadata }), { as: 'arrays' });
    expect(Object.keys(out.tensors)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(out.tensors, '__proto__')?.value.data).toEqual(new Int32Array([9]));
    expect(Object.getOwnPropertyDescriptor(out.metadata, '__proto__')?.value).toBe('m');
  });
});

describe('conversion to tfjs tensors', () => {
  it('F64 → float32 rounded to nearest; F16 / BF16 → float32 exactly; small ints → int32', async () => {
    const input: Record<string, TensorArrayLike> = {
      f64: { data: new Float64Array([0.1, 1e300, -1e300, 1 / 3]), shape: [4] },
      f16: { data: new Uint16Array([0x3c00, 0xc000, 0x7c00, 0x0001, 0x7bff, 0x7e00]), shape: [6], dtype: 'F16' },
      bf16: { data: new Uint16Array([0x3f80, 0xc0a0, 0xff80]), shape: [3], dtype: 'BF16' },
      u8: { data: new Uint8Array([255, 0]), shape: [2] },
      i16: { data: new Int16Array([-32768]), shape: [1] },
      u32: { data: new Uint32Array([2147483647]), shape: [1] },
      i64: { data: new BigInt64Array([-2147483648n, 5n]), shape: [2] },
    };
    const { tensors } = decodeSafetensors(await encodeSafetensors(input));
    const v = async (n: string): Promise<number[]> => Array.from(await tensors[n]!.data() as Float32Array);
    expect(tensors['f64']!.dtype).toBe('float32');
    expect(await v('f64')).toEqual([Math.fround(0.1), Infinity, -Infinity, Math.fround(1 / 3)]);
    const f16 = await v('f16');
    expect(f16.slice(0, 5)).toEqual([1, -2, Infinity, 2 ** -24, 65504]);
    expect(f16[5]).toBeNaN();
    expect(await v('bf16')).toEqual([1, -5, -Infinity]);
    for (const n of ['u8', 'i16', 'u32', 'i64']) expect(tensors[n]!.dtype).toBe('int32');
    expect(await v('u8')).toEqual([255, 0]);
    expect(await v('i16')).toEqual([-32768]);
    expect(await v('u32')).toEqual([2147483647]);
    expect(await v('i64')).toEqual([-2147483648, 5]);
    tf.dispose(Object.values(tensors));
  });

  it('values beyond int32 and F8 data give UnsupportedDtypeError and create no tensors', async () => {
    const count = tf.memory().numTensors;
    const big = await encodeSafetensors({
      a: { data: new Float32Array([1]), shape: [1] },
      u: { data: new BigUint64Array([2n ** 31n]), shape: [1] },
    });
    expect(() => decodeSafetensors(big)).toThrow(UnsupportedDtypeError);
    expect(() => decodeSafetensors(big)).toThrow(/"u" \(U64\) holds 2147483648 .*as: 'arrays'/);
    const f8 = await encodeSafetensors({ e: { data: new Uint8Array([1]), shape: [1], dtype: 'F8_E4M3' } });
    try {
      decodeSafetensors(f8);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UnsupportedDtypeError);
      expect((e as UnsupportedDtypeError).code).toBe('ERR_AEOT_UNSUPPORTED_DTYPE');
    }
    expect(tf.memory().numTensors).toBe(count);
  });
});

describe('corrupt data → CorruptFileError naming the source and the problem', () => {
  const good = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
  const eight = [0, 0, 0x80, 0x3f, 0, 0, 0, 0x40];

  it('truncated below the 8-byte length', () => {
    expectCorrupt(new Uint8Array([1, 2, 3]), /truncated: 3 bytes/);
  });
  it('truncated data (file cut short)', () => {
    expectCorrupt(file(good, eight).subarray(0, 8 + good.length + 5), /data_offsets \[0, 8\] beyond the 5-byte data buffer/);
  });
  it('header length beyond the file', () => {
    expectCorrupt(file(good, eight, 5000), /header length 5000 exceeds/);
  });
  it('header length of 2^64 - 1', () => {
    const f = file(good, eight);
    f.fill(0xff, 0, 8);
    expectCorrupt(f, /header length 18446744073709551615 exceeds/);
  });
  it('header that is not JSON', () => {
    expectCorrupt(file('{"a":{"dtype":"F32",', eight), /header is not valid JSON/);
  });
  it('header that is JSON but not an object', () => {
    expectCorrupt(file('[1, 2, 3]', []), /header JSON is not an object/);
  });
  it('header that is not UTF-8', () => {
    const f = file('{"\u00ff":{}}', []);
    expectCorrupt(f, /not valid UTF-8/);
  });
  it('overlapping offsets', () => {
    const h = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}';
    expectCorrupt(file(h, eight), /"a" \[0, 8\] and "b" \[4, 8\] overlap/);
  });
  it('byte size that does not match the shape', () => {
    const h = '{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}';
    expectCorrupt(file(h, eight), /"a" of shape \[3\] and dtype F32 needs 12 bytes, but its data_offsets \[0, 8\] span 8/);
  });
  it('unknown dtype', () => {
    const h = '{"a":{"dtype":"Q7","shape":[8],"data_offsets":[0,8]}}';
    expectCorrupt(file(h, eight), /"a" has unknown dtype "Q7"/);
  });
  it('a gap between tensors and trailing bytes', () => {
    const gap = '{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}';
    expectCorrupt(file(gap, eight), /4 unused bytes before tensor "a"/);
    const trailing = '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}';
    expectCorrupt(file(trailing, eight), /cover 4 bytes, but the data buffer holds 8/);
  });
  it('malformed entries: shape, offsets, metadata, BOOL byte', () => {
    expectCorrupt(file('{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,8]}}', eight), /invalid shape/);
    expectCorrupt(file('{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}', eight), /end before they begin/);
    expectCorrupt(file('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0]}}', eight), /invalid data_offsets/);
    expectCorrupt(file('{"__metadata__":{"k":1}}', []), /__metadata__ value of "k" is not a string/);
    expectCorrupt(file('{"a":{"dtype":"BOOL","shape":[1],"data_offsets":[0,1]}}', [2]), /BOOL tensor "a" holds byte 2/);
  });
  it('broken aeot markers', () => {
    const h = (m: string): string => `{"__metadata__":{"aeot.dtype.a":"${m}"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`;
    const four = eight.slice(0, 4);
    expectCorrupt(file(h('complex64'), four), /marked complex64 but its shape \[1\] lacks a trailing dimension 2/);
    expectCorrupt(file(h('string'), four), /marked string but it is F32 \[1\], not 1-D U8/);
    expectCorrupt(file(h('float16'), four), /unknown tfjs dtype "float16"/);
    const s = '{"__metadata__":{"aeot.dtype.s":"string"},"s":{"dtype":"U8","shape":[8],"data_offsets":[0,8]}}';
    expectCorrupt(file(s, [1, 0, 0, 0, 9, 0, 0, 0]), /string data is too short for 9 elements/);
    const orphan = '{"__metadata__":{"aeot.dtype.x":"string"}}';
    expectCorrupt(file(orphan, []), /marks "x" as string, but there is no such tensor/);
  });
  it('names "bytes" when no source is given', () => {
    expect(() => decodeSafetensors(new Uint8Array(2))).toThrow(/corrupt safetensors data in "bytes": truncated/);
  });
  it('sub-byte dtypes are recognised but unsupported', () => {
    const h = '{"a":{"dtype":"F4","shape":[16],"data_offsets":[0,8]}}';
    expect(() => decodeSafetensors(file(h, eight))).toThrow(UnsupportedDtypeError);
  });
});

describe('argument errors', () => {
  it('rejects malformed records, values and metadata with TypeError / RangeError', async () => {
    await expect(encodeSafetensors(null as never)).rejects.toThrow(TypeError);
    await expect(encodeSafetensors({ x: [1, 2] as never })).rejects.toThrow(/"tensors.x" expected a tf.Tensor/);
    await expect(encodeSafetensors({ x: { data: [1, 2] as never, shape: [2] } })).rejects.toThrow(TypeError);
    await expect(encodeSafetensors({ x: { data: new Float32Array(3), shape: [2] } })).rejects.toThrow(
      new RangeError('"tensors.x.data" expected 2 elements for shape [2], got 3'),
    );
    await expect(encodeSafetensors({ x: { data: new Float32Array(2), shape: [2], dtype: 'F64' } })).rejects.toThrow(TypeError);
    await expect(encodeSafetensors({ x: { data: new Float32Array(2), shape: [2], dtype: 'F99' as never } })).rejects.toThrow(RangeError);
    await expect(encodeSafetensors({ x: { data: new Uint8Array([2]), shape: [1], dtype: 'BOOL' } })).rejects.toThrow(RangeError);
    await expect(encodeSafetensors({ x: { data: new Float32Array(2), shape: [1.5] } })).rejects.toThrow(RangeError);
    await expect(encodeSafetensors({ __metadata__: { data: new Float32Array(1), shape: [1] } })).rejects.toThrow(RangeError);
    await expect(encodeSafetensors({}, { metadata: { k: 1 as never } })).rejects.toThrow(TypeError);
    await expect(encodeSafetensors({}, { metadata: { 'aeot.dtype.x': 'string' } })).rejects.toThrow(/reserved/);
    await expect(encodeSafetensors({ x: { data: new Float32Array(3), shape: [3], tfDtype: 'complex64' } })).rejects.toThrow(
      /marked complex64 but its shape \[3\] lacks a trailing dimension 2/,
    );
    const gone = tf.scalar(1);
    gone.dispose();
    await expect(encodeSafetensors({ gone })).rejects.toThrow(/disposed/);
    expect(() => decodeSafetensors('abc' as never)).toThrow(TypeError);
    expect(() => decodeSafetensors(new Uint8Array(8), { as: 'numpy' as never })).toThrow(RangeError);
  });

  it('an empty record encodes to a valid file', async () => {
    const bytes = await encodeSafetensors({});
    expect(Array.from(bytes)).toEqual([8, 0, 0, 0, 0, 0, 0, 0, ...ascii('{}      ')]);
    expect(decodeSafetensors(bytes)).toEqual({ tensors: {}, metadata: {} });
  });
});
