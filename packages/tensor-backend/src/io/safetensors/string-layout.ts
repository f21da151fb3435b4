// tfjs dtypes that safetensors lacks, stored losslessly and marked in __metadata__ under
// `aeot.dtype.<name>` so that aeot restores them (other readers see plain data):
//   complex64 → F32 with a trailing dimension 2 (real, imaginary), marker "complex64";
//   string    → 1-D U8 bytes, marker "string", layout (all integers u32 little-endian):
//               rank, the rank dimensions, then for each element in row-major order
//               its byte length followed by its bytes.
import { product } from './layout.js';
import type { MarkedTfDtype, SafetensorsDtype } from './types.js';

/** Packs string elements (as bytes) with the shape into aeot's U8 layout. */
export function packStrings(shape: readonly number[], values: readonly Uint8Array[]): Uint8Array {
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
export function unpackStrings(bytes: Uint8Array): { shape: number[]; values: Uint8Array[] } | string {
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

/** Why data cannot carry `marker`, or `undefined` when it can. */

export function markerProblem(marker: MarkedTfDtype, dtype: SafetensorsDtype, shape: readonly number[], bytes: Uint8Array): string | undefined {
  if (marker === 'complex64') {
    if (dtype !== 'F32') return `its dtype is ${dtype}, not F32`;
    if (shape.length === 0 || shape[shape.length - 1] !== 2) return `its shape [${shape.join(', ')}] lacks a trailing dimension 2`;
    return undefined;
  }
  if (dtype !== 'U8' || shape.length !== 1) return `it is ${dtype} [${shape.join(', ')}], not 1-D U8`;
  const unpacked = unpackStrings(bytes);
  return typeof unpacked === 'string' ? unpacked : undefined;
}
