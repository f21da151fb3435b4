// Running a problem through a power-assignment implementation, for the conformance
// cases: directly on a CPU engine, or as the tfjs kernel POWER_ASSIGN on the active
// backend (results read asynchronously: dataSync is unsafe on webgpu), with the webgpu
// kernel's lane count forced where a case must reach both of its code paths.
import * as tf from '@tensorflow/tfjs-core';
import { POWER_ASSIGN } from '../kernels/power-assign-kernel.js';
import { WEBGPU_POWER_ASSIGN_LANES_FLAG } from '../kernels/webgpu/power-assign-webgpu.js';
import type { AssignResult } from './power-assign-checks.js';
import type { Problem } from './power-assign-problems.js';

/** What {@link run} needs of an engine (every `CpuPowerAssignEngine` has it). */
export interface Engine {
  setTargets(y: Float32Array, m: number, d: number): void;
  assign(x: Float32Array, n: number, h: Float32Array, outIndex: Int32Array, outScore?: Float32Array): void;
  topK(x: Float32Array, n: number, h: Float32Array, k: number, outIndex: Int32Array, outScore?: Float32Array): void;
}

/** Sets the problem's targets on `pa` and computes its top-k (`assign` for k = 1). */
export function run(pa: Engine, p: Problem, k: number): AssignResult {
  const index = new Int32Array(p.n * k);
  const score = new Float32Array(p.n * k);
  pa.setTargets(p.y, p.m, p.d);
  if (k === 1) pa.assign(p.x, p.n, p.h, index, score);
  else pa.topK(p.x, p.n, p.h, k, index, score);
  return { index, score };
}

/** Runs the POWER_ASSIGN kernel on the active backend; disposes every tensor it made. */
export async function runAssign(p: Problem, k: number): Promise<{ indices: Int32Array; scores: Float32Array; shapes: number[][]; dtypes: string[] }> {
  const x = tf.tensor2d(p.x, [p.n, p.d]);
  const y = tf.tensor2d(p.y, [p.m, p.d]);
  const h = tf.tensor1d(p.h);
  try {
    const out = tf.engine().runKernel(POWER_ASSIGN, { x, y, h }, { k }) as tf.Tensor[];
    try {
      const [ti, ts] = out;
      if (ti === undefined || ts === undefined) throw new Error(`expected 2 outputs, got ${out.length}`);
      return {
        indices: (await ti.data()) as Int32Array,
        scores: (await ts.data()) as Float32Array,
        shapes: out.map((t) => t.shape),
        dtypes: out.map((t) => t.dtype),
      };
    } finally {
      tf.dispose(out);
    }
  } finally {
    tf.dispose([x, y, h]);
  }
}

/**
 * Runs `body` with the webgpu kernel's lanes flag forced (0 = automatic), restoring
 * automatic after. The flag means nothing to the other backends' kernels, so there the
 * body runs as it is.
 */
export async function withLanes(lanes: number, body: () => Promise<void>): Promise<void> {
  tf.env().set(WEBGPU_POWER_ASSIGN_LANES_FLAG, lanes);
  try {
    await body();
  } finally {
    tf.env().set(WEBGPU_POWER_ASSIGN_LANES_FLAG, 0);
  }
}

/** Live tensors and live backend buffers (the latter catches leaked intermediates). */
export function liveCounts(): [number, number] {
  return [tf.memory().numTensors, tf.engine().backend.numDataIds()];
}
