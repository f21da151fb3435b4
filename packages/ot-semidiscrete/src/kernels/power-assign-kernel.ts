// The contract of the fused assignment kernel, the hot loop of semi-discrete OT: for
// each source sample x_i, the k best cells j by the score <x_i, y_j> + h_j. Every
// backend's implementation (WGSL on webgpu, WebAssembly SIMD on wasm and cpu) is
// registered under this one tfjs kernel name; the generic matMul + topk composite is
// the fallback on other backends and the oracle of the tests.

/** tfjs kernel name of the fused power-diagram assignment. */
export const POWER_ASSIGN = 'AeotPowerAssign';

/** Largest k the fused kernels support. */
export const MAX_TOP_K = 32;

/**
 * Inputs of {@link POWER_ASSIGN}: `x` float32 `[N, d]` source samples, `y` float32
 * `[M, d]` targets, `h` float32 `[M]` heights.
 */
export type PowerAssignInputNames = 'x' | 'y' | 'h';

/**
 * Attributes of {@link POWER_ASSIGN}: `k` in [1, min(M, MAX_TOP_K)].
 *
 * Outputs, in this order: `indices` int32 `[N, k]` and `scores` float32 `[N, k]`,
 * each row sorted by score, best first; equal scores keep the lower index first.
 * Scores are accumulated in float32 (the order of the d products may differ between
 * backends, so exact ties can break differently across backends, never within one).
 * Memory: O((N + M)·d) plus one tile; no kernel ever holds an N×M matrix.
 */
export interface PowerAssignAttrs {
  k: number;
  [key: string]: number;
}
