// How the WGSL power-assignment shader splits its work: how many invocations share one
// sample (lanes), how many targets go through workgroup memory per tile, and whether
// the sample's coordinates fit in registers (one dimension chunk) or are streamed in
// chunks. Pure arithmetic, kept apart from the shader text so it can be tested alone.

/** Invocations per workgroup of the power-assignment shader. */
export const POWER_ASSIGN_WORKGROUP_SIZE = 64;

/** Allowed numbers of invocations that share one sample. */
export const POWER_ASSIGN_LANE_CHOICES: readonly number[] = Object.freeze([1, 2, 4, 8]);

/** Dimensions per chunk: up to this d, a sample's coordinates live in registers. */
const DIM_CHUNK = 32;
/** Targets per tile when dimensions are streamed in chunks (one accumulator each per lane). */
const CHUNKED_TILE_TARGETS = 32;
/** Largest tile when coordinates are in registers (no accumulators, so larger tiles are cheap). */
const MAX_TILE_TARGETS = 256;
/**
 * Workgroup memory budget in 32-bit words: WebGPU guarantees 16 KiB (4096 words); keep
 * some slack for the compiler's own use.
 */
const WORKGROUP_WORDS = 3840;
/** Largest Y tile in words (8 KiB): bigger tiles do not pay for their barrier savings. */
const MAX_TILE_WORDS = 2048;
/** Invocations a dispatch should keep busy before lanes stop being added. */
const TARGET_INVOCATIONS = 16384;

/** Compile-time shape of one power-assignment shader. */
export interface PowerAssignLayout {
  /** Dimension d of samples and targets. */
  readonly dim: number;
  /** Number of best targets kept per sample. */
  readonly k: number;
  /** Invocations sharing one sample: each scans every lanes-th target of a tile, then their lists are merged. */
  readonly lanes: number;
  /** Samples per workgroup: {@link POWER_ASSIGN_WORKGROUP_SIZE} / lanes. */
  readonly samplesPerWorkgroup: number;
  /** Targets per tile of workgroup memory (a multiple of lanes). */
  readonly tileTargets: number;
  /** Dimensions per chunk of the tile: d itself when `inRegisters`, else 32. */
  readonly dimChunk: number;
  /** True when a sample's d coordinates are held in registers (d ≤ 32). */
  readonly inRegisters: boolean;
}

/**
 * Chooses lanes automatically: the fewest that keep about 16K invocations busy, so
 * small batches still fill a GPU, while large batches pay no merge cost.
 *
 * @param samples - N, the number of source samples.
 * @returns 1, 2, 4 or 8.
 */
export function autoLanes(samples: number): number {
  for (const lanes of POWER_ASSIGN_LANE_CHOICES) {
    if (samples * lanes >= TARGET_INVOCATIONS) return lanes;
  }
  return POWER_ASSIGN_LANE_CHOICES[POWER_ASSIGN_LANE_CHOICES.length - 1] ?? 1;
}

/**
 * The shader layout for d, k and a lane count, sized to fit the 16 KiB of workgroup
 * memory WebGPU guarantees.
 *
 * @param dim - d ≥ 0.
 * @param k - 1 ≤ k ≤ 32.
 * @param lanes - one of {@link POWER_ASSIGN_LANE_CHOICES}.
 * @returns the frozen layout.
 * @throws RangeError if lanes is not one of the allowed values.
 */
export function powerAssignLayout(dim: number, k: number, lanes: number): PowerAssignLayout {
  if (!POWER_ASSIGN_LANE_CHOICES.includes(lanes)) {
    throw new RangeError(`"lanes" expected one of ${POWER_ASSIGN_LANE_CHOICES.join(', ')}, got ${lanes}`);
  }
  const samplesPerWorkgroup = POWER_ASSIGN_WORKGROUP_SIZE / lanes;
  // Lanes > 1 merge their lists through workgroup memory: a score and an index per entry.
  const mergeWords = lanes > 1 ? 2 * samplesPerWorkgroup * k : 0;
  const inRegisters = dim <= DIM_CHUNK;
  if (!inRegisters) {
    return Object.freeze({ dim, k, lanes, samplesPerWorkgroup, tileTargets: CHUNKED_TILE_TARGETS, dimChunk: DIM_CHUNK, inRegisters });
  }
  // Tile words: tileTargets·d for Y plus tileTargets for h, within the budget.
  const budget = Math.min(MAX_TILE_WORDS, WORKGROUP_WORDS - mergeWords);
  let tileTargets = MAX_TILE_TARGETS;
  while (tileTargets > 32 && tileTargets * (dim + 1) > budget) tileTargets /= 2;
  return Object.freeze({ dim, k, lanes, samplesPerWorkgroup, tileTargets, dimChunk: dim, inRegisters });
}
