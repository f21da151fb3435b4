// Tests of the Sobol sequence: exact agreement with scipy's unscrambled Joe–Kuo points
// (fixtures from scripts/generate-sobol-fixtures.py), pinned scrambled points from an
// independent Python implementation, net balance, state, skipping and integration.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/random/create-rng.js';
import { createSobol, restoreSobol, SOBOL_MAX_DIM, SOBOL_MAX_POINTS, type SobolState } from '../../src/random/sobol.js';

interface ExplicitCase {
  d: number;
  seed?: number;
  indices: number[];
  coords: number[];
  bits: number;
  hex: string;
}
interface DigestCase {
  d: number;
  indices: number[];
  fnv: string[];
}
const load = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as T;
const unscrambled = load<{ explicit: ExplicitCase[]; digests: DigestCase[] }>('sobol-unscrambled.json');
const scrambled = load<{ explicit: ExplicitCase[] }>('sobol-scrambled.json');

/** Points at `indices` as 32-bit integers (x · 2^32), fetched with as few skips as possible. */
function pointsAt(seq: ReturnType<typeof createSobol>, indices: number[]): number[][] {
  return indices.map((i) => {
    if (seq.position !== i) seq.skipTo(i);
    return Array.from(seq.next(1), (x) => x * 2 ** 32);
  });
}

/** Decodes a fixture's hex into rows of 32-bit integers. */
function decode(c: ExplicitCase): number[][] {
  const width = c.bits / 4;
  const scale = 2 ** (32 - c.bits);
  return c.indices.map((_, r) =>
    c.coords.map((_, q) => {
      const at = (r * c.coords.length + q) * width;
      return Number.parseInt(c.hex.slice(at, at + width), 16) * scale;
    }),
  );
}

/** The fixtures' word-wise FNV-1a digest of a point's 32-bit coordinates. */
function fnv(point: number[]): string {
  let h = 2166136261;
  for (const w of point) h = Math.imul(h ^ w, 16777619) >>> 0;
  return h.toString(16).padStart(8, '0');
}

describe('createSobol: unscrambled points equal scipy / Joe–Kuo', () => {
  it('hand-checkable first points in d = 1 and d = 2', () => {
    expect(Array.from(createSobol(1).next(8))).toEqual([0, 0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125]);
    const two = createSobol(2).next(8);
    expect(Array.from(two.filter((_, i) => i % 2 === 1))).toEqual([0, 0.5, 0.25, 0.75, 0.375, 0.875, 0.125, 0.625]);
    expect(Array.from(createSobol(3).next(4))).toEqual([0, 0, 0, 0.5, 0.5, 0.5, 0.75, 0.25, 0.25, 0.25, 0.75, 0.75]);
  });

  it.each(unscrambled.explicit.map((c) => [c.d, c.indices.length, c.indices[0]!, c] as const))(
    'd = %i: %i points from index %i, exact',
    (d, _n, _start, c) => {
      const rows = pointsAt(createSobol(d), c.indices);
      expect(rows.map((row) => c.coords.map((j) => row[j]!))).toEqual(decode(c));
    },
  );

  it.each(unscrambled.digests.map((c) => [c.d, c.indices.length, c] as const))(
    'd = %i: digests of all coordinates of %i points, exact',
    (d, _n, c) => {
      expect(pointsAt(createSobol(d), c.indices).map(fnv)).toEqual(c.fnv);
    },
  );

  it('covers dimensions up to SOBOL_MAX_DIM = 4096', () => {
    expect(SOBOL_MAX_DIM).toBe(4096);
    expect(unscrambled.digests.some((c) => c.d === SOBOL_MAX_DIM)).toBe(true);
  });
});

describe('createSobol: scrambling', () => {
  it.each(scrambled.explicit.map((c) => [c.d, c.seed!, c] as const))(
    'd = %i, seed %i: pinned points from the Python reference',
    (d, seed, c) => {
      expect(pointsAt(createSobol(d, { seed }), c.indices)).toEqual(decode(c));
    },
  );

  it('same seed gives the same points; different seeds differ; seed implies scrambling', () => {
    const a = createSobol(6, { seed: 9 });
    expect(a.scrambled).toBe(true);
    expect(a.seed).toBe(9);
    expect(a.next(64)).toEqual(createSobol(6, { seed: 9, scramble: true }).next(64));
    expect(createSobol(6, { seed: 9 }).next(4)).not.toEqual(createSobol(6, { seed: 10 }).next(4));
    const plain = createSobol(6, { seed: 9, scramble: false });
    expect(plain.seed).toBeNull();
    expect(plain.next(8)).toEqual(createSobol(6).next(8));
  });

  it('scramble without a seed draws one and exposes it', () => {
    const a = createSobol(4, { scramble: true });
    expect(Number.isSafeInteger(a.seed)).toBe(true);
    expect(a.next(16)).toEqual(createSobol(4, { seed: a.seed! }).next(16));
  });

  it('scrambles coordinate by coordinate: a lower dimension is a prefix', () => {
    const five = createSobol(5, { seed: 3 }).next(32);
    const three = createSobol(3, { seed: 3 }).next(32);
    for (let i = 0; i < 32; i++) expect(Array.from(five.subarray(i * 5, i * 5 + 3))).toEqual(Array.from(three.subarray(i * 3, i * 3 + 3)));
  });

  it('does not reuse the stream of createRng(seed)', () => {
    const first = createSobol(1, { seed: 5 }).next(2)[0]!; // point 0 is the digital shift
    expect(first * 2 ** 32).not.toBe(createRng(5).nextUint32());
  });

  it.each([false, true])('scramble = %s: the first 2^m points fill every elementary interval equally', (scramble) => {
    const d = 12;
    const m = 10;
    const n = 2 ** m;
    const pts = createSobol(d, scramble ? { seed: 77 } : {}).next(n);
    for (let j = 0; j < d; j++) {
      for (let k = 1; k <= m; k++) {
        const counts = new Array<number>(2 ** k).fill(0);
        for (let i = 0; i < n; i++) counts[Math.floor(pts[i * d + j]! * 2 ** k)]! += 1;
        expect(counts.every((c) => c === n / 2 ** k)).toBe(true);
      }
    }
  });

  it('integrates prod x_i over [0,1]^5 far better than Monte Carlo at n = 4096', () => {
    const d = 5;
    const n = 4096;
    const estimate = (pts: Float64Array): number => {
      let sum = 0;
      for (let i = 0; i < n; i++) {
        let f = 1;
        for (let j = 0; j < d; j++) f *= pts[i * d + j]!;
        sum += f;
      }
      return sum / n;
    };
    const exact = 1 / 2 ** d;
    const mcStdErr = Math.sqrt(3 ** -d - 4 ** -d) / Math.sqrt(n); // ≈ 8.8e-4
    const qmcErrors = [1, 2, 3, 4, 5].map((seed) => Math.abs(estimate(createSobol(d, { seed }).next(n)) - exact));
    const rms = Math.sqrt(qmcErrors.reduce((a, e) => a + e * e, 0) / qmcErrors.length);
    expect(rms).toBeLessThan(0.1 * mcStdErr);
    expect(Math.abs(estimate(createSobol(d).next(n)) - exact)).toBeLessThan(0.1 * mcStdErr);
    // The same test with pseudo-random points is of the order of the standard error.
    const mcErrors = [1, 2, 3, 4, 5].map((seed) => Math.abs(estimate(createRng(seed).fillUniform(new Float64Array(n * d))) - exact));
    expect(Math.max(...mcErrors)).toBeGreaterThan(rms * 5);
  });
});

describe('SobolSequence: position, skipping and state', () => {
  it('skipTo(i) and the skip option equal generating and discarding i points', () => {
    for (const opts of [{}, { seed: 21 }]) {
      const all = createSobol(7, opts).next(300);
      for (const i of [0, 1, 2, 3, 64, 127, 128, 255, 299]) {
        const s = createSobol(7, opts).skipTo(i);
        expect(s.position).toBe(i);
        expect(Array.from(s.next(1))).toEqual(Array.from(all.subarray(i * 7, i * 7 + 7)));
        expect(Array.from(createSobol(7, { ...opts, skip: i }).next(1))).toEqual(Array.from(all.subarray(i * 7, i * 7 + 7)));
      }
      const back = createSobol(7, opts);
      back.next(100);
      expect(back.skipTo(5).next(3)).toEqual(all.subarray(35, 56));
    }
  });

  it('a JSON round trip of getState continues identically', () => {
    for (const opts of [{}, { seed: -4 }]) {
      const seq = createSobol(9, opts);
      seq.next(37);
      const state = JSON.parse(JSON.stringify(seq.getState())) as SobolState;
      expect(state).toEqual({
        algorithm: 'sobol-joe-kuo-6.21201',
        version: 1,
        dim: 9,
        position: 37,
        scramble: 'seed' in opts,
        seed: 'seed' in opts ? -4 : null,
      });
      const resumed = restoreSobol(state);
      expect(resumed.position).toBe(37);
      expect(resumed.next(50)).toEqual(seq.next(50));
    }
  });

  it('runs to the last of the 2^32 points and then refuses more', () => {
    // Gray codes of 2^32 - 2 and 2^32 - 1 are 0x80000001 and 0x80000000: directions 31 (and 0).
    const seq = createSobol(1).skipTo(SOBOL_MAX_POINTS - 2);
    expect(Array.from(seq.next(2))).toEqual([0.5 + 2 ** -32, 2 ** -32]);
    expect(seq.position).toBe(SOBOL_MAX_POINTS);
    expect(seq.next(0)).toHaveLength(0);
    expect(() => seq.next(1)).toThrow(RangeError);
    expect(() => createSobol(2).skipTo(SOBOL_MAX_POINTS - 1).next(2)).toThrow(/at most 1/);
  });
});

describe('SobolSequence.nextTensor', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('returns float32 [n, dim] points mapped to [min, max)', async () => {
    const before = tf.memory().numTensors;
    const t = createSobol(3, { seed: 8 }).nextTensor(64, { min: -2, max: 2 });
    expect(t.shape).toEqual([64, 3]);
    expect(t.dtype).toBe('float32');
    const ref = createSobol(3, { seed: 8 }).next(64);
    const got = await t.data();
    for (let i = 0; i < ref.length; i++) {
      expect(Math.abs(got[i]! - (-2 + 4 * ref[i]!))).toBeLessThanOrEqual(4 * 2 ** -24);
      expect(got[i]!).toBeLessThan(2);
      expect(got[i]!).toBeGreaterThanOrEqual(-2);
    }
    // Points within 2^-25 of 1 round to 1 in float32 and must be clamped below max.
    // Index 0xAAAAAAAA has Gray code 0xFFFFFFFF: in d = 1 that is the point 1 - 2^-32.
    expect(Array.from(createSobol(1).skipTo(0xaaaaaaaa).next(1))).toEqual([1 - 2 ** -32]);
    const top = createSobol(1).skipTo(0xaaaaaaaa).nextTensor(1);
    expect(Array.from(await top.data())).toEqual([1 - 2 ** -24]);
    const empty = createSobol(2).nextTensor(0);
    expect(empty.shape).toEqual([0, 2]);
    tf.dispose([t, top, empty]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('createSobol: argument validation', () => {
  it('rejects bad dimensions, options and counts', () => {
    expect(() => createSobol(0)).toThrow(/"dim" expected an integer in \[1, 4096\], got 0/);
    expect(() => createSobol(SOBOL_MAX_DIM + 1)).toThrow(RangeError);
    expect(() => createSobol(2.5)).toThrow(RangeError);
    expect(() => createSobol('2' as unknown as number)).toThrow(TypeError);
    expect(() => createSobol(2, 'x' as unknown as object)).toThrow(TypeError);
    expect(() => createSobol(2, { seed: 0.5 })).toThrow(RangeError);
    expect(() => createSobol(2, { scramble: 1 as unknown as boolean })).toThrow(TypeError);
    expect(() => createSobol(2, { skip: -1 })).toThrow(RangeError);
    expect(() => createSobol(2, { skip: SOBOL_MAX_POINTS + 1 })).toThrow(RangeError);
    const seq = createSobol(2);
    expect(() => seq.next(-1)).toThrow(RangeError);
    expect(() => seq.next(1.5)).toThrow(RangeError);
    expect(() => seq.skipTo(-1)).toThrow(RangeError);
    expect(() => seq.nextTensor(2, { min: 1, max: 0 })).toThrow(RangeError);
    expect(seq.position).toBe(0);
  });

  it('rejects malformed states', () => {
    const good = createSobol(3, { seed: 1 }).getState();
    expect(() => restoreSobol(null as unknown as SobolState)).toThrow(TypeError);
    expect(() => restoreSobol({ ...good, algorithm: 'halton' } as unknown as SobolState)).toThrow(RangeError);
    expect(() => restoreSobol({ ...good, version: 2 } as unknown as SobolState)).toThrow(RangeError);
    expect(() => restoreSobol({ ...good, dim: 0 })).toThrow(RangeError);
    expect(() => restoreSobol({ ...good, position: -1 })).toThrow(RangeError);
    expect(() => restoreSobol({ ...good, seed: null })).toThrow(TypeError);
    expect(() => restoreSobol({ ...good, scramble: false })).toThrow(/"state.seed" expected null/);
  });
});
