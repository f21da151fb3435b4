// registerCpuPowerAssignKernels: a CPU engine as the tfjs kernel POWER_ASSIGN on the
// wasm and cpu backends — the results of the direct call and of the float64 reference,
// the targets packed once per targets tensor, no tensor leaked — with the WebAssembly
// engine, and with the native one where the addon loads. The kernel's contract on every
// backend is checked by the kernel conformance cases (test/conformance/kernel-*.test.ts).
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@aeot/tensor-backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuPowerAssign } from '../../../src/kernels/cpu/cpu-power-assign.js';
import { loadNativePowerAssign } from '../../../src/kernels/cpu/native-addon.js';
import { NativePowerAssign } from '../../../src/kernels/cpu/native-power-assign.js';
import { registerCpuPowerAssignKernels } from '../../../src/kernels/cpu/register-cpu-power-assign.js';
import { POWER_ASSIGN } from '../../../src/kernels/power-assign-kernel.js';
import { powerAssignChecks, problem } from '../../../src/testing/index.js';

const { check, expectIdentical } = powerAssignChecks(expect);
const status = await loadNativePowerAssign();
const unavailable = status.available ? undefined : `native kernel unavailable: ${status.reason}`;
if (unavailable !== undefined) console.warn(`[register-cpu-power-assign.test] native engine skipped: ${unavailable}`);

describe.each(['wasm', 'cpu'] as const)('POWER_ASSIGN through tfjs on %s', (backendName) => {
  let pa: CpuPowerAssign;
  let unregister: () => void;

  beforeAll(async () => {
    await initBackend({ backend: backendName });
    pa = await CpuPowerAssign.create({ threads: 2 });
    unregister = registerCpuPowerAssignKernels(pa);
  });

  afterAll(() => {
    unregister();
    pa.dispose();
  });

  it('matches the float64 reference, packs the targets once, and leaks no tensor', async () => {
    const p = problem(301, 123, 10, 5);
    const x = tf.tensor2d(p.x, [p.n, p.d]);
    const y = tf.tensor2d(p.y, [p.m, p.d]);
    const h = tf.tensor1d(p.h);
    const h2 = tf.tensor1d(p.h.map((v) => v + 1));
    const before = tf.memory().numTensors;
    for (const k of [1, 5]) {
      const [indices, scores] = tf.engine().runKernel(POWER_ASSIGN, { x, y, h }, { k }) as tf.Tensor[];
      if (indices === undefined || scores === undefined) throw new Error('expected two outputs');
      expect(indices.shape).toEqual([p.n, k]);
      expect(indices.dtype).toBe('int32');
      expect(scores.shape).toEqual([p.n, k]);
      expect(scores.dtype).toBe('float32');
      check(p, k, (await indices.data()) as Int32Array, (await scores.data()) as Float32Array);
      tf.dispose([indices, scores]);
    }
    expect(tf.memory().numTensors).toBe(before);
    // Same targets, new heights: no repacking; the result is the direct call's.
    const version = pa.targetsVersion;
    const out = tf.engine().runKernel(POWER_ASSIGN, { x, y, h: h2 }, { k: 1 }) as tf.Tensor[];
    expect(pa.targetsVersion).toBe(version);
    const direct = new Int32Array(p.n);
    pa.assign(p.x, p.n, Float32Array.from(p.h, (v) => v + 1), direct);
    expect((await out[0]?.data()) as Int32Array).toEqual(direct);
    tf.dispose(out);
    expect(tf.memory().numTensors).toBe(before);
    // New targets tensor: packed again.
    const y2 = tf.tensor2d(p.y.map((v) => -v), [p.m, p.d]);
    tf.dispose(tf.engine().runKernel(POWER_ASSIGN, { x, y: y2, h }, { k: 2 }) as tf.Tensor[]);
    expect(pa.targetsVersion).toBe(version + 1);
    tf.dispose([x, y, y2, h, h2]);
    expect(tf.memory().numTensors).toBe(before - 4);
  });
});

describe.skipIf(unavailable !== undefined).each(['wasm', 'cpu'] as const)('POWER_ASSIGN through tfjs on %s with the native engine', (backendName) => {
  let pa: NativePowerAssign;
  let unregister: () => void;

  beforeAll(async () => {
    await initBackend({ backend: backendName });
    pa = await NativePowerAssign.create({ threads: 2 });
    unregister = registerCpuPowerAssignKernels(pa);
  });

  afterAll(() => {
    unregister();
    pa.dispose();
  });

  it('matches the direct call and packs the targets once', async () => {
    const p = problem(301, 123, 10, 5);
    const x = tf.tensor2d(p.x, [p.n, p.d]);
    const y = tf.tensor2d(p.y, [p.m, p.d]);
    const h = tf.tensor1d(p.h);
    const before = tf.memory().numTensors;
    for (const k of [1, 5]) {
      const [indices, scores] = tf.engine().runKernel(POWER_ASSIGN, { x, y, h }, { k }) as tf.Tensor[];
      if (indices === undefined || scores === undefined) throw new Error('expected two outputs');
      const out = { index: (await indices.data()) as Int32Array, score: (await scores.data()) as Float32Array };
      check(p, k, out.index, out.score);
      const version = pa.targetsVersion;
      const direct = { index: new Int32Array(p.n * k), score: new Float32Array(p.n * k) };
      pa.topK(p.x, p.n, p.h, k, direct.index, direct.score);
      expectIdentical(out, direct, `tfjs ${backendName} k=${k}`);
      expect(pa.targetsVersion).toBe(version);
      tf.dispose([indices, scores]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y, h]);
  });
});
