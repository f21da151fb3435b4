// NativePowerAssign's own surface: it loads with the best kernel the CPU runs, rejects
// bad arguments like CpuPowerAssign (with the same messages), and refuses use after
// dispose. Its results are checked by the engine conformance cases
// (test/conformance/engine-native.test.ts). Skipped where the addon does not load (not
// linux-x64, no AVX2 + FMA).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNativePowerAssign, type NativePowerAssignIsa } from '../../../src/kernels/cpu/native-addon.js';
import { NativePowerAssign } from '../../../src/kernels/cpu/native-power-assign.js';

const status = await loadNativePowerAssign();
const unavailable = status.available ? undefined : `native kernel unavailable: ${status.reason}`;
if (unavailable !== undefined) console.warn(`[native-power-assign.test] skipped: ${unavailable}`);
const isas: NativePowerAssignIsa[] = status.available ? (status.isa === 'avx512' ? ['avx512', 'avx2'] : ['avx2']) : [];

const engines = new Map<string, NativePowerAssign>();

function engine(isa: NativePowerAssignIsa, threads: number): NativePowerAssign {
  const pa = engines.get(`${isa}/${threads}`);
  if (pa === undefined) throw new Error(`no engine ${isa}/${threads}`);
  return pa;
}

beforeAll(async () => {
  if (unavailable !== undefined) return;
  for (const isa of isas) for (const threads of [1, 2]) engines.set(`${isa}/${threads}`, await NativePowerAssign.create({ isa, threads }));
});

afterAll(() => {
  for (const pa of engines.values()) pa.dispose();
});

describe.skipIf(unavailable !== undefined)('NativePowerAssign', () => {
  it('loads on this machine with the best kernel the CPU runs', () => {
    expect(status.available).toBe(true);
    for (const isa of isas) expect(engine(isa, 2).isa).toBe(isa);
    expect(engine(isas[0] ?? 'avx2', 1).variant).toBe('native');
    expect(engine(isas[0] ?? 'avx2', 2).threads).toBe(2);
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
});
