// The convolutional (DCGAN-style) autoencoders: the authors' released CelebA 64×64 net
// (ALGORITHM.md, "The autoencoder the authors released"), and the same pattern cut down
// to 32×32 colour images and 28×28 grey images. The encoder and decoder halves can be
// built on their own (a DCGAN discriminator is an encoder with a 1-unit head, its
// generator a decoder); the seeds run encoder first, so a half built alone equals that
// half of the autoencoder of the same seed.
import * as tfl from '@tensorflow/tfjs-layers';
import { describeValue, expectBoolean, expectInteger, expectOneOf, seedStream } from '@aeot/tensor-backend';
import { Blocks } from './conv-blocks.js';
import { expectImageShape, type ImageShape } from './image-shape.js';
import type { Autoencoder, OutputRange } from './nets.js';

/** The image shapes {@link convAutoencoder} builds a net for. */
export type ConvImageShape = readonly [28, 28, 1] | readonly [32, 32, 3] | readonly [64, 64, 3];

/** Options of {@link convAutoencoder}, {@link convEncoder} (which ignores `outputRange`) and {@link convDecoder}. */
export interface ConvAutoencoderOptions {
  /** `[28, 28, 1]` (MNIST-like), `[32, 32, 3]` (CIFAR-like) or `[64, 64, 3]` (CelebA-like). Others: {@link customAutoencoder}. */
  imageShape: ConvImageShape;
  /** Latent dimension. Default 100 for 64×64 (as the authors), 64 for 32×32, 16 for 28×28. */
  latentDim?: number;
  /**
   * Base channel count w: the encoder's convolutions have w, 2w, 4w, 8w channels (as many
   * as the image size allows), the decoder mirrors them. Default 80 for 64×64 (as the
   * authors), 64 for 32×32, 16 for 28×28. The 28×28 default is chosen for CPU training:
   * one Adam step at batch 128 takes about 0.3 s with width 16 and 0.8 s with width 32 on
   * the single-threaded wasm backend; width 32 reaches a lower reconstruction error per
   * step (MNIST test MSE 0.020 against 0.028 after 300 steps), so pass `width: 32` on a GPU.
   */
  width?: number;
  /** Batch normalisation after every inner layer but the first encoder convolution, as the authors. Default true. */
  batchNorm?: boolean;
  /**
   * Pixel range of the decoder's output (and the images the encoder expects): `'symmetric'`
   * ([−1, 1], tanh) or `'unit'` ([0, 1], sigmoid). Default `'symmetric'` for 64×64 (the
   * authors' tanh), `'unit'` for 28×28 and 32×32 (as {@link mlpAutoencoder} and the datasets' default).
   */
  outputRange?: OutputRange;
  /** Seed of the weight initialisers: the same seed gives the same weights. Default 1. */
  seed?: number;
}

/** Options of {@link convEncoder}: those of {@link convAutoencoder} but the output range, which only the decoder has. */
export type ConvEncoderOptions = Omit<ConvAutoencoderOptions, 'outputRange'>;

/** Options of {@link convDecoder}: those of {@link convAutoencoder}. */
export type ConvDecoderOptions = ConvAutoencoderOptions;

interface Defaults {
  readonly latentDim: number;
  readonly width: number;
  readonly outputRange: OutputRange;
}

const SUPPORTED: Readonly<Record<string, Defaults>> = {
  '28,28,1': { latentDim: 16, width: 16, outputRange: 'unit' },
  '32,32,3': { latentDim: 64, width: 64, outputRange: 'unit' },
  '64,64,3': { latentDim: 100, width: 80, outputRange: 'symmetric' },
};

/**
 * A DCGAN-style convolutional autoencoder for 28×28×1, 32×32×3 or 64×64×3 images.
 *
 * All convolutions have 4×4 kernels; "↓2"/"↑2" are stride-2 (transposed) convolutions with
 * 'same' padding, which halve/double the size exactly as PyTorch's `k4 s2 p1`.
 *
 * - 64×64×3 (the authors' CelebA net): encoder conv↓2 w, LReLU(0.1) → conv↓2 2w, BN, LReLU
 *   → conv↓2 4w, BN, LReLU → conv↓2 8w, BN, LReLU (4×4×8w) → conv k4 'valid' to 1×1×latent
 *   → flatten. Decoder: reshape 1×1×latent → transposed conv k4 'valid' to 4×4×8w, BN, ReLU
 *   → ↑2 4w → ↑2 2w → ↑2 w (each BN, ReLU) → ↑2 3, tanh (or sigmoid).
 * - 32×32×3: the same with three stride-2 stages (32→16→8→4; w, 2w, 4w) before the 'valid'
 *   4×4 convolution to the code, and the mirror.
 * - 28×28×1: conv↓2 w (14×14), LReLU → conv↓2 2w (7×7), BN, LReLU → flatten → dense latent.
 *   Decoder: dense 7·7·2w → reshape 7×7×2w, BN, ReLU → ↑2 w (14×14), BN, ReLU → ↑2 1 (28×28), sigmoid (or tanh).
 *
 * Convolutions keep their biases (PyTorch's default); batch norm uses PyTorch's constants
 * (momentum 0.1, i.e. Keras momentum 0.9, ε = 1e−5). Kernels before a (leaky) ReLU start
 * He-normal, the code layer and the output layer Glorot-uniform, all seeded from `seed`;
 * biases start at 0, batch-norm scales at 1.
 *
 * @param options image shape, latent dimension, base width, batch norm, output range, seed.
 * @returns the encoder/decoder pair, models named `conv28_encoder` / `conv28_decoder` (32, 64 likewise); the caller disposes both.
 * @throws {RangeError} for an unsupported image shape (use {@link customAutoencoder}) or a bad option.
 * @throws {TypeError} for an option of the wrong type.
 * @example
 * const ae = convAutoencoder({ imageShape: [64, 64, 3] }); // the authors' CelebA net, latent 100
 * const codes = ae.encoder.predict(images) as tf.Tensor2D;
 */
export function convAutoencoder(options: ConvAutoencoderOptions): Autoencoder {
  const settings = convSettings(options);
  const seeds = seedStream(settings.seed);
  const encoder = buildEncoder(settings, seeds);
  const decoder = buildDecoder(settings, seeds);
  return { encoder, decoder, imageShape: settings.imageShape, latentDim: settings.latentDim, outputRange: settings.outputRange };
}

/**
 * The encoder half of {@link convAutoencoder} (its layers are described there), with the
 * weights of `convAutoencoder(options).encoder` for the same options. With
 * `latentDim: 1` it is a DCGAN discriminator: one logit per image.
 *
 * @param options image shape, latent dimension (the output width), base width, batch norm, seed.
 * @returns a model `[n, h, w, c]` → `[n, latentDim]` named `conv28_encoder` (32, 64 likewise); the caller disposes it.
 * @throws {RangeError} for an unsupported image shape or a bad option.
 * @throws {TypeError} for an option of the wrong type.
 * @example
 * const discriminator = convEncoder({ imageShape: [32, 32, 3], latentDim: 1, seed: 2 });
 */
export function convEncoder(options: ConvEncoderOptions): tfl.Sequential {
  const settings = convSettings(options);
  return buildEncoder(settings, seedStream(settings.seed));
}

/**
 * The decoder half of {@link convAutoencoder} (its layers are described there), with the
 * weights of `convAutoencoder(options).decoder` for the same options. A DCGAN generator
 * is one of these.
 *
 * @param options image shape, latent dimension (the input width), base width, batch norm, output range, seed.
 * @returns a model `[n, latentDim]` → `[n, h, w, c]` named `conv28_decoder` (32, 64 likewise); the caller disposes it.
 * @throws {RangeError} for an unsupported image shape or a bad option.
 * @throws {TypeError} for an option of the wrong type.
 * @example
 * const generator = convDecoder({ imageShape: [64, 64, 3], latentDim: 100 }); // tanh output
 */
export function convDecoder(options: ConvDecoderOptions): tfl.Sequential {
  const settings = convSettings(options);
  const seeds = seedStream(settings.seed);
  // The encoder of the same options draws one seed per convolution or dense layer first.
  for (let i = 0; i < encoderSeeds(settings); i++) seeds();
  return buildDecoder(settings, seeds);
}

interface ConvSettings {
  imageShape: ImageShape;
  latentDim: number;
  width: number;
  batchNorm: boolean;
  outputRange: OutputRange;
  seed: number;
  /** Stride-2 stages of the 32×32 and 64×64 nets (3 and 4). */
  stages: number;
}

function convSettings(options: ConvAutoencoderOptions | ConvEncoderOptions): ConvSettings {
  if (typeof options !== 'object' || options === null) throw new TypeError(`"options" expected an object, got ${describeValue(options)}`);
  const imageShape = expectImageShape(options.imageShape);
  const defaults = SUPPORTED[imageShape.join(',')];
  if (defaults === undefined) {
    throw new RangeError(
      `"imageShape" expected one of [28, 28, 1], [32, 32, 3], [64, 64, 3], got [${imageShape.join(', ')}]; ` +
        'for other shapes build your own tfjs-layers encoder and decoder and wrap them with customAutoencoder(encoder, decoder)',
    );
  }
  const latentDim = expectInteger('latentDim', options.latentDim ?? defaults.latentDim, 1);
  const width = expectInteger('width', options.width ?? defaults.width, 1);
  const batchNorm = expectBoolean('batchNorm', options.batchNorm ?? true);
  const outputRange = expectOneOf('outputRange', (options as ConvAutoencoderOptions).outputRange ?? defaults.outputRange, ['unit', 'symmetric'] as const);
  const seed = expectInteger('seed', options.seed ?? 1, 0, 2 ** 31 - 1);
  return { imageShape, latentDim, width, batchNorm, outputRange, seed, stages: imageShape[0] === 32 ? 3 : 4 };
}

// Seeded layers of the encoder: 28×28 has two convolutions and a dense code layer; the
// others one convolution per stage and the 'valid' code convolution.
function encoderSeeds(s: ConvSettings): number {
  return s.imageShape[0] === 28 ? 3 : s.stages + 1;
}

function buildEncoder(s: ConvSettings, seeds: () => number): tfl.Sequential {
  const b = new Blocks(seeds, s.batchNorm, s.outputRange);
  return s.imageShape[0] === 28 ? mnistEncoder(b, s.imageShape, s.latentDim, s.width) : dcganEncoder(b, s.imageShape, s.latentDim, s.width, s.stages);
}

function buildDecoder(s: ConvSettings, seeds: () => number): tfl.Sequential {
  const b = new Blocks(seeds, s.batchNorm, s.outputRange);
  return s.imageShape[0] === 28 ? mnistDecoder(b, s.imageShape, s.latentDim, s.width) : dcganDecoder(b, s.imageShape, s.latentDim, s.width, s.stages);
}

/** 32×32 and 64×64: `stages` stride-2 convolutions to 4×4, then a 'valid' 4×4 convolution to the code. */
function dcganEncoder(b: Blocks, imageShape: ImageShape, latentDim: number, w: number, stages: number): tfl.Sequential {
  const channels = Array.from({ length: stages }, (_, i) => w * 2 ** i); // w, 2w, 4w(, 8w)
  return tfl.sequential({
    name: `conv${imageShape[0]}_encoder`,
    layers: [
      ...channels.flatMap((c, i) => b.conv(c, 2, 'same', i === 0 ? 'lrelu' : 'bn-lrelu', i === 0 ? { inputShape: [...imageShape] } : {})),
      ...b.conv(latentDim, 1, 'valid', 'linear'),
      tfl.layers.flatten(),
    ],
  });
}

/** The mirror of {@link dcganEncoder}: a 'valid' 4×4 transposed convolution to 4×4, then `stages` stride-2 ones. */
function dcganDecoder(b: Blocks, imageShape: ImageShape, latentDim: number, w: number, stages: number): tfl.Sequential {
  const mirrored = Array.from({ length: stages }, (_, i) => w * 2 ** i).reverse(); // 8w, 4w, 2w, w
  return tfl.sequential({
    name: `conv${imageShape[0]}_decoder`,
    layers: [
      tfl.layers.reshape({ targetShape: [1, 1, latentDim], inputShape: [latentDim] }),
      ...b.deconv(mirrored[0] as number, 1, 'valid', 'bn-relu'),
      ...mirrored.slice(1).flatMap((c) => b.deconv(c, 2, 'same', 'bn-relu')),
      ...b.deconv(imageShape[2], 2, 'same', 'out'),
    ],
  });
}

/** 28×28×1: two stride-2 convolutions to 7×7×2w, and a dense layer to the code. */
function mnistEncoder(b: Blocks, imageShape: ImageShape, latentDim: number, w: number): tfl.Sequential {
  return tfl.sequential({
    name: 'conv28_encoder',
    layers: [
      ...b.conv(w, 2, 'same', 'lrelu', { inputShape: [...imageShape] }),
      ...b.conv(2 * w, 2, 'same', 'bn-lrelu'),
      tfl.layers.flatten(),
      b.dense(latentDim, 'linear'),
    ],
  });
}

/** The mirror of {@link mnistEncoder}: a dense layer to 7×7×2w, then two stride-2 transposed convolutions. */
function mnistDecoder(b: Blocks, imageShape: ImageShape, latentDim: number, w: number): tfl.Sequential {
  return tfl.sequential({
    name: 'conv28_decoder',
    layers: [
      b.dense(7 * 7 * 2 * w, 'relu', { inputShape: [latentDim] }),
      tfl.layers.reshape({ targetShape: [7, 7, 2 * w] }),
      ...b.bnRelu(),
      ...b.deconv(w, 2, 'same', 'bn-relu'),
      ...b.deconv(imageShape[2], 2, 'same', 'out'),
    ],
  });
}
