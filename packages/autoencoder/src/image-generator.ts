// The contract every image generator of aeot meets — the AE-OT generator (decoder ∘ OT
// map, generator.ts) and the GAN baselines' (a decoder net on noise) — so metrics,
// image grids and comparisons take any of them. No OT here: a GAN package implements
// this without importing the OT solver.
import type * as tf from '@tensorflow/tfjs-core';
import type { ImageShape } from './image-shape.js';
import type { OutputRange } from './nets.js';

/** Options every {@link ImageGenerator} takes when sampling (implementations may take more). */
export interface ImageSampleOptions {
  /** Seed of the noise: the same seed gives the same images. Default 0. */
  seed?: number;
  /** Codes decoded per batch. Default 500. */
  batchSize?: number;
}

/** Images an {@link ImageGenerator} made, with the latent codes they were decoded from. */
export interface SampledImages {
  /** `[n, h, w, c]` images in the generator's output range (the caller disposes). */
  images: tf.Tensor4D;
  /** `[n, latentDim]` codes the images were decoded from: new codes of an OT map, or a GAN's noise (the caller disposes). */
  codes: tf.Tensor2D;
}

/**
 * A seeded source of images: noise → latent code → decoder → image. Implemented by
 * AE-OT's {@link Generator}; a GAN's generator net implements it too, which is what
 * lets one evaluation compare them.
 *
 * @example
 * async function firstImages(generator: ImageGenerator): Promise<tf.Tensor4D> {
 *   const { images, codes } = await generator.sample(64, { seed: 1 });
 *   codes.dispose();
 *   return images;
 * }
 */
export interface ImageGenerator {
  /** Dimension of the codes the decoder reads. */
  readonly latentDim: number;
  /** `[h, w, c]` of one image. */
  readonly imageShape: ImageShape;
  /** Pixel range of the images: `'unit'` [0, 1] or `'symmetric'` [−1, 1]. */
  readonly outputRange: OutputRange;
  /**
   * Makes n images.
   *
   * @param n how many (an integer ≥ 1).
   * @param options seed, batch size (and an implementation's own options).
   * @returns the images and their codes (the caller disposes both).
   * @throws {RangeError} for a bad n or option.
   */
  sample(n: number, options?: ImageSampleOptions): Promise<SampledImages>;
  /**
   * Makes n images as a stream of batches, for metrics over many samples without holding
   * them all; each yielded batch belongs to the caller.
   *
   * @param n how many (an integer ≥ 1).
   * @param options seed, batch size (and an implementation's own options).
   */
  sampleBatches(n: number, options?: ImageSampleOptions): AsyncGenerator<tf.Tensor4D>;
  /** Frees the models and tensors the generator holds. */
  dispose(): void;
}
