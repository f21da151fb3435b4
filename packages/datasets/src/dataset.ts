// The one Dataset interface of aeot: a sized, indexable collection of examples (images
// as bytes, or points as floats) with optional integer labels. Everything else is
// derived once here — subsets, seeded shuffles, splits, batches as tensors — so every
// loader (in memory or streamed from files) behaves the same.
import * as tf from '@tensorflow/tfjs-core';
import { createRng, describeValue, expectBoolean, expectInteger } from '@aeot/tensor-backend';
import { checkBatchOptions, disposeBatch, makeBatch, toFloat, type Batch, type BatchOptions } from './batch.js';
import type { DatasetInfo, ExampleKind, ExampleValues, PixelScale, Selection } from './example-types.js';

/** Largest tensor {@link Dataset.toTensor} builds unless told otherwise (bytes of float32). */
export const DEFAULT_MAX_TENSOR_BYTES = 1 << 30;

/**
 * A sized, indexable collection of examples with optional labels. Subclasses supply
 * {@link Dataset.read}; subsets, shuffles, splits and batches are derived here and are
 * cheap views (an index array), never copies of the data.
 */
export abstract class Dataset {
  /** A human-readable name, e.g. `'mnist/train'`. */
  readonly name: string;
  /** Number of examples. */
  readonly size: number;
  /** Shape of one example, e.g. `[28, 28, 1]` or `[2]`. */
  readonly exampleShape: readonly number[];
  /** Number of values per example (product of {@link Dataset.exampleShape}). */
  readonly exampleLength: number;
  /** What the values are: pixel bytes or float points. */
  readonly kind: ExampleKind;
  /** One label per example, in dataset order, or `undefined`. */
  readonly labels: Int32Array | undefined;
  /** Number of classes, when labelled. */
  readonly numClasses: number | undefined;
  /** Class names, when known. */
  readonly classNames: readonly string[] | undefined;

  protected constructor(size: number, info: DatasetInfo) {
    this.name = info.name;
    this.size = size;
    this.exampleShape = Object.freeze([...info.exampleShape]);
    this.exampleLength = info.exampleShape.reduce((a, b) => a * b, 1);
    this.kind = info.kind;
    this.labels = info.labels;
    if (info.labels !== undefined && info.labels.length !== size) {
      throw new RangeError(`"labels" expected ${size} labels (one per example), got ${info.labels.length}`);
    }
    let numClasses = info.numClasses;
    if (numClasses === undefined && info.labels !== undefined) {
      let max = -1;
      for (const l of info.labels) if (l > max) max = l;
      numClasses = max + 1;
    }
    this.numClasses = info.labels === undefined ? undefined : numClasses;
    this.classNames = info.classNames === undefined ? undefined : Object.freeze([...info.classNames]);
  }

  /**
   * Reads the raw values of some examples, row-major, `indices.length × exampleLength`
   * values: bytes 0..255 for pixel datasets, float32 for points.
   *
   * @param indices positions in this dataset, each in [0, size).
   * @returns a new array the caller may keep or modify.
   * @throws {RangeError} when an index is out of range.
   */
  abstract read(indices: ArrayLike<number>): Promise<ExampleValues>;

  /**
   * Reads examples as float32, scaled like {@link Dataset.batches} does.
   *
   * @param indices positions in this dataset.
   * @param scale pixel scaling (pixel datasets only).
   * @returns `indices.length × exampleLength` float32 values.
   */
  async readScaled(indices: ArrayLike<number>, scale?: PixelScale): Promise<Float32Array> {
    return toFloat(await this.read(indices), scale);
  }

  /** Counts of each label, `counts[c]` for c in [0, numClasses); `undefined` when unlabelled. */
  labelCounts(): Int32Array | undefined {
    if (this.labels === undefined || this.numClasses === undefined) return undefined;
    const counts = new Int32Array(this.numClasses);
    for (const l of this.labels) counts[l] = (counts[l] ?? 0) + 1;
    return counts;
  }

  /**
   * A view on some examples, in the order given.
   *
   * @param selection explicit indices (repeats allowed) or `{ start, end }` (half-open;
   *   defaults 0 and `size`).
   * @returns a dataset sharing this one's storage.
   * @throws {RangeError} when an index or bound is out of range.
   * @example
   * const first1000 = mnist.train.subset({ end: 1000 });
   */
  subset(selection: Selection): Dataset {
    let indices: Int32Array;
    if (isRange(selection)) {
      const start = selection.start === undefined ? 0 : expectInteger('start', selection.start, 0, this.size);
      const end = selection.end === undefined ? this.size : expectInteger('end', selection.end, start, this.size);
      indices = new Int32Array(end - start);
      for (let i = 0; i < indices.length; i++) indices[i] = start + i;
    } else {
      indices = Int32Array.from(selection as ArrayLike<number>);
      checkIndices(indices, this.size, 'indices');
    }
    return new IndexedDataset(this, indices, `${this.name}[subset]`);
  }

  /**
   * The first `n` examples (all of them when `n ≥ size`).
   *
   * @param n how many.
   */
  take(n: number): Dataset {
    expectInteger('n', n, 0);
    return this.subset({ end: Math.min(n, this.size) });
  }

  /**
   * A view in a seeded random order (Fisher–Yates on xoshiro128**).
   *
   * @param seed the same seed gives the same order on every platform.
   */
  shuffle(seed = 0): Dataset {
    expectInteger('seed', seed, 0, 0xffffffff);
    return new IndexedDataset(this, createRng(seed).permutation(this.size), `${this.name}[shuffled]`);
  }

  /**
   * Splits into disjoint train and test views.
   *
   * @param test the test part: a fraction in (0, 1) of the examples, or a count ≥ 1.
   * @param options `shuffle` (default `true`): draw the test part at random with `seed`
   *   (default 0); `false` takes the last examples as the test part.
   * @returns `{ train, test }`.
   * @throws {RangeError} when the split would leave either part empty.
   * @example
   * const { train, test } = ring.split(0.2, { seed: 1 });
   */
  split(test: number, options: { shuffle?: boolean; seed?: number } = {}): { train: Dataset; test: Dataset } {
    if (typeof test !== 'number' || !Number.isFinite(test) || test <= 0) {
      throw new RangeError(`"test" expected a fraction in (0, 1) or a count ≥ 1, got ${describeValue(test)}`);
    }
    const nTest = test < 1 ? Math.round(test * this.size) : test;
    if (!Number.isInteger(nTest) || nTest < 1 || nTest >= this.size) {
      throw new RangeError(`"test" expected to leave both parts non-empty (size ${this.size}), got ${describeValue(test)} → ${nTest} test examples`);
    }
    const shuffle = options.shuffle === undefined ? true : expectBoolean('shuffle', options.shuffle);
    const seed = options.seed === undefined ? 0 : expectInteger('seed', options.seed, 0, 0xffffffff);
    let order: Int32Array;
    if (shuffle) order = createRng(seed).permutation(this.size);
    else order = Int32Array.from({ length: this.size }, (_, i) => i);
    const nTrain = this.size - nTest;
    return {
      train: new IndexedDataset(this, order.slice(0, nTrain), `${this.name}[train]`),
      test: new IndexedDataset(this, order.slice(nTrain), `${this.name}[test]`),
    };
  }

  /**
   * Number of batches {@link Dataset.batches} yields.
   *
   * @param batchSize examples per batch.
   * @param dropRemainder whether a smaller last batch is skipped.
   */
  numBatches(batchSize: number, dropRemainder = false): number {
    expectInteger('batchSize', batchSize, 1);
    return dropRemainder ? Math.floor(this.size / batchSize) : Math.ceil(this.size / batchSize);
  }

  /**
   * Iterates over the dataset in batches of float32 tensors. Reading the next batch
   * overlaps with the caller's work on the current one (one batch of prefetch), which
   * matters for datasets streamed from files.
   *
   * Gotcha: unless `autoDispose` is set, the caller owns each batch's tensors and must
   * dispose them (`tf.dispose([b.x, b.labels])`).
   *
   * @param batchSize examples per batch (the last one may be smaller).
   * @param options shuffle, seed, scale, dropRemainder, flatten, autoDispose.
   * @returns an async iterator of {@link Batch}es.
   * @throws {RangeError} for a bad batch size, or `scale` on a points dataset.
   * @example
   * for await (const { x, labels } of mnist.train.batches(128, { shuffle: true, seed: 1, autoDispose: true })) {
   *   // x: [128, 28, 28, 1] in [0, 1]
   * }
   */
  async *batches(batchSize: number, options: BatchOptions = {}): AsyncGenerator<Batch, void, undefined> {
    expectInteger('batchSize', batchSize, 1);
    const opts = checkBatchOptions(options, this);
    const order = opts.shuffle ? createRng(opts.seed).permutation(this.size) : undefined;
    const n = this.numBatches(batchSize, opts.dropRemainder);
    const batchIndices = (b: number): Int32Array => {
      const start = b * batchSize;
      const end = Math.min(this.size, start + batchSize);
      if (order !== undefined) return order.slice(start, end);
      return Int32Array.from({ length: end - start }, (_, i) => start + i);
    };
    let pending: Promise<ExampleValues> | undefined = n > 0 ? this.read(batchIndices(0)) : undefined;
    let previous: Batch | undefined;
    try {
      for (let b = 0; b < n; b++) {
        const indices = batchIndices(b);
        const values = await (pending as Promise<ExampleValues>);
        pending = b + 1 < n ? this.read(batchIndices(b + 1)) : undefined;
        // A rejected prefetch must not go unhandled while the caller works on this batch.
        pending?.catch(() => undefined);
        const batch = makeBatch(this, values, indices, opts.scale, opts.flatten);
        if (opts.autoDispose && previous !== undefined) disposeBatch(previous);
        previous = batch;
        yield batch;
      }
    } finally {
      if (opts.autoDispose && previous !== undefined) disposeBatch(previous);
    }
  }

  /**
   * The whole dataset (in dataset order) as one float32 tensor. Refuses datasets whose
   * tensor would exceed `maxBytes` (default 1 GiB): iterate with
   * {@link Dataset.batches} instead.
   *
   * @param options scale and flatten as in {@link Dataset.batches}; `maxBytes`.
   * @throws {RangeError} when the tensor would be larger than `maxBytes`.
   */
  async toTensor(options: Pick<BatchOptions, 'scale' | 'flatten'> & { maxBytes?: number } = {}): Promise<tf.Tensor> {
    const opts = checkBatchOptions(options, this);
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_TENSOR_BYTES;
    const bytes = this.size * this.exampleLength * 4;
    if (bytes > maxBytes) {
      throw new RangeError(
        `"${this.name}" would need ${bytes} bytes as one float32 tensor, over "maxBytes" (${maxBytes}); iterate with batches() or raise maxBytes`,
      );
    }
    const all = Int32Array.from({ length: this.size }, (_, i) => i);
    const values = await this.readScaled(all, opts.scale);
    return tf.tensor(values, opts.flatten ? [this.size, this.exampleLength] : [this.size, ...this.exampleShape], 'float32');
  }
}

function isRange(selection: Selection): selection is { start?: number; end?: number } {
  return selection !== null && typeof selection === 'object' && !('length' in selection);
}

/** Throws `RangeError` unless every index is an integer in [0, size). */
export function checkIndices(indices: ArrayLike<number>, size: number, name = 'indices'): void {
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i] as number;
    if (!Number.isInteger(v) || v < 0 || v >= size) {
      throw new RangeError(`"${name}" expected integers in [0, ${size}), got ${describeValue(v)} at position ${i}`);
    }
  }
}

/** A view on another dataset through an index array (subsets, shuffles, splits). */
class IndexedDataset extends Dataset {
  private readonly parent: Dataset;
  private readonly map: Int32Array;

  constructor(parent: Dataset, map: Int32Array, name: string) {
    let labels: Int32Array | undefined;
    if (parent.labels !== undefined) {
      labels = new Int32Array(map.length);
      for (let i = 0; i < map.length; i++) labels[i] = parent.labels[map[i] as number] as number;
    }
    super(map.length, {
      name,
      exampleShape: parent.exampleShape,
      kind: parent.kind,
      labels,
      numClasses: parent.numClasses,
      classNames: parent.classNames,
    });
    this.parent = parent;
    this.map = map;
  }

  async read(indices: ArrayLike<number>): Promise<ExampleValues> {
    checkIndices(indices, this.size);
    const mapped = new Int32Array(indices.length);
    for (let i = 0; i < indices.length; i++) mapped[i] = this.map[indices[i] as number] as number;
    return this.parent.read(mapped);
  }
}
