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
