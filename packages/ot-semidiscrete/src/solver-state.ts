// Everything a running solve needs to continue exactly where it stopped, and its
// round trip through safetensors (float64 arrays stored bit-exactly, the rest as JSON
// metadata): heights, their average, Adam's moments, step, sample count, plateau
// counters, the mass-error window, the sampler's position, and the history so far.
import { CheckpointMismatchError, loadTensors, saveTensors, type TensorArrayLike } from '@aeot/tensor-backend';
import type { AdamState } from './adam.js';
import type { SolverSettings } from './options.js';
import type { SamplerState } from './source.js';

/** Per-step diagnostics (the authors log the same three). */
export interface SolveHistory {
  /** |g|₂ of each step's gradient estimate. */
  gradNorm: number[];
  /** max_i |g_i| / ν_i: the largest relative cell-mass error seen by the step's samples. */
  maxRelativeError: number[];
  /** Cells that received no sample in the step. */
  emptyCells: number[];
  /** Samples used by the step. */
  samples: number[];
  /**
   * Mass-error checks: the step, the RMS relative mass error of the iterates since the
   * last transient (sampling noise removed), and that estimate's standard error.
   */
  checks: { step: number; massError: number; standardError: number }[];
}

/**
 * A run of steps: the sum of the per-step unbiased estimates q_t of the iterate's mean
 * squared relative mass error (and of q_t², for its standard error).
 */
export interface MassWindow {
  steps: number;
  qSum: number;
  qSqSum: number;
}

/** An empty window. */
export function createWindow(): MassWindow {
  return { steps: 0, qSum: 0, qSqSum: 0 };
}

/** A resumable solver state; JSON-free parts are float64 arrays. */
export interface SolverState {
  /** Identifies the problem (targets, weights, source, settings); resume refuses another one. */
  fingerprint: string;
  step: number;
  samplesPerStep: number;
  bestGradNorm: number;
  stepsSinceBest: number;
  /** Working heights (scaled units, one per distinct target). */
  heights: Float64Array;
  /** EMA of the working heights (settings.averaging). */
  averageHeights: Float64Array;
  adam: AdamState;
  /** Adam's moments of the group shifts (empty when the targets form one group). */
  groupAdam: AdamState;
  /** Current multiplier of the learning rate (step decay on a stalled mass error). */
  lrScale: number;
  /** Mass error of the previous check (Infinity before the first). */
  lastCheckError: number;
  /** Steps since the last check (decides step-size drops and transients). */
  shortWindow: MassWindow;
  /** Steps since the last transient or drop (decides convergence). */
  longWindow: MassWindow;
  sampler: SamplerState;
  history: SolveHistory;
  /** Wall time spent so far, ms. */
  elapsedMs: number;
  converged: boolean;
}

const FORMAT = 'aeot-sdot-state/2';

/** Writes a state with {@link saveTensors} (atomic file in Node, `indexeddb://` in browsers). */
export async function saveSolverState(target: string, state: SolverState, settings: SolverSettings): Promise<void> {
  const f64 = (data: Float64Array): TensorArrayLike => ({ data, shape: [data.length] });
  const { heights, averageHeights, adam, groupAdam, shortWindow, longWindow, history, ...rest } = state;
  await saveTensors(
    target,
    {
      heights: f64(heights),
      averageHeights: f64(averageHeights),
      adamM: f64(adam.m),
      adamV: f64(adam.v),
      groupAdamM: f64(groupAdam.m),
      groupAdamV: f64(groupAdam.v),
    },
    {
      metadata: {
        format: FORMAT,
        state: JSON.stringify({
          ...rest,
          adamT: adam.t,
          groupAdamT: groupAdam.t,
          short: shortWindow,
          long: longWindow,
          history,
        }),
        settings: JSON.stringify(settings),
      },
    },
  );
}

/**
 * Reads a state written by {@link saveSolverState}.
 *
 * @throws {CheckpointMismatchError} when the file is not a solver state.
 */
export async function loadSolverState(source: string): Promise<SolverState> {
  const { tensors, metadata } = await loadTensors(source, { as: 'arrays' });
  if (metadata.format !== FORMAT || metadata.state === undefined) {
    throw new CheckpointMismatchError(source, `not an aeot solver state (format ${String(metadata.format)}, expected ${FORMAT})`, { task: 'solve' });
  }
  type Meta = Omit<SolverState, 'heights' | 'averageHeights' | 'adam' | 'groupAdam' | 'shortWindow' | 'longWindow' | 'lastCheckError'> & {
    adamT: number;
    groupAdamT: number;
    lastCheckError: number | null;
    short: MassWindow;
    long: MassWindow;
  };
  const meta = JSON.parse(metadata.state) as Meta;
  const arr = (name: string): Float64Array => {
    const t = tensors[name];
    if (t === undefined) throw new CheckpointMismatchError(source, `the array "${name}" is missing`, { task: 'solve' });
    return Float64Array.from(t.data as ArrayLike<number>);
  };
  const { adamT, groupAdamT, short, long, lastCheckError, ...rest } = meta;
  return {
    ...rest,
    // JSON writes Infinity as null.
    lastCheckError: lastCheckError ?? Infinity,
    bestGradNorm: (meta.bestGradNorm as number | null) ?? Infinity,
    heights: arr('heights'),
    averageHeights: arr('averageHeights'),
    adam: { m: arr('adamM'), v: arr('adamV'), t: adamT },
    groupAdam: { m: arr('groupAdamM'), v: arr('groupAdamV'), t: groupAdamT },
    shortWindow: { ...short },
    longWindow: { ...long },
  };
}

/** A deep copy (the solver keeps mutating its own). */
export function cloneSolverState(s: SolverState): SolverState {
  return {
    ...s,
    heights: s.heights.slice(),
    averageHeights: s.averageHeights.slice(),
    adam: { m: s.adam.m.slice(), v: s.adam.v.slice(), t: s.adam.t },
    groupAdam: { m: s.groupAdam.m.slice(), v: s.groupAdam.v.slice(), t: s.groupAdam.t },
    shortWindow: { ...s.shortWindow },
    longWindow: { ...s.longWindow },
    history: {
      gradNorm: [...s.history.gradNorm],
      maxRelativeError: [...s.history.maxRelativeError],
      emptyCells: [...s.history.emptyCells],
      samples: [...s.history.samples],
      checks: s.history.checks.map((c) => ({ ...c })),
    },
  };
}
