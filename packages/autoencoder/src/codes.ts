// Latent codes: encode a dataset (or a tensor of images) in batches, decode codes to
// images in batches — as one tensor, or as a stream of batches for metrics that
// accumulate statistics without holding every image.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describeValue, expectInteger } from '@aeot/tensor-backend';
import type { Dataset } from '@aeot/datasets';
import { EmptyDatasetError, ImageShapeError } from './errors.js';
import { checkImageShape } from './image-shape.js';
import type { Autoencoder } from './nets.js';

/** Options of {@link encode}. */
export interface EncodeOptions {
  /** Images per batch. Default 500. */
  batchSize?: number;
  /** Encode only the first `limit` examples. */
  limit?: number;
  /** Called after each batch with the examples done and the total. */
  onProgress?: (done: number, total: number) => void;
  /** Stops between batches (throws the signal's reason, or an AbortError). */
  signal?: AbortSignal;
}

/**
 * Encodes images to latent codes in batches (inference mode: batch norm uses its moving
 * statistics).
 *
 * @param autoencoder the nets (only the encoder runs).
 * @param data a dataset of the net's image shape (pixels scaled to its output range), or
 *   a `[n, h, w, c]` tensor already scaled (not disposed).
 * @param options batch size, limit, progress, signal.
 * @returns the codes, row-major `[n, latentDim]`.
 * @throws {ImageShapeError} when the images do not have the net's shape.
 * @throws {EmptyDatasetError} when there is nothing to encode.
 * @example
 * const codes = await encode(ae, mnist.train);   // Float32Array of 60,000 × latentDim
 */
export async function encode(autoencoder: Autoencoder, data: Dataset | tf.Tensor4D, options: EncodeOptions = {}): Promise<Float32Array> {
  const batchSize = expectInteger('batchSize', options.batchSize ?? 500, 1);
  const d = autoencoder.latentDim;
  const run = (x: tf.Tensor): Promise<Float32Array> => {
    const z = tf.tidy(() => autoencoder.encoder.predict(x) as tf.Tensor);
    return z.data().then((v) => {
      z.dispose();
      return v as Float32Array;
    });
  };
  if (data instanceof tf.Tensor) {
    if (data.rank !== 4) throw new ImageShapeError('"data"', autoencoder.imageShape, data.shape.slice(1));
    checkImageShape(autoencoder, { exampleShape: data.shape.slice(1) }, 'data');
    const n = Math.min(data.shape[0], options.limit ?? Infinity);
    if (n === 0) throw new EmptyDatasetError('"data"');
    const out = new Float32Array(n * d);
    for (let i = 0; i < n; i += batchSize) {
      throwIfAborted(options.signal);
      const m = Math.min(batchSize, n - i);
      const x = tf.slice(data, [i, 0, 0, 0], [m, -1, -1, -1]);
      out.set(await run(x), i * d);
      x.dispose();
      options.onProgress?.(i + m, n);
    }
    return out;
  }
  if (data === null || typeof data !== 'object' || typeof (data as Dataset).batches !== 'function') throw new TypeError(`"data" expected a Dataset or a [n, h, w, c] tensor, got ${describeValue(data)}`);
  checkImageShape(autoencoder, data, data.name);
  const source = options.limit === undefined || options.limit >= data.size ? data : data.subset({ end: expectInteger('limit', options.limit, 0) });
  if (source.size === 0) throw new EmptyDatasetError(`dataset "${data.name}"`);
  const out = new Float32Array(source.size * d);
  let done = 0;
  for await (const { x } of source.batches(batchSize, { autoDispose: true, ...(source.kind === 'pixels' ? { scale: autoencoder.outputRange } : {}) })) {
    throwIfAborted(options.signal);
    out.set(await run(x), done * d);
    done += x.shape[0] as number;
    options.onProgress?.(done, source.size);
  }
  return out;
}

/** What decodes codes: an {@link Autoencoder} or a bare decoder model. */
export type DecoderLike = Autoencoder | tfl.LayersModel;

/** The decoder model and its latent dimension. */
export function decoderOf(decoder: DecoderLike): { model: tfl.LayersModel; latentDim: number } {
  const model = (decoder as Autoencoder).decoder ?? (decoder as tfl.LayersModel);
  const shape = (model as tfl.LayersModel)?.inputs?.[0]?.shape;
  if (shape === undefined || shape.length !== 2 || typeof shape[1] !== 'number') {
    throw new TypeError(`"decoder" expected an Autoencoder or a tfjs-layers model with input [n, latentDim], got ${describeValue(decoder)}`);
  }
  return { model, latentDim: shape[1] };
}

/** Options of {@link decode} and {@link decodeBatches}. */
export interface DecodeOptions {
  /** Codes per batch. Default 500. */
  batchSize?: number;
}

/**
 * Decodes codes to images, one batch at a time (inference mode). Each yielded batch
 * belongs to the caller (dispose it, or let a consumer like metrics' `extractFeatures` do so).
 *
 * @param decoder an Autoencoder or a decoder model.
 * @param codes `[n, d]` codes: a tensor (not disposed) or row-major values.
 * @param options batch size.
 * @throws {RangeError} for codes of another dimension or non-finite codes.
 */
export async function* decodeBatches(decoder: DecoderLike, codes: tf.Tensor2D | Float32Array, options: DecodeOptions = {}): AsyncGenerator<tf.Tensor4D> {
  const { model, latentDim } = decoderOf(decoder);
  const batchSize = expectInteger('batchSize', options.batchSize ?? 500, 1);
  const n = checkCodes(codes, latentDim);
  for (let i = 0; i < n; i += batchSize) {
    const m = Math.min(batchSize, n - i);
    yield tf.tidy(() => {
      const z = codes instanceof tf.Tensor ? tf.slice(codes, [i, 0], [m, latentDim]) : tf.tensor2d(codes.subarray(i * latentDim, (i + m) * latentDim), [m, latentDim]);
      return model.predict(z) as tf.Tensor4D;
    });
  }
}

/**
 * Decodes codes to one `[n, h, w, c]` tensor of images (the caller disposes it).
 *
 * @param decoder an Autoencoder or a decoder model.
 * @param codes `[n, d]` codes (tensor, not disposed, or row-major values).
 * @param options batch size.
 * @throws {RangeError} for codes of another dimension or non-finite codes.
 * @example
 * const images = await decode(ae, codes.subarray(0, 64 * ae.latentDim));
 */
export async function decode(decoder: DecoderLike, codes: tf.Tensor2D | Float32Array, options: DecodeOptions = {}): Promise<tf.Tensor4D> {
  const parts: tf.Tensor4D[] = [];
  for await (const batch of decodeBatches(decoder, codes, options)) parts.push(batch);
  if (parts.length === 1) return parts[0] as tf.Tensor4D;
  const all = tf.concat(parts, 0);
  tf.dispose(parts);
  return all;
}

function checkCodes(codes: tf.Tensor2D | Float32Array, latentDim: number): number {
  if (codes instanceof tf.Tensor) {
    if (codes.rank !== 2 || codes.shape[1] !== latentDim) throw new RangeError(`"codes" expected a tensor of shape [n, ${latentDim}], got [${codes.shape.join(', ')}]`);
    return codes.shape[0];
  }
  if (!(codes instanceof Float32Array) || codes.length % latentDim !== 0) {
    throw new RangeError(`"codes" expected a Float32Array of n × ${latentDim} values, got ${describeValue(codes)}`);
  }
  for (let i = 0; i < codes.length; i++) {
    if (!Number.isFinite(codes[i])) throw new RangeError(`"codes" has a non-finite value ${codes[i]} in row ${Math.floor(i / latentDim)}`);
  }
  return codes.length / latentDim;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  signal?.throwIfAborted();
}
