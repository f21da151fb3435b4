// @aeot/datasets: real data sets and the standard synthetic benchmarks of aeot behind
// one Dataset interface, in Node and the browser.
export { ArrayDataset, fromArrays, type FromArraysOptions } from './array-dataset.js';
export { isGzip, readBytes, readRawBytes, sourceLabel, type ByteSource } from './bytes.js';
export {
  Dataset,
  DEFAULT_MAX_TENSOR_BYTES,
  type Batch,
  type BatchOptions,
  type DatasetInfo,
  type ExampleKind,
  type ExampleValues,
  type PixelScale,
  type Selection,
} from './dataset.js';
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
