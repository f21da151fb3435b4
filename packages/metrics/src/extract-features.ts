// Streams images through a feature network in batches: each batch's features come back
// to the host and are folded into float64 running statistics (and, if asked, kept as a
// matrix for KID, precision/recall, ...). Only one batch is ever on the device.
import * as tf from '@tensorflow/tfjs-core';
import { describeValue, expectInteger } from '@aeot/tensor-backend';
import { Dataset, type PixelScale } from '@aeot/datasets';
import type { FeatureExtractor } from './feature-extractor.js';
import { FeatureStatistics } from './feature-statistics.js';
import { NonFiniteFeaturesError } from './errors.js';
import type { FeatureMatrix } from './features.js';

/** Where images come from: a dataset, a tensor, or batches (sync or async iterable). */
export type ImageSource = Dataset | tf.Tensor | Iterable<tf.Tensor> | AsyncIterable<tf.Tensor>;

/** Progress of {@link extractFeatures}. */
export interface ExtractProgress {
  /** Images done so far. */
  done: number;
  /** Images in all, when known (datasets, tensors, `limit`). */
  total: number | undefined;
}

/** Options of {@link extractFeatures}. */
export interface ExtractOptions {
  /** Images per batch for datasets and tensors. Default 256. */
  batchSize?: number;
  /** Keep every feature vector (needed by KID, precision/recall, PRD). Default true; false keeps only the statistics. */
  keepFeatures?: boolean;
  /** Stop after this many images. Default: all. */
  limit?: number;
  /** Pixel scaling of a pixel dataset's batches. Default `'unit'` ([0, 1]). */
  scale?: PixelScale;
  /** Called after each batch. */
  onProgress?: (progress: ExtractProgress) => void;
  /** Aborts between batches (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
  /**
   * Called with each batch, as the network will see it (after `limit`), before its
   * features are computed, e.g. to read a classifier's labels on the way. The batch
   * belongs to this call: do not dispose or keep it. A rejection stops the extraction.
   */
  onBatch?: (batch: tf.Tensor) => void | Promise<void>;
  /**
   * Dispose the tensors an iterable yields once their features are read. Default true
   * (the batches belong to this call); the images of a dataset or tensor input are
   * managed here either way, and a tensor input itself is never disposed.
   */
  disposeBatches?: boolean;
}

/** Features of a set of images. */
export interface ExtractedFeatures {
  /** Running mean and covariance (float64), carrying the network's name. */
  statistics: FeatureStatistics;
  /** All feature vectors `[count, dim]`, unless `keepFeatures: false`. */
  features: FeatureMatrix | undefined;
  /** Images processed. */
  count: number;
  /** The network's name. */
  extractor: string;
}

/**
 * Computes features of images with a network, in batches, into float64 statistics and
 * (by default) a feature matrix. Use the result for {@link fid} (statistics or features),
 * {@link kid}, {@link prdc}, {@link prd}.
 *
 * @param extractor the feature network, e.g. `await loadMnistClassifier()`.
 * @param images a Dataset (read in order, scaled to [0, 1] by default), a `[n, ...]`
 *   tensor, or an iterable of batch tensors (e.g. a generator's samples).
 * @param options batch size, keep features, limit, progress, abort, a per-batch hook.
 * @returns statistics, features and the count.
 * @throws {TypeError} for an extractor or images of the wrong kind, or an `onBatch` that is not a function.
 * @throws {RangeError} for a batch whose shape does not fit the extractor, or no images.
 * @throws {NonFiniteFeaturesError} when the network returns NaN or infinite features
 *   (`row` is the image's index).
 * @example
 * const classifier = await loadMnistClassifier();
 * const { test } = await loadMnist();
 * const real = await extractFeatures(classifier, test, { onProgress: (p) => console.log(p.done) });
 */
export async function extractFeatures(extractor: FeatureExtractor, images: ImageSource, options: ExtractOptions = {}): Promise<ExtractedFeatures> {
  if (extractor === null || typeof extractor !== 'object' || typeof extractor.extract !== 'function' || !Number.isInteger(extractor.dim)) {
    throw new TypeError(`"extractor" expected a FeatureExtractor ({ name, dim, inputShape, extract }), got ${describeValue(extractor)}`);
  }
  const batchSize = expectInteger('batchSize', options.batchSize ?? 256, 1);
  const limit = options.limit === undefined ? Infinity : expectInteger('limit', options.limit, 1);
  const keep = options.keepFeatures ?? true;
  const disposeBatches = options.disposeBatches ?? true;
  const onBatch = options.onBatch;
  if (onBatch !== undefined && typeof onBatch !== 'function') throw new TypeError(`"onBatch" expected a function, got ${describeValue(onBatch)}`);
  const statistics = new FeatureStatistics(extractor.dim, { features: extractor.name });
  const kept: Float32Array[] = [];
  let count = 0;
  const total = images instanceof Dataset ? Math.min(images.size, limit) : images instanceof tf.Tensor ? Math.min(images.shape[0] ?? 0, limit) : Number.isFinite(limit) ? limit : undefined;

  const consume = async (batch: tf.Tensor): Promise<void> => {
    options.signal?.throwIfAborted();
    const take = Math.min(batch.shape[0] ?? 0, limit - count);
    const input = take < (batch.shape[0] ?? 0) ? tf.slice(batch, 0, take) : batch;
    let values: Float32Array;
    try {
      if (onBatch !== undefined) await onBatch(input);
      const features = extractor.extract(input);
      try {
        values = (await features.data()) as Float32Array;
      } finally {
        features.dispose();
      }
    } finally {
      if (input !== batch) input.dispose();
    }
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i]!)) throw new NonFiniteFeaturesError(`features of "${extractor.name}"`, count + Math.floor(i / extractor.dim), i % extractor.dim, values[i]!);
    }
    statistics.add({ data: values, shape: [take, extractor.dim] });
    if (keep) kept.push(values);
    count += take;
    options.onProgress?.({ done: count, total });
  };

  if (images instanceof Dataset) {
    for await (const { x, labels } of images.batches(batchSize, images.kind === 'pixels' ? { scale: options.scale ?? 'unit' } : {})) {
      try {
        await consume(x);
      } finally {
        tf.dispose([x, ...(labels === undefined ? [] : [labels])]);
      }
      if (count >= limit) break;
    }
  } else if (images instanceof tf.Tensor) {
    const n = Math.min(images.shape[0] ?? 0, limit);
    for (let start = 0; start < n; start += batchSize) {
      const batch = tf.slice(images, start, Math.min(batchSize, n - start));
      try {
        await consume(batch);
      } finally {
        batch.dispose();
      }
    }
  } else if (images !== null && typeof images === 'object' && (Symbol.asyncIterator in images || Symbol.iterator in images)) {
    for await (const batch of images as AsyncIterable<tf.Tensor>) {
      if (!(batch instanceof tf.Tensor)) throw new TypeError(`"images" expected batches of tensors, got ${describeValue(batch)}`);
      try {
        await consume(batch);
      } finally {
        if (disposeBatches) batch.dispose();
      }
      if (count >= limit) break;
    }
  } else {
    throw new TypeError(`"images" expected a Dataset, a tensor, or an iterable of batch tensors, got ${describeValue(images)}`);
  }
  if (count === 0) throw new RangeError('"images" expected at least 1 image, got none');
  let features: FeatureMatrix | undefined;
  if (keep) {
    const data = new Float64Array(count * extractor.dim);
    let offset = 0;
    for (const part of kept) {
      data.set(part, offset);
      offset += part.length;
    }
    features = { data, rows: count, dim: extractor.dim };
  }
  return { statistics, features, count, extractor: extractor.name };
}
