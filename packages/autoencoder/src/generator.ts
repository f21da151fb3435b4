// createGenerator({ decoder, map }): any decoder composed with a solved OT map (plain or
// extended) is a generator — noise → map → new latent code → decoder → image — that
// meets the ImageGenerator contract (image-generator.ts) every aeot generator does. It saves
// as a directory a browser can load over http: the decoder in tfjs's model format
// (model.json + weights.bin), the map in one safetensors file, and generator.json.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describeValue, expectInteger, expectOneOf } from '@aeot/tensor-backend';
import { ExtendedMap, SemiDiscreteMap, SourceSampler, type ExtensionRule, type GeneratedCodes } from '@aeot/ot-semidiscrete';
import { decode, decodeBatches, decoderOf, type DecoderLike } from './codes.js';
import { loadLayersModel, readDescriptor, saveLayersModel, writeDescriptor } from './model-io.js';
import type { ImageGenerator, ImageSampleOptions, SampledImages } from './image-generator.js';
import { expectImageShape, type ImageShape } from './image-shape.js';
import type { OutputRange } from './nets.js';

/** How a generator makes codes: a rule of the extended map, or `'plain'` (the OT map T(x) itself: training codes only). */
export type GenerationRule = ExtensionRule | 'plain';

/** Options of {@link createGenerator}. */
export interface CreateGeneratorOptions {
  /** The decoder: an Autoencoder or a tfjs-layers model from `[n, d]` codes to `[n, h, w, c]` images. */
  decoder: DecoderLike;
  /** A solved map onto the codes: an ExtendedMap (new codes) or a plain SemiDiscreteMap (`'plain'` rule only). */
  map: ExtendedMap | SemiDiscreteMap;
  /** Default rule of {@link Generator.sample}: `'pairwise'` for an extended map (the released code's rule; sharpest images), `'plain'` for a plain map. */
  rule?: GenerationRule;
  /** Pixel range of the decoder's output. Default: the Autoencoder's, else `'unit'`. */
  outputRange?: OutputRange;
}

/** Options of {@link Generator.sample}: seed and batch size (as every {@link ImageGenerator}), and the rule. */
export interface SampleOptions extends ImageSampleOptions {
  /** Rule for this call (default: the generator's). */
  rule?: GenerationRule;
}

/** Generated images with their codes (as every {@link ImageGenerator} returns) and what the map did. */
export interface GeneratedImages extends SampledImages {
  /** Samples made by the extension rule (new codes) and those that fell back to T(x). */
  extended: number;
  fallback: number;
}

const FORMAT = 'aeot-generator/1';

interface GeneratorJson {
  format: string;
  map: 'extended' | 'plain';
  rule: GenerationRule;
  latentDim: number;
  imageShape: number[];
  outputRange: OutputRange;
}

/** A decoder composed with an OT map: the AE-OT {@link ImageGenerator}. Make one with {@link createGenerator} or {@link loadGenerator}. */
export class Generator implements ImageGenerator {
  readonly decoder: tfl.LayersModel;
  readonly map: ExtendedMap | SemiDiscreteMap;
  readonly rule: GenerationRule;
  readonly latentDim: number;
  readonly imageShape: ImageShape;
  readonly outputRange: OutputRange;

  /** @internal use {@link createGenerator}. */
  constructor(decoder: tfl.LayersModel, map: ExtendedMap | SemiDiscreteMap, rule: GenerationRule, latentDim: number, imageShape: ImageShape, outputRange: OutputRange) {
    this.decoder = decoder;
    this.map = map;
    this.rule = rule;
    this.latentDim = latentDim;
    this.imageShape = imageShape;
    this.outputRange = outputRange;
  }

  /** The plain map (T itself). */
  get plainMap(): SemiDiscreteMap {
    return this.map instanceof ExtendedMap ? this.map.map : this.map;
  }

  /**
   * New latent codes: n noise samples through the map with the rule.
   *
   * @param n how many.
   * @param options seed, rule.
   * @returns the codes (the caller disposes `codes`) and the rule's counts.
   * @throws {RangeError} for a bad n or a rule the map cannot do.
   */
  async sampleCodes(n: number, options: SampleOptions = {}): Promise<GeneratedCodes> {
    expectInteger('n', n, 1);
    const rule = this.#rule(options.rule);
    const seed = expectInteger('seed', options.seed ?? 0, 0, 2 ** 32 - 1);
    if (rule !== 'plain') return (this.map as ExtendedMap).sample(n, { rule, seed });
    const map = this.plainMap;
    const sampler = SourceSampler.create(map.source, 'random', seed);
    const parts: tf.Tensor2D[] = [];
    for (let done = 0; done < n; done += 65_536) {
      const m = Math.min(65_536, n - done);
      const x = tf.tensor2d(sampler.next(m), [m, map.dim]);
      parts.push(map.transport(x));
      x.dispose();
    }
    const codes = parts.length === 1 ? (parts[0] as tf.Tensor2D) : (tf.concat(parts, 0) as tf.Tensor2D);
    if (parts.length > 1) tf.dispose(parts);
    return { codes, extended: 0, fallback: n, rejected: 0, neighbours: 1, cells: new Int32Array(0), extendedRows: new Uint8Array(n) };
  }

  /**
   * Generates n images: codes from {@link Generator.sampleCodes}, decoded in batches.
   *
   * @param n how many.
   * @param options seed, rule, batch size.
   * @returns images and codes (the caller disposes both) and the rule's counts.
   * @example
   * const { images, codes } = await generator.sample(64, { seed: 1 });
   */
  async sample(n: number, options: SampleOptions = {}): Promise<GeneratedImages> {
    const generated = await this.sampleCodes(n, options);
    const images = await decode(this.decoder, generated.codes, { batchSize: options.batchSize ?? 500 });
    return { images, codes: generated.codes, extended: generated.extended, fallback: generated.fallback };
  }

  /**
   * Generates n images as a stream of batches (each yielded batch belongs to the caller):
   * for metrics over many samples without holding them all.
   *
   * @param n how many.
   * @param options seed, rule, batch size.
   */
  async *sampleBatches(n: number, options: SampleOptions = {}): AsyncGenerator<tf.Tensor4D> {
    const generated = await this.sampleCodes(n, options);
    try {
      yield* decodeBatches(this.decoder, generated.codes, { batchSize: options.batchSize ?? 500 });
    } finally {
      generated.codes.dispose();
    }
  }

  /**
   * Saves the generator into a directory (Node; created when missing): `model.json` +
   * `weights.bin` (the decoder, tfjs model format), `map.safetensors` (the map, with the
   * extended map's barycentres and θ̂), `generator.json`. Serve the directory over http
   * and {@link loadGenerator} it in a browser.
   *
   * @param directory where to write.
   * @throws {StorageError} when a file cannot be written.
   */
  async save(directory: string): Promise<void> {
    if (typeof directory !== 'string' || directory === '') throw new TypeError(`"directory" expected a path, got ${describeValue(directory)}`);
    const dir = directory.replace(/\/+$/, '');
    await saveLayersModel(this.decoder, dir);
    await this.map.save(`${dir}/map.safetensors`);
    const json: GeneratorJson = {
      format: FORMAT,
      map: this.map instanceof ExtendedMap ? 'extended' : 'plain',
      rule: this.rule,
      latentDim: this.latentDim,
      imageShape: [...this.imageShape],
      outputRange: this.outputRange,
    };
    await writeDescriptor(`${dir}/generator.json`, json);
  }

  /** Frees the decoder model and the map's cached tensors (the generator uses them, it did not copy them). */
  dispose(): void {
    this.decoder.dispose();
    this.plainMap.dispose();
  }

  #rule(given: GenerationRule | undefined): GenerationRule {
    return expectRule(given ?? this.rule, this.map);
  }
}

/**
 * Composes a decoder with a solved OT map into a generator: how users build their own
 * AE-OT generator from their own decoder.
 *
 * @param options decoder, map, default rule, output range.
 * @returns the generator (it uses, does not copy, the decoder and the map).
 * @throws {RangeError} when the map's dimension differs from the decoder's latent dimension.
 * @example
 * const map = await solveSemiDiscrete({ targets: codes, dim: 16 });
 * const generator = createGenerator({ decoder: ae, map: await extendMap(map) });
 * const { images } = await generator.sample(64, { seed: 1 });
 */
export function createGenerator(options: CreateGeneratorOptions): Generator {
  if (options === null || typeof options !== 'object') throw new TypeError(`"options" expected { decoder, map }, got ${describeValue(options)}`);
  const { model, latentDim } = decoderOf(options.decoder);
  const map = options.map;
  if (!(map instanceof ExtendedMap) && !(map instanceof SemiDiscreteMap)) throw new TypeError(`"map" expected an ExtendedMap or a SemiDiscreteMap, got ${describeValue(map)}`);
  const dim = map instanceof ExtendedMap ? map.map.dim : map.dim;
  if (dim !== latentDim) throw new RangeError(`"map" has codes of dimension ${dim}, but the decoder reads codes of dimension ${latentDim}`);
  const out = model.outputs[0]?.shape;
  const imageShape = expectImageShape(out?.slice(1), 'decoder output');
  const outputRange = expectOneOf('outputRange', options.outputRange ?? (options.decoder as { outputRange?: OutputRange }).outputRange ?? 'unit', ['unit', 'symmetric'] as const);
  const rule = expectRule(options.rule ?? (map instanceof ExtendedMap ? 'pairwise' : 'plain'), map);
  return new Generator(model, map, rule, latentDim, imageShape, outputRange);
}

// A rule the map can do: the extension rules need an extended map.
function expectRule(given: unknown, map: ExtendedMap | SemiDiscreteMap): GenerationRule {
  const rule = expectOneOf('rule', given, ['pairwise', 'barycentric', 'naive', 'plain'] as const);
  if (rule !== 'plain' && !(map instanceof ExtendedMap)) throw new RangeError(`"rule" '${rule}' needs an extended map (extendMap(map)); a plain map only does 'plain'`);
  return rule;
}

/**
 * Loads a generator saved by {@link Generator.save}: a directory path (Node) or the
 * directory's http(s) URL (Node and browsers).
 *
 * @param source the directory (with or without a trailing slash).
 * @returns the generator (dispose it when done).
 * @throws {RangeError} when the directory does not hold a saved generator.
 * @throws {StorageError} when a file cannot be read.
 * @example
 * const generator = await loadGenerator('https://example.org/models/mnist-aeot/');
 * const { images } = await generator.sample(16);
 */
export async function loadGenerator(source: string): Promise<Generator> {
  if (typeof source !== 'string' || source === '') throw new TypeError(`"source" expected a directory path or URL, got ${describeValue(source)}`);
  const dir = source.replace(/\/+$/, '');
  const json = await readDescriptor<GeneratorJson>(dir, 'generator.json', FORMAT, 'generator');
  const decoder = await loadLayersModel(dir);
  const map = json.map === 'extended' ? await ExtendedMap.load(`${dir}/map.safetensors`) : await SemiDiscreteMap.load(`${dir}/map.safetensors`);
  return createGenerator({ decoder, map, rule: json.rule, outputRange: json.outputRange });
}
