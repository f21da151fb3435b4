// The extended map on ring-8 (8 tight modes): θ̂ is found automatically and does not
// depend on the codes' units; the barycentric and pairwise rules make new codes inside
// the modes and never use a pair across the singular set; the naive interpolation shows
// the mode mixture the theory predicts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@aeot/tensor-backend';
import { ExtendedMap as ExtendedMapClass, extendMap, normalAngle, preparePowerAssignKernels, solveSemiDiscrete, type ExtendedMap, type SemiDiscreteMap } from '../src/index.js';
import { ring8 } from './ring-8.js';

const M = 600;
const targets = ring8(M, 21);
let map: SemiDiscreteMap;
let generator: ExtendedMap;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  await preparePowerAssignKernels();
  map = await solveSemiDiscrete({ targets: targets.points, dim: 2, seed: 1 });
  generator = await extendMap(map, { barycentreSamples: 400_000, adjacencySamples: 100_000 });
}, 120_000);

/** Nearest ring mode and distance of each 2-D point. */
function nearestModes(points: Float32Array): { mode: Int32Array; distance: Float64Array } {
  const n = points.length / 2;
  const mode = new Int32Array(n);
  const distance = new Float64Array(n).fill(Infinity);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 8; k++) {
      const dd = Math.hypot(points[2 * i]! - Math.cos((2 * Math.PI * k) / 8), points[2 * i + 1]! - Math.sin((2 * Math.PI * k) / 8));
      if (dd < distance[i]!) {
        distance[i] = dd;
        mode[i] = k;
      }
    }
  }
  return { mode, distance };
}

/** Fraction within 3σ of a mode, modes reached, and fraction that are not copies of a target. */
function score(points: Float32Array): { hq: number; modes: number; fresh: number } {
  const { mode, distance } = nearestModes(points);
  const n = distance.length;
  let hq = 0;
  const hit = new Set<number>();
  let copies = 0;
  for (let i = 0; i < n; i++) {
    if (distance[i]! <= 0.03) {
      hq++;
      hit.add(mode[i]!);
    }
    for (let j = 0; j < M; j++) {
      if (points[2 * i] === targets.points[2 * j] && points[2 * i + 1] === targets.points[2 * j + 1]) {
        copies++;
        break;
      }
    }
  }
  return { hq: hq / n, modes: hit.size, fresh: 1 - copies / n };
}

/** θ(i₀, i_k) of a row's consulted cells, in float64 from the generator's unit normals. */
function anglesOfRow(cells: Int32Array, k: number, row: number): number[] {
  const i0 = cells[row * k]!;
  return Array.from({ length: k - 1 }, (_, j) => normalAngle(generator.normals, map.dim + 1, i0, cells[row * k + j + 1]!));
}

describe('extended map on ring-8', () => {
  it('chooses θ̂ in the gap between within-mode and across-mode angles', () => {
    const choice = generator.thresholdChoice!;
    expect(choice.found).toBe(true);
    expect(choice.above / choice.below).toBeGreaterThan(10);
    // Every adjacent pair above θ̂ joins two different modes; every pair below, one mode.
    const { pairs, angles } = generator.adjacency!;
    for (let p = 0; p < angles.length; p++) {
      const same = targets.mode[pairs[2 * p]!] === targets.mode[pairs[2 * p + 1]!];
      expect(angles[p]! > generator.threshold).toBe(!same);
    }
  });

  it('barycentric rule: new codes inside the modes, never across a singular pair', async () => {
    (await generator.sample(1)).codes.dispose(); // first use makes the generator's cached tensors
    const before = tf.memory().numTensors;
    for (const crossing of ['exclude', 'fallback'] as const) {
      const out = await generator.sample(3000, { seed: 5, crossing });
      const points = (await out.codes.data()) as Float32Array;
      out.codes.dispose();
      expect(out.neighbours).toBe(3);
      expect(out.extended + out.fallback).toBe(3000);
      expect(out.fallback / 3000).toBeLessThan(0.01);
      for (let r = 0; r < 3000; r++) {
        const angles = anglesOfRow(out.cells, 3, r);
        if (crossing === 'fallback') {
          // The paper's strict rule: extended only when all d + 1 cells are on i₀'s side.
          expect(Math.max(...angles) <= generator.threshold * (1 + 1e-5)).toBe(out.extendedRows[r] === 1);
        } else {
          // Cells across are left out; a sample falls back only when no neighbour is on i₀'s side.
          expect(Math.min(...angles) <= generator.threshold * (1 + 1e-5)).toBe(out.extendedRows[r] === 1);
        }
      }
      const s = score(points);
      expect(s.modes).toBe(8);
      expect(s.hq).toBeGreaterThanOrEqual(0.99);
      expect(s.fresh).toBeGreaterThanOrEqual(0.99);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('pairwise rule: mixes a code with a neighbour of its own mode', async () => {
    const out = await generator.sample(3000, { seed: 5, rule: 'pairwise' });
    const points = (await out.codes.data()) as Float32Array;
    out.codes.dispose();
    const k = out.neighbours;
    expect(k).toBe(20);
    for (let r = 0; r < 3000; r++) {
      const angles = anglesOfRow(out.cells, k, r);
      expect(Math.min(...angles) <= generator.threshold * (1 + 1e-5)).toBe(out.extendedRows[r] === 1);
    }
    const s = score(points);
    expect(s.modes).toBe(8);
    expect(s.hq).toBeGreaterThanOrEqual(0.99);
    expect(s.fresh).toBeGreaterThanOrEqual(0.99);
  });

  it('naive interpolation, blind to the singular set, puts samples in the gaps (mode mixture)', async () => {
    const naive = await generator.sample(3000, { seed: 5, rule: 'naive' });
    const points = (await naive.codes.data()) as Float32Array;
    naive.codes.dispose();
    expect(naive.fallback).toBe(0);
    expect(score(points).hq).toBeLessThan(0.97);
  });

  it('rejects instead of falling back when asked; same seed, same codes', async () => {
    const kept = await generator.sample(3000, { seed: 5, onSingular: 'reject' });
    const mapped = await generator.sample(3000, { seed: 5 });
    expect(kept.rejected).toBe(mapped.fallback);
    expect(kept.codes.shape[0]).toBe(3000 - kept.rejected);
    expect(kept.extendedRows.every((f) => f === 1)).toBe(true);
    const again = await generator.sample(3000, { seed: 5 });
    expect(Array.from(await again.codes.data())).toEqual(Array.from(await mapped.codes.data()));
    tf.dispose([kept.codes, mapped.codes, again.codes]);
  });

  it('works on raw codes at any scale (targets × 1000 + 50): θ̂ still separates the modes', async () => {
    const scaled = targets.points.map((v) => 1000 * v + 50);
    const big = await solveSemiDiscrete({ targets: scaled, dim: 2, seed: 1 });
    const other = await extendMap(big, { barycentreSamples: 200_000, adjacencySamples: 100_000 });
    expect(other.thresholdChoice!.found).toBe(true);
    const { pairs, angles } = other.adjacency!;
    for (let p = 0; p < angles.length; p++) expect(angles[p]! > other.threshold).toBe(targets.mode[pairs[2 * p]!] !== targets.mode[pairs[2 * p + 1]!]);
    const out = await other.sample(2000, { seed: 2 });
    const points = ((await out.codes.data()) as Float32Array).map((v) => (v - 50) / 1000);
    out.codes.dispose();
    expect(score(points).hq).toBeGreaterThanOrEqual(0.99);
    other.dispose();
    big.dispose();
  });

  it('saves and loads: the loaded map samples the same codes and keeps θ̂ and the barycentres', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aeot-extended-'));
    try {
      await generator.save(join(dir, 'map.safetensors'));
      const loaded = await ExtendedMapClass.load(join(dir, 'map.safetensors'));
      expect(loaded.threshold).toBe(generator.threshold);
      expect(loaded.thresholdChoice).toEqual(generator.thresholdChoice);
      expect(loaded.barycentres).toEqual(generator.barycentres);
      expect(loaded.normals).toEqual(generator.normals);
      expect(loaded.map.heights).toEqual(map.heights);
      for (const rule of ['barycentric', 'pairwise'] as const) {
        const a = await generator.sample(500, { rule, seed: 4 });
        const b = await loaded.sample(500, { rule, seed: 4 });
        expect(b.codes.dataSync()).toEqual(a.codes.dataSync());
        expect(b.fallback).toBe(a.fallback);
        tf.dispose([a.codes, b.codes]);
      }
      await map.save(join(dir, 'plain.safetensors'));
      await expect(ExtendedMapClass.load(join(dir, 'plain.safetensors'))).rejects.toThrow(/saved aeot extended map/);
      loaded.map.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fallbackQuantile: codes with no angle gap (one uniform blob) get θ̂ at the quantile; it saves and loads', async () => {
    const rng = Array.from({ length: 2 * 300 }, (_, i) => Math.sin(12.9898 * (i + 1)) * 43758.5453 % 1);
    const blob = await solveSemiDiscrete({ targets: Float32Array.from(rng), dim: 2, seed: 3 });
    const none = await extendMap(blob, { adjacencySamples: 50_000, barycentreSamples: 50_000 });
    expect(none.threshold).toBe(Infinity);
    const cut = await extendMap(blob, { adjacencySamples: 50_000, barycentreSamples: 50_000, fallbackQuantile: 0.5 });
    expect(cut.thresholdChoice).toMatchObject({ found: false, quantile: 0.5 });
    // θ̂ is the median of the standardised neighbour angles the adjacency measured.
    const sorted = Float64Array.from(cut.adjacency!.angles).sort();
    expect(cut.threshold).toBe(sorted[Math.ceil(0.5 * sorted.length) - 1]);
    expect(cut.thresholdChoice!.singularFraction).toBeGreaterThan(0.45);
    const out = await cut.sample(400, { rule: 'pairwise', seed: 1 });
    expect(out.fallback).toBeLessThan(40);
    out.codes.dispose();
    const dir = mkdtempSync(join(tmpdir(), 'aeot-quantile-'));
    try {
      await cut.save(join(dir, 'm.safetensors'));
      const loaded = await ExtendedMapClass.load(join(dir, 'm.safetensors'));
      expect(loaded.threshold).toBe(cut.threshold);
      expect(loaded.thresholdChoice).toEqual(cut.thresholdChoice); // NaN fields survive the file
      loaded.map.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await expect(extendMap(blob, { fallbackQuantile: 2 })).rejects.toThrow(/"fallbackQuantile"/);
    blob.dispose();
  });

  it('gives typed errors for bad options', async () => {
    await expect(generator.sample(0)).rejects.toThrow(RangeError);
    await expect(generator.sample(10, { rule: 'linear' as never })).rejects.toThrow(/"rule" expected one of/);
    await expect(generator.sample(10, { weight: 1 })).rejects.toThrow(/"weight" expected a number in \(0, 1\)/);
    await expect(generator.sample(10, { neighbours: 64 })).rejects.toThrow(RangeError);
    await expect(extendMap(map, { threshold: -1 })).rejects.toThrow(/"threshold" expected 'auto' or an angle > 0/);
  });
});
