// @aeot/tensor-backend/testing: the conformance suite every backend runs, and the
// float assertions it uses; later packages add cases for their own kernels.
export { assertClose, assertEqual, assertShape, ConformanceFailure, defaultTolerance, testValues } from './assert.js';
export { coreConformanceCases, type ConformanceCase, type ConformanceContext } from './cases.js';
export { conv2dFilterGradRef, conv2dInputGradRef, conv2dRef, matMulRef, sameGeometry, type ConvGeometry } from './reference.js';
export {
  defineConformanceSuite,
  runCase,
  runConformance,
  type CaseResult,
  type ConformanceReport,
  type RunConformanceOptions,
  type TestApi,
} from './run.js';
export { startWebGpu, useWebGpu, type WebGpuSuiteState } from './start-webgpu.js';
// Nets built from tfjs-core ops only, with seeded weights, that drive real training steps
// (forward and every gradient kernel) through a backend: the training conformance tests
// and the training-step benchmark use them.
export { createConvAutoencoder, type ConvAutoencoder, type ConvAutoencoderOptions } from './training-nets/conv-autoencoder.js';
export { createDcgan, type Dcgan, type DcganOptions, type DcganStepLosses } from './training-nets/dcgan.js';
export { type ModelGradients } from './training-nets/net-layers.js';
export { seededNormal, seededUniform, syntheticImages } from './training-nets/seeded-data.js';
