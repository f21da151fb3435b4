// tfjs model files (model.json + weight files) as bytes: read from a path or URL into
// ModelArtifacts, and written next to each other from ModelArtifacts (Node), so models
// saved here load with tfjs's own loaders in Node and in the browser.
import * as tf from '@tensorflow/tfjs-core';
import { makeDirectory, writeFileAtomic } from '#file-io';
import { describeValue } from '../validate.js';
import { readRawBytes } from './byte-source.js';
import { concatParts } from './concat-parts.js';

interface ModelJson {
  modelTopology?: unknown;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  signature?: unknown;
  userDefinedMetadata?: Record<string, object>;
  modelInitializer?: unknown;
  weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

// A weight file named in model.json, next to it.
function resolveSibling(source: string, path: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(source)) return new URL(path, source).href;
  const slash = source.lastIndexOf('/');
  return slash < 0 ? path : source.slice(0, slash + 1) + path;
}

/**
 * Reads a tfjs model.json and its weight files into ModelArtifacts (one weight buffer),
 * from a file path or `file://` URL (Node) or an http(s) URL (Node and browser).
 *
 * @param source location of model.json.
 * @returns the artifacts, ready for `tf.io.fromMemory`.
 * @throws {StorageError} when a file cannot be read.
 * @throws {RangeError} when model.json is not a tfjs model.
 */
export async function readModelArtifacts(source: string): Promise<tf.io.ModelArtifacts> {
  const text = new TextDecoder().decode(await readRawBytes(source));
  let json: ModelJson;
  try {
    json = JSON.parse(text) as ModelJson;
  } catch (e) {
    throw new RangeError(`"${source}" is not a tfjs model.json: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof json !== 'object' || json === null || json.modelTopology === undefined || !Array.isArray(json.weightsManifest)) {
    throw new RangeError(`"${source}" is not a tfjs model.json (expected modelTopology and weightsManifest)`);
  }
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const path of group.paths) parts.push(await readRawBytes(resolveSibling(source, path)));
  }
  const weightData = concatParts(parts, parts.reduce((s, p) => s + p.byteLength, 0));
  const artifacts: tf.io.ModelArtifacts = { modelTopology: json.modelTopology as object, weightSpecs, weightData: weightData.buffer as ArrayBuffer };
  if (json.format !== undefined) artifacts.format = json.format;
  if (json.generatedBy !== undefined) artifacts.generatedBy = json.generatedBy;
  if (json.convertedBy !== undefined && json.convertedBy !== null) artifacts.convertedBy = json.convertedBy;
  if (json.signature !== undefined) artifacts.signature = json.signature as object;
  if (json.userDefinedMetadata !== undefined) artifacts.userDefinedMetadata = json.userDefinedMetadata;
  if (json.modelInitializer !== undefined) artifacts.modelInitializer = json.modelInitializer as object;
  return artifacts;
}

/**
 * Writes ModelArtifacts (e.g. from `model.save(tf.io.withSaveHandler(…))`) as tfjs's
 * model format: `model.json` plus one weight file beside it, each written atomically;
 * the directory is created when missing (Node). Load it with
 * `tf.loadLayersModel('…/model.json')` (or {@link readModelArtifacts}).
 *
 * @param directory where to write (a path or `file://` URL).
 * @param artifacts the model's artifacts (topology, weight specs and data).
 * @param options `weightsFile` name (default `weights.bin`).
 * @returns the path of model.json.
 * @throws {TypeError} when the artifacts have no topology or weights.
 * @throws {StorageError} when a file cannot be written.
 * @example
 * let artifacts; await model.save(tf.io.withSaveHandler(async (a) => { artifacts = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
 * await writeModelArtifacts('out/decoder', artifacts);
 */
export async function writeModelArtifacts(directory: string, artifacts: tf.io.ModelArtifacts, options: { weightsFile?: string } = {}): Promise<string> {
  if (artifacts?.modelTopology === undefined || artifacts.weightSpecs === undefined || artifacts.weightData === undefined) {
    throw new TypeError(`"artifacts" expected a model's topology, weight specs and weight data, got ${describeValue(artifacts)}`);
  }
  const weightsFile = options.weightsFile ?? 'weights.bin';
  if (typeof weightsFile !== 'string' || !/^[\w.-]+$/.test(weightsFile)) throw new RangeError(`"weightsFile" expected a plain file name, got ${describeValue(weightsFile)}`);
  const dir = directory.replace(/\/+$/, '');
  await makeDirectory(dir);
  const json: ModelJson = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-core v${tf.version_core}`,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs }],
  };
  if (artifacts.trainingConfig !== undefined) (json as { trainingConfig?: unknown }).trainingConfig = artifacts.trainingConfig;
  if (artifacts.userDefinedMetadata !== undefined) json.userDefinedMetadata = artifacts.userDefinedMetadata;
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
  await writeFileAtomic(`${dir}/${weightsFile}`, [weights]);
  const modelJson = `${dir}/model.json`;
  await writeFileAtomic(modelJson, [new TextEncoder().encode(JSON.stringify(json))]);
  return modelJson;
}
