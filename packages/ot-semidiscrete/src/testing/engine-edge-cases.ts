// Engine cases at the edges of the contract: exact ties between duplicate targets (lower
// index first), -Infinity / huge / NaN heights and lists padded with -1, more samples
// than one batch, new targets of another shape, several engines at once, and samples
// that share memory with the outputs.
import type { EngineCase } from './engine-case.js';
import { powerAssignChecks } from './power-assign-checks.js';
import { problem, type Problem } from './power-assign-problems.js';
import { close, reference } from './power-assign-reference.js';
import { run } from './run-power-assign.js';

/** `base` with every target (and its height) repeated: targets 2a and 2a + 1 are one point. */
function duplicated(base: Problem, copies: number): Problem {
  const d = base.d;
  const y = new Float32Array(2 * copies * d);
  const h = new Float32Array(2 * copies);
  for (let a = 0; a < copies; a++) {
    for (const j of [2 * a, 2 * a + 1]) {
      y.set(base.y.subarray(a * d, a * d + d), j * d);
      h[j] = base.h[a] ?? 0;
    }
  }
  return { ...base, m: 2 * copies, y, h };
}

/** The engine cases at the edges of the contract. */
export const ENGINE_EDGE_CASES: readonly EngineCase[] = Object.freeze([
  {
    name: 'breaks exact ties between duplicate targets toward the lower index; all-equal targets rank by index',
    run({ expect, engine, bitReference }) {
      const { expectIdentical } = powerAssignChecks(expect);
      // Targets 2a and 2a + 1 are the same point with the same height.
      for (const p of [duplicated(problem(300, 40, 6, 3), 40), duplicated(problem(301, 70, 6, 3), 70)]) {
        const k = 6;
        for (const threads of [1, 2] as const) {
          const { index, score } = run(engine(threads), p, k);
          for (let i = 0; i < p.n; i++) {
            const row = Array.from(index.subarray(i * k, i * k + k));
            expect(row.filter((_, q) => q % 2 === 0).every((j) => j % 2 === 0)).toBe(true);
            expect(row.filter((_, q) => q % 2 === 1).every((j, q) => j === (row[2 * q] ?? -2) + 1)).toBe(true);
            expect(score[i * k]).toBe(score[i * k + 1]);
          }
          if (bitReference) expectIdentical({ index, score }, run(bitReference, p, k), `ties`);
        }
      }
      // All targets equal: every list is 0, 1, 2, …
      const base = problem(301, 70, 6, 3);
      const same: Problem = { ...base, m: 100, y: new Float32Array(100 * 6).fill(0.25), h: new Float32Array(100).fill(-1) };
      const { index } = run(engine(2), same, 5);
      for (let i = 0; i < same.n; i++) expect(Array.from(index.subarray(i * 5, i * 5 + 5))).toEqual([0, 1, 2, 3, 4]);
    },
  },
  {
    name: 'never reports -Infinity targets, pads short lists, and keeps huge heights exact',
    run({ expect, engine, bitReference }) {
      const { check, expectIdentical } = powerAssignChecks(expect);
      const base = problem(97, 150, 9, 21);
      const h = Float32Array.from(base.h, (v, j) => (j % 3 === 0 ? v : j % 3 === 1 ? -Infinity : j % 7 === 2 ? (j % 2 === 0 ? 1e38 : -1e38) : v));
      const p: Problem = { ...base, h };
      for (const k of [1, 5, 32]) {
        const out = run(engine(2), p, k);
        check(p, k, out.index, out.score);
        for (const j of out.index) if (j >= 0) expect(h[j]).not.toBe(-Infinity);
        if (bitReference) expectIdentical(out, run(bitReference, p, k), `special heights k=${k}`);
      }
      // Fewer finite targets than k: the rest is padded.
      const sparse: Problem = { ...base, m: 40, y: base.y.subarray(0, 40 * 9), h: Float32Array.from({ length: 40 }, (_, j) => (j === 5 || j === 33 ? 0 : -Infinity)) };
      const { index, score } = run(engine(1), sparse, 4);
      check(sparse, 4, index, score);
      for (let i = 0; i < sparse.n; i++) {
        expect(index.subarray(i * 4 + 2, i * 4 + 4)).toEqual(new Int32Array([-1, -1]));
        expect(new Set(index.subarray(i * 4, i * 4 + 2))).toEqual(new Set([5, 33]));
      }
    },
  },
  {
    name: 'never reports NaN-height targets, and lists the others as without them',
    skip: ({ subject }) => subject.nanHeightsBroken,
    run({ expect, engine }) {
      const { expectIdentical } = powerAssignChecks(expect);
      const base = problem(97, 150, 9, 21);
      // NaN heights: those targets are never reported; the others as without them.
      const nanH = Float32Array.from(base.h, (v, j) => (j % 5 === 0 ? NaN : v));
      const withoutNan = Float32Array.from(base.h, (v, j) => (j % 5 === 0 ? -Infinity : v));
      const a = run(engine(2), { ...base, h: nanH }, 5);
      const b = run(engine(2), { ...base, h: withoutNan }, 5);
      expectIdentical(a, b, `NaN heights`);
    },
  },
  {
    name: 'processes more samples than one batch, and new targets of another shape',
    run({ expect, engine }) {
      const { check } = powerAssignChecks(expect);
      const pa = engine(2);
      const p = problem(70_001, 13, 2, 11);
      const { index, score } = run(pa, p, 3);
      const sample = [0, 1, 65_535, 65_536, 65_537, 70_000];
      for (const i of sample) {
        const ref = reference(p, i, 3);
        for (let q = 0; q < 3; q++) expect(close(score[i * 3 + q] ?? NaN, ref.score[q] ?? NaN)).toBe(true);
      }
      expect(Array.from(index.subarray(0, 3)).sort()).toEqual([...reference(p, 0, 3).index].sort());
      const q = problem(40, 3000, 40, 12);
      const again = run(pa, q, 2);
      check(q, 2, again.index, again.score);
    },
  },
  {
    name: 'packs new targets of another shape, and works on several engines at once',
    run({ expect, engine }) {
      const { check, expectIdentical } = powerAssignChecks(expect);
      const pa = engine(2);
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
      const other = engine(1);
      run(other, a, 3);
      const again = new Int32Array(b.n * 3);
      const againScore = new Float32Array(b.n * 3);
      pa.topK(b.x, b.n, b.h, 3, again, againScore);
      expectIdentical({ index: again, score: againScore }, second, `after another engine`);
    },
  },
  {
    name: 'reads samples that share memory with the outputs as they were on entry',
    run({ expect, engine }) {
      const { expectIdentical } = powerAssignChecks(expect);
      const p = problem(500, 90, 4, 8);
      const k = 2;
      const ref = run(engine(2), p, k);
      // x and outScore in one buffer, overlapping (outScore starts inside x).
      const buffer = new ArrayBuffer(4 * (p.n * p.d + p.n * k));
      const x = new Float32Array(buffer, 0, p.n * p.d);
      x.set(p.x);
      const score = new Float32Array(buffer, 4 * 100, p.n * k);
      const index = new Int32Array(p.n * k);
      const pa = engine(2);
      pa.setTargets(p.y, p.m, p.d);
      pa.topK(x, p.n, p.h, k, index, score);
      expectIdentical({ index, score: score.slice() }, ref, `overlapping x`);
    },
  },
]);
