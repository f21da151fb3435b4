// Image datasets stored as a pair of IDX files (images [N, H, W] uint8 and labels [N]):
// the format of MNIST, Fashion-MNIST, EMNIST and KMNIST.
import { CorruptFileError, fileExists, fileIoAvailable, readBytes, sourceLabel, StorageError, type ByteSource } from '@aeot/tensor-backend';
import { ArrayDataset } from './array-dataset.js';
import { parseIdx } from './idx.js';

/** The two files of one split. */
export interface IdxImageFiles {
  /** IDX file of uint8 images `[N, H, W]` (or `[N, H, W, C]`). */
  images: ByteSource;
  /** IDX file of `[N]` integer labels; omit for an unlabelled dataset. */
  labels?: ByteSource | undefined;
}

/** Options of {@link loadIdxImages}. */
export interface IdxImagesOptions {
  /** Dataset name for messages and reports. Default: the images file's name. */
  name?: string | undefined;
  /** Class names, `classNames[label]`. */
  classNames?: readonly string[] | undefined;
  /** Number of classes. Default: `classNames.length`, else max label + 1. */
  numClasses?: number | undefined;
  /**
   * Swap each image's rows and columns. EMNIST's files store images transposed
   * relative to MNIST; pass `true` for them. Default `false`.
   */
  transpose?: boolean | undefined;
}

/**
 * Loads an image dataset from an IDX images file and an optional IDX labels file
 * (plain or `.gz`).
 *
 * @param files the images file and, optionally, the labels file.
 * @param options name, classNames, numClasses, transpose.
 * @returns an in-memory pixel dataset with example shape `[H, W, C]` (C = 1 for 3-D files).
 * @throws {StorageError} when a file cannot be read.
 * @throws {CorruptFileError} when a file is not valid IDX, the images are not uint8
 *   `[N, H, W(, C)]`, the labels are not `[N]` integers, or a label is out of range.
 * @example
 * const kmnist = await loadIdxImages({
 *   images: 'kmnist/train-images-idx3-ubyte.gz',
 *   labels: 'kmnist/train-labels-idx1-ubyte.gz',
 * });
 */
export async function loadIdxImages(files: IdxImageFiles, options: IdxImagesOptions = {}): Promise<ArrayDataset> {
  const imagesLabel = sourceLabel(files.images);
  const [imageBytes, labelBytes] = await Promise.all([
    readBytes(files.images, 'IDX'),
    files.labels === undefined ? undefined : readBytes(files.labels, 'IDX'),
  ]);
  const images = parseIdx(imageBytes, imagesLabel);
  if (images.dtype !== 'uint8' || (images.shape.length !== 3 && images.shape.length !== 4)) {
    throw new CorruptFileError(imagesLabel, `expected uint8 images [N, H, W] or [N, H, W, C], got ${images.dtype} [${images.shape.join(', ')}]`, {
      format: 'IDX',
    });
  }
  const [n, h, w, c = 1] = images.shape as [number, number, number, number?];
  let pixels = images.data as Uint8Array;
  if (options.transpose === true) pixels = transposeImages(pixels, n, h, w, c);
  let labels: Int32Array | undefined;
  if (files.labels !== undefined && labelBytes !== undefined) {
    const labelsLabel = sourceLabel(files.labels);
    const parsed = parseIdx(labelBytes, labelsLabel);
    if (parsed.shape.length !== 1 || parsed.dtype === 'float32' || parsed.dtype === 'float64') {
      throw new CorruptFileError(labelsLabel, `expected integer labels [N], got ${parsed.dtype} [${parsed.shape.join(', ')}]`, { format: 'IDX' });
    }
    if (parsed.shape[0] !== n) {
      throw new CorruptFileError(labelsLabel, `has ${parsed.shape[0]} labels but "${imagesLabel}" has ${n} images`, { format: 'IDX' });
    }
    labels = Int32Array.from(parsed.data as ArrayLike<number>);
    const limit = options.numClasses ?? options.classNames?.length;
    for (let i = 0; i < labels.length; i++) {
      const l = labels[i] as number;
      if (l < 0 || (limit !== undefined && l >= limit)) {
        throw new CorruptFileError(labelsLabel, `label ${l} of example ${i} is outside [0, ${limit ?? '∞'})`, { format: 'IDX' });
      }
    }
  }
  return new ArrayDataset(pixels, {
    name: options.name ?? imagesLabel,
    exampleShape: [options.transpose === true ? w : h, options.transpose === true ? h : w, c],
    kind: 'pixels',
    labels,
    numClasses: options.numClasses ?? options.classNames?.length,
    classNames: options.classNames,
  });
}

function transposeImages(pixels: Uint8Array, n: number, h: number, w: number, c: number): Uint8Array {
  const out = new Uint8Array(pixels.length);
  const size = h * w * c;
  for (let k = 0; k < n; k++) {
    const base = k * size;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let ch = 0; ch < c; ch++) out[base + (x * h + y) * c + ch] = pixels[base + (y * w + x) * c + ch] as number;
      }
    }
  }
  return out;
}

/**
 * Picks the first candidate file that exists (e.g. a file with or without `.gz`).
 * In Node, paths are checked on disk; elsewhere (URLs in the browser) the first
 * candidate is returned and a missing file surfaces when it is read.
 *
 * @param candidates paths or URLs in order of preference.
 * @param what what the file is, for the error message.
 * @returns the chosen candidate.
 * @throws {StorageError} naming every candidate when none exists on disk.
 */
export async function firstExisting(candidates: readonly string[], what: string): Promise<string> {
  if (!fileIoAvailable || candidates.some((c) => /^[a-z]+:\/\//i.test(c) && !c.startsWith('file://'))) {
    return candidates[0] as string;
  }
  for (const candidate of candidates) if (await fileExists(candidate)) return candidate;
  throw new StorageError(candidates[0] ?? what, `cannot find ${what}; tried ${candidates.map((p) => `"${p}"`).join(', ')}`);
}
