// Browser side of image decoding (selected by the package's "#image-codec" import): the
// browser's own decoders through createImageBitmap, read back through an OffscreenCanvas.
// No dependency. Same exports as codec-node.ts.
import { CorruptFileError } from '@aeot/tensor-backend';
import { notAnImageProblem, sniffImageFormat, type DecodedImage } from './image-format.js';

/**
 * Decodes a PNG or JPEG file (told apart by its magic bytes) to 8-bit RGBA with the
 * browser's decoders, without colour-space conversion or alpha premultiplication.
 *
 * Gotcha: a canvas keeps premultiplied alpha, so colours under partial transparency
 * may be off by one; opaque pixels are exact.
 *
 * @param bytes the file's bytes.
 * @param label the file's name, for errors.
 * @returns width, height and RGBA bytes.
 * @throws {CorruptFileError} when the bytes are not a PNG or JPEG, or the browser cannot decode them.
 * @example
 * const { width, height, data } = await decodeImage(new Uint8Array(await file.arrayBuffer()), file.name);
 */
export async function decodeImage(bytes: Uint8Array, label: string): Promise<DecodedImage> {
  const format = sniffImageFormat(bytes);
  if (format === undefined) throw new CorruptFileError(label, notAnImageProblem(bytes), { format: 'PNG/JPEG' });
  const name = format === 'png' ? 'PNG' : 'JPEG';
  let bitmap: ImageBitmap;
  try {
    const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: format === 'png' ? 'image/png' : 'image/jpeg' });
    bitmap = await createImageBitmap(blob, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  } catch (e) {
    throw new CorruptFileError(label, `truncated or invalid ${name} image (${e instanceof Error ? e.message : String(e)})`, { format: name, cause: e });
  }
  try {
    const { width, height } = bitmap;
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (context === null) throw new Error('OffscreenCanvas 2-D context unavailable');
    context.drawImage(bitmap, 0, 0);
    const pixels = context.getImageData(0, 0, width, height);
    return { width, height, data: new Uint8Array(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength) };
  } finally {
    bitmap.close();
  }
}
