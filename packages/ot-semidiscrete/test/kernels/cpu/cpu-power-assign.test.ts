// CpuPowerAssign's own boundary: the errors of its setTargets / assign / topK / create
// and use after dispose. Its results are checked by the engine conformance cases
// (test/conformance/engine-wasm.test.ts).
import { describe, expect, it } from 'vitest';
import { CpuPowerAssign } from '../../../src/kernels/cpu/cpu-power-assign.js';

describe('CpuPowerAssign arguments', () => {
  it('validates at the boundary', async () => {
    const pa = await CpuPowerAssign.create({ threads: 1 });
    const idx = new Int32Array(4);
    expect(() => pa.assign(new Float32Array(4), 2, new Float32Array(3), idx)).toThrow(/setTargets/);
    pa.setTargets(new Float32Array(6), 3, 2);
    expect(() => pa.topK(new Float32Array(4), 2, new Float32Array(3), 4, new Int32Array(8))).toThrow(RangeError);
    expect(() => pa.assign(new Float32Array(3), 2, new Float32Array(3), idx)).toThrow(/"x" expected at least n·d = 4/);
    expect(() => pa.assign(new Float64Array(4) as unknown as Float32Array, 2, new Float32Array(3), idx)).toThrow(TypeError);
    expect(() => pa.assign(new Float32Array(4), 2.5, new Float32Array(3), idx)).toThrow(RangeError);
    expect(() => pa.setTargets(new Float32Array(5), 3, 2)).toThrow(RangeError);
    await expect(CpuPowerAssign.create({ threads: 0 })).rejects.toThrow(RangeError);
    pa.assign(new Float32Array(0), 0, new Float32Array(3), new Int32Array(0));
    pa.dispose();
    pa.dispose();
    expect(() => pa.setTargets(new Float32Array(6), 3, 2)).toThrow(/dispose/);
  });
});
