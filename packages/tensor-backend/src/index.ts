// @aeot/tensor-backend: the one tensor interface of aeot. Backend choice by value,
// gradients on every backend, seeded randomness, Sobol sequences, safetensors IO.
export { type Backend, type MemoryInfo } from './backend.js';
export { describeAdapter, isSoftwareAdapter, type DeviceInfo } from './device.js';
export { AeotError, BackendUnavailableError, CheckpointMismatchError, MissingPackageError, type AeotErrorCode } from './errors.js';
export { ensureGradients } from './gradients/index.js';
export { availableBackends, initBackend, type BackendAvailability } from './init-backend.js';
export { BACKEND_NAMES, type BackendName, type InitBackendOptions, type WasmOptions, type WebGpuOptions } from './options.js';
export { currentPlatform, type PlatformName } from './platform.js';
export { TENSORFLOW_REQUIREMENTS } from './providers/tensorflow.js';
export {
  describeValue,
  expectBoolean,
  expectFinite,
  expectInInterval,
  expectInteger,
  expectNonNegative,
  expectOneOf,
  expectOptions,
  expectPositive,
  expectShape,
  expectString,
  expectTypedArray,
  type TypedArrayConstructor,
} from './validate.js';
export {
  concatParts,
  CorruptFileError,
  decodeSafetensors,
  encodeSafetensors,
  encodeSafetensorsParts,
  SAFETENSORS_DTYPES,
  StorageError,
  UnsupportedDtypeError,
  type DecodeOptions,
  type EncodeOptions,
  type LoadAs,
  type LoadedTensors,
  type MarkedTfDtype,
  type SafetensorsDtype,
  type SafetensorsParts,
  type TensorArray,
  type TensorArrayData,
  type TensorArrayLike,
  type TensorRecord,
} from './io/safetensors.js';
export { fetchBytes } from './io/fetch-bytes.js';
export { fileIoAvailable, makeDirectory, readFileBytes, removeFile, writeFileAtomic } from '#file-io';
export { deleteTensors, loadTensors, saveTensors, type LoadTensorsOptions, type SaveTensorsOptions, type SaveTensorsResult } from './io/tensor-io.js';
export { seedStream } from './random/seed-stream.js';
export { createRng, restoreRng, Rng, type NormalOptions, type RngState, type UniformOptions } from './random/rng.js';
export {
  createSobol,
  restoreSobol,
  SOBOL_MAX_DIM,
  SOBOL_MAX_POINTS,
  SobolSequence,
  type SobolOptions,
  type SobolState,
  type SobolTensorOptions,
} from './random/sobol.js';
