// encodePng: round trips through an independent PNG reader for every channel count and
// several sizes, multi-IDAT streams, typed-array views, and argument errors.
import { describe, expect, it } from 'vitest';
import { encodePng } from '../../src/image/png-encode.js';
import { bytes, decodePng, expectSameBytes, tableCrc32, zlibCrc32 } from './png-reference.js';

describe('encodePng', () => {
  it('table CRC used by the test decoder matches the known check value', () => {
    expect(tableCrc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    if (zlibCrc32 !== undefined) expect(zlibCrc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  for (const channels of [1, 3, 4] as const) {
    for (const [width, height] of [
      [1, 1],
      [7, 3],
      [3, 7],
      [100, 57],
    ] as const) {
      it(`round-trips ${channels} channel(s), ${width}×${height}`, async () => {
        const pixels = bytes(width * height * channels, width * 1000 + height * 10 + channels);
        const png = await encodePng(width, height, pixels, channels);
        const decoded = decodePng(png);
        expect(decoded.width).toBe(width);
        expect(decoded.height).toBe(height);
        expect(decoded.channels).toBe(channels);
        expectSameBytes(decoded.pixels, pixels);
        expect(decoded.chunkTypes).toEqual(['IHDR', 'IDAT', 'IEND']);
      });
    }
  }

  it('round-trips an image whose zlib stream spans several IDAT chunks', async () => {
    const width = 700;
    const height = 600;
    const pixels = bytes(width * height * 4, 7); // incompressible: > 1 MiB compressed
    const decoded = decodePng(await encodePng(width, height, pixels, 4));
    expect(decoded.chunkTypes.filter((t) => t === 'IDAT').length).toBeGreaterThan(1);
    expectSameBytes(decoded.pixels, pixels);
  });

  it('accepts a Uint8ClampedArray and a subarray view', async () => {
    const base = bytes(20, 3);
    const view = base.subarray(5, 17); // 2×2 RGB
    expectSameBytes(decodePng(await encodePng(2, 2, view, 3)).pixels, view);
    const clamped = new Uint8ClampedArray([0, 128, 255, 7]);
    expect(Array.from(decodePng(await encodePng(2, 2, clamped, 1)).pixels)).toEqual([0, 128, 255, 7]);
  });

  it('rejects bad sizes, channel counts and pixel buffers', async () => {
    const px = new Uint8Array(4);
    await expect(encodePng(0, 4, px, 1)).rejects.toThrow(new RangeError('"width" expected an integer in [1, 2147483647], got 0'));
    await expect(encodePng(2.5, 4, px, 1)).rejects.toThrow(RangeError);
    await expect(encodePng(4, -1, px, 1)).rejects.toThrow(new RangeError('"height" expected an integer in [1, 2147483647], got -1'));
    await expect(encodePng('4' as unknown as number, 1, px, 1)).rejects.toThrow(TypeError);
    await expect(encodePng(2, 2, px, 2 as 1)).rejects.toThrow(new RangeError('"channels" expected one of 1, 3, 4, got 2'));
    await expect(encodePng(2, 2, px, '1' as unknown as 1)).rejects.toThrow(RangeError);
    await expect(encodePng(2, 2, new Uint8Array(5), 1)).rejects.toThrow(new RangeError('"pixels" expected 2 × 2 × 1 = 4 bytes, got 5'));
    await expect(encodePng(2, 2, px, 3)).rejects.toThrow(new RangeError('"pixels" expected 2 × 2 × 3 = 12 bytes, got 4'));
    await expect(encodePng(2, 2, [1, 2, 3, 4] as unknown as Uint8Array, 1)).rejects.toThrow(
      new TypeError('"pixels" expected a Uint8Array, got array of length 4'),
    );
    await expect(encodePng(2, 2, new Float32Array(4) as unknown as Uint8Array, 1)).rejects.toThrow(TypeError);
  });
});
