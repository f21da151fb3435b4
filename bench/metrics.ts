// Metrics against numpy/scipy on the same machine and the same data (bench/numpy_metrics.py,
// spawned in the same run): MNIST-sized feature sets (N = 10,000 per set, d = 128, the
// committed classifier's feature size) for FID, KID (100 subsets of 1,000) and
// precision/recall/density/coverage; exact W2 between two sets of 2,000 points in 8-D.
// Prints seconds for both, the ratio numpy/ours (> 1: we are faster), and the values.
//   node --conditions=source --import tsx bench/metrics.ts [--n 10000] [--d 128] [--w2 2000]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRng, initBackend } from '@aeot/tensor-backend';
import { exactWasserstein2, fid, kid, prdc } from '@aeot/metrics';

const { values: args } = parseArgs({ options: { n: { type: 'string', default: '10000' }, d: { type: 'string', default: '128' }, w2: { type: 'string', default: '2000' } } });
const n = Number(args.n);
const d = Number(args.d);
const w2n = Number(args.w2);
const backend = await initBackend({ backend: 'wasm' });

// Correlated Gaussian features with a shifted, rescaled "fake" set.
const rng = createRng(1);
const mix = Float64Array.from({ length: d * d }, () => rng.nextNormal() / Math.sqrt(d));
function features(shift: number, scale: number): Float32Array {
  const out = new Float32Array(n * d);
  const z = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) z[k] = rng.nextNormal();
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += z[k]! * mix[k * d + j]!;
      out[i * d + j] = shift + scale * s;
    }
  }
  return out;
}
const real = features(0, 1);
const fake = features(0.05, 1.1);
const points = Float32Array.from({ length: 2 * w2n * 8 }, () => rng.nextNormal());
const dir = mkdtempSync(join(tmpdir(), 'aeot-bench-metrics-'));
writeFileSync(join(dir, 'real.f32'), new Uint8Array(real.buffer));
writeFileSync(join(dir, 'fake.f32'), new Uint8Array(fake.buffer));
writeFileSync(join(dir, 'w2.f32'), new Uint8Array(points.buffer));

async function best<T>(repeats: number, fn: () => T | Promise<T>): Promise<{ seconds: number; value: T }> {
  let seconds = Infinity;
  let value: T | undefined;
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    value = await fn();
    seconds = Math.min(seconds, (performance.now() - t) / 1000);
  }
  return { seconds, value: value as T };
}

const realSet = { data: real, shape: [n, d] as [number, number] };
const fakeSet = { data: fake, shape: [n, d] as [number, number] };
const ours = {
  fid: await best(3, () => fid(realSet, fakeSet).value),
  kid: await best(1, async () => (await kid(realSet, fakeSet)).mean),
  prdc: await best(1, async () => {
    const r = await prdc(realSet, fakeSet);
    return [r.precision, r.recall, r.density, r.coverage];
  }),
  w2: await best(1, () => exactWasserstein2({ data: points.subarray(0, w2n * 8), shape: [w2n, 8] }, { data: points.subarray(w2n * 8), shape: [w2n, 8] }).squared),
};

const py = spawnSync('python3', [join(import.meta.dirname, 'numpy_metrics.py'), join(dir, 'real.f32'), join(dir, 'fake.f32'), String(n), String(d), join(dir, 'w2.f32'), String(w2n)], { encoding: 'utf8' });
rmSync(dir, { recursive: true, force: true });
if (py.status !== 0) throw new Error(`numpy_metrics.py failed: ${py.stderr}`);
const ref = JSON.parse(py.stdout) as Record<string, { seconds: number; value: unknown }>;

console.log(`metrics, N = ${n} per set, d = ${d} (${backend.name} backend, float32 products); exact W2 at n = ${w2n}, d = 8`);
const row = (name: string, o: { seconds: number; value: unknown }, r: { seconds: number; value: unknown }, note = '') =>
  console.log(`  ${name.padEnd(22)} ours ${o.seconds.toFixed(3).padStart(8)} s   numpy ${r.seconds.toFixed(3).padStart(8)} s   ratio ${(r.seconds / o.seconds).toFixed(2).padStart(6)}×   ours ${JSON.stringify(o.value)}  numpy ${JSON.stringify(r.value)}${note}`);
row('FID (vs scipy sqrtm)', ours.fid, ref.fid_sqrtm!);
row('FID (vs numpy eigh)', ours.fid, ref.fid_eigh!);
row('KID, 100 × 1000', ours.kid, ref.kid!, '  (different subsets)');
row('precision/recall/D/C', ours.prdc, ref.prdc!);
row('exact W2²', ours.w2, ref.w2_exact!);
backend.dispose();
