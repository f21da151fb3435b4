// The autoencoder as aeot sees it: an encoder image → code and a decoder code → image,
// both tfjs-layers models, plus the shapes and pixel range they agree on. The MLP family
// lives here; the convolutional (DCGAN-style) family in conv-nets.ts.
import * as tfl from '@tensorflow/tfjs-layers';
import { describeValue, expectInteger, expectOneOf } from '@aeot/tensor-backend';

/** Height, width, channels of one image. */
export type ImageShape = readonly [number, number, number];

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

/** Options of {@link mlpAutoencoder}. */
export interface MlpAutoencoderOptions {
  /** Image shape, e.g. `[28, 28, 1]`. */
  imageShape: ImageShape;
  /** Latent dimension. Default 16. */
  latentDim?: number;
  /** Hidden widths of the encoder; the decoder mirrors them. Default `[512, 256]`. */
  hidden?: readonly number[];
  /** Pixel range: `'unit'` (sigmoid, default) or `'symmetric'` (tanh). */
  outputRange?: OutputRange;
  /** Seed of the weight initialisers. Default 1. */
  seed?: number;
}

/**
 * A fully connected autoencoder: flatten → dense (ReLU) … → latent (linear); the decoder
 * mirrors the widths and ends in sigmoid (or tanh) reshaped to the image.
 *
 * @param options image shape, latent dimension, hidden widths, output range, seed.
 * @returns the encoder/decoder pair (the caller disposes both models).
 * @throws {RangeError} for a bad shape or width.
 * @example
 * const ae = mlpAutoencoder({ imageShape: [28, 28, 1], latentDim: 16 });
 */
export function mlpAutoencoder(options: MlpAutoencoderOptions): Autoencoder {
  const imageShape = expectImageShape(options.imageShape);
  const latentDim = expectInteger('latentDim', options.latentDim ?? 16, 1);
  const hidden = (options.hidden ?? [512, 256]).map((w, i) => expectInteger(`hidden[${i}]`, w, 1));
  const outputRange = expectOneOf('outputRange', options.outputRange ?? 'unit', ['unit', 'symmetric'] as const);
  const seeds = seedStream(expectInteger('seed', options.seed ?? 1, 0, 2 ** 31 - 1));
  const pixels = imageShape[0] * imageShape[1] * imageShape[2];
  const dense = (units: number, activation: 'relu' | 'linear' | 'sigmoid' | 'tanh', extra: { inputShape?: number[] } = {}) =>
    tfl.layers.dense({
      units,
      activation,
      kernelInitializer: activation === 'relu' ? tfl.initializers.heNormal({ seed: seeds() }) : tfl.initializers.glorotUniform({ seed: seeds() }),
      ...extra,
    });
  const encoder = tfl.sequential({
    name: 'mlp_encoder',
    layers: [tfl.layers.flatten({ inputShape: [...imageShape] }), ...hidden.map((w) => dense(w, 'relu')), dense(latentDim, 'linear')],
  });
  const mirrored = [...hidden].reverse();
  const decoder = tfl.sequential({
    name: 'mlp_decoder',
    layers: [
      ...mirrored.map((w, i) => dense(w, 'relu', i === 0 ? { inputShape: [latentDim] } : {})),
      dense(pixels, outputRange === 'unit' ? 'sigmoid' : 'tanh', mirrored.length === 0 ? { inputShape: [latentDim] } : {}),
      tfl.layers.reshape({ targetShape: [...imageShape] }),
    ],
  });
  return { encoder, decoder, imageShape, latentDim, outputRange };
}

/**
 * Wraps your own tfjs-layers encoder and decoder as an {@link Autoencoder}, checking
 * that their shapes fit: the encoder reads `[n, h, w, c]` and writes `[n, d]`, the
 * decoder reads `[n, d]` and writes `[n, h, w, c]`.
 *
 * @param encoder a LayersModel from images to codes.
 * @param decoder a LayersModel from codes to images.
 * @param options `outputRange` of the decoder (default `'unit'`).
 * @throws {RangeError} when the shapes do not fit together.
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

/** Checks an image shape `[h, w, c]` of positive integers. */
export function expectImageShape(shape: unknown, name = 'imageShape'): ImageShape {
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every((v) => Number.isInteger(v) && (v as number) > 0)) {
    throw new RangeError(`"${name}" expected [height, width, channels] of positive integers, got ${describeValue(shape)}`);
  }
  return [shape[0] as number, shape[1] as number, shape[2] as number] as const;
}

/** A deterministic stream of initialiser seeds from one seed. */
export function seedStream(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    // splitmix32-style step: distinct, well-mixed seeds for each layer.
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) % 2 ** 31;
  };
}
