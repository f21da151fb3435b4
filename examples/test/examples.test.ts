// The README's main command and the package README's example run as written.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'aeot-demo-'));
const run = (script: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', join(root, script), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, AEOT_OUT: out } });

describe('examples', () => {
  it('the main job (small settings) trains, solves, generates, scores, writes its files, and resumes on a rerun', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aeot-main-'));
    const args = ['--epochs', '1', '--train', '6000', '--targets', '1000', '--samples', '1000', '--out', dir];
    const r = run('src/main.ts', ...args);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/autoencoder epoch 1\/1 done: loss/);
    expect(r.stdout).toMatch(/OT onto 1000 codes: \d+ steps, converged true/);
    expect(r.stdout).toMatch(/extended map: θ̂ [\d.]+ rad \((gap in the angles|no gap in the angles: their 0.5 quantile)\)/);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    const scores = report.scores as Record<string, { mnistFid: number; precision: number; recall: number; classFrequencies: number[] }>;
    expect(Object.keys(scores)).toEqual(['reconstructions', 'aeot', 'plainOtMap', 'gaussianNoise']);
    for (const s of Object.values(scores)) {
      expect(s.mnistFid).toBeGreaterThan(0);
      expect(s.classFrequencies.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 1);
    }
    // Decoded moment-matched noise is the control: far worse than the OT-driven samples.
    expect(scores.gaussianNoise!.mnistFid).toBeGreaterThan(scores.aeot!.mnistFid);
    expect(report.doneMeans.fidRatio).toBeCloseTo(scores.aeot!.mnistFid / scores.reconstructions!.mnistFid, 10);
    expect(report.generation.extended + report.generation.fallback).toBe(1000);
    const size = (f: string): number[] => {
      const png = readFileSync(join(dir, f));
      return [png.readUInt32BE(16), png.readUInt32BE(20)];
    };
    expect(size('samples.png')).toEqual([302, 302]); // 10 × 10 images of 28 px, 2 px apart
    expect(size('comparison.png')).toEqual([482, 152]); // 16 × 5
    for (const f of ['model.json', 'weights.bin', 'map.safetensors', 'generator.json']) expect(readFileSync(join(dir, 'generator', f)).length).toBeGreaterThan(0);
    // A rerun finds the finished checkpoint: no training, the same autoencoder, the same scores.
    const again = run('src/main.ts', ...args);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).not.toMatch(/autoencoder epoch 1\/1 done/);
    const report2 = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(report2.autoencoder.resumedFrom).toEqual({ epoch: 1, batch: 0 });
    expect(report2.scores.reconstructions).toEqual({ ...scores.reconstructions, seconds: report2.scores.reconstructions.seconds });
  }, 400_000);

  it('the autoencoder README example trains, generates, saves and reloads the generator', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aeot-ae-readme-'));
    const r = run('src/autoencoder-readme.ts', dir);
    expect(r.status, r.stderr).toBe(0);
    const mse = /^epoch 1: MSE (\S+)\nepoch 2: MSE (\S+)$/m.exec(r.stdout);
    expect(Number(mse?.[2])).toBeLessThan(Number(mse?.[1]));
    expect(r.stdout).toMatch(/^final MSE \S+; \d+\/64 samples are new codes$/m);
    expect(r.stdout).toMatch(/^reloaded generator gives the same images: true$/m);
    const png = readFileSync(join(dir, 'samples.png'));
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([242, 242]);
  }, 300_000);

  it('the tour reports every backend and passes conformance on each available one', () => {
    const r = run('src/tour.ts');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/tensorflow\s+no\s+unavailable: optional package "@tensorflow\/tfjs-node-gpu"/);
    expect(r.stdout).toMatch(/'auto' picks: wasm/);
    for (const name of ['wasm', 'cpu']) expect(r.stdout).toMatch(new RegExp(`\\n  ${name}\\s+\\d+ passed, 0 failed`));
    expect(r.stdout).not.toMatch(/FAILED/);
    expect(r.stdout).toMatch(/mnist\/train 60000 \+ mnist\/test 10000 images \[28, 28, 1\]/);
    expect(r.stdout).toMatch(/train label counts: 5923 6742 5958 6131 5842 5421 5918 6265 5851 5949/);
    expect(r.stdout).toMatch(/one shuffled epoch, 60000 images/);
    expect(r.stdout).toMatch(/ring-8: 8 modes, σ = 0.01; 2500 true samples: 8\/8 modes/);
    expect(r.stdout).toMatch(/grid-25: 25 modes, σ = 0.05; 2500 true samples: 25\/25 modes/);
    expect(r.stdout).toMatch(/aeot-mnist-cnn\/1 \(128-d penultimate features\): 99\.20% on the 10000 test images/);
    const fidLine = /MNIST-FID, N = 5000: test half vs test half (\S+), train vs test (\S+)/.exec(r.stdout);
    expect(Number(fidLine?.[1])).toBeLessThan(2);
    expect(Number(fidLine?.[2])).toBeLessThan(5);
    // 2600 draws over 1000 near-uniform modes reach about 1000(1 − e^−2.6) ≈ 926 of them.
    const stackedModes = /stacked MNIST, 2600 true samples: (\d+)\/1000 modes/.exec(r.stdout);
    expect(Number(stackedModes?.[1])).toBeGreaterThan(880);
    expect(r.stdout).toMatch(/step 100: estimated mass error/);
    for (const name of ['ring-8', 'grid-25']) {
      expect(r.stdout).toMatch(new RegExp(`${name}, M = 1000 targets: converged in \\d+ steps`));
      const m = new RegExp(`${name}, M = 1000[^\\n]*\\n[^\\n]*cell-mass error (\\S+), empty cells 0, worst mode mass off by (\\S+)%`).exec(r.stdout);
      expect(Number(m?.[1])).toBeLessThan(0.06);
      expect(Number(m?.[2])).toBeLessThan(3);
      const k = name === 'ring-8' ? 8 : 25;
      expect(r.stdout).toMatch(new RegExp(`${name}, M = 1000[\\s\\S]*?plain OT map, 2500 samples: ${k}/${k} modes`));
      // Generation: both extended rules keep every mode, stay in the modes, make new points;
      // the naive interpolation falls into the gaps.
      const block = r.stdout.slice(r.stdout.indexOf(`${name}, M = 1000`));
      for (const rule of ['barycentric', 'pairwise']) {
        const g = new RegExp(`${rule} +2500 samples: (\\d+)/${k} modes, (\\S+)% within 3σ, KL \\S+, (\\S+)% new points`).exec(block);
        expect(Number(g?.[1])).toBe(k);
        expect(Number(g?.[2])).toBeGreaterThanOrEqual(99);
        expect(Number(g?.[3])).toBeGreaterThanOrEqual(99);
      }
      const naive = /naive +2500 samples: \d+\/\d+ modes, (\S+)% within 3σ/.exec(block);
      expect(Number(naive?.[1])).toBeLessThan(95);
      const gen = readFileSync(join(out, `generate-${name}.png`));
      expect([gen.readUInt32BE(16), gen.readUInt32BE(20)]).toEqual([1600, 400]);
      // A PNG, 800 × 400.
      const png = readFileSync(join(out, `ot-${name}.png`));
      expect(Array.from(png.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([800, 400]);
    }
  }, 300_000);

  it('the ot-semidiscrete README example solves, measures, maps, saves and reloads', () => {
    const r = run('src/ot-readme.ts', mkdtempSync(join(tmpdir(), 'aeot-ot-readme-')));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^true \d+$/m);
    const err = /^mean relative mass error (\S+)$/m.exec(r.stdout);
    expect(Number(err?.[1])).toBeLessThan(0.05);
    expect(r.stdout).toMatch(/^W2² = [\d.]+ ± [\d.]+$/m);
    expect(r.stdout).toMatch(/^500 2$/m);
  });

  it('the metrics README example scores ring-8, two halves of MNIST test and a W2', () => {
    const r = run('src/metrics-readme.ts');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^8\/8 modes, HQ (98|99)\.\d%, KL 0\.00\d\d$/m);
    // Two random halves of one distribution: a small MNIST-FID, KID within noise of 0.
    const f = /^MNIST-FID (\S+) \(aeot-mnist-cnn\/1 \(128-d penultimate features\), N = 5000\)$/m.exec(r.stdout);
    expect(Number(f?.[1])).toBeLessThan(2);
    const k = /^KID (\S+) ± (\S+)$/m.exec(r.stdout);
    expect(Math.abs(Number(k?.[1]))).toBeLessThan(3 * Number(k?.[2]));
    const m = /^precision (\S+) recall (\S+) density (\S+) coverage (\S+)$/m.exec(r.stdout);
    for (const v of m!.slice(1)) expect(Number(v)).toBeGreaterThan(0.8);
    expect(r.stdout).toMatch(/^W2 0\.\d{4}$/m);
  });

  it('the datasets README example loads MNIST, iterates an epoch and samples ring-8', () => {
    const r = run('src/datasets-readme.ts');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^mnist\/train 60000 10000 \[ 28, 28, 1 \]/m);
    expect(r.stdout).toMatch(/^epoch 60000$/m);
    expect(r.stdout).toMatch(/^54000 6000 1000$/m);
    expect(r.stdout).toMatch(/^\[ 28, 28, 3 \] 1000 \d+$/m);
    expect(r.stdout).toMatch(/^ring-8 8 2500 (99|100)\.\d% within 3σ$/m);
    expect(r.stdout).toMatch(/^25 0.05$/m);
  });

  it('the tensor-backend README example saves and reloads what it computed', () => {
    const r = run('src/tensor-backend-readme.ts', mkdtempSync(join(tmpdir(), 'aeot-readme-')));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^wasm WebAssembly/m);
    expect(r.stdout).toMatch(/^1 \[ 1024, 1024 \]$/m);
  });
});
