// Registers the CPU power assignment as the tfjs kernel POWER_ASSIGN on the 'wasm' and
// 'cpu' backends. tfjs kernel functions are synchronous, so the engine (and its threads)
// is created beforehand — createCpuPowerAssign: the native addon where it loads, else
// CpuPowerAssign (WebAssembly) — and handed in here.
import * as tf from '@tensorflow/tfjs-core';
import { POWER_ASSIGN } from '../power-assign-kernel.js';
import { checkPowerAssignInputs } from '../power-assign-inputs.js';
import type { CpuPowerAssignEngine } from './cpu-power-assign-engine.js';

/** Backends {@link registerCpuPowerAssignKernels} registers {@link POWER_ASSIGN} for. */
export const CPU_POWER_ASSIGN_BACKENDS: readonly string[] = Object.freeze(['wasm', 'cpu']);

// What the kernel needs of BackendWasm (tfjs-backend-wasm 4.22) and MathBackendCPU.
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): tf.backend_util.TypedArray;
}
interface CpuBackendLike {
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): tf.TensorInfo;
}

function asFloat32(values: tf.backend_util.BackendValues): Float32Array {
  return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
}

/**
 * Registers {@link POWER_ASSIGN} for the 'wasm' and 'cpu' backends, computed by `kernel`.
 * The packed targets are cached by the `y` tensor's data (tensors are immutable), so
 * repeated calls with the same targets and new heights pack them only once. Any kernel
 * already registered under that name for those backends is replaced (and restored by
 * the returned function).
 *
 * Inputs `x` float32 [N, d], `y` float32 [M, d], `h` float32 [M]; attribute `k` in
 * [1, min(M, 32)]; outputs `indices` int32 [N, k] and `scores` float32 [N, k].
 *
 * @param kernel - a ready CPU engine ({@link CpuPowerAssignEngine}: `CpuPowerAssign` or
 *   `NativePowerAssign`); it must outlive the registration.
 * @returns a function that unregisters the kernels (and puts back replaced ones).
 * @throws (from the kernel, at run time) TypeError for a non-float32 input, RangeError
 *   for mismatched shapes or a bad `k`.
 * @example
 * const pa = await createCpuPowerAssign();
 * const unregister = registerCpuPowerAssignKernels(pa);
 * const [indices, scores] = tf.engine().runKernel(POWER_ASSIGN, { x, y, h }, { k: 1 }) as tf.Tensor[];
 */
export function registerCpuPowerAssignKernels(kernel: CpuPowerAssignEngine): () => void {
  let cachedTargets: tf.DataId | undefined;
  let cachedVersion = -1;

  const run = (backendName: string, { inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo[] => {
    const { x, y, h, n, m, d, k } = checkPowerAssignInputs(inputs, attrs?.k ?? 1);
    if (backendName === 'wasm') {
      const wasm = backend as WasmBackendLike;
      // Outputs first: allocating may grow the wasm heap and detach earlier views.
      const indices = wasm.makeOutput([n, k], 'int32');
      const scores = wasm.makeOutput([n, k], 'float32');
      const read = (info: tf.TensorInfo): Float32Array => wasm.typedArrayFromHeap(info) as Float32Array;
      if (cachedTargets !== y.dataId || cachedVersion !== kernel.targetsVersion) {
        kernel.setTargets(read(y), m, d);
        cachedTargets = y.dataId;
        cachedVersion = kernel.targetsVersion;
      }
      if (n > 0) kernel.topK(read(x), n, read(h), k, wasm.typedArrayFromHeap(indices) as Int32Array, wasm.typedArrayFromHeap(scores) as Float32Array);
      return [indices, scores];
    }
    const cpu = backend as CpuBackendLike;
    if (cachedTargets !== y.dataId || cachedVersion !== kernel.targetsVersion) {
      kernel.setTargets(asFloat32(cpu.readSync(y.dataId)), m, d);
      cachedTargets = y.dataId;
      cachedVersion = kernel.targetsVersion;
    }
    const indexValues = new Int32Array(n * k);
    const scoreValues = new Float32Array(n * k);
    if (n > 0) kernel.topK(asFloat32(cpu.readSync(x.dataId)), n, asFloat32(cpu.readSync(h.dataId)), k, indexValues, scoreValues);
    return [cpu.makeTensorInfo([n, k], 'int32', indexValues), cpu.makeTensorInfo([n, k], 'float32', scoreValues)];
  };

  const previous: tf.KernelConfig[] = [];
  const mine: tf.KernelConfig[] = [];
  for (const backendName of CPU_POWER_ASSIGN_BACKENDS) {
    const current = tf.getKernel(POWER_ASSIGN, backendName);
    if (current !== undefined) {
      previous.push(current);
      // registerKernel over an existing name works but logs a warning.
      tf.unregisterKernel(POWER_ASSIGN, backendName);
    }
    const config: tf.KernelConfig = {
      kernelName: POWER_ASSIGN,
      backendName,
      kernelFunc: ((args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }) => run(backendName, args)) as unknown as tf.KernelFunc,
    };
    tf.registerKernel(config);
    mine.push(config);
  }
  let registered = true;
  return () => {
    if (!registered) return;
    registered = false;
    for (const config of mine) {
      if (tf.getKernel(POWER_ASSIGN, config.backendName)?.kernelFunc === config.kernelFunc) tf.unregisterKernel(POWER_ASSIGN, config.backendName);
    }
    for (const config of previous) if (tf.getKernel(POWER_ASSIGN, config.backendName) === undefined) tf.registerKernel(config);
  };
}
