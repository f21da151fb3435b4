// An independent PNG reader for tests of PNG writers: 8-bit, non-interlaced, filter 0
// only, checking every CRC and chunk on the way (inflate by node:zlib); plus
// deterministic pseudo-random bytes and a fast byte-equality assertion.
import * as zlib from 'node:zlib';
import { expect } from 'vitest';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export const tableCrc32 = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return (bytes: Uint8Array): number => {
    let crc = 0xffffffff;
    for (const b of bytes) crc = table[(crc ^ b) & 0xff]! ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
  };
})();
export const zlibCrc32 = (zlib as unknown as { crc32?: (data: Uint8Array) => number }).crc32;
const crc32 = zlibCrc32 ?? tableCrc32;

export interface Decoded {
  width: number;
  height: number;
  channels: number;
  pixels: Uint8Array;
  chunkTypes: string[];
}

export function decodePng(png: Uint8Array): Decoded {
  expect(Array.from(png.subarray(0, 8))).toEqual(SIGNATURE);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunkTypes: string[] = [];
  const idat: Uint8Array[] = [];
  let header: { width: number; height: number; channels: number } | undefined;
  let at = 8;
  while (at < png.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + length);
    const stored = view.getUint32(at + 8 + length);
    expect(crc32(png.subarray(at + 4, at + 8 + length)), `CRC of ${type}`).toBe(stored);
    chunkTypes.push(type);
    if (type === 'IHDR') {
      expect(length).toBe(13);
      const width = view.getUint32(at + 8);
      const height = view.getUint32(at + 12);
      expect(data[8], 'bit depth').toBe(8);
      const channels = { 0: 1, 2: 3, 6: 4 }[data[9] as 0 | 2 | 6];
      expect(channels, 'colour type').toBeDefined();
      expect(Array.from(data.subarray(10, 13)), 'compression, filter, interlace').toEqual([0, 0, 0]);
      header = { width, height, channels: channels! };
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      expect(length).toBe(0);
    }
    at += 12 + length;
  }
  expect(at).toBe(png.length);
  expect(chunkTypes[0]).toBe('IHDR');
  expect(chunkTypes.at(-1)).toBe('IEND');
  expect(header).toBeDefined();
  const { width, height, channels } = header!;
  const raw = new Uint8Array(zlib.inflateSync(Buffer.concat(idat)));
  const rowBytes = width * channels;
  expect(raw.length).toBe(height * (rowBytes + 1));
  const pixels = new Uint8Array(height * rowBytes);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (rowBytes + 1)], `filter type of row ${y}`).toBe(0);
    pixels.set(raw.subarray(y * (rowBytes + 1) + 1, (y + 1) * (rowBytes + 1)), y * rowBytes);
  }
  return { width, height, channels, pixels, chunkTypes };
}

/** Deterministic pseudo-random bytes (LCG). */
export function bytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

/** Byte equality without a slow deep-equal over large arrays; names the first difference. */
export function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length, 'byte count').toBe(expected.length);
  const first = actual.findIndex((v, i) => v !== expected[i]);
  expect(first, first < 0 ? '' : `first differing byte ${first}: ${actual[first]} ≠ ${expected[first]}`).toBe(-1);
}
