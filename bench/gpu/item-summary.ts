// Item `summary` of gpu-bench.ts: merges <out>/{env,assign,sdot,ae}.json (a missing one is
// recorded as an error) and prints the table: ratio = aeot / PyTorch for throughputs,
// PyTorch / aeot for times, so > 1 means aeot faster; every recorded failure listed last.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Json } from './common.js';
import type { BenchContext } from './context.js';

export function itemSummary(ctx: BenchContext): Json {
  const { outDir } = ctx;
  const parts: Json = {};
  for (const item of ['env', 'assign', 'sdot', 'ae']) {
    const path = join(outDir, `${item}.json`);
    parts[item] = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Json) : { error: `no ${item}.json: the item did not finish (time limit or crash; see the log)` };
  }
  const e = (v: unknown): string => (typeof v === 'number' ? v.toExponential(2) : '—');
  const f = (v: unknown, digits = 2): string => (typeof v === 'number' ? v.toFixed(digits) : '—');
  const lines: string[] = [];
  const env = parts.env as Json;
  lines.push(`adapter: ${String(env.adapter ?? env.error)}; torch: ${String(((env.torch as Json | undefined) ?? {}).device ?? '—')}`);
  const mm = (env.matmul as Json | undefined) ?? {};
  const tm = (env.torch as Json | undefined) ?? {};
  lines.push(`matmul ${String(mm.n ?? '')}³ fp32: tfjs webgpu ${f(mm.gflops, 0)} GFLOP/s; torch fp32 ${f(tm.fp32Gflops, 0)}, tf32 ${f(tm.tf32Gflops, 0)} GFLOP/s; ratio aeot/torch fp32 ${typeof mm.gflops === 'number' && typeof tm.fp32Gflops === 'number' ? f(mm.gflops / tm.fp32Gflops, 3) : '—'}`);
  lines.push('');
  lines.push('| assign N×M, d | aeot WGSL pairs/s | tfjs composite pairs/s | torch fp32 pairs/s | torch tf32 pairs/s | aeot / torch fp32 | composite / torch fp32 | aeot ≡ fp64 best |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of ((parts.assign as Json).rows as Json[] | undefined) ?? []) {
    const a = r.aeot as Json;
    const c = r.composite as Json;
    const t = r.torch as Json;
    lines.push(
      `| ${String(r.N)}×${String(r.M)}, d=${String(r.d)} | ${a.error !== undefined ? 'FAILED' : e(a.pairsPerS)} | ${c.error !== undefined ? 'FAILED' : e(c.pairsPerS)} | ${e(t.fp32PairsPerS)} | ${e(t.tf32PairsPerS)} | ${f(r.ratioAeotOverTorchFp32, 3)} | ${f(r.ratioCompositeOverTorchFp32, 3)} | ${typeof t.aeotAgreesFp64 === 'number' ? (100 * t.aeotAgreesFp64).toFixed(3) + '%' : '—'} |`,
    );
  }
  const s = parts.sdot as Json;
  const sa = (s.aeot as Json | undefined) ?? {};
  const st = (s.torch as Json | undefined) ?? {};
  lines.push('');
  lines.push(`sdot M=${String(s.M)} d=${String(s.d)}: aeot ${sa.error !== undefined ? `FAILED (${String(sa.error)})` : `${f(sa.wallS)} s, ${String(sa.steps)} steps (${f(sa.msPerStep)} ms/step), converged ${String(sa.converged)}${sa.aborted === true ? ' (time limit)' : ''}, mean rel mass err ${f(sa.meanRelMassErr, 4)}, RMS (noise-corrected) ${f(sa.rmsRelMassErrNoiseCorrected, 4)}`}`);
  lines.push(`  torch authors' algorithm: ${st.error !== undefined ? `FAILED (${String(st.error)})` : `${f(st.solveS)} s, ${String(st.steps)} steps (${f(st.msPerStep)} ms/step), mean rel mass err ${f(st.meanRelMassErr, 4)}, RMS (noise-corrected) ${f(st.rmsRelMassErrNoiseCorrected, 4)}`}; time ratio torch/aeot ${f(s.ratioTorchTimeOverAeot, 3)}`);
  lines.push('');
  lines.push('| AE step, batch | aeot webgpu ms | torch CUDA ms | torch / aeot |');
  lines.push('|---|---:|---:|---:|');
  for (const r of ((parts.ae as Json).rows as Json[] | undefined) ?? []) {
    const a = r.aeot as Json;
    const t = r.torch as Json;
    lines.push(`| ${String(r.net)}, ${String(r.batch)} | ${a.error !== undefined ? 'FAILED' : f(a.msPerStep)} | ${f(t.msPerStep)} | ${f(r.ratioTorchTimeOverAeot, 3)} |`);
  }
  const errors: string[] = [];
  const collect = (path: string, v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    for (const [k, w] of Object.entries(v as Json)) {
      if ((k === 'error' || k === 'massError') && typeof w === 'string') errors.push(`${path}: ${w}`);
      else collect(`${path}.${k}`, w);
    }
  };
  collect('', parts);
  if (errors.length > 0) {
    lines.push('', 'failures:');
    for (const line of errors) lines.push(`  ${line}`);
  }
  const table = lines.join('\n');
  console.log(table);
  return { item: 'summary', date: new Date().toISOString(), ...parts, table };
}
