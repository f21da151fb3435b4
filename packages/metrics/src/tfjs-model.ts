// Feature extractors from any tfjs model: a LayersModel or GraphModel the caller already
// holds, or one loaded from a model.json (path, file:// URL or http(s) URL). The tfjs
// model packages are optional peers, imported only when a model is loaded here.
import * as tf from '@tensorflow/tfjs-core';
import { describeValue, MissingPackageError, readModelArtifacts } from '@aeot/tensor-backend';
import type { FeatureExtractor } from './feature-extractor.js';

/** What {@link modelFeatureExtractor} needs of a model: tfjs's `predict`. */
export interface PredictingModel {
  predict(inputs: tf.Tensor, config?: object): tf.Tensor | tf.Tensor[] | tf.NamedTensorMap;
}

/** Options of {@link modelFeatureExtractor}. */
export interface ModelExtractorOptions {
  /** Names the network (and the layer) in every report, e.g. `"my-cifar-resnet/pool (512-d)"`. Required. */
  name: string;
  /** Shape of one input example, without the batch dimension, e.g. `[32, 32, 3]`. */
  inputShape: readonly number[];
  /** Which output, for a model with several. Default 0. */
  output?: number;
  /** Maps the batch (as the caller passes it) to what the model expects, e.g. `(x) => x.mul(2).sub(1)`. Runs inside tidy. */
  preprocess?: (batch: tf.Tensor) => tf.Tensor;
}

/**
 * Wraps a tfjs model as a {@link FeatureExtractor}: its output (flattened to `[n, D]`)
 * is the feature vector. The dimension is found by one prediction on a zero example.
 *
 * @param model a LayersModel, GraphModel or anything with a tfjs-style `predict`.
 * @param options name (required), input shape, output index, preprocessing.
 * @returns the extractor; it does not own the model (dispose the model yourself).
 * @throws {TypeError} for a model without `predict` or a missing name.
 * @throws {RangeError} for a bad input shape or output index.
 * @example
 * const model = await loadTfjsModel('https://example.org/feature-net/model.json');
 * const extractor = modelFeatureExtractor(model, { name: 'feature-net/1', inputShape: [64, 64, 3] });
 */
export function modelFeatureExtractor(model: PredictingModel, options: ModelExtractorOptions): FeatureExtractor {
  if (model === null || typeof model !== 'object' || typeof (model as PredictingModel).predict !== 'function') {
    throw new TypeError(`"model" expected a tfjs model with predict(), got ${describeValue(model)}`);
  }
  if (typeof options?.name !== 'string' || options.name === '') throw new TypeError(`"name" expected a non-empty string naming the network, got ${describeValue(options?.name)}`);
  const inputShape = options.inputShape;
  if (!Array.isArray(inputShape) || inputShape.length < 1 || !inputShape.every((s) => Number.isInteger(s) && s > 0)) {
    throw new RangeError(`"inputShape" expected positive integers without the batch dimension, got ${describeValue(inputShape)}`);
  }
  const outputIndex = options.output ?? 0;
  const preprocess = options.preprocess;
  const run = (batch: tf.Tensor): tf.Tensor2D =>
    tf.tidy(() => {
      const input = preprocess === undefined ? batch : preprocess(batch);
      const out = model.predict(input);
      let t: tf.Tensor | undefined;
      if (out instanceof tf.Tensor) t = outputIndex === 0 ? out : undefined;
      else if (Array.isArray(out)) t = out[outputIndex];
      else t = Object.values(out)[outputIndex];
      if (t === undefined) throw new RangeError(`"output" expected an index of the model's outputs, got ${outputIndex}`);
      return tf.reshape(t, [t.shape[0]!, -1]) as tf.Tensor2D;
    });
  const probe = run(tf.zeros([1, ...inputShape]));
  const dim = probe.shape[1];
  probe.dispose();
  const shape = Object.freeze([...inputShape]);
  return Object.freeze({
    name: options.name,
    dim,
    inputShape: shape,
    extract(batch: tf.Tensor): tf.Tensor2D {
      if (!(batch instanceof tf.Tensor) || batch.rank !== shape.length + 1 || shape.some((s, i) => batch.shape[i + 1] !== s)) {
        throw new RangeError(`"batch" expected a tensor of shape [n, ${shape.join(', ')}], got ${batch instanceof tf.Tensor ? `[${batch.shape.join(', ')}]` : describeValue(batch)}`);
      }
      return run(batch);
    },
  });
}

/** Which kind of tfjs model a model.json holds. */
export type TfjsModelFormat = 'layers-model' | 'graph-model';

/**
 * Loads a tfjs LayersModel or GraphModel from a model.json path or URL, with the optional
 * peer `@tensorflow/tfjs-layers` or `@tensorflow/tfjs-converter` (imported here, lazily).
 * The kind is read from model.json's `format` unless given.
 *
 * @param source model.json: a file path or `file://` URL (Node), or an http(s) URL.
 * @param options `format` to force the kind.
 * @returns the model (the caller disposes it).
 * @throws {MissingPackageError} when the needed tfjs package is not installed.
 * @throws {StorageError} when a file cannot be read.
 * @example
 * const model = await loadTfjsModel('./feature-net/model.json');
 */
export async function loadTfjsModel(source: string, options: { format?: TfjsModelFormat } = {}): Promise<PredictingModel & { dispose(): void }> {
  if (typeof source !== 'string' || source === '') throw new TypeError(`"source" expected a path or URL of a model.json, got ${describeValue(source)}`);
  const artifacts = await readModelArtifacts(source);
  const format = options.format ?? (artifacts.format === 'graph-model' ? 'graph-model' : 'layers-model');
  const handler = tf.io.fromMemory(artifacts);
  if (format === 'graph-model') {
    const converter = await importOptional<typeof import('@tensorflow/tfjs-converter')>('@tensorflow/tfjs-converter', () => import('@tensorflow/tfjs-converter'));
    return converter.loadGraphModel(handler) as unknown as Promise<PredictingModel & { dispose(): void }>;
  }
  const layers = await importOptional<typeof import('@tensorflow/tfjs-layers')>('@tensorflow/tfjs-layers', () => import('@tensorflow/tfjs-layers'));
  return layers.loadLayersModel(handler) as unknown as Promise<PredictingModel & { dispose(): void }>;
}

async function importOptional<T>(name: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    throw new MissingPackageError(name, 'the same version as @tensorflow/tfjs-core', { cause: e });
  }
}
