// The example of packages/ot-semidiscrete/README.md, runnable: `node --conditions=source
// --import tsx examples/src/ot-readme.ts [dir]`. Keep the two in step.
import { initBackend } from '@aeot/tensor-backend';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SemiDiscreteMap, solveSemiDiscrete, uniformCube } from '@aeot/ot-semidiscrete';

const { tf } = await initBackend({ backend: 'auto' });

// 500 targets in the plane (any scale: the solver standardises them internally).
const targets = Array.from({ length: 500 }, (_, i) => [40 * Math.cos(i) + (i % 7), 25 * Math.sin(1.3 * i)]);

const ot = await solveSemiDiscrete({
  targets,                       // number[][], Float32Array + dim, or a Tensor2D
  source: uniformCube(2),        // μ = U[-0.5, 0.5]^2 (the default)
  seed: 1,
  onProgress: (p) => { if (p.step % 100 === 0) console.log(p.step, p.massError); },
});
console.log(ot.converged, ot.steps);

const masses = await ot.cellMasses({ samples: 1_000_000 });
console.log('mean relative mass error', masses.meanRelativeError.toFixed(4));
const w2 = await ot.wasserstein2({ samples: 200_000 });
console.log('W2² =', w2.value.toFixed(3), '±', w2.standardError.toFixed(3));

const x = tf.randomUniform([4, 2], -0.5, 0.5) as import('@tensorflow/tfjs-core').Tensor2D;
const y = ot.transport(x);       // [4, 2]: each sample's target
const { indices } = ot.topCells(x, 3); // the 3 best cells per sample (for the extended map)
console.log(await y.array(), await indices.array());

const file = join(process.argv[2] ?? mkdtempSync(join(tmpdir(), 'aeot-ot-')), 'map.safetensors');
await ot.save(file);                   // Node: atomic file; browser: indexeddb://…
const again = await SemiDiscreteMap.load(file);
console.log(again.count, again.dim);
tf.dispose([x, y, indices]);
