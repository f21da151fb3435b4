// tfjs-layers models as files: save any LayersModel in tfjs's model format (model.json +
// weights.bin, loadable by `tf.loadLayersModel`) and load one back, from a directory
// path (Node) or URL (Node and browsers); and a whole autoencoder as two such models.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describeValue, readModelArtifacts, readRawBytes, writeFileAtomic, writeModelArtifacts } from '@aeot/tensor-backend';
import { customAutoencoder, type Autoencoder, type OutputRange } from './nets.js';

/**
 * Saves a LayersModel as `directory/model.json` + `directory/weights.bin` (Node; the
 * directory is created when missing; each file is written atomically).
 *
 * @param model the model.
 * @param directory where to write.
 * @returns the path of model.json.
 * @throws {StorageError} when a file cannot be written.
 */
export async function saveLayersModel(model: tfl.LayersModel, directory: string): Promise<string> {
  if (typeof directory !== 'string' || directory === '') throw new TypeError(`"directory" expected a path, got ${describeValue(directory)}`);
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
    }),
  );
  return writeModelArtifacts(directory.replace(/\/+$/, ''), artifacts as tf.io.ModelArtifacts);
}

/**
 * Loads a LayersModel saved in tfjs's model format.
 *
 * @param source the directory holding model.json (path or URL), or model.json itself.
 * @returns the model (the caller disposes it).
 * @throws {StorageError} when a file cannot be read.
 * @throws {RangeError} when model.json is not a tfjs model.
 */
export async function loadLayersModel(source: string): Promise<tfl.LayersModel> {
  if (typeof source !== 'string' || source === '') throw new TypeError(`"source" expected a directory or model.json path or URL, got ${describeValue(source)}`);
  const modelJson = source.endsWith('.json') ? source : `${source.replace(/\/+$/, '')}/model.json`;
  return tfl.loadLayersModel(tf.io.fromMemory(await readModelArtifacts(modelJson)));
}

const FORMAT = 'aeot-autoencoder/1';

/**
 * Saves a trained autoencoder: `directory/encoder/` and `directory/decoder/` in tfjs's
 * model format, and `directory/autoencoder.json` (shapes and pixel range).
 *
 * @param autoencoder the nets.
 * @param directory where to write (Node).
 * @throws {StorageError} when a file cannot be written.
 * @example
 * await saveAutoencoder(ae, 'out/mnist-ae');
 * const again = await loadAutoencoder('out/mnist-ae');
 */
export async function saveAutoencoder(autoencoder: Autoencoder, directory: string): Promise<void> {
  const dir = directory.replace(/\/+$/, '');
  await saveLayersModel(autoencoder.encoder, `${dir}/encoder`);
  await saveLayersModel(autoencoder.decoder, `${dir}/decoder`);
  await writeDescriptor(`${dir}/autoencoder.json`, { format: FORMAT, imageShape: [...autoencoder.imageShape], latentDim: autoencoder.latentDim, outputRange: autoencoder.outputRange });
}

/**
 * Loads an autoencoder saved by {@link saveAutoencoder} (directory path or URL).
 *
 * @param source the directory.
 * @returns the nets (the caller disposes both models).
 * @throws {RangeError} when the directory does not hold a saved autoencoder.
 */
export async function loadAutoencoder(source: string): Promise<Autoencoder> {
  if (typeof source !== 'string' || source === '') throw new TypeError(`"source" expected a directory path or URL, got ${describeValue(source)}`);
  const dir = source.replace(/\/+$/, '');
  const json = await readDescriptor<{ outputRange?: OutputRange }>(dir, 'autoencoder.json', FORMAT, 'autoencoder');
  const encoder = await loadLayersModel(`${dir}/encoder`);
  const decoder = await loadLayersModel(`${dir}/decoder`);
  return customAutoencoder(encoder, decoder, { outputRange: json.outputRange ?? 'unit' });
}

/** Writes a small JSON file that describes a saved directory (atomically). */
export async function writeDescriptor<T extends { format: string }>(target: string, json: T): Promise<void> {
  await writeFileAtomic(target, [new TextEncoder().encode(JSON.stringify(json, null, 2))]);
}

/**
 * Reads `directory/file`, a JSON descriptor of a saved directory, and checks its format.
 *
 * @throws {RangeError} when it is not JSON or not of `format`.
 * @throws {StorageError} when it cannot be read.
 */
export async function readDescriptor<T>(directory: string, file: string, format: string, what: string): Promise<T & { format: string }> {
  let json: (T & { format?: unknown }) | undefined;
  try {
    json = JSON.parse(new TextDecoder().decode(await readRawBytes(`${directory}/${file}`))) as T & { format?: unknown };
  } catch (e) {
    if (e instanceof SyntaxError) throw new RangeError(`"${directory}/${file}" is not JSON: ${e.message}`);
    throw e;
  }
  if (json?.format !== format) throw new RangeError(`"${directory}" expected a saved aeot ${what} (format ${format}), got format ${describeValue(json?.format)}`);
  return json as T & { format: string };
}
