// The native CPU power assignment (AVX-512 / AVX2 addon, pthreads) against the WebAssembly
// relaxed-SIMD kernel — bit-identical indices and scores, both kernels of the addon, 1 and
// 2 threads — and against a float64 plain-loop reference: d from 1 to 130, N and M not
// multiples of the tiles, k up to 32, exact ties, -Infinity / huge / NaN heights, new
// targets of another shape, dispose, bad arguments (at the class and at the addon), the
// default engine of createCpuPowerAssign / preparePowerAssignKernels, and tfjs.
// Skipped where the addon does not load (not linux-x64, no AVX2 + FMA).
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@aeot/tensor-backend';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuPowerAssign } from '../../src/kernels/cpu/cpu-power-assign.js';
import { createCpuPowerAssign, loadNativePowerAssign, NativePowerAssign, type NativePowerAssignIsa } from '../../src/kernels/cpu/native-power-assign.js';
import { availablePowerAssignVariants } from '../../src/kernels/cpu/power-assign-module.js';
import { registerCpuPowerAssignKernels } from '../../src/kernels/cpu/register-cpu-power-assign.js';
import { preparePowerAssignKernels } from '../../src/kernels/prepare-kernels.js';
import { MAX_TOP_K, POWER_ASSIGN } from '../../src/kernels/power-assign-kernel.js';
import { check, problem, reference, run, type Problem } from './power-assign-reference.js';

const status = await loadNativePowerAssign();
const unavailable = status.available ? undefined : `native kernel unavailable: ${status.reason}`;
if (unavailable !== undefined) console.warn(`[cpu-native.test] skipped: ${unavailable}`);
// The comparison needs the fused-multiply-add WebAssembly flavour.
const relaxed = (await availablePowerAssignVariants()).includes('relaxed-simd');
const isas: NativePowerAssignIsa[] = status.available ? (status.isa === 'avx512' ? ['avx512', 'avx2'] : ['avx2']) : [];

/** Bit-identical: same indices, same float32 bits (Object.is: -0 and NaN included). */
function expectIdentical(a: { index: Int32Array; score: Float32Array }, b: { index: Int32Array; score: Float32Array }, what: string): void {
  expect(a.index.length).toBe(b.index.length);
  for (let i = 0; i < a.index.length; i++) {
    if (a.index[i] !== b.index[i] || !Object.is(a.score[i], b.score[i])) {
      expect.fail(`${what}: entry ${i}: index ${a.index[i]} vs ${b.index[i]}, score ${a.score[i]} vs ${b.score[i]}`);
    }
  }
}

// N and M are not multiples of any tile (6 or 4 samples; 64, 24 or 12 targets).
const DIMS = [1, 2, 3, 7, 16, 33, 100, 130];
const KS = [1, 2, 5, 32];

const engines = new Map<string, NativePowerAssign>();
let wasm: CpuPowerAssign | undefined;

function engine(isa: NativePowerAssignIsa, threads: number): NativePowerAssign {
  const pa = engines.get(`${isa}/${threads}`);
  if (pa === undefined) throw new Error(`no engine ${isa}/${threads}`);
  return pa;
}

function wasmEngine(): CpuPowerAssign {
  if (wasm === undefined) throw new Error('no wasm engine');
  return wasm;
}

beforeAll(async () => {
  if (unavailable !== undefined) return;
  for (const isa of isas) for (const threads of [1, 2]) engines.set(`${isa}/${threads}`, await NativePowerAssign.create({ isa, threads }));
  wasm = await CpuPowerAssign.create({ threads: 1, ...(relaxed ? { variant: 'relaxed-simd' as const } : {}) });
});

afterAll(() => {
  for (const pa of engines.values()) pa.dispose();
  wasm?.dispose();
});

describe.skipIf(unavailable !== undefined)('NativePowerAssign', () => {
  it('loads on this machine with the best kernel the CPU runs', () => {
    expect(status.available).toBe(true);
    for (const isa of isas) expect(engine(isa, 2).isa).toBe(isa);
    expect(engine(isas[0] ?? 'avx2', 1).variant).toBe('native');
    expect(engine(isas[0] ?? 'avx2', 2).threads).toBe(2);
  });

  describe.each(DIMS)('d = %i', (d) => {
    it.skipIf(!relaxed)('is bit-identical to the WebAssembly relaxed-SIMD kernel for k = 1, 2, 5, 32, with 1 and 2 threads, on both kernels', () => {
      const p = problem(203, 1001 + 2 * d, d, 31 * d + 1);
      for (const k of KS) {
        const ref = run(wasmEngine(), p, k);
        for (const isa of isas) {
          for (const threads of [1, 2]) expectIdentical(run(engine(isa, threads), p, k), ref, `${isa}, ${threads} thread(s), k = ${k}`);
        }
      }
    });

    it('matches the float64 reference for k = 1 and 5', () => {
      const p = problem(61, 397, d, 7 * d + 3);
      let ties = 0;
      for (const k of [1, 5]) {
        for (const isa of isas) {
          const out = run(engine(isa, 2), p, k);
          ties += check(p, k, out.index, out.score).nearTies;
        }
      }
      expect(ties).toBeLessThanOrEqual(4);
    });
  });

  it('splits a large problem over threads with identical results, at several sizes and k = 32', () => {
    for (const [n, m, d] of [
      [3001, 777, 19],
      [4099, 130, 100],
      [70_001, 13, 2],
    ] as const) {
      const p = problem(n, m, d, n + m + d);
      for (const isa of isas) {
        for (const k of [1, Math.min(MAX_TOP_K, m)]) {
          const one = run(engine(isa, 1), p, k);
          const two = run(engine(isa, 2), p, k);
          expectIdentical(two, one, `${isa} N=${n} M=${m} d=${d} k=${k}`);
          if (relaxed) expectIdentical(one, run(wasmEngine(), p, k), `${isa} vs wasm N=${n} M=${m} d=${d} k=${k}`);
        }
      }
    }
    const few = problem(60, 777, 19, 7);
    const sub = run(engine(isas[0] ?? 'avx2', 2), few, MAX_TOP_K);
    expect(check(few, MAX_TOP_K, sub.index, sub.score).nearTies).toBeLessThanOrEqual(2);
  });

  it('handles M = 1, N = 1, and M below one tile', () => {
    for (const [n, m, d] of [
      [1, 1, 1],
      [7, 1, 3],
      [5, 2, 2],
      [50, 13, 5],
    ] as const) {
      const p = problem(n, m, d, 1000 * n + 10 * m + d);
      for (const isa of isas) {
        for (const k of [1, Math.min(5, m)]) {
          const out = run(engine(isa, 2), p, k);
          check(p, k, out.index, out.score);
          if (relaxed) expectIdentical(out, run(wasmEngine(), p, k), `${isa} N=${n} M=${m} k=${k}`);
        }
      }
    }
  });

  it('breaks exact ties between duplicate targets toward the lower index', () => {
    const base = problem(301, 70, 6, 3);
    // Targets 2a and 2a + 1 are the same point with the same height.
    const y = new Float32Array(140 * 6);
    const h = new Float32Array(140);
    for (let a = 0; a < 70; a++) {
      for (const j of [2 * a, 2 * a + 1]) {
        y.set(base.y.subarray(a * 6, a * 6 + 6), j * 6);
        h[j] = base.h[a] ?? 0;
      }
    }
    const p: Problem = { ...base, m: 140, y, h };
    const k = 6;
    for (const isa of isas) {
      for (const threads of [1, 2]) {
        const { index, score } = run(engine(isa, threads), p, k);
        for (let i = 0; i < p.n; i++) {
          const row = Array.from(index.subarray(i * k, i * k + k));
          expect(row.filter((_, q) => q % 2 === 0).every((j) => j % 2 === 0)).toBe(true);
          expect(row.filter((_, q) => q % 2 === 1).every((j, q) => j === (row[2 * q] ?? -2) + 1)).toBe(true);
          expect(score[i * k]).toBe(score[i * k + 1]);
        }
        if (relaxed) expectIdentical({ index, score }, run(wasmEngine(), p, k), `${isa} ties`);
      }
    }
    // All targets equal: every list is 0, 1, 2, …
    const same: Problem = { ...base, m: 100, y: new Float32Array(100 * 6).fill(0.25), h: new Float32Array(100).fill(-1) };
    for (const isa of isas) {
      const { index } = run(engine(isa, 2), same, 5);
      for (let i = 0; i < same.n; i++) expect(Array.from(index.subarray(i * 5, i * 5 + 5))).toEqual([0, 1, 2, 3, 4]);
    }
  });

  it('never reports -Infinity targets, pads short lists, and keeps huge heights exact', () => {
    const base = problem(97, 150, 9, 21);
    const h = Float32Array.from(base.h, (v, j) => (j % 3 === 0 ? v : j % 3 === 1 ? -Infinity : j % 7 === 2 ? (j % 2 === 0 ? 1e38 : -1e38) : v));
    const p: Problem = { ...base, h };
    for (const k of [1, 5, 32]) {
      for (const isa of isas) {
        const out = run(engine(isa, 2), p, k);
        check(p, k, out.index, out.score);
        for (const j of out.index) if (j >= 0) expect(h[j]).not.toBe(-Infinity);
        if (relaxed) expectIdentical(out, run(wasmEngine(), p, k), `${isa} special heights k=${k}`);
      }
    }
    // Fewer finite targets than k: the rest is padded.
    const sparse: Problem = { ...base, m: 40, y: base.y.subarray(0, 40 * 9), h: Float32Array.from({ length: 40 }, (_, j) => (j === 5 || j === 33 ? 0 : -Infinity)) };
    for (const isa of isas) {
      const { index, score } = run(engine(isa, 1), sparse, 4);
      check(sparse, 4, index, score);
      for (let i = 0; i < sparse.n; i++) {
        expect(index.subarray(i * 4 + 2, i * 4 + 4)).toEqual(new Int32Array([-1, -1]));
        expect(new Set(index.subarray(i * 4, i * 4 + 2))).toEqual(new Set([5, 33]));
      }
    }
    // NaN heights: those targets are never reported; the others as without them.
    const nanH = Float32Array.from(base.h, (v, j) => (j % 5 === 0 ? NaN : v));
    const withoutNan = Float32Array.from(base.h, (v, j) => (j % 5 === 0 ? -Infinity : v));
    for (const isa of isas) {
      const a = run(engine(isa, 2), { ...base, h: nanH }, 5);
      const b = run(engine(isa, 2), { ...base, h: withoutNan }, 5);
      expectIdentical(a, b, `${isa} NaN heights`);
    }
  });

  it('packs new targets of another shape, and works on several engines at once', () => {
    for (const isa of isas) {
      const pa = engine(isa, 2);
      const a = problem(77, 300, 12, 1);
      const b = problem(77, 1234, 41, 2);
      const version = pa.targetsVersion;
      const first = run(pa, a, 3);
      expect([pa.targetCount, pa.dimension]).toEqual([300, 12]);
      const second = run(pa, b, 3);
      expect([pa.targetCount, pa.dimension]).toEqual([1234, 41]);
      expect(pa.targetsVersion).toBe(version + 2);
      check(a, 3, first.index, first.score);
      check(b, 3, second.index, second.score);
      // Another engine with other targets does not disturb this one.
      const other = engine(isa, 1);
      run(other, a, 3);
      const again = new Int32Array(b.n * 3);
      const againScore = new Float32Array(b.n * 3);
      pa.topK(b.x, b.n, b.h, 3, again, againScore);
      expectIdentical({ index: again, score: againScore }, second, `${isa} after another engine`);
    }
  });

  it('validates its arguments like CpuPowerAssign, and refuses use after dispose', async () => {
    const pa = await NativePowerAssign.create({ threads: 1 });
    const idx = new Int32Array(4);
    expect(() => pa.assign(new Float32Array(4), 2, new Float32Array(3), idx)).toThrow(/setTargets/);
    pa.setTargets(new Float32Array(6), 3, 2);
    expect(() => pa.topK(new Float32Array(4), 2, new Float32Array(3), 4, new Int32Array(8))).toThrow(RangeError);
    expect(() => pa.topK(new Float32Array(4), 2, new Float32Array(3), 0, new Int32Array(8))).toThrow(RangeError);
    expect(() => pa.assign(new Float32Array(3), 2, new Float32Array(3), idx)).toThrow(/"x" expected at least n·d = 4/);
    expect(() => pa.assign(new Float32Array(4), 2, new Float32Array(2), idx)).toThrow(/"h" expected at least m = 3/);
    expect(() => pa.assign(new Float32Array(4), 2, new Float32Array(3), new Int32Array(1))).toThrow(RangeError);
    expect(() => pa.assign(new Float32Array(4), 2, new Float32Array(3), idx, new Float32Array(1))).toThrow(RangeError);
    expect(() => pa.assign(new Float64Array(4) as unknown as Float32Array, 2, new Float32Array(3), idx)).toThrow(TypeError);
    expect(() => pa.assign(new Float32Array(4), 2, new Float32Array(3), new Float32Array(4) as unknown as Int32Array)).toThrow(TypeError);
    expect(() => pa.assign(new Float32Array(4), 2, new Float32Array(3), idx, new Int32Array(4) as unknown as Float32Array)).toThrow(TypeError);
    expect(() => pa.assign(new Float32Array(4), 2.5, new Float32Array(3), idx)).toThrow(RangeError);
    expect(() => pa.assign(new Float32Array(4), -1, new Float32Array(3), idx)).toThrow(RangeError);
    expect(() => pa.setTargets(new Float32Array(5), 3, 2)).toThrow(RangeError);
    expect(() => pa.setTargets(new Float32Array(6), 0, 2)).toThrow(RangeError);
    expect(() => pa.setTargets([0, 0, 1, 1] as unknown as Float32Array, 2, 2)).toThrow(TypeError);
    // outIndex and outScore over the same memory.
    const shared = new ArrayBuffer(32);
    expect(() => pa.assign(new Float32Array(4), 2, new Float32Array(3), new Int32Array(shared, 0, 2), new Float32Array(shared, 4, 2))).toThrow(RangeError);
    // The kernel still works after the rejected calls.
    pa.assign(new Float32Array(4), 2, new Float32Array([0, 1, 0]), idx);
    expect(Array.from(idx.subarray(0, 2))).toEqual([1, 1]);
    pa.assign(new Float32Array(0), 0, new Float32Array(3), new Int32Array(0));
    await expect(NativePowerAssign.create({ threads: 0 })).rejects.toThrow(RangeError);
    await expect(NativePowerAssign.create({ threads: 65 })).rejects.toThrow(RangeError);
    await expect(NativePowerAssign.create({ isa: 'sse' as NativePowerAssignIsa })).rejects.toThrow(RangeError);
    pa.dispose();
    pa.dispose();
    expect(() => pa.setTargets(new Float32Array(6), 3, 2)).toThrow(/dispose/);
    expect(() => pa.assign(new Float32Array(4), 2, new Float32Array(3), idx)).toThrow(/dispose/);
  });

  it('reads samples that share memory with the outputs as they were on entry', () => {
    const p = problem(500, 90, 4, 8);
    const k = 2;
    const ref = run(engine(isas[0] ?? 'avx2', 2), p, k);
    // x and outScore in one buffer, overlapping (outScore starts inside x).
    for (const isa of isas) {
      const buffer = new ArrayBuffer(4 * (p.n * p.d + p.n * k));
      const x = new Float32Array(buffer, 0, p.n * p.d);
      x.set(p.x);
      const score = new Float32Array(buffer, 4 * 100, p.n * k);
      const index = new Int32Array(p.n * k);
      const pa = engine(isa, 2);
      pa.setTargets(p.y, p.m, p.d);
      pa.topK(x, p.n, p.h, k, index, score);
      expectIdentical({ index, score: score.slice() }, ref, `${isa} overlapping x`);
    }
  });
});

// The addon itself, called without the class's checks: bad input throws, never crashes.
describe.skipIf(unavailable !== undefined)('power_assign.node', () => {
  interface Binding {
    isa(): string | null;
    packTargets(...args: unknown[]): object;
    release(...args: unknown[]): void;
    targetsInfo(...args: unknown[]): { m: number; d: number; isa: string; blockTargets: number; tileSamples: number } | null;
    run(...args: unknown[]): void;
  }
  const file = fileURLToPath(new URL('../../prebuilds/linux-x64/power_assign.node', import.meta.url));
  const binding = (): Binding => createRequire(import.meta.url)(file) as Binding;

  it('validates every argument with TypeError / RangeError', () => {
    const b = binding();
    expect(b.isa()).toBe(status.available ? status.isa : null);
    const y = new Float32Array(12);
    const handle = b.packTargets(y, 4, 3);
    expect(b.targetsInfo(handle)).toMatchObject({ m: 4, d: 3, isa: isas[0] });
    const x = new Float32Array(6);
    const h = new Float32Array(4);
    const idx = new Int32Array(2);
    b.run(handle, x, 2, h, 1, idx, null, 1);
    expect(() => b.run({}, x, 2, h, 1, idx, null, 1)).toThrow(TypeError);
    expect(() => b.run(new Float32Array(4), x, 2, h, 1, idx, null, 1)).toThrow(TypeError);
    expect(() => b.run(handle, x, 2, h, 1, idx, null)).toThrow(TypeError);
    expect(() => b.run(handle, new Float32Array(5), 2, h, 1, idx, null, 1)).toThrow(RangeError);
    expect(() => b.run(handle, x, 2, new Float32Array(3), 1, idx, null, 1)).toThrow(RangeError);
    expect(() => b.run(handle, x, 2, h, 1, new Int32Array(1), null, 1)).toThrow(RangeError);
    expect(() => b.run(handle, x, 2, h, 1, idx, new Float32Array(1), 1)).toThrow(RangeError);
    expect(() => b.run(handle, x, 2, h, 1, new Uint32Array(2), null, 1)).toThrow(TypeError);
    expect(() => b.run(handle, x, 2, h, 1, idx, new Float64Array(2), 1)).toThrow(TypeError);
    expect(() => b.run(handle, x, '2', h, 1, idx, null, 1)).toThrow(TypeError);
    expect(() => b.run(handle, x, 2.5, h, 1, idx, null, 1)).toThrow(RangeError);
    expect(() => b.run(handle, x, NaN, h, 1, idx, null, 1)).toThrow(RangeError);
    expect(() => b.run(handle, x, 2, h, 5, new Int32Array(10), null, 1)).toThrow(RangeError);
    expect(() => b.run(handle, x, 2, h, 0, idx, null, 1)).toThrow(RangeError);
    expect(() => b.run(handle, x, 2, h, 1, idx, null, 0)).toThrow(RangeError);
    expect(() => b.run(handle, x, 2, h, 1, idx, null, 65)).toThrow(RangeError);
    expect(() => b.packTargets(y, 5, 3)).toThrow(RangeError);
    expect(() => b.packTargets(y, 4, 0)).toThrow(RangeError);
    expect(() => b.packTargets(y, 4)).toThrow(TypeError);
    expect(() => b.packTargets(new Int32Array(12), 4, 3)).toThrow(TypeError);
    expect(() => b.packTargets(y, 4, 3, 'sse')).toThrow(RangeError);
    expect(() => b.packTargets(y, 4, 3, 7)).toThrow(TypeError);
    expect(() => b.release({})).toThrow(TypeError);
    b.release(handle);
    b.release(handle);
    expect(b.targetsInfo(handle)).toBeNull();
    expect(() => b.run(handle, x, 2, h, 1, idx, null, 1)).toThrow(/released/);
  });
});

describe.skipIf(unavailable !== undefined)('createCpuPowerAssign', () => {
  it('picks the native engine by default and honours a forced variant', async () => {
    const auto = await createCpuPowerAssign({ threads: 2 });
    expect(auto.variant).toBe('native');
    expect(auto.threads).toBe(2);
    auto.dispose();
    const native = await createCpuPowerAssign({ variant: 'native', threads: 1 });
    expect(native).toBeInstanceOf(NativePowerAssign);
    native.dispose();
    const simd = await createCpuPowerAssign({ variant: 'simd', threads: 1 });
    expect(simd).toBeInstanceOf(CpuPowerAssign);
    expect(simd.variant).toBe('simd');
    simd.dispose();
    await expect(createCpuPowerAssign({ variant: 'sse' as 'simd' })).rejects.toThrow(RangeError);
    await expect(createCpuPowerAssign({ threads: 0 })).rejects.toThrow(RangeError);
    await expect(CpuPowerAssign.create({ variant: 'native' })).rejects.toThrow(/createCpuPowerAssign/);
  });

  it('is what preparePowerAssignKernels registers', async () => {
    const prepared = await preparePowerAssignKernels();
    expect(prepared.cpu.variant).toBe('native');
  });
});

describe.skipIf(unavailable !== undefined).each(['wasm', 'cpu'] as const)('POWER_ASSIGN through tfjs on %s with the native engine', (backendName) => {
  let pa: NativePowerAssign;
  let unregister: () => void;

  beforeAll(async () => {
    await initBackend({ backend: backendName });
    pa = await NativePowerAssign.create({ threads: 2 });
    unregister = registerCpuPowerAssignKernels(pa);
  });

  afterAll(() => {
    unregister();
    pa.dispose();
  });

  it('matches the direct call and packs the targets once', async () => {
    const p = problem(301, 123, 10, 5);
    const x = tf.tensor2d(p.x, [p.n, p.d]);
    const y = tf.tensor2d(p.y, [p.m, p.d]);
    const h = tf.tensor1d(p.h);
    const before = tf.memory().numTensors;
    for (const k of [1, 5]) {
      const [indices, scores] = tf.engine().runKernel(POWER_ASSIGN, { x, y, h }, { k }) as tf.Tensor[];
      if (indices === undefined || scores === undefined) throw new Error('expected two outputs');
      const out = { index: (await indices.data()) as Int32Array, score: (await scores.data()) as Float32Array };
      check(p, k, out.index, out.score);
      const version = pa.targetsVersion;
      const direct = { index: new Int32Array(p.n * k), score: new Float32Array(p.n * k) };
      pa.topK(p.x, p.n, p.h, k, direct.index, direct.score);
      expectIdentical(out, direct, `tfjs ${backendName} k=${k}`);
      expect(pa.targetsVersion).toBe(version);
      tf.dispose([indices, scores]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y, h]);
  });
});
