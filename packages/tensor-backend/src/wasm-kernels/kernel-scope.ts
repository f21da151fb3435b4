// Shared plumbing of the composite wasm kernels: run the wasm backend's own kernels
// (XNNPACK convolutions, transposes, pads…) directly as kernel functions, and free every
// intermediate they produced when the composite kernel returns. The engine never sees
// those intermediates, so nothing but this scope would free them: a leak here would be
// invisible to tf.memory().numTensors and only show up in the backend's data count.
import * as tf from '@tensorflow/tfjs-core';
import { AeotError } from '../errors.js';

/**
 * The backend object a kernel function receives (the wasm backend here): tfjs's
 * KernelBackend plus BackendWasm's `makeOutput`, which allocates a tensor on the wasm
 * heap, optionally filled with `values`.
 */
export interface KernelBackendLike extends Pick<tf.KernelBackend, 'disposeData'> {
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: tf.backend_util.BackendValues): tf.TensorInfo;
}

/** Arguments tfjs passes to a kernel function. */
export interface KernelArgs {
  /** Named inputs of the kernel. */
  readonly inputs: tf.NamedTensorInfoMap;
  /** The backend running the kernel. */
  readonly backend: {};
  /** The kernel's attributes. */
  readonly attrs?: tf.NamedAttrMap;
}

/** [before, after] amount per axis; negative amounts crop instead of padding. */
export type PadAmounts = ReadonlyArray<readonly [number, number]>;

/**
 * Tracks the TensorInfos made while one composite kernel runs. Every TensorInfo a
 * kernel function returns holds one reference on the backend (Reshape shares the data
 * and adds a reference), so disposing each exactly once is always right; `keep` hands
 * the result's reference to the engine instead.
 */
export class WasmKernelScope {
  readonly #backend: KernelBackendLike;
  readonly #owner: string;
  readonly #owned: tf.TensorInfo[] = [];

  /**
   * @param backend the backend the composite kernel was called with.
   * @param owner name of the composite kernel, for error messages.
   */
  constructor(backend: {}, owner: string) {
    this.#backend = backend as KernelBackendLike;
    this.#owner = owner;
  }

  /** Runs the wasm kernel `kernelName` and tracks its output. */
  run(kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: Record<string, unknown> = {}): tf.TensorInfo {
    const config = tf.getKernel(kernelName, 'wasm');
    if (config === undefined) {
      throw new AeotError(
        'ERR_AEOT_KERNEL_UNAVAILABLE',
        `${this.#owner} (wasm) needs the wasm kernel ${kernelName}, which is not registered; ` +
          `import '@tensorflow/tfjs-backend-wasm' first`,
      );
    }
    const out = config.kernelFunc({ inputs, backend: this.#backend, attrs: attrs as tf.NamedAttrMap });
    const outputs = Array.isArray(out) ? out : [out];
    this.#owned.push(...outputs);
    const first = outputs[0];
    if (first === undefined || outputs.length !== 1) {
      throw new Error(`${this.#owner} (wasm): kernel ${kernelName} returned ${outputs.length} outputs, expected 1`);
    }
    return first;
  }

  /** Same data, new shape (no copy). */
  reshape(x: tf.TensorInfo, shape: readonly number[]): tf.TensorInfo {
    return this.run(tf.Reshape, { x }, { shape: [...shape] });
  }

  /** Permutes the axes of `x`. */
  transpose(x: tf.TensorInfo, perm: readonly number[]): tf.TensorInfo {
    return this.run(tf.Transpose, { x }, { perm: [...perm] });
  }

  /** Contiguous sub-block of `x`. */
  slice(x: tf.TensorInfo, begin: readonly number[], size: readonly number[]): tf.TensorInfo {
    return this.run(tf.Slice, { x }, { begin: [...begin], size: [...size] });
  }

  /** Float32 / int32 tensor of `shape` filled with `value`. */
  fill(shape: readonly number[], value: number, dtype: 'float32' | 'int32' = 'float32'): tf.TensorInfo {
    return this.run(tf.Fill, {}, { shape: [...shape], value, dtype });
  }

  /** Int32 tensor holding `values` (small index lists). */
  int32(values: readonly number[]): tf.TensorInfo {
    const info = this.#backend.makeOutput([values.length], 'int32', undefined, Int32Array.from(values));
    this.#owned.push(info);
    return info;
  }

  /**
   * Pads `x` with `value` (default 0) by `amounts` per axis, where a negative amount
   * crops that many elements instead. No-op amounts cost nothing (the input itself is
   * returned).
   */
  padOrCrop(x: tf.TensorInfo, amounts: PadAmounts, value = 0): tf.TensorInfo {
    let out = x;
    if (amounts.some(([a, b]) => a < 0 || b < 0)) {
      const begin = amounts.map(([a]) => Math.max(0, -a));
      const size = x.shape.map((d, i) => d - Math.max(0, -(amounts[i]?.[0] ?? 0)) - Math.max(0, -(amounts[i]?.[1] ?? 0)));
      out = this.slice(out, begin, size);
    }
    if (amounts.some(([a, b]) => a > 0 || b > 0)) {
      const paddings = amounts.map(([a, b]) => [Math.max(0, a), Math.max(0, b)]);
      out = this.run(tf.PadV2, { x: out }, { paddings, constantValue: value });
    }
    return out;
  }

  /** Marks `info` as the kernel's result: it is not freed by {@link dispose}. */
  keep(info: tf.TensorInfo): tf.TensorInfo {
    // One reference is handed over; other TensorInfos sharing the data keep theirs and
    // are released normally.
    const i = this.#owned.lastIndexOf(info);
    if (i >= 0) this.#owned.splice(i, 1);
    return info;
  }

  /**
   * Frees tracked intermediates early (loops that make many of them keep the peak
   * memory down this way). Infos that are not tracked, such as the kernel's own
   * inputs, are ignored.
   */
  free(...infos: ReadonlyArray<tf.TensorInfo | undefined>): void {
    for (const info of infos) {
      if (info === undefined) continue;
      const i = this.#owned.lastIndexOf(info);
      if (i < 0) continue;
      this.#owned.splice(i, 1);
      this.#backend.disposeData(info.dataId);
    }
  }

  /** Frees every tracked intermediate (one backend reference each). */
  dispose(): void {
    for (const info of this.#owned.splice(0)) this.#backend.disposeData(info.dataId);
  }
}

/**
 * Throws unless every input is float32: the composites call XNNPACK float kernels,
 * which read the buffers as f32 whatever the dtype says.
 */
export function assertFloat32(owner: string, inputs: Readonly<Record<string, tf.TensorInfo>>): void {
  for (const [name, info] of Object.entries(inputs)) {
    if (info.dtype !== 'float32') {
      throw new AeotError('ERR_AEOT_UNSUPPORTED_DTYPE', `${owner} (wasm): "${name}" must be float32, got ${info.dtype}`);
    }
  }
}

/** Throws a RangeError unless `actual` equals `expected` (shapes of a kernel's inputs). */
export function assertShape(owner: string, name: string, actual: readonly number[], expected: readonly number[]): void {
  if (actual.length !== expected.length || actual.some((d, i) => d !== expected[i])) {
    throw new RangeError(`${owner} (wasm): "${name}" expected shape [${expected.join(', ')}], got [${actual.join(', ')}]`);
  }
}

/** Explicit NHWC padding attribute for the wasm Conv2D / DepthwiseConv2dNative kernels. */
export function explicitPadding(top: number, bottom: number, left: number, right: number): tf.backend_util.ExplicitPadding {
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}
