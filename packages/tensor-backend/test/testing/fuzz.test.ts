import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CorruptFileError } from '../../src/index.js';
import { bytesArbitrary, checkLoader, createTally, formatTally, jsonArbitrary } from '../../src/testing/fuzz.js';

describe('fuzz helpers', () => {
  it('mutates seeds and draws random bytes, reproducibly', () => {
    const seed = new Uint8Array(100).map((_, i) => i);
    const a = fc.sample(bytesArbitrary(fc, [seed]), { seed: 7, numRuns: 200 });
    const b = fc.sample(bytesArbitrary(fc, [seed]), { seed: 7, numRuns: 200 });
    expect(a).toEqual(b);
    const changed = a.filter((x) => x.length !== seed.length || x.some((v, i) => v !== seed[i]));
    expect(changed.length).toBeGreaterThan(150);
    expect(a.some((x) => x.length < seed.length)).toBe(true);
    expect(a.some((x) => x.length > seed.length)).toBe(true);
  });

  it('edits JSON documents', () => {
    const docs = fc.sample(jsonArbitrary(fc, [{ a: 1, b: [1, 2], c: { d: 'x' } }]), { seed: 1, numRuns: 100 });
    expect(docs.some((d) => JSON.stringify(d) !== JSON.stringify({ a: 1, b: [1, 2], c: { d: 'x' } }))).toBe(true);
  });

  it('classifies outcomes', async () => {
    const tally = createTally();
    await checkLoader(tally, 10, () => 1);
    await checkLoader(tally, 10, () => {
      throw new CorruptFileError('x', 'bad');
    });
    await expect(checkLoader(tally, 10, () => JSON.parse('{'))).rejects.toThrow(/untyped error on a 10-byte input: SyntaxError/);
    await expect(checkLoader(tally, 10, () => new Float64Array(2 ** 20), { slackBytes: 1000 })).rejects.toThrow(/into \d+ bytes/);
    expect(tally.loaded).toBe(1);
    expect(formatTally('x', tally)).toMatch(/^x: 4 inputs, 1 loaded, 1 refused \(CorruptFileError ERR_AEOT_CORRUPT_FILE: 1\)$/);
  });
});
