// Test images written with the reference encoders (pngjs, jpeg-js), independent of the
// decoders and resizers under test: known pixels in, files out.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** RGBA bytes of a `width × height` image with channel c of pixel (x, y) = `f(x, y, c)` (c = 3 is alpha). */
export function rgbaImage(width: number, height: number, f: (x: number, y: number, c: number) => number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < 4; c++) data[(y * width + x) * 4 + c] = f(x, y, c);
  return data;
}

/** The RGB bytes of RGBA data (alpha dropped), HWC. */
export function rgbOf(rgba: Uint8Array): Uint8Array {
  const out = new Uint8Array((rgba.length / 4) * 3);
  for (let i = 0; i < rgba.length / 4; i++) for (let c = 0; c < 3; c++) out[3 * i + c] = rgba[4 * i + c] as number;
  return out;
}

/** Writes a PNG (8-bit RGBA unless `options` say otherwise) and returns its path. */
export function writePng(path: string, width: number, height: number, data: Buffer, options: { colorType?: 0 | 2 | 4 | 6; bitDepth?: 8 | 16; inputHasAlpha?: boolean } = {}): string {
  mkdirSync(dirname(path), { recursive: true });
  const png = new PNG({ width, height });
  png.data = data;
  writeFileSync(path, PNG.sync.write(png, options));
  return path;
}

/** Writes a baseline JPEG of RGBA data at `quality` and returns its path. */
export function writeJpeg(path: string, width: number, height: number, data: Buffer, quality = 100): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, jpeg.encode({ width, height, data }, quality).data);
  return path;
}
