// Decoded images as plain bytes: a small record of width, height, channel count and
// interleaved (HWC) uint8 data, and the channel conversions the loaders need (RGBA →
// RGB drops alpha; RGB → grey with the ITU-R BT.601 luma weights).
import { describeValue } from '@aeot/tensor-backend';

/** An image as interleaved bytes: pixel (y, x), channel c at `(y * width + x) * channels + c`. */
export interface RasterImage {
  width: number;
  height: number;
  /** 1 (grey), 3 (RGB) or 4 (RGBA). */
  channels: number;
  data: Uint8Array;
}

/**
 * Checks that an image record is consistent.
 *
 * @param name the argument's name for messages.
 * @param image the image to check.
 * @throws {TypeError} when it is not an image record with a Uint8Array `data`.
 * @throws {RangeError} when its sizes are not positive integers or `data` has the wrong length.
 */
export function checkRaster(name: string, image: RasterImage): void {
  if (image === null || typeof image !== 'object' || !(image.data instanceof Uint8Array)) {
    throw new TypeError(`"${name}" expected { width, height, channels, data: Uint8Array }, got ${describeValue(image)}`);
  }
  const { width, height, channels, data } = image;
  for (const [k, v] of [['width', width], ['height', height], ['channels', channels]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`"${name}.${k}" expected a positive integer, got ${describeValue(v)}`);
  }
  if (data.length !== width * height * channels) {
    throw new RangeError(`"${name}.data" expected ${width}×${height}×${channels} = ${width * height * channels} bytes, got ${data.length}`);
  }
}

/**
 * Converts an RGBA (or RGB) image to RGB or grey. Alpha is dropped, not composited:
 * the colour channels are taken as stored. Grey is `round(0.299 R + 0.587 G + 0.114 B)`.
 *
 * @param image an image with 3 or 4 channels.
 * @param channels 3 for RGB, 1 for grey.
 * @returns a new image with `channels` channels.
 * @throws {RangeError} when the image has fewer than 3 channels.
 * @example
 * const rgb = toChannels({ width: 1, height: 1, channels: 4, data: new Uint8Array([10, 20, 30, 0]) }, 3);
 * // rgb.data → [10, 20, 30]
 */
export function toChannels(image: RasterImage, channels: 1 | 3): RasterImage {
  const { width, height, data } = image;
  const from = image.channels;
  if (from !== 3 && from !== 4) throw new RangeError(`"image.channels" expected 3 (RGB) or 4 (RGBA), got ${describeValue(from)}`);
  if (from === channels) return image;
  const n = width * height;
  const out = new Uint8Array(n * channels);
  if (channels === 3) {
    for (let i = 0; i < n; i++) {
      out[3 * i] = data[from * i] as number;
      out[3 * i + 1] = data[from * i + 1] as number;
      out[3 * i + 2] = data[from * i + 2] as number;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const r = data[from * i] as number;
      const g = data[from * i + 1] as number;
      const b = data[from * i + 2] as number;
      out[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    }
  }
  return { width, height, channels, data: out };
}
