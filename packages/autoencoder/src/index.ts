// @aeot/autoencoder: encoder/decoder nets (MLP, DCGAN-style conv, or your own tfjs
// models), seeded training with exact resume, latent codes, image grids, and
// createGenerator({ decoder, map }): AE-OT generators that save, load and sample in Node
// and the browser.
export { TensorAdam, type AdamSettings } from './adam.js';
export { decode, decodeBatches, decoderOf, encode, type DecodeOptions, type DecoderLike, type EncodeOptions } from './codes.js';
export { convAutoencoder, type ConvAutoencoderOptions, type ConvImageShape } from './conv-nets.js';
export { CheckpointMismatchError, EmptyDatasetError, ImageShapeError, NonFiniteLossError, TrainingAbortedError } from './errors.js';
export { createGenerator, Generator, loadGenerator, type CreateGeneratorOptions, type GeneratedImages, type GenerationRule, type SampleOptions } from './generator.js';
export {
  encodePng,
  IMAGE_GRID_BACKGROUND,
  IMAGE_GRID_PADDING,
  imageGrid,
  imageGridPng,
  type FlatImages,
  type ImageGrid,
  type ImageGridInput,
  type ImageGridOptions,
} from './image-grid.js';
export { loadAutoencoder, loadLayersModel, saveAutoencoder, saveLayersModel } from './model-io.js';
export { customAutoencoder, expectImageShape, mlpAutoencoder, seedStream, type Autoencoder, type ImageShape, type MlpAutoencoderOptions, type OutputRange } from './nets.js';
export { checkImageShape, trainableVariables, trainAutoencoder, type EpochRecord, type TrainOptions, type TrainProgress, type TrainResult } from './train.js';
