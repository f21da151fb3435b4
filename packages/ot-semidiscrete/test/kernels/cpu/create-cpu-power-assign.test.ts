// createCpuPowerAssign: the native engine by default where the addon loads, a forced
// variant honoured, bad options rejected. Skipped where the addon does not load (not
// linux-x64, no AVX2 + FMA): there the default is the WebAssembly kernel.
import { describe, expect, it } from 'vitest';
import { CpuPowerAssign } from '../../../src/kernels/cpu/cpu-power-assign.js';
import { createCpuPowerAssign } from '../../../src/kernels/cpu/create-cpu-power-assign.js';
import { loadNativePowerAssign } from '../../../src/kernels/cpu/native-addon.js';
import { NativePowerAssign } from '../../../src/kernels/cpu/native-power-assign.js';

const status = await loadNativePowerAssign();
const unavailable = status.available ? undefined : `native kernel unavailable: ${status.reason}`;
if (unavailable !== undefined) console.warn(`[create-cpu-power-assign.test] skipped: ${unavailable}`);

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
});
