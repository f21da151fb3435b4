// @aeot/autoencoder: encoder/decoder nets (MLP, DCGAN-style conv, or your own tfjs
// models; each half buildable alone), Adam and a checkpointed training loop with exact
// resume (shared with the GAN baselines), latent codes, image grids, the ImageGenerator
// contract, and createGenerator({ decoder, map }): AE-OT generators that save, load and
// sample in Node and the browser.
export { ADAM_DEFAULTS, adamSettings, TensorAdam, trainableVariablesOf, type AdamSettings } from './adam.js';
export { type CheckpointFormat, type CheckpointSetting } from './checkpoint.js';
export { decode, decodeBatches, decoderOf, encode, type DecodeOptions, type DecoderLike, type EncodeOptions } from './codes.js';
export { convAutoencoder, convDecoder, convEncoder, type ConvAutoencoderOptions, type ConvDecoderOptions, type ConvEncoderOptions, type ConvImageShape } from './conv-nets.js';
export { EmptyDatasetError, ImageShapeError, NonFiniteLossError, TrainingAbortedError } from './errors.js';
// Re-exported: the class every aeot package throws for a checkpoint of another run.
export { CheckpointMismatchError } from '@aeot/tensor-backend';
export { createGenerator, Generator, loadGenerator, type CreateGeneratorOptions, type GeneratedImages, type GenerationRule, type SampleOptions } from './generator.js';
export { type ImageGenerator, type ImageSampleOptions, type SampledImages } from './image-generator.js';
export {
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
export { checkImageShape, expectImageShape, type ImageShape } from './image-shape.js';
export { mlpAutoencoder, mlpDecoder, mlpEncoder, type MlpAutoencoderOptions, type MlpDecoderOptions, type MlpEncoderOptions } from './mlp-nets.js';
export { customAutoencoder, type Autoencoder, type OutputRange } from './nets.js';
export { trainableVariables, trainAutoencoder, type EpochRecord, type TrainOptions, type TrainProgress, type TrainResult } from './train.js';
export {
  trainingLoop,
  type TrainingEpochRecord,
  type TrainingLoopOptions,
  type TrainingLoopResult,
  type TrainingLosses,
  type TrainingProgress,
  type TrainingStep,
  type TrainingStepContext,
} from './training-loop.js';
