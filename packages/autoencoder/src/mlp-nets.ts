// The fully connected (MLP) family: an encoder image → code and a decoder code → image
// that can be built on their own (a GAN's discriminator is an encoder with a 1-unit
// head, its generator a decoder) or together as an autoencoder. Both halves draw their
// initialiser seeds from one stream, encoder first, so a half built alone from a seed
// has exactly the weights of that half in the autoencoder of the same seed.
import * as tfl from '@tensorflow/tfjs-layers';
import { expectInteger, expectOneOf, seedStream } from '@aeot/tensor-backend';
import { expectImageShape, type ImageShape } from './image-shape.js';
import type { Autoencoder, OutputRange } from './nets.js';

/** Options of {@link mlpAutoencoder} and {@link mlpDecoder}. */
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

/** Options of {@link mlpEncoder}: those of {@link mlpAutoencoder} but the output range, which only the decoder has. */
export type MlpEncoderOptions = Omit<MlpAutoencoderOptions, 'outputRange'>;

/** Options of {@link mlpDecoder}: those of {@link mlpAutoencoder}; `hidden` lists the encoder's widths, which the decoder runs in reverse. */
export type MlpDecoderOptions = MlpAutoencoderOptions;

interface MlpSettings {
  imageShape: ImageShape;
  latentDim: number;
  hidden: number[];
  outputRange: OutputRange;
  seed: number;
}

/**
 * A fully connected autoencoder: flatten → dense (ReLU) … → latent (linear); the decoder
 * mirrors the widths and ends in sigmoid (or tanh) reshaped to the image. The pair is
 * {@link mlpEncoder} and {@link mlpDecoder} of the same options, weight for weight.
 *
 * @param options image shape, latent dimension, hidden widths, output range, seed.
 * @returns the encoder/decoder pair (the caller disposes both models).
 * @throws {RangeError} for a bad shape or width.
 * @example
 * const ae = mlpAutoencoder({ imageShape: [28, 28, 1], latentDim: 16 });
 */
export function mlpAutoencoder(options: MlpAutoencoderOptions): Autoencoder {
  const settings = mlpSettings(options);
  const seeds = seedStream(settings.seed);
  const encoder = buildEncoder(settings, seeds);
  const decoder = buildDecoder(settings, seeds);
  return { encoder, decoder, imageShape: settings.imageShape, latentDim: settings.latentDim, outputRange: settings.outputRange };
}

/**
 * The encoder half of {@link mlpAutoencoder}: flatten → dense ReLU per hidden width →
 * dense linear to `latentDim`. With `latentDim: 1` it is an MLP discriminator (one logit
 * per image).
 *
 * @param options image shape, latent dimension (the output width), hidden widths, seed.
 * @returns a model `[n, h, w, c]` → `[n, latentDim]` named `mlp_encoder` (the caller disposes it).
 * @throws {RangeError} for a bad shape or width.
 * @example
 * const discriminator = mlpEncoder({ imageShape: [28, 28, 1], latentDim: 1, hidden: [256, 128], seed: 2 });
 */
export function mlpEncoder(options: MlpEncoderOptions): tfl.Sequential {
  const settings = mlpSettings(options);
  return buildEncoder(settings, seedStream(settings.seed));
}

/**
 * The decoder half of {@link mlpAutoencoder}: dense ReLU per hidden width, in reverse →
 * dense sigmoid (or tanh) to the pixels → reshape to the image. It has the weights of
 * `mlpAutoencoder(options).decoder` for the same options. A GAN generator is one of these.
 *
 * @param options image shape, latent dimension (the input width), hidden widths (the encoder's order), output range, seed.
 * @returns a model `[n, latentDim]` → `[n, h, w, c]` named `mlp_decoder` (the caller disposes it).
 * @throws {RangeError} for a bad shape or width.
 * @example
 * const generator = mlpDecoder({ imageShape: [28, 28, 1], latentDim: 64, hidden: [512, 256] }); // 64 → 256 → 512 → 784
 */
export function mlpDecoder(options: MlpDecoderOptions): tfl.Sequential {
  const settings = mlpSettings(options);
  const seeds = seedStream(settings.seed);
  // The encoder of the same options draws one seed per dense layer before the decoder.
  for (let i = 0; i < settings.hidden.length + 1; i++) seeds();
  return buildDecoder(settings, seeds);
}

function mlpSettings(options: MlpAutoencoderOptions | MlpEncoderOptions): MlpSettings {
  const imageShape = expectImageShape(options.imageShape);
  const latentDim = expectInteger('latentDim', options.latentDim ?? 16, 1);
  const hidden = (options.hidden ?? [512, 256]).map((w, i) => expectInteger(`hidden[${i}]`, w, 1));
  const outputRange = expectOneOf('outputRange', (options as MlpAutoencoderOptions).outputRange ?? 'unit', ['unit', 'symmetric'] as const);
  const seed = expectInteger('seed', options.seed ?? 1, 0, 2 ** 31 - 1);
  return { imageShape, latentDim, hidden, outputRange, seed };
}

type Activation = 'relu' | 'linear' | 'sigmoid' | 'tanh';

// He-normal before a ReLU, Glorot-uniform otherwise; each layer takes the stream's next seed.
function dense(seeds: () => number, units: number, activation: Activation, extra: { inputShape?: number[] } = {}): tfl.layers.Layer {
  return tfl.layers.dense({
    units,
    activation,
    kernelInitializer: activation === 'relu' ? tfl.initializers.heNormal({ seed: seeds() }) : tfl.initializers.glorotUniform({ seed: seeds() }),
    ...extra,
  });
}

function buildEncoder(s: MlpSettings, seeds: () => number): tfl.Sequential {
  return tfl.sequential({
    name: 'mlp_encoder',
    layers: [tfl.layers.flatten({ inputShape: [...s.imageShape] }), ...s.hidden.map((w) => dense(seeds, w, 'relu')), dense(seeds, s.latentDim, 'linear')],
  });
}

function buildDecoder(s: MlpSettings, seeds: () => number): tfl.Sequential {
  const pixels = s.imageShape[0] * s.imageShape[1] * s.imageShape[2];
  const mirrored = [...s.hidden].reverse();
  return tfl.sequential({
    name: 'mlp_decoder',
    layers: [
      ...mirrored.map((w, i) => dense(seeds, w, 'relu', i === 0 ? { inputShape: [s.latentDim] } : {})),
      dense(seeds, pixels, s.outputRange === 'unit' ? 'sigmoid' : 'tanh', mirrored.length === 0 ? { inputShape: [s.latentDim] } : {}),
      tfl.layers.reshape({ targetShape: [...s.imageShape] }),
    ],
  });
}
