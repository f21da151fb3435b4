// Which image formats the folder loader reads, told apart by their magic bytes (never by
// the file extension, which lies often enough in scraped data sets).

/** The formats the image codecs decode. */
export type ImageFormat = 'png' | 'jpeg';

/** A decoded image as 8-bit RGBA, row-major (`(y * width + x) * 4 + c`). */
export interface DecodedImage {
  width: number;
  height: number;
  /** `width × height × 4` bytes, RGBA. */
  data: Uint8Array;
}

/**
 * Tells a PNG (89 50 4E 47 0D 0A 1A 0A) from a JPEG (FF D8 FF) by the first bytes.
 *
 * @param bytes the file's bytes.
 * @returns `'png'`, `'jpeg'`, or `undefined` for anything else.
 * @example
 * sniffImageFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])); // 'jpeg'
 */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
}

/** The `problem` of a CorruptFileError for bytes that are neither PNG nor JPEG. */
export function notAnImageProblem(bytes: Uint8Array): string {
  const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return bytes.length === 0
    ? 'not a PNG or JPEG image (the file is empty)'
    : `not a PNG or JPEG image (starts with bytes ${head}; expected 89 50 4e 47 or ff d8 ff)`;
}
