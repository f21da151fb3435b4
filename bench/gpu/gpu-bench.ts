// First real-GPU figures of aeot: tfjs's webgpu backend in Node (Dawn over Vulkan on the
// GPU's driver) against PyTorch CUDA twins (bench/gpu/torch_twins.py), in one run.
//
// Items (one per process, so that each can get its own time limit — see run-device.sh):
//   env      the WebGPU adapter Dawn found (description, vendor, limits), and a plain
//            4096³ fp32 matMul on webgpu vs torch.matmul (fp32, and TF32 for reference):
//            how fast tfjs's generic matmul is on this GPU.
//   assign   the solver's hot loop, argmax_j <x_i, y_j> + h_j, for N samples (default
//            65,536) and M ∈ {10,000, 60,000} targets, d ∈ {16, 100}: our WGSL kernel
//            (`powerAssign` after `preparePowerAssignKernels`, fused kernel asserted)
//            vs torch (tiled addmm + max, fp32; TF32 shown too) and, where it takes
//            less than --composite-max-s, tfjs's generic composite (`powerAssignComposite`:
//            tiled matMul + topk) on the same backend. pairs/s = N·M / median wall time
//            of one call including the read-back of the N indices (both sides).
//            Correctness: torch also scores aeot's and its own choices in float64 and
//            reports agreement and the largest score gap to the exact best.
//            Data as bench/assign.ts: X ~ U[-0.5, 0.5), Y ~ N(0, 1), h = -|y|²/2.
//   sdot     solveSemiDiscrete onto M = 60,000 targets Y ~ N(0, I) in d = 16 (default
//            preset, default stop rule), stopped by an AbortSignal after --sdot-seconds;
//            wall time, steps, converged; the cell masses of the result on
//            --mass-samples fresh samples (raw mean relative error and a noise-corrected
//            RMS relative error). Twin: the authors' algorithm (numpy_sdot.py: Monte
//            Carlo + Adam, Voronoi-shrunk start) in torch on the same targets, for the
//            same number of steps and samples per step.
//   ae       one autoencoder training step (forward + backward + Adam, batch 128) for the
//            784-512-256-16 MLP and the 28×28 conv autoencoder (width 32), median ms per
//            step after warm-up, as bench/autoencoder-step.ts measures it; twin:
//            bench/autoencoder_step_torch.py on CUDA.
//   summary  merges the items' JSON into one file and prints the table (ratio = aeot /
//            PyTorch for throughputs, PyTorch / aeot for times: > 1 means aeot faster).
//
// Each item writes <out>/<item>.json and never throws past its own try/catch: a failure is
// recorded with its message and the next measurement runs.
//
// This file parses the options and runs one item; the items live in item-env.ts,
// item-assign.ts, item-sdot.ts, item-ae.ts and item-summary.ts, the state they share
// (options, logging, <item>.json writing, the torch twin, webgpu set-up) in context.ts, and
// plain helpers (median, seeded data, raw files) in common.ts.
//
// Run (from the repo root; on a lent GPU machine use bench/gpu/run-device.sh):
//   node --conditions=source --import tsx bench/gpu/gpu-bench.ts --item env --out /tmp/gpu
// or, bundled by bench/gpu/pack.sh (no tsx needed):
//   node /tmp/rt/app/gpu-bench.mjs --item assign --out /tmp/gpu --torch bench/gpu/torch_twins.py
// Local smoke test on SwiftShader (tiny sizes), and the figures measured on an H200: bench/gpu/README.md.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
// Kept in this order so that the packages initialise as tfjs-core, tensor-backend,
// ot-semidiscrete, autoencoder (as when the items were one file).
import { createContext, type BenchContext } from './context.js';
import { messageOf, type Json } from './common.js';
import { itemEnv } from './item-env.js';
import { itemAssign } from './item-assign.js';
import { itemSdot } from './item-sdot.js';
import { itemAe } from './item-ae.js';
import { itemSummary } from './item-summary.js';

const { values: opts } = parseArgs({
  options: {
    item: { type: 'string', default: 'env' },
    out: { type: 'string', default: join(tmpdir(), 'aeot-gpu-bench') },
    work: { type: 'string', default: join(tmpdir(), 'aeot-gpu-work') },
    python: { type: 'string', default: 'python3' },
    torch: { type: 'string', default: resolve('bench/gpu/torch_twins.py') },
    'torch-device': { type: 'string', default: 'cuda' },
    'no-torch': { type: 'boolean', default: false },
    'allow-software': { type: 'boolean', default: false },
    // env
    'matmul-size': { type: 'string', default: '4096' },
    // assign
    n: { type: 'string', default: '65536' },
    ms: { type: 'string', default: '10000,60000' },
    dims: { type: 'string', default: '16,100' },
    reps: { type: 'string', default: '5' },
    'composite-max-s': { type: 'string', default: '8' },
    'assign-budget-s': { type: 'string', default: '70' },
    // sdot
    'sdot-m': { type: 'string', default: '60000' },
    'sdot-d': { type: 'string', default: '16' },
    'sdot-seconds': { type: 'string', default: '80' },
    'sdot-max-steps': { type: 'string', default: '2000' },
    'mass-samples': { type: 'string', default: '10000000' },
    // ae
    'ae-batch': { type: 'string', default: '128' },
    'ae-steps': { type: 'string', default: '20' },
    'ae-nets': { type: 'string', default: 'mlp,conv28' },
    'torch-timeout-s': { type: 'string', default: '100' },
  },
});

mkdirSync(opts.out, { recursive: true });
mkdirSync(opts.work, { recursive: true });
const started = performance.now();
const ctx = createContext(opts, started);
const { log, save } = ctx;

const items: Record<string, (ctx: BenchContext) => Promise<Json> | Json> = { env: itemEnv, assign: itemAssign, sdot: itemSdot, ae: itemAe, summary: itemSummary };
const run = items[opts.item];
if (run === undefined) {
  console.error(`--item expected one of ${Object.keys(items).join(', ')}, got ${opts.item}`);
  process.exit(2);
}
let result: Json;
try {
  result = await run(ctx);
} catch (err) {
  result = { item: opts.item, error: messageOf(err) };
  log('FAILED:', result.error);
}
result.itemSeconds = Number(((performance.now() - started) / 1e3).toFixed(2));
save(opts.item === 'summary' ? 'results' : opts.item, result);
// env exits 3 when no usable adapter was found, so that the runner can retry with another Vulkan ICD.
const code = opts.item === 'env' && (result.error !== undefined || result.adapter === undefined) ? 3 : 0;
// Dawn's handles can keep the event loop alive: exit explicitly.
setTimeout(() => process.exit(code), 100);
