// Image shapes at the boundary: `[height, width, channels]` as an option, and the check
// that a dataset's (or a tensor's) examples have the shape a net was built for — shared
// by training, encoding and anything else that feeds images to a net, so the error is
// the same typed one everywhere.
import { describeValue } from '@aeot/tensor-backend';
import { ImageShapeError } from './errors.js';

/** Height, width, channels of one image. */
export type ImageShape = readonly [number, number, number];

/**
 * Checks an image shape `[h, w, c]` of positive integers.
 *
 * @param shape the value to check.
 * @param name how the value is named in the message. Default `'imageShape'`.
 * @returns the shape as a fresh tuple.
 * @throws {RangeError} for anything but three positive integers.
 * @example
 * const imageShape = expectImageShape(options.imageShape); // [28, 28, 1]
 */
export function expectImageShape(shape: unknown, name = 'imageShape'): ImageShape {
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every((v) => Number.isInteger(v) && (v as number) > 0)) {
    throw new RangeError(`"${name}" expected [height, width, channels] of positive integers, got ${describeValue(shape)}`);
  }
  return [shape[0] as number, shape[1] as number, shape[2] as number] as const;
}

/**
 * Checks that a dataset's examples have a net's image shape.
 *
 * @param net anything with the `imageShape` it reads or writes (an Autoencoder, a generator).
 * @param data anything with an `exampleShape` (a Dataset, or `{ exampleShape }` of a tensor).
 * @param what the data's name in the message.
 * @throws {ImageShapeError} when the shapes differ.
 * @example
 * checkImageShape(autoencoder, mnist.train, mnist.train.name);
 */
export function checkImageShape(net: { readonly imageShape: ImageShape }, data: { exampleShape: readonly number[] }, what: string): void {
  const shape = data.exampleShape;
  const expected = net.imageShape;
  if (shape.length !== 3 || shape.some((v, i) => v !== expected[i])) throw new ImageShapeError(`"${what}"`, expected, shape);
}
