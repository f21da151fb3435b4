// Item `assign` of gpu-bench.ts: the solver's hot loop, argmax_j <x_i, y_j> + h_j, for N
// samples and each M in --ms, d in --dims. Times our fused WGSL kernel (`powerAssign` after
// `preparePowerAssignKernels`, the kernel's registration asserted) and, while it is cheap and
// the item's time budget allows, tfjs's generic composite (`powerAssignComposite`); writes
// the data and aeot's indices for the torch twin (tiled addmm + max, float64 check) and
// joins its rows. Saves after each configuration, so a time limit keeps what was done.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { POWER_ASSIGN, powerAssign, powerAssignComposite, preparePowerAssignKernels } from '@aeot/ot-semidiscrete';
import { median, messageOf, mulberry32, normals, writeF32, type Json } from './common.js';
import type { BenchContext } from './context.js';

export async function itemAssign(ctx: BenchContext): Promise<Json> {
  const { opts, log, save, torchTwin, webgpu, workDir, started } = ctx;
  const N = Number(opts.n);
  const ms = opts.ms.split(',').map(Number);
  const dims = opts.dims.split(',').map(Number);
  const reps = Number(opts.reps);
  const compositeMax = Number(opts['composite-max-s']);
  const result: Json = { item: 'assign', N, reps, rows: [] as Json[] };
  const rows = result.rows as Json[];
  try {
    const backend = await webgpu();
    result.adapter = backend.device.description;
    await preparePowerAssignKernels({ threads: 1 });
    result.fusedRegistered = tf.getKernel(POWER_ASSIGN, 'webgpu') !== undefined;
    if (result.fusedRegistered !== true) throw new Error(`${POWER_ASSIGN} is not registered for webgpu: powerAssign would run the composite`);
  } catch (err) {
    result.error = messageOf(err);
    return result;
  }
  const configs: Json[] = [];
  for (const d of dims) {
    const rand = mulberry32(1000 + d);
    const x = Float32Array.from({ length: N * d }, () => rand() - 0.5);
    for (const M of ms) {
      const row: Json = { d, M, N, pairs: N * M };
      rows.push(row);
      const y = normals(M * d, 7 * d + M);
      const h = new Float32Array(M);
      for (let j = 0; j < M; j++) {
        let q = 0;
        for (let t = 0; t < d; t++) q += (y[j * d + t] as number) ** 2;
        h[j] = -q / 2;
      }
      const xt = tf.tensor2d(x, [N, d]);
      const yt = tf.tensor2d(y, [M, d]);
      const ht = tf.tensor1d(h);
      let fusedIdx: Int32Array | undefined;
      // Fused WGSL kernel.
      try {
        const once = async (): Promise<{ ms: number; idx: Int32Array }> => {
          const t0 = performance.now();
          const r = powerAssign(xt, yt, ht, 1);
          const idx = (await r.indices.data()) as Int32Array;
          const msTaken = performance.now() - t0;
          tf.dispose([r.indices, r.scores]);
          return { ms: msTaken, idx };
        };
        const first = await once();
        fusedIdx = first.idx;
        await once();
        const times: number[] = [];
        for (let i = 0; i < reps; i++) times.push((await once()).ms);
        const sec = median(times) / 1e3;
        row.aeot = { firstCallMs: Number(first.ms.toFixed(2)), medianMs: Number((sec * 1e3).toFixed(3)), minMs: Number(Math.min(...times).toFixed(3)), pairsPerS: (N * M) / sec, gflops: (2 * d * N * M) / sec / 1e9 };
        log(`fused d=${d} M=${M}: ${(sec * 1e3).toFixed(2)} ms, ${((N * M) / sec).toExponential(3)} pairs/s`);
      } catch (err) {
        row.aeot = { error: messageOf(err) };
        log(`fused d=${d} M=${M} FAILED: ${messageOf(err)}`);
      }
      // Generic composite (tiled matMul + topk), only while it is cheap and time is left
      // for the torch twin.
      const elapsedS = (performance.now() - started) / 1e3;
      if (elapsedS > Number(opts['assign-budget-s'])) {
        row.composite = { skipped: `item time budget (${opts['assign-budget-s']} s) used up: ${elapsedS.toFixed(0)} s` };
      } else try {
        const once = async (): Promise<{ ms: number; idx: Int32Array }> => {
          const t0 = performance.now();
          const r = powerAssignComposite(xt, yt, ht, 1);
          const idx = (await r.indices.data()) as Int32Array;
          const msTaken = performance.now() - t0;
          tf.dispose([r.indices, r.scores]);
          return { ms: msTaken, idx };
        };
        const first = await once();
        const times: number[] = [];
        if (first.ms / 1e3 < compositeMax) {
          for (let i = 0; i < Math.min(3, reps); i++) {
            times.push((await once()).ms);
            if ((performance.now() - started) / 1e3 > Number(opts['assign-budget-s'])) break;
          }
        }
        const sec = (times.length > 0 ? median(times) : first.ms) / 1e3;
        const agree = fusedIdx === undefined ? undefined : first.idx.reduce((a, j, i) => a + (j === fusedIdx![i] ? 1 : 0), 0) / N;
        row.composite = { firstCallMs: Number(first.ms.toFixed(2)), medianMs: Number((sec * 1e3).toFixed(3)), timedRuns: times.length, pairsPerS: (N * M) / sec, agreesWithFused: agree };
        log(`composite d=${d} M=${M}: ${(sec * 1e3).toFixed(2)} ms (${times.length} timed runs), agrees with fused on ${agree === undefined ? '?' : (100 * agree).toFixed(3)}%`);
      } catch (err) {
        row.composite = { error: messageOf(err) };
        log(`composite d=${d} M=${M} FAILED: ${messageOf(err)}`);
      }
      tf.dispose([xt, yt, ht]);
      // Files for the torch twin.
      const dir = join(workDir, `assign-d${d}-m${M}`);
      mkdirSync(dir, { recursive: true });
      writeF32(join(dir, 'x.f32'), x);
      writeF32(join(dir, 'y.f32'), y);
      writeF32(join(dir, 'h.f32'), h);
      if (fusedIdx !== undefined) writeF32(join(dir, 'idx.i32'), fusedIdx);
      configs.push({ dir, N, M, d });
      save('assign', result); // partial results survive a time limit
    }
  }
  const twin = torchTwin(['assign', '--configs', JSON.stringify(configs), '--reps', String(Math.max(reps, 10))], Number(opts['torch-timeout-s']));
  result.torchInfo = { device: twin.device, torch: twin.torch, error: twin.error };
  const twinRows = (twin.rows as Json[] | undefined) ?? [];
  for (const row of rows) {
    const t = twinRows.find((r) => r.d === row.d && r.M === row.M);
    row.torch = t ?? { error: twin.error ?? 'no torch row' };
    const ours = (row.aeot as Json).pairsPerS as number | undefined;
    const theirs = t?.fp32PairsPerS as number | undefined;
    if (ours !== undefined && theirs !== undefined) row.ratioAeotOverTorchFp32 = ours / theirs;
    const comp = (row.composite as Json).pairsPerS as number | undefined;
    if (comp !== undefined && theirs !== undefined) row.ratioCompositeOverTorchFp32 = comp / theirs;
  }
  return result;
}
