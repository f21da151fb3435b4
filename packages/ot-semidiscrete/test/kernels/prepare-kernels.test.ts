// preparePowerAssignKernels registers the fastest CPU engine: the native addon where it
// loads. Skipped where the addon does not load (not linux-x64, no AVX2 + FMA).
import { describe, expect, it } from 'vitest';
import { loadNativePowerAssign } from '../../src/kernels/cpu/native-addon.js';
import { preparePowerAssignKernels } from '../../src/kernels/prepare-kernels.js';

const status = await loadNativePowerAssign();
const unavailable = status.available ? undefined : `native kernel unavailable: ${status.reason}`;
if (unavailable !== undefined) console.warn(`[prepare-kernels.test] skipped: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('preparePowerAssignKernels', () => {
  it('is what preparePowerAssignKernels registers', async () => {
    const prepared = await preparePowerAssignKernels();
    expect(prepared.cpu.variant).toBe('native');
  });
});

