// PNG encoding, the writing half of the image codecs: 8-bit grey / RGB / RGBA, no
// interlace, filter 0, the zlib stream made by the platform's CompressionStream, so the
// same code writes PNG files in Node and in the browser without a dependency.
import { concatParts, describeValue, expectInteger } from '@aeot/tensor-backend';

/** PNG colour type of each channel count: grey, RGB, RGBA. */
const COLOR_TYPES: Readonly<Record<number, number>> = { 1: 0, 3: 2, 4: 6 };

/** Largest IDAT chunk written; larger streams are split over several IDAT chunks. */
const IDAT_CHUNK = 1 << 20;

/**
 * Encodes 8-bit pixels as a PNG file: colour type grey (1 channel), RGB (3) or RGBA
 * (4), no interlace, filter type 0 (none) on every row, the zlib stream made with the
 * platform's `CompressionStream('deflate')` (Node ≥ 18 and current browsers), and a
 * CRC-32 on every chunk.
 *
 * @param width image width in pixels, an integer ≥ 1.
 * @param height image height in pixels, an integer ≥ 1.
 * @param pixels `height · width · channels` bytes, row-major, channels interleaved.
 * @param channels 1, 3 or 4.
 * @returns the bytes of the PNG file.
 * @throws {TypeError} for pixels that are not a Uint8Array (or Uint8ClampedArray), or
 *   sizes that are not numbers.
 * @throws {RangeError} for a width, height or channel count out of range, or a pixel
 *   count that does not match them.
 * @throws {Error} when the platform has no `CompressionStream`.
 * @example
 * const png = await encodePng(2, 1, new Uint8Array([255, 0, 0, 0, 0, 255]), 3); // a red and a blue pixel
 */
export async function encodePng(width: number, height: number, pixels: Uint8Array | Uint8ClampedArray, channels: 1 | 3 | 4): Promise<Uint8Array> {
  expectInteger('width', width, 1, 0x7fffffff);
  expectInteger('height', height, 1, 0x7fffffff);
  const colorType = typeof channels === 'number' ? COLOR_TYPES[channels] : undefined;
  if (colorType === undefined) throw new RangeError(`"channels" expected one of 1, 3, 4, got ${describeValue(channels)}`);
  if (!(pixels instanceof Uint8Array || pixels instanceof Uint8ClampedArray)) {
    throw new TypeError(`"pixels" expected a Uint8Array, got ${describeValue(pixels)}`);
  }
  const rowBytes = width * channels;
  if (pixels.length !== rowBytes * height) {
    throw new RangeError(`"pixels" expected ${width} × ${height} × ${channels} = ${rowBytes * height} bytes, got ${pixels.length}`);
  }

  // Filter type 0 (none): each scanline is a 0 byte followed by the row's bytes.
  const raw = new Uint8Array((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * rowBytes, (y + 1) * rowBytes), y * (rowBytes + 1) + 1);
  const compressed = await deflate(raw);

  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = colorType;
  // bytes 10–12: compression 0 (deflate), filter method 0, interlace 0 (none)

  const chunks: Uint8Array[] = [PNG_SIGNATURE, pngChunk('IHDR', header)];
  for (let at = 0; at < compressed.length || at === 0; at += IDAT_CHUNK) {
    chunks.push(pngChunk('IDAT', compressed.subarray(at, Math.min(at + IDAT_CHUNK, compressed.length))));
  }
  chunks.push(pngChunk('IEND', new Uint8Array(0)));
  return concatParts(chunks, byteLength(chunks));
}

const PNG_SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** One PNG chunk: length, type, data, CRC-32 of type and data. */
function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) chunk[4 + i] = type.charCodeAt(i);
  chunk.set(data, 8);
  view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
  return chunk;
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO-HDLC, polynomial 0xEDB88320 reflected), as PNG and zlib use it. */
function crc32(bytes: Uint8Array): number {
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = (crcTable[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** zlib-wrapped deflate (RFC 1950) through the platform's CompressionStream. */
async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  if (typeof CompressionStream !== 'function') {
    throw new Error('encodePng needs CompressionStream (Node ≥ 18 or a current browser), which this platform lacks');
  }
  const stream = new CompressionStream('deflate');
  const writer = stream.writable.getWriter();
  // Write and read concurrently, so backpressure cannot stall a large image.
  const written = writer.write(bytes as Uint8Array<ArrayBuffer>).then(() => writer.close());
  const reader = stream.readable.getReader();
  const parts: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  await written;
  return concatParts(parts, byteLength(parts));
}

function byteLength(parts: readonly Uint8Array[]): number {
  return parts.reduce((n, p) => n + p.byteLength, 0);
}
