// @aeot/datasets: real data sets and the standard synthetic benchmarks of aeot behind
// one Dataset interface, in Node and the browser.
export { ArrayDataset, fromArrays, type FromArraysOptions } from './array-dataset.js';
export { type Batch, type BatchOptions } from './batch.js';
export { Dataset, DEFAULT_MAX_TENSOR_BYTES } from './dataset.js';
export { type DatasetInfo, type ExampleKind, type ExampleValues, type PixelScale, type Selection } from './example-types.js';
export { encodeIdx, parseIdx, readIdx, type IdxArray, type IdxDtype } from './idx.js';
export { firstExisting, loadIdxImages, type IdxImageFiles, type IdxImagesOptions } from './idx-images.js';
export {
  DEBIAN_FASHION_MNIST_DIR,
  FASHION_MNIST_CLASSES,
  loadFashionMnist,
  loadMnist,
  loadMnistFormat,
  MNIST_CLASSES,
  type LoadMnistFormatOptions,
  type MnistFiles,
  type MnistSource,
  type TrainTestSplits,
} from './mnist.js';
export { stackedMnist, StackedMnistDataset, type StackedMnistOptions } from './stacked-mnist.js';
export { chiSquareCdf, chiSquareQuantile } from './synthetic/chi-square.js';
export {
  GaussianMixture,
  gaussianMixture,
  type GaussianMixtureOptions,
  type MixtureSample,
  type NearestModes,
  type SyntheticSampleOptions,
} from './synthetic/gaussian-mixture.js';
export { grid25, type GridOptions } from './synthetic/grid-25.js';
export { highQualityRadius, THREE_SIGMA_COVERAGE, threeSigmaRadius } from './synthetic/high-quality.js';
export { ring8, type RingOptions } from './synthetic/ring-8.js';
export { DEFAULT_SEPARATION_RATIO, separatedMixture, type SeparatedMixtureOptions } from './synthetic/separated-mixture.js';
export { SwissRoll, swissRoll, type SwissRollOptions, type SwissRollSample } from './synthetic/swiss-roll.js';
export {
  CIFAR10_CLASS_NAMES,
  loadCifar10,
  loadCifar100,
  parseCifarBatch,
  readCifarBatch,
  type Cifar100FolderOptions,
  type CifarBatch,
  type CifarBatchOptions,
  type CifarFolderOptions,
  type CifarLabelKind,
  type CifarSplits,
  type CifarVariant,
} from './cifar.js';
export { centerCrop, centerSquare } from './image/crop.js';
export { ImageFolderDataset, loadImageFolder, type ImageFolderOptions } from './image/image-folder.js';
export { type ImageFileEntry, type ImageFolderSource } from './image/image-files.js';
export { sniffImageFormat, type DecodedImage, type ImageFormat } from './image/image-format.js';
export { decodeImage } from '#image-codec';
export { encodePng } from './image/png-encode.js';
export { toChannels, type RasterImage } from './image/raster.js';
export { resizeImage } from './image/resize.js';
