// The example of packages/metrics/README.md, as written there.
import { initBackend } from '@aeot/tensor-backend';
import { loadMnist, ring8 } from '@aeot/datasets';
import { exactWasserstein2, extractFeatures, fid, kid, loadMnistClassifier, modeCoverage, prdc } from '@aeot/metrics';

await initBackend({ backend: 'auto' });

// Mode coverage on a 2-D benchmark: 8/8 modes, ~98.9 % within 3σ, KL ≈ 0.
const ring = ring8();
const { points } = ring.sample(2500, { seed: 1 });
const score = modeCoverage({ data: points, shape: [2500, 2] }, ring);
console.log(`${score.modesCaptured}/${score.numModes} modes, HQ ${(100 * score.highQuality).toFixed(1)}%, KL ${score.kl.toFixed(4)}`);

// MNIST-FID between two random halves of the MNIST test set, with the committed
// classifier. (Not the first and last 5,000: MNIST's test set puts its two writer
// populations in those halves, and FID sees the difference.)
const classifier = await loadMnistClassifier();
const test = (await loadMnist()).test.shuffle(0);
const a = await extractFeatures(classifier, test.subset({ start: 0, end: 5000 }));
const b = await extractFeatures(classifier, test.subset({ start: 5000, end: 10000 }));
const f = fid(a.statistics, b.statistics);
console.log(`MNIST-FID ${f.value.toFixed(3)} (${f.features}, N = ${f.fakeCount})`);
const k = await kid(a.features!, b.features!, { subsets: 20 });
console.log(`KID ${k.mean.toExponential(2)} ± ${k.std.toExponential(2)}`);
const m = await prdc(a.features!, b.features!);
console.log(`precision ${m.precision.toFixed(3)} recall ${m.recall.toFixed(3)} density ${m.density.toFixed(3)} coverage ${m.coverage.toFixed(3)}`);

// Exact W2 between two small point sets (an optimal assignment, float64).
const p = ring.sample(500, { seed: 2 }).points;
const q = ring.sample(500, { seed: 3 }).points;
const w = exactWasserstein2({ data: p, shape: [500, 2] }, { data: q, shape: [500, 2] });
console.log(`W2 ${w.distance.toFixed(4)}`);
classifier.dispose();
