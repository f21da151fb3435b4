// Centre cropping: the window of a given size whose centre is the image's centre (the
// top-left corner rounds down when the margins are odd), as CelebA pipelines crop faces.
import { checkRaster, type RasterImage } from './raster.js';

/**
 * Cuts the centred `height × width` window out of an image.
 *
 * @param image the image (any channel count).
 * @param height window height, at most the image's.
 * @param width window width, at most the image's.
 * @returns a new image; top = ⌊(H − height) / 2⌋, left = ⌊(W − width) / 2⌋.
 * @throws {RangeError} when the window is larger than the image or not a positive integer size.
 * @example
 * const face = centerCrop(image, 148, 148); // CelebA's usual 178×218 → 148×148
 */
export function centerCrop(image: RasterImage, height: number, width: number): RasterImage {
  checkRaster('image', image);
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1 || height > image.height || width > image.width) {
    throw new RangeError(`"crop" expected a size within the image's ${image.height}×${image.width} (height×width), got ${height}×${width}`);
  }
  if (height === image.height && width === image.width) return image;
  const c = image.channels;
  const top = Math.floor((image.height - height) / 2);
  const left = Math.floor((image.width - width) / 2);
  const out = new Uint8Array(height * width * c);
  const rowBytes = width * c;
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * image.width + left) * c;
    out.set(image.data.subarray(from, from + rowBytes), y * rowBytes);
  }
  return { width, height, channels: c, data: out };
}

/**
 * The centred square with the image's shorter side (what `crop: 'center'` cuts).
 *
 * @param image the image.
 * @returns the largest centred square window.
 * @example
 * centerSquare(image); // 178×218 → 178×178
 */
export function centerSquare(image: RasterImage): RasterImage {
  const side = Math.min(image.width, image.height);
  return centerCrop(image, side, side);
}
