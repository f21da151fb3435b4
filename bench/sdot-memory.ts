// Memory benchmark: a solve with M = 100,000 targets in d = 100 never builds the N × M
// score matrix (16,384 × 100,000 float32 would be 6.6 GB). Runs a few steps of the
// default solver and reports the process's peak resident memory next to the sizes of
// the inputs and of the matrix it avoids.
//
//   node --conditions=source --import tsx bench/sdot-memory.ts [--m 100000] [--d 100] [--steps 3] [--samples 16384]
import { parseArgs } from 'node:util';
import { createRng, initBackend } from '@aeot/tensor-backend';
import { solveSemiDiscrete } from '@aeot/ot-semidiscrete';

const { values: opts } = parseArgs({
  options: {
    m: { type: 'string', default: '100000' },
    d: { type: 'string', default: '100' },
    steps: { type: 'string', default: '3' },
    samples: { type: 'string', default: '16384' },
  },
});
const M = Number(opts.m);
const d = Number(opts.d);
const steps = Number(opts.steps);
const n = Number(opts.samples);
const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

await initBackend({ backend: 'wasm' });
const targets = new Float32Array(M * d);
createRng(7).fillNormal(targets);
const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
const ot = await solveSemiDiscrete({
  targets,
  dim: d,
  seed: 1,
  maxSteps: steps,
  samplesPerStep: n,
  onProgress: (p) => console.log(`  step ${p.step}: ${(p.elapsedMs / 1000).toFixed(1)} s, rss ${mb(process.memoryUsage().rss)}`),
});
const seconds = (performance.now() - t0) / 1000;
const peak = process.resourceUsage().maxRSS * 1024;
console.log(`M = ${M}, d = ${d}, ${n} samples/step, ${ot.steps} steps in ${seconds.toFixed(1)} s (${((n * M * ot.steps) / seconds).toExponential(2)} pairs/s)`);
console.log(`targets: ${mb(M * d * 4)} float32 (+ ${mb(M * d * 8)} float64 kept by the map); samples per step: ${mb(n * d * 4)}`);
console.log(`an N × M score matrix would be ${mb(n * M * 4)}; peak RSS of the whole process: ${mb(peak)} (RSS before the solve: ${mb(rssBefore)})`);
ot.dispose();
