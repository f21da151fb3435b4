// Batches: the options every dataset's batches() and toTensor() accept, and the making
// of one batch from raw example values (pixel bytes scaled to float32, labels gathered),
// so that every loader returns the same tensors.
import * as tf from '@tensorflow/tfjs-core';
import { describeValue, expectBoolean, expectInteger, expectOneOf } from '@aeot/tensor-backend';
import type { ExampleKind, ExampleValues, PixelScale } from './example-types.js';

/** Options of {@link Dataset.batches} and {@link Dataset.toTensor}. */
export interface BatchOptions {
  /** Visit the examples in a seeded random order. Default `false` (dataset order). */
  shuffle?: boolean;
  /** Seed of the shuffle. Default 0; the same seed gives the same order everywhere. */
  seed?: number;
  /** Pixel scaling (pixel datasets only; points are returned as stored). Default `'unit'`. */
  scale?: PixelScale;
  /** Skip a last batch smaller than `batchSize`. Default `false`. */
  dropRemainder?: boolean;
  /** Return `[b, prod(exampleShape)]` instead of `[b, ...exampleShape]`. Default `false`. */
  flatten?: boolean;
  /**
   * Dispose each batch's tensors when the next batch is requested (and the last one
   * when the loop ends). Default `false`: the caller owns and disposes every batch.
   */
  autoDispose?: boolean;
}

/** One batch: the examples as a float32 tensor, their labels, and their dataset indices. */
export interface Batch {
  /** `[b, ...exampleShape]` (or `[b, n]` with `flatten`), float32. */
  x: tf.Tensor;
  /** `[b]` int32 labels, or `undefined` for an unlabelled dataset. */
  labels: tf.Tensor1D | undefined;
  /** Index of each example in the dataset (position in this dataset's order). */
  indices: Int32Array;
}

/** {@link BatchOptions} after validation, with every default filled in. */
export type CheckedBatchOptions = Required<Omit<BatchOptions, 'scale'>> & { scale: PixelScale | undefined };

/** The parts of a dataset that shape its batches. */
export interface BatchLayout {
  readonly name: string;
  readonly kind: ExampleKind;
  readonly exampleShape: readonly number[];
  readonly exampleLength: number;
  readonly labels: Int32Array | undefined;
}

/**
 * @internal Validates batch options against a dataset and fills in the defaults.
 *
 * @throws {TypeError} for options of the wrong type.
 * @throws {RangeError} for an unknown scale, or any scale on a points dataset.
 */
export function checkBatchOptions(options: BatchOptions, layout: BatchLayout): CheckedBatchOptions {
  if (options === null || typeof options !== 'object') throw new TypeError(`"options" expected an object, got ${describeValue(options)}`);
  if (options.scale !== undefined) {
    expectOneOf('scale', options.scale, ['unit', 'symmetric'] as const);
    if (layout.kind === 'points') {
      throw new RangeError(`"scale" applies to pixel datasets only; "${layout.name}" holds points, returned as stored`);
    }
  }
  return {
    shuffle: options.shuffle === undefined ? false : expectBoolean('shuffle', options.shuffle),
    seed: options.seed === undefined ? 0 : expectInteger('seed', options.seed, 0, 0xffffffff),
    scale: layout.kind === 'pixels' ? (options.scale ?? 'unit') : undefined,
    dropRemainder: options.dropRemainder === undefined ? false : expectBoolean('dropRemainder', options.dropRemainder),
    flatten: options.flatten === undefined ? false : expectBoolean('flatten', options.flatten),
    autoDispose: options.autoDispose === undefined ? false : expectBoolean('autoDispose', options.autoDispose),
  };
}

// Byte → float tables: exact v / 255 and v / 127.5 − 1 (rounded once to float32), and a
// monomorphic loop over a Uint8Array, about ten times faster than dividing in place.
const UNIT_TABLE = Float32Array.from({ length: 256 }, (_, v) => v / 255);
const SYMMETRIC_TABLE = Float32Array.from({ length: 256 }, (_, v) => v / 127.5 - 1);

function scaleBytes(bytes: Uint8Array, table: Float32Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = table[bytes[i] as number] as number;
  return out;
}

/** @internal Example values as float32: points as they are, pixel bytes scaled. */
export function toFloat(values: ExampleValues, scale: PixelScale | undefined): Float32Array {
  if (values instanceof Float32Array) return values;
  return scaleBytes(values, scale === 'symmetric' ? SYMMETRIC_TABLE : UNIT_TABLE);
}

/** @internal One batch of the examples at `indices`, whose raw values are `values`. */
export function makeBatch(layout: BatchLayout, values: ExampleValues, indices: Int32Array, scale: PixelScale | undefined, flatten: boolean): Batch {
  const b = indices.length;
  const shape = flatten ? [b, layout.exampleLength] : [b, ...layout.exampleShape];
  let x: tf.Tensor;
  if (values instanceof Float32Array) x = tf.tensor(values, shape, 'float32');
  else if (tf.getBackend() === 'cpu') {
    // tfjs-cpu's division is a generic JS loop: a table lookup here is twice as fast.
    x = tf.tensor(toFloat(values, scale), shape, 'float32');
  } else {
    // Bytes → float32 by the engine's native copy (typed-array set, ~10x faster than a
    // JS loop), then the scaling on the backend (SIMD on wasm, the GPU on webgpu).
    // Division by the exact constants keeps v / 255 correctly rounded.
    const raw = new Float32Array(values.length);
    raw.set(values);
    x = tf.tidy(() => {
      const t = tf.tensor(raw, shape, 'float32');
      return scale === 'symmetric' ? tf.sub(tf.div(t, 127.5), 1) : tf.div(t, 255);
    });
  }
  let labels: tf.Tensor1D | undefined;
  if (layout.labels !== undefined) {
    const l = new Int32Array(b);
    for (let i = 0; i < b; i++) l[i] = layout.labels[indices[i] as number] as number;
    labels = tf.tensor1d(l, 'int32');
  }
  return { x, labels, indices };
}

/** @internal Frees a batch's tensors. */
export function disposeBatch(batch: Batch): void {
  batch.x.dispose();
  batch.labels?.dispose();
}
