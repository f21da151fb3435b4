// The autoencoder as aeot sees it: an encoder image → code and a decoder code → image,
// both tfjs-layers models, plus the shapes and pixel range they agree on; and
// customAutoencoder, which wraps your own models after checking they fit. The built-in
// families live in mlp-nets.ts and conv-nets.ts.
import type * as tfl from '@tensorflow/tfjs-layers';
import { describeValue, expectOneOf } from '@aeot/tensor-backend';
import type { ImageShape } from './image-shape.js';

/** Pixel range of the decoder's output and of the images the encoder reads (as datasets' `PixelScale`). */
export type OutputRange = 'unit' | 'symmetric';

/**
 * An encoder and a decoder that fit together: `encoder` maps `[n, h, w, c]` images to
 * `[n, latentDim]` codes, `decoder` maps codes back to images in `outputRange`.
 * Build one with {@link mlpAutoencoder} or {@link convAutoencoder}, or wrap your own
 * tfjs-layers models with {@link customAutoencoder}.
 */
export interface Autoencoder {
  readonly encoder: tfl.LayersModel;
  readonly decoder: tfl.LayersModel;
  readonly imageShape: ImageShape;
  readonly latentDim: number;
  /** `'unit'`: pixels in [0, 1] (sigmoid output); `'symmetric'`: [−1, 1] (tanh output). */
  readonly outputRange: OutputRange;
}

/**
 * Wraps your own tfjs-layers encoder and decoder as an {@link Autoencoder}, checking
 * that their shapes fit: the encoder reads `[n, h, w, c]` and writes `[n, d]`, the
 * decoder reads `[n, d]` and writes `[n, h, w, c]`.
 *
 * @param encoder a LayersModel from images to codes.
 * @param decoder a LayersModel from codes to images.
 * @param options `outputRange` of the decoder (default `'unit'`).
 * @returns the pair, with the image shape and latent dimension read from the models.
 * @throws {RangeError} when the shapes do not fit together.
 * @example
 * const ae = customAutoencoder(myEncoder, myDecoder, { outputRange: 'symmetric' });
 */
export function customAutoencoder(encoder: tfl.LayersModel, decoder: tfl.LayersModel, options: { outputRange?: OutputRange } = {}): Autoencoder {
  const inShape = encoder.inputs[0]?.shape;
  const codeShape = encoder.outputs[0]?.shape;
  const decIn = decoder.inputs[0]?.shape;
  const decOut = decoder.outputs[0]?.shape;
  if (inShape === undefined || inShape.length !== 4 || inShape.slice(1).some((v) => v === null)) {
    throw new RangeError(`"encoder" expected an input of shape [n, height, width, channels], got ${describeValue(inShape)}`);
  }
  if (codeShape === undefined || codeShape.length !== 2 || codeShape[1] === null) throw new RangeError(`"encoder" expected an output of shape [n, latentDim], got ${describeValue(codeShape)}`);
  const latentDim = codeShape[1] as number;
  if (decIn === undefined || decIn.length !== 2 || decIn[1] !== latentDim) throw new RangeError(`"decoder" expected an input of shape [n, ${latentDim}] (the encoder's codes), got ${describeValue(decIn)}`);
  const imageShape = inShape.slice(1) as unknown as ImageShape;
  if (decOut === undefined || decOut.length !== 4 || decOut.slice(1).some((v, i) => v !== imageShape[i])) {
    throw new RangeError(`"decoder" expected an output of shape [n, ${imageShape.join(', ')}] (the encoder's input), got ${describeValue(decOut)}`);
  }
  const outputRange = expectOneOf('outputRange', options.outputRange ?? 'unit', ['unit', 'symmetric'] as const);
  return { encoder, decoder, imageShape, latentDim, outputRange };
}
