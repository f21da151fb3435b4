import { describe, expect, it } from 'vitest';
import { expectAbortSignal, expectOptions, nearestName } from '../src/index.js';

describe('expectOptions with known keys', () => {
  const known = ['maxSteps', 'tolerance', 'signal', 'checkpoint'] as const;

  it('accepts known keys, undefined, and keys set to undefined', () => {
    expect(expectOptions('options', undefined, known)).toEqual({});
    expect(expectOptions('options', { maxSteps: 3, signal: undefined }, known)).toEqual({ maxSteps: 3, signal: undefined });
  });

  it('names a near miss', () => {
    expect(() => expectOptions('options', { maxStep: 3 }, known)).toThrow(/unknown option "maxStep"; did you mean "maxSteps"\?/);
    expect(() => expectOptions('options', { tolerence: 1 }, known)).toThrow(/did you mean "tolerance"/);
    expect(() => expectOptions('options', { MAXSTEPS: 1 }, known)).toThrow(/did you mean "maxSteps"/);
    expect(() => expectOptions('options', { singal: 1 }, known)).toThrow(/did you mean "signal"/);
  });

  it('lists the known keys when nothing is near', () => {
    expect(() => expectOptions('options', { learningRate: 1 }, known)).toThrow(RangeError);
    expect(() => expectOptions('options', { learningRate: 1 }, known)).toThrow(/known options: "maxSteps", "tolerance", "signal", "checkpoint"/);
  });

  it('rejects non-objects, arrays and typed arrays', () => {
    for (const bad of [null, 3, 'x', [], new Float32Array(2)]) {
      expect(() => expectOptions('options', bad, known)).toThrow(TypeError);
    }
  });
});

describe('nearestName', () => {
  it('uses an edit distance bounded by the key length', () => {
    expect(nearestName('maxStep', ['maxSteps'])).toBe('maxSteps');
    expect(nearestName('bathcSize', ['batchSize'])).toBe('batchSize'); // one transposition
    expect(nearestName('ab', ['xy'])).toBeUndefined();
    expect(nearestName('seed', ['seeds', 'speed'])).toBe('seeds');
    expect(nearestName('totallyDifferent', ['maxSteps'])).toBeUndefined();
  });
});

describe('expectAbortSignal', () => {
  it('accepts undefined and signals, rejects look-alikes', () => {
    const c = new AbortController();
    expect(expectAbortSignal('signal', undefined)).toBeUndefined();
    expect(expectAbortSignal('signal', c.signal)).toBe(c.signal);
    for (const bad of ['yes', true, 1, null, {}, { aborted: false }]) {
      expect(() => expectAbortSignal('signal', bad)).toThrow(/"signal" expected an AbortSignal/);
    }
  });
});
