// Item `env` of gpu-bench.ts: the WebGPU adapter Dawn found (description, vendor, limits,
// features), and a plain --matmul-size³ fp32 tf.matMul on webgpu against torch.matmul (fp32,
// and TF32 for reference): how fast tfjs's generic matmul is on this GPU.
import * as tf from '@tensorflow/tfjs-core';
import { median, messageOf, type Json } from './common.js';
import type { BenchContext } from './context.js';

export async function itemEnv(ctx: BenchContext): Promise<Json> {
  const { opts, log, torchTwin, webgpu } = ctx;
  const result: Json = { item: 'env', node: process.version, date: new Date().toISOString() };
  try {
    const backend = await webgpu();
    result.adapter = backend.device.description;
    result.software = backend.device.software;
    const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
    const adapter = await gpu?.requestAdapter({ powerPreference: 'high-performance' });
    if (adapter != null) {
      const info = adapter.info;
      result.adapterInfo = { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description };
      const l = adapter.limits;
      result.limits = {
        maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
        maxBufferSize: l.maxBufferSize,
        maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
        maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
        maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
      };
      result.features = [...adapter.features].sort();
    }
    log('adapter', JSON.stringify(result.adapterInfo ?? {}), 'limits', JSON.stringify(result.limits ?? {}));
  } catch (err) {
    result.error = messageOf(err);
    log('webgpu init FAILED:', result.error);
    return result;
  }
  const n = Number(opts['matmul-size']);
  try {
    const a = tf.randomUniform([n, n], -1, 1, 'float32', 1);
    const b = tf.randomUniform([n, n], -1, 1, 'float32', 2);
    const once = async (): Promise<number> => {
      const t0 = performance.now();
      const c = tf.matMul(a, b);
      await tf.slice(c, [0, 0], [1, 4]).data(); // read back a corner: waits for the product
      const ms = performance.now() - t0;
      c.dispose();
      return ms;
    };
    await once();
    const ms: number[] = [];
    for (let i = 0; i < 5; i++) ms.push(await once());
    const sec = median(ms) / 1e3;
    result.matmul = { n, ms: Number((sec * 1e3).toFixed(3)), gflops: Number(((2 * n ** 3) / sec / 1e9).toFixed(1)) };
    tf.dispose([a, b]);
    log(`tfjs webgpu matMul ${n}³: ${(sec * 1e3).toFixed(2)} ms, ${((2 * n ** 3) / sec / 1e9).toFixed(0)} GFLOP/s`);
  } catch (err) {
    result.matmul = { n, error: messageOf(err) };
  }
  result.torch = torchTwin(['matmul', '--n', String(n)], 60);
  return result;
}
