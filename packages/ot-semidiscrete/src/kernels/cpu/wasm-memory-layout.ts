// Where CpuPowerAssign keeps its arrays in the WebAssembly memory. Below `base`: the C
// code's own data, the control and job blocks, and one scratch per thread. From `base`
// up: packed targets (always first, so that a relayout for more samples keeps them),
// raw and packed heights, raw and packed samples, and the output lists — each region
// aligned to a cache line, so no two threads ever write the same line.

/** Bytes each region is aligned to (a cache line, and the kernel's vector loads). */
export const REGION_ALIGN = 64;

/** Rounds a byte count up to {@link REGION_ALIGN}. */
export const alignBytes = (bytes: number): number => Math.ceil(bytes / REGION_ALIGN) * REGION_ALIGN;

/** What the regions must hold, in float32 / int32 elements. */
export interface RegionCapacities {
  /** Packed target floats. */
  readonly targetFloats: number;
  /** Height floats (raw and packed each). */
  readonly heightFloats: number;
  /** Sample floats (raw and packed each). */
  readonly sampleFloats: number;
  /** Output entries (indices and scores each). */
  readonly outEntries: number;
}

/** Byte offsets of the regions, and the end of the last one. */
export interface Regions {
  readonly ypack: number;
  readonly hraw: number;
  readonly hpack: number;
  readonly x: number;
  readonly xpack: number;
  readonly oidx: number;
  readonly oscore: number;
  readonly end: number;
}

/**
 * Places the regions one after the other from `base`.
 *
 * @returns byte offsets; `end` is the memory the layout needs.
 */
export function placeRegions(base: number, capacities: RegionCapacities): Regions {
  let at = base;
  const take = (bytes: number): number => {
    const offset = at;
    at += alignBytes(bytes);
    return offset;
  };
  const ypack = take(capacities.targetFloats * 4);
  const hraw = take(capacities.heightFloats * 4);
  const hpack = take(capacities.heightFloats * 4);
  const x = take(capacities.sampleFloats * 4);
  const xpack = take(capacities.sampleFloats * 4);
  const oidx = take(capacities.outEntries * 4);
  const oscore = take(capacities.outEntries * 4);
  return { ypack, hraw, hpack, x, xpack, oidx, oscore, end: at };
}
