// An in-memory dataset: every example's values in one typed array (bytes for images,
// float32 for points). MNIST's 70,000 × 784 bytes is 55 MB: fine in memory.
import { describeValue } from '@aeot/tensor-backend';
import { Dataset, checkIndices } from './dataset.js';
import type { DatasetInfo, ExampleKind, ExampleValues } from './example-types.js';

/** Options of {@link fromArrays}. */
export interface FromArraysOptions {
  /**
   * All examples' values, row-major: a `Uint8Array` of pixel bytes (kind `'pixels'`) or
   * a `Float32Array` / `Float64Array` / `number[]` of point coordinates (kind `'points'`).
   */
  values: Uint8Array | Float32Array | Float64Array | readonly number[];
  /** Shape of one example, e.g. `[28, 28, 1]` or `[2]`. */
  exampleShape: readonly number[];
  /** One integer label per example. */
  labels?: ArrayLike<number> | undefined;
  /** Number of classes (default: max label + 1). */
  numClasses?: number | undefined;
  /** Class names, `classNames[label]`. */
  classNames?: readonly string[] | undefined;
  /** A name for messages and reports. Default `'arrays'`. */
  name?: string | undefined;
}

/** A dataset held in memory in one typed array. Create with {@link fromArrays} or a loader. */
export class ArrayDataset extends Dataset {
  /** The values of every example, row-major (not a copy: do not modify). */
  readonly values: ExampleValues;

  /** @internal use {@link fromArrays}. */
  constructor(values: ExampleValues, info: DatasetInfo) {
    const len = info.exampleShape.reduce((a, b) => a * b, 1);
    super(len === 0 ? 0 : values.length / len, info);
    this.values = values;
  }

  /**
   * Reads examples synchronously (in-memory datasets only).
   *
   * @param indices positions in this dataset.
   * @returns a copy of their values, row-major.
   */
  readSync(indices: ArrayLike<number>): ExampleValues {
    checkIndices(indices, this.size);
    const len = this.exampleLength;
    const out = this.values instanceof Uint8Array ? new Uint8Array(indices.length * len) : new Float32Array(indices.length * len);
    for (let i = 0; i < indices.length; i++) {
      const start = (indices[i] as number) * len;
      out.set(this.values.subarray(start, start + len), i * len);
    }
    return out;
  }

  read(indices: ArrayLike<number>): Promise<ExampleValues> {
    try {
      return Promise.resolve(this.readSync(indices));
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }
}

/**
 * Builds an in-memory dataset from arrays you already hold.
 *
 * @param options values, exampleShape, labels, numClasses, classNames, name.
 * @returns the dataset; `Uint8Array` values make a pixel dataset (scaled in batches),
 *   anything else a points dataset (float32, returned as stored).
 * @throws {TypeError} for values of the wrong type.
 * @throws {RangeError} when the values do not divide into examples of `exampleShape`,
 *   labels are not one per example or not integers in [0, numClasses), or a point is not finite.
 * @example
 * const ds = fromArrays({ values: new Float32Array([0, 0, 1, 1]), exampleShape: [2], labels: [0, 1] });
 */
export function fromArrays(options: FromArraysOptions): ArrayDataset {
  if (options === null || typeof options !== 'object') throw new TypeError(`"options" expected an object, got ${describeValue(options)}`);
  const { exampleShape } = options;
  if (!Array.isArray(exampleShape) || exampleShape.length === 0 || exampleShape.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new RangeError(`"exampleShape" expected a non-empty array of positive integers, got ${describeValue(exampleShape)}`);
  }
  const len = exampleShape.reduce((a: number, b: number) => a * b, 1);
  const raw = options.values;
  let values: ExampleValues;
  let kind: ExampleKind;
  if (raw instanceof Uint8Array) {
    values = raw;
    kind = 'pixels';
  } else if (raw instanceof Float32Array || raw instanceof Float64Array || Array.isArray(raw)) {
    values = raw instanceof Float32Array ? raw : Float32Array.from(raw as ArrayLike<number>);
    kind = 'points';
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) throw new RangeError(`"values" expected finite numbers, got ${describeValue(values[i])} at position ${i}`);
    }
  } else {
    throw new TypeError(`"values" expected a Uint8Array (pixels) or Float32Array / Float64Array / number[] (points), got ${describeValue(raw)}`);
  }
  if (values.length % len !== 0) {
    throw new RangeError(`"values" expected a multiple of ${len} values (exampleShape [${exampleShape.join(', ')}]), got ${values.length}`);
  }
  const size = values.length / len;
  let labels: Int32Array | undefined;
  if (options.labels !== undefined) {
    labels = Int32Array.from(options.labels);
    if (labels.length !== size) throw new RangeError(`"labels" expected ${size} labels (one per example), got ${labels.length}`);
    const limit = options.numClasses ?? 2 ** 31 - 1;
    for (let i = 0; i < labels.length; i++) {
      const l = options.labels[i] as number;
      if (!Number.isInteger(l) || l < 0 || l >= limit) {
        throw new RangeError(`"labels" expected integers in [0, ${limit}), got ${describeValue(l)} at position ${i}`);
      }
    }
  }
  return new ArrayDataset(values, {
    name: options.name ?? 'arrays',
    exampleShape,
    kind,
    labels,
    numClasses: options.numClasses,
    classNames: options.classNames,
  });
}
