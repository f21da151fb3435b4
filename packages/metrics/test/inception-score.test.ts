// Inception-style score: closed forms (1 for uninformative or single-class predictions,
// C for confident balanced ones, exp(H(p̄) − H(p)) in general).
import { describe, expect, it } from 'vitest';
import { inceptionScore } from '../src/index.js';

describe('inceptionScore', () => {
  it('is C for confident predictions balanced over C classes, 1 for uniform or single-class ones', () => {
    const oneHot = Array.from({ length: 1000 }, (_, i) => Array.from({ length: 10 }, (_, j) => (j === i % 10 ? 1 : 0)));
    const s = inceptionScore(oneHot);
    expect(s.mean).toBeCloseTo(10, 12);
    expect(s.std).toBeCloseTo(0, 12);
    expect(s.values).toHaveLength(10);
    expect(inceptionScore(Array.from({ length: 100 }, () => Array(10).fill(0.1))).mean).toBeCloseTo(1, 12);
    expect(inceptionScore(Array.from({ length: 100 }, () => [1, 0, 0]), { splits: 1 }).mean).toBeCloseTo(1, 12);
  });

  it('equals exp(H(mean p) − mean H(p)) in one split', () => {
    const rows = [
      [0.7, 0.2, 0.1],
      [0.1, 0.8, 0.1],
      [0.3, 0.3, 0.4],
      [0.05, 0.05, 0.9],
    ];
    const h = (p: number[]) => -p.reduce((s, v) => s + (v > 0 ? v * Math.log(v) : 0), 0);
    const mean = [0, 1, 2].map((j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
    const expected = Math.exp(h(mean) - rows.reduce((s, r) => s + h(r), 0) / rows.length);
    expect(inceptionScore(rows, { splits: 1 }).mean).toBeCloseTo(expected, 13);
  });

  it('rejects logits and bad splits', () => {
    expect(() => inceptionScore([[2, -1]], { splits: 1 })).toThrow(/softmax outputs, not logits/);
    expect(() => inceptionScore([[0.5, 0.4]], { splits: 1 })).toThrow(/summing to 1/);
    expect(() => inceptionScore([[0.5, 0.5]], { splits: 2 })).toThrow(new RangeError('"splits" expected at most 1 (the number of samples), got 2'));
  });
});
