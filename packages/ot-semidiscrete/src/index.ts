// @aeot/ot-semidiscrete: semi-discrete optimal transport. The Monte Carlo solver for the
// heights of a power diagram, the fused assignment kernels, the OT map, cell masses, W2.
export { adamStep, createAdamState, type AdamOptions, type AdamState } from './adam.js';
export { MAX_TOP_K, POWER_ASSIGN, type PowerAssignAttrs, type PowerAssignInputNames } from './kernels/power-assign-kernel.js';
export { SemiDiscreteMap, type CellMasses, type Estimate, type MapInfo, type MeasureOptions } from './map.js';
export { PRESETS, resolveSettings, type PresetName, type SolverSettings, type SolverSettingsInput, type StopRule } from './options.js';
export { COMPOSITE_TILE, powerAssign, powerAssignComposite, type PowerAssignResult } from './power-assign.js';
export { CheckpointMismatchError, ResumeMismatchError, SolveAbortedError } from './errors.js';
export { type MassWindow, type SolveHistory, type SolverState } from './solver-state.js';
export { solveSemiDiscrete, type SolveOptions, type SolveProgress } from './solver.js';
export { fromSampler, gaussian, inverseNormalCdf, SourceSampler, uniformCube, type SampleFunction, type Sampling, type SamplerState, type SourceMeasure } from './source.js';
export { readTargets, readWeights, WEIGHT_SUM_TOLERANCE, type TargetSet, type TargetsInput } from './targets.js';
export {
  powerAssignWebGpuConfig,
  registerWebGpuPowerAssignKernel,
  WEBGPU_POWER_ASSIGN_LANES_FLAG,
} from './kernels/webgpu/power-assign-webgpu.js';
export { CpuPowerAssign } from './kernels/cpu/cpu-power-assign.js';
export { type CpuPowerAssignEngine, type CpuPowerAssignOptions } from './kernels/cpu/cpu-power-assign-engine.js';
export { createCpuPowerAssign } from './kernels/cpu/create-cpu-power-assign.js';
export { loadNativePowerAssign, type NativePowerAssignIsa, type NativePowerAssignStatus } from './kernels/cpu/native-addon.js';
export { NativePowerAssign, type NativePowerAssignOptions } from './kernels/cpu/native-power-assign.js';
export { availablePowerAssignVariants, type CpuPowerAssignVariant, type WasmPowerAssignVariant } from './kernels/cpu/power-assign-module.js';
export { CPU_POWER_ASSIGN_BACKENDS, registerCpuPowerAssignKernels } from './kernels/cpu/register-cpu-power-assign.js';
export { preparePowerAssignKernels, type PreparedKernels } from './kernels/prepare-kernels.js';
export { ExtendedMap, extendMap, type ExtendMapOptions, type ExtensionRule, type GeneratedCodes, type GenerateOptions } from './extended-map.js';
export {
  angleQuantile,
  cellAdjacency,
  chooseAngleThreshold,
  codeScaling,
  dihedralAngle,
  normalAngle,
  unitNormals,
  type AdjacencyOptions,
  type AngleThreshold,
  type CellAdjacency,
  type CodeScaling,
} from './singular-set.js';
