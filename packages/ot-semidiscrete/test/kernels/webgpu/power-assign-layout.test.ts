// The webgpu kernel's layouts: every one fits 16 KiB of workgroup memory, tiles split
// evenly over lanes, 64 invocations per workgroup, a shader for each, and the automatic
// lane count from N. Pure arithmetic: needs no adapter.
import { describe, expect, it } from 'vitest';
import { autoLanes, powerAssignLayout } from '../../../src/kernels/webgpu/power-assign-layout.js';
import { powerAssignShader } from '../../../src/kernels/webgpu/power-assign-program.js';

describe('power assignment on webgpu: layouts', () => {
  it('sizes layouts within 16 KiB of workgroup memory and picks lanes from N', () => {
    for (const d of [0, 1, 2, 3, 7, 16, 32, 33, 100]) {
      for (const k of [1, 5, 32]) {
        for (const lanes of [1, 2, 4, 8]) {
          const l = powerAssignLayout(d, k, lanes);
          const words = l.tileTargets * l.dimChunk + l.tileTargets + (lanes > 1 ? 2 * l.samplesPerWorkgroup * k : 0);
          expect(words * 4, `d=${d} k=${k} lanes=${lanes}`).toBeLessThanOrEqual(16384);
          expect(l.tileTargets % lanes).toBe(0);
          expect(l.samplesPerWorkgroup * lanes).toBe(64);
          expect(powerAssignShader(l)).toContain('fn main(index : i32)');
        }
      }
    }
    expect(autoLanes(100)).toBe(8);
    expect(autoLanes(5000)).toBe(4);
    expect(autoLanes(100_000)).toBe(1);
    expect(() => powerAssignLayout(3, 2, 3)).toThrow(RangeError);
  });
});
