// The AeotPowerAssign kernel on tfjs's webgpu backend: validates the inputs, runs the
// packed WGSL program once, splits its output into indices and scores, and registers
// itself under POWER_ASSIGN for the 'webgpu' backend. tfjs-backend-webgpu is only
// imported as types: the backend object arrives as the kernel's `backend` argument, and
// importing the package would register the backend as a side effect.
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { POWER_ASSIGN, type PowerAssignAttrs } from '../power-assign-kernel.js';
import { checkPowerAssignInputs } from '../power-assign-inputs.js';
import { autoLanes, POWER_ASSIGN_LANE_CHOICES, powerAssignLayout } from './power-assign-layout.js';
import { PowerAssignProgram, type WebGpuProgramShape } from './power-assign-program.js';
import { PowerAssignUnpackProgram } from './power-assign-unpack-program.js';

/**
 * tfjs environment flag: invocations per sample of the webgpu power assignment (1, 2,
 * 4 or 8); 0 (the default) chooses from N. For tuning and for tests that must reach
 * both the single-lane and the merging code paths.
 */
export const WEBGPU_POWER_ASSIGN_LANES_FLAG = 'AEOT_WEBGPU_POWER_ASSIGN_LANES';

let flagRegistered = false;

/** Registers the lanes flag once per module instance (tf.env().getNumber throws on unknown flags). */
function ensureLanesFlag(): void {
  if (flagRegistered) return;
  tf.env().registerFlag(WEBGPU_POWER_ASSIGN_LANES_FLAG, () => 0);
  flagRegistered = true;
}

function chosenLanes(samples: number): number {
  ensureLanesFlag();
  const forced = tf.env().getNumber(WEBGPU_POWER_ASSIGN_LANES_FLAG);
  if (forced === 0) return autoLanes(samples);
  if (!POWER_ASSIGN_LANE_CHOICES.includes(forced)) {
    throw new RangeError(`tf.env() flag ${WEBGPU_POWER_ASSIGN_LANES_FLAG} expected 0 or one of ${POWER_ASSIGN_LANE_CHOICES.join(', ')}, got ${forced}`);
  }
  return forced;
}

/**
 * Kernel function of {@link POWER_ASSIGN} on the 'webgpu' backend.
 *
 * Inputs `x` float32 [N, d], `y` float32 [M, d], `h` float32 [M]; attr `k` in
 * [1, min(M, 32)]. Returns [indices int32 [N, k], scores float32 [N, k]], each row best
 * first, equal scores in increasing index order. Scores are float32 sums of the d
 * products in dimension order (the GPU compiler may fuse multiply-adds), plus h_j.
 * Gotcha: a NaN score counts as -Infinity (ranked last, equal -Infinity scores by index)
 * and is reported as -Infinity.
 *
 * @param args - tfjs kernel arguments; `backend` must be tfjs-backend-webgpu's WebGPUBackend.
 * @returns the two output TensorInfos, owned by the engine.
 * @throws TypeError if an input is not float32.
 * @throws RangeError for inconsistent shapes or `k` outside [1, min(M, 32)].
 */
export function powerAssignWebGpu(args: { inputs: tf.NamedTensorInfoMap; backend: {}; attrs?: tf.NamedAttrMap }): tf.TensorInfo[] {
  const backend = args.backend as WebGPUBackend;
  const attrs = (args.attrs ?? {}) as Partial<PowerAssignAttrs>;
  const { x, y, h, n, k, d } = checkPowerAssignInputs(args.inputs, attrs.k);
  const layout = powerAssignLayout(d, k, chosenLanes(n));
  const run = (program: WebGpuProgramShape, inputs: tf.TensorInfo[], dtype: tf.DataType): tf.TensorInfo =>
    backend.runWebGPUProgram(program as WebGPUProgram, inputs, dtype);
  const packed = run(new PowerAssignProgram(n, layout), [x, y, h], 'int32');
  try {
    const indices = run(new PowerAssignUnpackProgram(n, k, 'indices'), [packed], 'int32');
    const scores = run(new PowerAssignUnpackProgram(n, k, 'scores'), [packed], 'float32');
    return [indices, scores];
  } finally {
    backend.disposeData(packed.dataId);
  }
}

/** The kernel config {@link registerWebGpuPowerAssignKernel} registers. */
export const powerAssignWebGpuConfig: tf.KernelConfig = Object.freeze({
  kernelName: POWER_ASSIGN,
  backendName: 'webgpu',
  kernelFunc: powerAssignWebGpu as unknown as tf.KernelFunc,
});

/**
 * Registers the fused power assignment ({@link POWER_ASSIGN}) for tfjs's 'webgpu'
 * backend, and the tuning flag {@link WEBGPU_POWER_ASSIGN_LANES_FLAG}. Idempotent:
 * does nothing when this kernel is already registered; a different kernel registered
 * under the same name and backend is left in place. Needs neither the webgpu backend
 * nor its package to be loaded yet.
 *
 * When to use: once, before the solver runs on webgpu. Read results with `await
 * t.data()`; `dataSync()` is unsafe on webgpu.
 *
 * @returns true if this call registered the kernel, false if one was already there.
 * @example
 * registerWebGpuPowerAssignKernel();
 * const [indices, scores] = tf.engine().runKernel(POWER_ASSIGN, { x, y, h }, { k: 2 }) as tf.Tensor[];
 * console.log(await indices.data(), await scores.data());
 */
export function registerWebGpuPowerAssignKernel(): boolean {
  ensureLanesFlag();
  if (tf.getKernel(POWER_ASSIGN, 'webgpu') !== undefined) return false;
  tf.registerKernel(powerAssignWebGpuConfig);
  return true;
}
