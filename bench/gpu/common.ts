// Plain helpers shared by the gpu-bench.ts items, with no state of their own: the JSON
// record type the items fill, error messages, the median, seeded random data (the same
// generators as bench/assign.ts) and raw float32/int32 files for the torch twins.
import { writeFileSync } from 'node:fs';

// The project's seeded test-data streams (mulberry32 uniforms, Box–Muller normals from them).
export { seededUniform as mulberry32, seededNormal as normals } from '@aeot/tensor-backend/testing';

export type Json = Record<string, unknown>;

export const messageOf = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function writeF32(path: string, a: Float32Array | Int32Array): void {
  writeFileSync(path, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}
