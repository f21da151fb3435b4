// The native addon itself (native/x86/, loaded by native-addon.ts), called without the
// class's checks: every bad argument throws TypeError / RangeError, never crashes, and a
// released handle refuses to run. Skipped where the addon does not load (not linux-x64,
// no AVX2 + FMA).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadNativePowerAssign, type NativePowerAssignIsa } from '../../../src/kernels/cpu/native-addon.js';

const status = await loadNativePowerAssign();
const unavailable = status.available ? undefined : `native kernel unavailable: ${status.reason}`;
if (unavailable !== undefined) console.warn(`[native-addon.test] skipped: ${unavailable}`);
const isas: NativePowerAssignIsa[] = status.available ? (status.isa === 'avx512' ? ['avx512', 'avx2'] : ['avx2']) : [];

// The addon itself, called without the class's checks: bad input throws, never crashes.
describe.skipIf(unavailable !== undefined)('power_assign.node', () => {
  interface Binding {
    isa(): string | null;
    packTargets(...args: unknown[]): object;
    release(...args: unknown[]): void;
    targetsInfo(...args: unknown[]): { m: number; d: number; isa: string; blockTargets: number; tileSamples: number } | null;
    run(...args: unknown[]): void;
  }
  const file = fileURLToPath(new URL('../../../prebuilds/linux-x64/power_assign.node', import.meta.url));
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
