// The WGSL power assignment on tfjs's webgpu backend in Node (Dawn; SwiftShader on
// machines without a GPU), against a float64 reference written here with plain loops.
// SwiftShader runs ~0.1 GFLOP/s, so every case is small. AEOT_REQUIRE_WEBGPU=1 turns
// "webgpu unavailable" into a failure instead of a skip.
import { useWebGpu } from '@aeot/tensor-backend/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POWER_ASSIGN } from '../../src/kernels/power-assign-kernel.js';
import { autoLanes, powerAssignLayout } from '../../src/kernels/webgpu/power-assign-layout.js';
import { powerAssignShader } from '../../src/kernels/webgpu/power-assign-program.js';
import {
  powerAssignWebGpuConfig,
  registerWebGpuPowerAssignKernel,
  WEBGPU_POWER_ASSIGN_LANES_FLAG,
} from '../../src/kernels/webgpu/power-assign-webgpu.js';
import { mulberry32 } from './mulberry32.js';
import type { Problem } from './power-assign-reference.js';

// ---- problem data and the float64 reference --------------------------------------

const rng = mulberry32;

function randomProblem(n: number, m: number, d: number, seed: number): Problem {
  const next = rng(seed);
  const fill = (len: number, scale: number): Float32Array => Float32Array.from({ length: len }, () => (2 * next() - 1) * scale);
  return { n, m, d, x: fill(n * d, 1), y: fill(m * d, 1), h: fill(m, 0.5) };
}

interface Reference {
  /** Per row: the k best indices and their float64 scores, best first, ties → lower index. */
  readonly indices: Int32Array;
  readonly scores: Float64Array;
  /** Per row, per target: the float64 score (to judge near-ties). */
  readonly all: Float64Array;
  /** Per row: Σ_c |x_c·y_jc| + |h_j| maximised over j, the scale of rounding errors. */
  readonly scale: Float64Array;
}

function reference(p: Problem, k: number): Reference {
  const { n, m, d, x, y, h } = p;
  const indices = new Int32Array(n * k);
  const scores = new Float64Array(n * k);
  const all = new Float64Array(n * m);
  const scale = new Float64Array(n);
  const order = Array.from({ length: m }, (_, j) => j);
  for (let i = 0; i < n; i++) {
    let rowScale = 0;
    for (let j = 0; j < m; j++) {
      let s = 0;
      let a = 0;
      for (let c = 0; c < d; c++) {
        const prod = (x[i * d + c] ?? 0) * (y[j * d + c] ?? 0);
        s += prod;
        a += Math.abs(prod);
      }
      const hj = h[j] ?? 0;
      all[i * m + j] = s + hj;
      if (Number.isFinite(hj)) rowScale = Math.max(rowScale, a + Math.abs(hj));
    }
    scale[i] = rowScale;
    const row = all.subarray(i * m, (i + 1) * m);
    order.sort((a, b) => ((row[b] ?? 0) - (row[a] ?? 0) || a - b));
    for (let q = 0; q < k; q++) {
      const j = order[q] ?? -1;
      indices[i * k + q] = j;
      scores[i * k + q] = row[j] ?? NaN;
    }
  }
  return { indices, scores, all, scale };
}

/** Runs the kernel; reads results only asynchronously (dataSync is unsafe on webgpu). */
async function runAssign(p: Problem, k: number): Promise<{ indices: Int32Array; scores: Float32Array; shapes: number[][]; dtypes: string[] }> {
  const x = tf.tensor2d(p.x, [p.n, p.d]);
  const y = tf.tensor2d(p.y, [p.m, p.d]);
  const h = tf.tensor1d(p.h);
  try {
    const out = tf.engine().runKernel(POWER_ASSIGN, { x, y, h }, { k }) as tf.Tensor[];
    try {
      const [ti, ts] = out;
      if (ti === undefined || ts === undefined) throw new Error(`expected 2 outputs, got ${out.length}`);
      return {
        indices: (await ti.data()) as Int32Array,
        scores: (await ts.data()) as Float32Array,
        shapes: out.map((t) => t.shape),
        dtypes: out.map((t) => t.dtype),
      };
    } finally {
      tf.dispose(out);
    }
  } finally {
    tf.dispose([x, y, h]);
  }
}

const RELATIVE_TOLERANCE = 1e-5;

/**
 * Scores within 1e-5 of the row's scale; indices equal to the reference's, except that
 * a different index is accepted where its own reference score is within that tolerance
 * of the expected one (a near-tie float32 cannot resolve). `exactTies` demands equal
 * indices everywhere (for exactly tied inputs, which float32 reproduces bit for bit).
 */
function expectMatches(p: Problem, k: number, got: { indices: Int32Array; scores: Float32Array }, exactTies = false): void {
  const ref = reference(p, k);
  let nearTieSwaps = 0;
  for (let i = 0; i < p.n; i++) {
    const tol = RELATIVE_TOLERANCE * Math.max(ref.scale[i] ?? 0, 1e-30);
    const seen = new Set<number>();
    for (let q = 0; q < k; q++) {
      const at = i * k + q;
      const want = ref.scores[at] ?? NaN;
      const g = got.scores[at] ?? NaN;
      const gi = got.indices[at] ?? -1;
      const where = `row ${i}, rank ${q}`;
      if (want === -Infinity) expect(g, where).toBe(-Infinity);
      else expect(Math.abs(g - want), `${where}: score ${g} vs ${want}`).toBeLessThanOrEqual(tol);
      expect(gi >= 0 && gi < p.m, `${where}: index ${gi} in [0, ${p.m})`).toBe(true);
      expect(seen.has(gi), `${where}: index ${gi} repeated`).toBe(false);
      seen.add(gi);
      const wantIndex = ref.indices[at] ?? -1;
      if (gi === wantIndex) continue;
      expect(exactTies, `${where}: index ${gi}, expected ${wantIndex} (exact ties)`).toBe(false);
      const gotRefScore = ref.all[i * p.m + gi] ?? NaN;
      expect(Math.abs(gotRefScore - want), `${where}: index ${gi} (score ${gotRefScore}) instead of ${wantIndex} (score ${want})`).toBeLessThanOrEqual(tol);
      nearTieSwaps++;
    }
    // Best first: non-increasing scores along each row.
    for (let q = 1; q < k; q++) {
      expect(got.scores[i * k + q] ?? NaN, `row ${i} sorted at ${q}`).toBeLessThanOrEqual(got.scores[i * k + q - 1] ?? NaN);
    }
  }
  // Random data has essentially no near-ties; many would mean a real ordering bug.
  expect(nearTieSwaps).toBeLessThanOrEqual(Math.max(2, (p.n * k) / 1000));
}

// ---- setup: webgpu or a reason to skip ---------------------------------------------

const gpu = useWebGpu({ beforeAll, afterAll }, process.env.AEOT_REQUIRE_WEBGPU === '1');

beforeAll(async () => {
  registerWebGpuPowerAssignKernel();
  if (gpu.unavailable !== undefined) return;
  expect(tf.getBackend()).toBe('webgpu');
});

afterAll(() => {
  tf.env().set(WEBGPU_POWER_ASSIGN_LANES_FLAG, 0);
});

/** A test that runs only with webgpu up; skipped with the reason otherwise. */
function gpuIt(name: string, body: () => Promise<void>): void {
  it(name, async (ctx) => {
    if (gpu.unavailable !== undefined) ctx.skip(gpu.unavailable);
    await body();
  });
}

/** Runs `body` with the lanes flag forced (0 = automatic), restoring automatic after. */
async function withLanes(lanes: number, body: () => Promise<void>): Promise<void> {
  tf.env().set(WEBGPU_POWER_ASSIGN_LANES_FLAG, lanes);
  try {
    await body();
  } finally {
    tf.env().set(WEBGPU_POWER_ASSIGN_LANES_FLAG, 0);
  }
}

/** Live tensors and live backend buffers (the latter catches leaked intermediates). */
function liveCounts(): [number, number] {
  return [tf.memory().numTensors, tf.engine().backend.numDataIds()];
}

// ---- the cases -------------------------------------------------------------------

describe('power assignment on webgpu (Node, Dawn)', () => {
  it('registers once: a second call is a no-op', () => {
    registerWebGpuPowerAssignKernel();
    expect(registerWebGpuPowerAssignKernel()).toBe(false);
    expect(tf.getKernel(POWER_ASSIGN, 'webgpu')).toBe(powerAssignWebGpuConfig);
  });

  it('sizes layouts within 16 KiB of workgroup memory and picks lanes from N', () => {
    for (const d of [0, 1, 2, 3, 7, 16, 32, 33, 100]) {
      for (const k of [1, 5, 32]) {
        for (const lanes of [1, 2, 4, 8]) {
          const l = powerAssignLayout(d, k, lanes);
          const words = l.tileTargets * l.dimChunk + l.tileTargets + (lanes > 1 ? 2 * l.samplesPerWorkgroup * k : 0);
          expect(words * 4, `d=${d} k=${k} lanes=${lanes}`).toBeLessThanOrEqual(16384);
          expect(l.tileTargets % lanes).toBe(0);
          expect(l.samplesPerWorkgroup * lanes).toBe(64);
          expect(powerAssignShader(l)).toContain('fn main(index : i32)');
        }
      }
    }
    expect(autoLanes(100)).toBe(8);
    expect(autoLanes(5000)).toBe(4);
    expect(autoLanes(100_000)).toBe(1);
    expect(() => powerAssignLayout(3, 2, 3)).toThrow(RangeError);
  });

  for (const d of [1, 2, 3, 7, 16]) {
    gpuIt(`N=97, M=300 (not a multiple of the tile), d=${d}, k ∈ {1, 2, 5}: matches the float64 reference`, async () => {
      const p = randomProblem(97, 300, d, 1000 + d);
      for (const k of [1, 2, 5]) {
        const before = liveCounts();
        const got = await runAssign(p, k);
        expect(got.shapes).toEqual([
          [97, k],
          [97, k],
        ]);
        expect(got.dtypes).toEqual(['int32', 'float32']);
        expectMatches(p, k, got);
        expect(liveCounts()).toEqual(before);
      }
    });
  }

  gpuIt('N=512, M=300, d=3, k=5 (automatic lanes) and every forced lane count agree with the reference', async () => {
    const p = randomProblem(512, 300, 3, 7);
    expectMatches(p, 5, await runAssign(p, 5));
    for (const lanes of [1, 2, 4, 8]) {
      await withLanes(lanes, async () => expectMatches(p, 5, await runAssign(p, 5)));
    }
  });

  gpuIt('d > 32 streams dimensions in chunks (d = 33, 70), single lane and merged lanes', async () => {
    for (const d of [33, 70]) {
      const p = randomProblem(70, 90, d, 300 + d);
      for (const lanes of [1, 8]) {
        await withLanes(lanes, async () => {
          expectMatches(p, 5, await runAssign(p, 5));
          expectMatches(p, 1, await runAssign(p, 1));
        });
      }
    }
  });

  gpuIt('k = MAX_TOP_K = 32 at d = 32 and 33, with the largest merge buffers (2 lanes)', async () => {
    for (const d of [32, 33]) {
      const p = randomProblem(40, 150, d, 900 + d);
      for (const lanes of [1, 2]) {
        await withLanes(lanes, async () => expectMatches(p, 32, await runAssign(p, 32)));
      }
    }
  });

  gpuIt('M = 1 (k = 1) and k = M = 5 with more lanes than targets', async () => {
    const one = randomProblem(10, 1, 4, 11);
    const got = await runAssign(one, 1);
    expect(Array.from(got.indices)).toEqual(new Array<number>(10).fill(0));
    expectMatches(one, 1, got);
    const five = randomProblem(33, 5, 2, 12);
    for (const lanes of [1, 8]) {
      await withLanes(lanes, async () => expectMatches(five, 5, await runAssign(five, 5)));
    }
  });

  gpuIt('duplicate targets tie exactly and keep the lower index first, within a lane, across lanes and across tiles', async () => {
    // Targets 0..299; copies of target 5 at 6 (next lane), 13, 133 and 299 (later tiles),
    // with equal heights, so those five scores are bit-identical for every sample.
    const p = randomProblem(64, 300, 3, 21);
    const y = Float32Array.from(p.y);
    const h = Float32Array.from(p.h);
    for (const j of [6, 13, 133, 299]) {
      y.set(y.subarray(5 * 3, 6 * 3), j * 3);
      h[j] = h[5] ?? 0;
    }
    // Heights large enough that the five copies are every sample's five best.
    for (const j of [5, 6, 13, 133, 299]) h[j] = 10;
    const dup: Problem = { ...p, y, h };
    for (const lanes of [0, 1, 2, 8]) {
      await withLanes(lanes, async () => {
        const got = await runAssign(dup, 5);
        for (let i = 0; i < dup.n; i++) {
          expect(Array.from(got.indices.subarray(i * 5, i * 5 + 5)), `row ${i}, lanes ${lanes}`).toEqual([5, 6, 13, 133, 299]);
        }
        expectMatches(dup, 5, got, true);
      });
    }
  });

  gpuIt('all-equal scores (y = 0, h constant) rank by index; -Infinity heights rank last but still fill k', async () => {
    const flat: Problem = { n: 9, m: 70, d: 2, x: randomProblem(9, 1, 2, 3).x, y: new Float32Array(140), h: new Float32Array(70).fill(0.25) };
    const got = await runAssign(flat, 5);
    for (let i = 0; i < 9; i++) expect(Array.from(got.indices.subarray(i * 5, i * 5 + 5))).toEqual([0, 1, 2, 3, 4]);
    const h = new Float32Array([-Infinity, 1, -Infinity, 2]);
    const inf: Problem = { n: 3, m: 4, d: 1, x: new Float32Array([1, -1, 0]), y: new Float32Array([1, 2, 3, 4]), h };
    for (const lanes of [1, 4]) {
      await withLanes(lanes, async () => {
        const r = await runAssign(inf, 4);
        expect(Array.from(r.indices.subarray(0, 4))).toEqual([3, 1, 0, 2]);
        expect(Array.from(r.scores.subarray(0, 4))).toEqual([6, 3, -Infinity, -Infinity]);
        expect(Array.from(r.indices.subarray(8, 12))).toEqual([3, 1, 0, 2]);
      });
    }
  });

  gpuIt('a NaN score counts as -Infinity: ranked last (ties with -Infinity by index) and reported as -Infinity', async () => {
    const nan: Problem = { n: 2, m: 4, d: 1, x: new Float32Array([1, 2]), y: new Float32Array([5, 1, 2, 3]), h: new Float32Array([NaN, 0, -Infinity, 0]) };
    for (const lanes of [1, 2]) {
      await withLanes(lanes, async () => {
        const r = await runAssign(nan, 4);
        expect(Array.from(r.indices)).toEqual([3, 1, 0, 2, 3, 1, 0, 2]);
        expect(Array.from(r.scores)).toEqual([3, 1, -Infinity, -Infinity, 6, 2, -Infinity, -Infinity]);
      });
    }
  });

  gpuIt('N = 0 gives empty [0, k] outputs', async () => {
    const got = await runAssign({ n: 0, m: 4, d: 2, x: new Float32Array(0), y: new Float32Array(8), h: new Float32Array(4) }, 3);
    expect(got.shapes).toEqual([
      [0, 3],
      [0, 3],
    ]);
    expect(got.indices.length).toBe(0);
  });

  gpuIt('rejects bad k, dtypes and shapes with RangeError / TypeError, leaking nothing', async () => {
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const y = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    const h = tf.tensor1d([0, 0, 0]);
    const xi = tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32');
    const y3 = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const h2 = tf.tensor1d([0, 0]);
    try {
      const before = liveCounts();
      const run = (inputs: Record<string, tf.Tensor>, k: number) => () => tf.engine().runKernel(POWER_ASSIGN, inputs, { k });
      expect(run({ x, y, h }, 0)).toThrow(/"k" expected an integer in \[1, 3\]/);
      expect(run({ x, y, h }, 4)).toThrow(RangeError);
      expect(run({ x, y, h }, 1.5)).toThrow(RangeError);
      expect(run({ x: xi, y, h }, 1)).toThrow(TypeError);
      expect(run({ x, y: y3, h }, 1)).toThrow(/"y" expected a 2-D tensor of shape \[M, 2\], got \[2, 3\]/);
      expect(run({ x, y, h: h2 }, 1)).toThrow(/"h" expected a 1-D tensor of shape \[3\], got \[2\]/);
      await withLanes(3, async () => {
        expect(run({ x, y, h }, 1)).toThrow(RangeError);
      });
      expect(liveCounts()).toEqual(before);
    } finally {
      tf.dispose([x, y, h, xi, y3, h2]);
    }
  });
});
