// Node side of image decoding (selected by the package's "#image-codec" import): PNG
// through pngjs and JPEG through jpeg-js, both optional dependencies loaded lazily on the
// first image, so the package imports without them. codec-browser.ts exports the same names.
import { CorruptFileError, MissingPackageError } from '@aeot/tensor-backend';
import { notAnImageProblem, sniffImageFormat, type DecodedImage } from './image-format.js';

type PngModule = typeof import('pngjs');
type JpegModule = typeof import('jpeg-js');

let pngModule: Promise<PngModule['PNG']> | undefined;
let jpegModule: Promise<JpegModule['decode']> | undefined;

function loadPng(): Promise<PngModule['PNG']> {
  pngModule ??= import('pngjs').then(
    (m) => m.PNG ?? (m as unknown as { default: PngModule }).default.PNG,
    (e: unknown) => {
      pngModule = undefined;
      throw new MissingPackageError('pngjs', 'needed to decode PNG images in Node; version 7', { cause: e });
    },
  );
  return pngModule;
}

function loadJpeg(): Promise<JpegModule['decode']> {
  jpegModule ??= import('jpeg-js').then(
    (m) => m.decode ?? (m as unknown as { default: JpegModule }).default.decode,
    (e: unknown) => {
      jpegModule = undefined;
      throw new MissingPackageError('jpeg-js', 'needed to decode JPEG images in Node; version 0.4', { cause: e });
    },
  );
  return jpegModule;
}

/**
 * Decodes a PNG or JPEG file (told apart by its magic bytes) to 8-bit RGBA. Grey and
 * palette PNGs come out as RGBA, 16-bit PNGs are reduced to 8 bits (rounded).
 *
 * @param bytes the file's bytes.
 * @param label the file's name, for errors.
 * @returns width, height and RGBA bytes.
 * @throws {CorruptFileError} when the bytes are not a PNG or JPEG, or are truncated or invalid.
 * @throws {MissingPackageError} when `pngjs` / `jpeg-js` is not installed.
 * @example
 * const { width, height, data } = await decodeImage(await readFile('000001.jpg'), '000001.jpg');
 */
export async function decodeImage(bytes: Uint8Array, label: string): Promise<DecodedImage> {
  const format = sniffImageFormat(bytes);
  if (format === undefined) throw new CorruptFileError(label, notAnImageProblem(bytes), { format: 'PNG/JPEG' });
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (format === 'png') {
    const PNG = await loadPng();
    try {
      const png = PNG.sync.read(buffer);
      return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    } catch (e) {
      throw new CorruptFileError(label, `truncated or invalid PNG image (${e instanceof Error ? e.message : String(e)})`, { format: 'PNG', cause: e });
    }
  }
  const decode = await loadJpeg();
  try {
    const jpeg = decode(buffer, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
    return { width: jpeg.width, height: jpeg.height, data: jpeg.data };
  } catch (e) {
    throw new CorruptFileError(label, `truncated or invalid JPEG image (${e instanceof Error ? e.message : String(e)})`, { format: 'JPEG', cause: e });
  }
}
