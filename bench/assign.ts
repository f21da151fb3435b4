// Power-assignment benchmark: argmax_j <x_i, y_j> + h_j for N samples and M targets, at
// several dimensions, in one run:
//   - wasm: CpuPowerAssign (WebAssembly SIMD, best variant), 1 thread and all threads;
//   - native: NativePowerAssign (AVX-512 / AVX2 addon, linux-x64), 1 thread and all
//     threads, when it loads (its indices are checked against wasm's: identical);
//   - ours = the best of these CPU engines, in the ratio columns;
//   - tfjs generic: what a user would write on the wasm backend (matMul + argMax, tiled
//     over 2048 targets, running best kept with where);
//   - numpy: ../shared/bench/numpy_assign.py (OpenBLAS), spawned with python3.
// Same data distribution as numpy_assign.py: X ~ U[-0.5, 0.5), Y ~ N(0, 1), h = -|y|²/2.
// Prints pairs/s (median of 5 after warm-up) and the ratios ours / numpy (ours: the
// fastest CPU engine with all threads; "1t": the fastest with one thread).
//
//   node --conditions=source --import tsx bench/assign.ts [options]
//
//   --n N            samples (default 8192)
//   --m M            targets (default 10000)
//   --dims a,b,…     dimensions (default 2,8,32,100)
//   --reps R         timed repetitions (default 5)
//   --threads T      threads of the multithreaded run (default os.availableParallelism())
//   --numpy PATH     numpy script (default ../shared/bench/numpy_assign.py from the repo root)
//   --no-generic     skip the tfjs generic path
//   --no-numpy       skip numpy
import * as tf from '@tensorflow/tfjs-core';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { initBackend } from '@aeot/tensor-backend';
import { CpuPowerAssign, loadNativePowerAssign, NativePowerAssign } from '@aeot/ot-semidiscrete';
import { mulberry32 } from '@aeot/ot-semidiscrete/testing';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: {
    n: { type: 'string', default: '8192' },
    m: { type: 'string', default: '10000' },
    dims: { type: 'string', default: '2,8,32,100' },
    reps: { type: 'string', default: '5' },
    threads: { type: 'string', default: String(availableParallelism()) },
    numpy: { type: 'string', default: resolve(root, '../shared/bench/numpy_assign.py') },
    'no-generic': { type: 'boolean', default: false },
    'no-numpy': { type: 'boolean', default: false },
  },
});
const N = Number(opts.n);
const M = Number(opts.m);
const dims = opts.dims.split(',').map(Number);
const reps = Number(opts.reps);
const threads = Number(opts.threads);

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}

/** Median seconds of `reps` runs of `step` after `warmUp` runs. */
async function time(step: () => unknown, warmUp: number): Promise<number> {
  for (let i = 0; i < warmUp; i++) await step();
  const s: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await step();
    s.push((performance.now() - t0) / 1e3);
  }
  return median(s);
}

const uniform = mulberry32;

function data(d: number): { x: Float32Array; y: Float32Array; h: Float32Array } {
  const rand = uniform(d);
  const x = Float32Array.from({ length: N * d }, () => rand() - 0.5);
  const y = Float32Array.from({ length: M * d }, () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()));
  const h = new Float32Array(M);
  for (let j = 0; j < M; j++) {
    let q = 0;
    for (let t = 0; t < d; t++) q += (y[j * d + t] ?? 0) ** 2;
    h[j] = -q / 2;
  }
  return { x, y, h };
}

/** What a user would write with generic ops: matMul + argMax over tiles of 2048 targets. */
async function genericAssign(x: tf.Tensor2D, y: tf.Tensor2D, h: tf.Tensor1D): Promise<Int32Array> {
  const tile = 2048;
  let best: tf.Tensor1D = tf.fill([N], -Infinity);
  let index: tf.Tensor1D = tf.zeros([N], 'int32');
  for (let s = 0; s < M; s += tile) {
    const w = Math.min(tile, M - s);
    const [b, i] = tf.tidy(() => {
      const scores = tf.add(tf.matMul(x, tf.slice(y, [s, 0], [w, -1]), false, true), tf.slice(h, [s], [w]));
      const j = tf.add(tf.argMax(scores, 1), tf.scalar(s, 'int32'));
      const v = tf.max(scores, 1);
      const better = tf.greater(v, best);
      return [tf.where(better, v, best), tf.where(better, j, index)] as [tf.Tensor1D, tf.Tensor1D];
    });
    tf.dispose([best, index]);
    best = b;
    index = i;
  }
  const out = (await index.data()) as Int32Array;
  tf.dispose([best, index]);
  return out;
}

function numpy(d: number): number | undefined {
  if (opts['no-numpy'] || !existsSync(opts.numpy)) return undefined;
  const run = spawnSync('python3', [opts.numpy, String(N), String(M), String(d)], { encoding: 'utf8' });
  if (run.status !== 0) {
    console.error(`numpy failed: ${run.stderr}`);
    return undefined;
  }
  return (JSON.parse(run.stdout) as { pairs_per_s: number }).pairs_per_s;
}

interface Row {
  d: number;
  one: number;
  many: number;
  nativeOne: number | undefined;
  nativeMany: number | undefined;
  nativeSame: boolean | undefined;
  generic: number | undefined;
  numpy: number | undefined;
  agree: number;
}

await initBackend({ backend: 'wasm' });
const single = await CpuPowerAssign.create({ threads: 1 });
const multi = await CpuPowerAssign.create({ threads });
const nativeStatus = await loadNativePowerAssign();
const nativeSingle = await NativePowerAssign.tryCreate({ threads: 1 });
const nativeMulti = await NativePowerAssign.tryCreate({ threads });
const pairs = N * M;
const rows: Row[] = [];
console.log(
  `N = ${N}, M = ${M}, reps = ${reps}; wasm: ${multi.variant}, native: ${nativeStatus.available ? nativeStatus.isa : `unavailable (${nativeStatus.reason})`}; threads 1 and ${multi.threads}; tfjs generic on ${tf.getBackend()}`,
);
for (const d of dims) {
  const { x, y, h } = data(d);
  const idx1 = new Int32Array(N);
  const idx2 = new Int32Array(N);
  single.setTargets(y, M, d);
  multi.setTargets(y, M, d);
  const one = pairs / (await time(() => single.assign(x, N, h, idx1), 2));
  const many = pairs / (await time(() => multi.assign(x, N, h, idx2), 2));
  let nativeOne: number | undefined;
  let nativeMany: number | undefined;
  let nativeSame: boolean | undefined;
  if (nativeSingle !== null && nativeMulti !== null) {
    const idx3 = new Int32Array(N);
    const idx4 = new Int32Array(N);
    nativeSingle.setTargets(y, M, d);
    nativeMulti.setTargets(y, M, d);
    nativeOne = pairs / (await time(() => nativeSingle.assign(x, N, h, idx3), 2));
    nativeMany = pairs / (await time(() => nativeMulti.assign(x, N, h, idx4), 2));
    nativeSame = idx3.every((j, i) => j === idx2[i] && j === idx4[i]);
  }
  let generic: number | undefined;
  let agree = NaN;
  if (!opts['no-generic']) {
    const xt = tf.tensor2d(x, [N, d]);
    const yt = tf.tensor2d(y, [M, d]);
    const ht = tf.tensor1d(h);
    let gi: Int32Array = new Int32Array(0);
    generic = pairs / (await time(async () => (gi = await genericAssign(xt, yt, ht)), 1));
    agree = gi.reduce((a, j, i) => a + (j === idx2[i] ? 1 : 0), 0) / N;
    tf.dispose([xt, yt, ht]);
  }
  const np = numpy(d);
  rows.push({ d, one, many, nativeOne, nativeMany, nativeSame, generic, numpy: np, agree });
  console.log(`d = ${d} done`);
}
single.dispose();
multi.dispose();
nativeSingle?.dispose();
nativeMulti?.dispose();

const e = (v: number | undefined): string => (v === undefined ? '—' : v.toExponential(2));
const r = (a: number, b: number | undefined): string => (b === undefined ? '—' : `${(a / b).toFixed(2)}×`);
const T = multi.threads;
const isa = nativeStatus.available ? nativeStatus.isa : 'n/a';
console.log('\npairs/s (median of ' + reps + '); ours = the fastest CPU engine');
console.log(
  `|   d | wasm 1t | wasm ${T}t | native (${isa}) 1t | native ${T}t | tfjs generic (${tf.getBackend()}) | numpy | ours/numpy | ours 1t/numpy | native ≡ wasm | generic agrees |`,
);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|---:|');
for (const row of rows) {
  const best = Math.max(row.many, row.nativeMany ?? 0);
  const bestOne = Math.max(row.one, row.nativeOne ?? 0);
  const same = row.nativeSame === undefined ? '—' : row.nativeSame ? 'yes' : 'NO';
  console.log(
    `| ${String(row.d).padStart(3)} | ${e(row.one)} | ${e(row.many)} | ${e(row.nativeOne)} | ${e(row.nativeMany)} | ${e(row.generic)} | ${e(row.numpy)} | ${r(best, row.numpy)} | ${r(bestOne, row.numpy)} | ${same} | ${Number.isNaN(row.agree) ? '—' : (100 * row.agree).toFixed(2) + '%'} |`,
  );
}
