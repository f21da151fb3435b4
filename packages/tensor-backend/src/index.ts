// @aeot/tensor-backend: the one tensor interface of aeot. Backend choice by value,
// gradients on every backend, seeded randomness, Sobol sequences, and all IO: safetensors,
// files, URLs and browser storage, byte sources with gzip, tfjs model files.
export { type Backend, type MemoryInfo } from './backend.js';
export { describeAdapter, isSoftwareAdapter, type DeviceInfo } from './device.js';
export {
  AeotError,
  BackendUnavailableError,
  CheckpointMismatchError,
  CorruptFileError,
  MissingPackageError,
  StorageError,
  UnsupportedDtypeError,
  type AeotErrorCode,
} from './errors.js';
export { ensureGradients } from './gradients/index.js';
export { availableBackends, initBackend, type BackendAvailability } from './init-backend.js';
export { BACKEND_NAMES, type BackendName, type InitBackendOptions, type WasmOptions, type WebGpuOptions } from './options.js';
export { currentPlatform, type PlatformName } from './platform.js';
export { TENSORFLOW_REQUIREMENTS } from './providers/tensorflow.js';
export {
  describeValue,
  expectAbortSignal,
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
  nearestName,
  type TypedArrayConstructor,
} from './validate.js';
export { gunzip, isGzip, readBytes, readRawBytes, sourceLabel, type ByteSource } from './io/byte-source.js';
export { concatParts } from './io/concat-parts.js';
export { fetchBytes } from './io/fetch-bytes.js';
export {
  fileExists,
  fileIoAvailable,
  joinPath,
  listDirectory,
  listFilesRecursive,
  makeDirectory,
  packageDirectory,
  readFileBytes,
  removeDirectory,
  removeFile,
  writeFileAtomic,
} from '#file-io';
export { readModelArtifacts, writeModelArtifacts } from './io/model-files.js';
export { decodeSafetensors } from './io/safetensors/decode.js';
export { encodeSafetensors, encodeSafetensorsParts } from './io/safetensors/encode.js';
export {
  SAFETENSORS_DTYPES,
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
} from './io/safetensors/types.js';
export { deleteTensors, loadTensors, saveTensors, type LoadTensorsOptions, type SaveTensorsOptions, type SaveTensorsResult } from './io/tensor-io.js';
export { seedStream } from './random/seed-stream.js';
export { createRng, restoreRng } from './random/create-rng.js';
export { Rng, type NormalOptions, type UniformOptions } from './random/rng.js';
export { type RngState } from './random/rng-state.js';
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
