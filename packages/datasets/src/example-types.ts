// What a dataset holds and how it describes itself: the kind of values (pixel bytes or
// float points), the pixel scaling of batches, the raw example values, the descriptive
// fields every dataset carries, and selections of examples.

/**
 * What the stored values are. `'pixels'`: bytes 0..255, returned scaled (see
 * {@link PixelScale}). `'points'`: float32 coordinates, returned as they are.
 */
export type ExampleKind = 'pixels' | 'points';

/**
 * How pixel bytes are scaled in batches: `'unit'` → v / 255 in [0, 1];
 * `'symmetric'` → v / 127.5 − 1 in [−1, 1] (what tanh decoders and GANs expect).
 */
export type PixelScale = 'unit' | 'symmetric';

/** Fields every dataset describes itself with. */
export interface DatasetInfo {
  /** A human-readable name, e.g. `'mnist/train'`. */
  name: string;
  /** Shape of one example: `[28, 28, 1]` (height, width, channels) or `[d]` for points. */
  exampleShape: readonly number[];
  /** What the values are. */
  kind: ExampleKind;
  /** One label per example, or `undefined`. */
  labels?: Int32Array | undefined;
  /** Number of classes (labels lie in [0, numClasses)); defaults to max label + 1. */
  numClasses?: number | undefined;
  /** Optional class names, `classNames[label]`. */
  classNames?: readonly string[] | undefined;
}

/** Raw example values: bytes for pixel datasets, float32 for points. */
export type ExampleValues = Uint8Array | Float32Array;

/** Selection for {@link Dataset.subset}: explicit indices, or a half-open range. */
export type Selection = ArrayLike<number> | { start?: number; end?: number };
