// The Monte Carlo solver of semi-discrete OT: find heights h so that every power cell
// W_i(h) holds mass ν_i, by stochastic descent on the convex energy
// E(h) = ∫ max_j(<x, y_j> + h_j) dμ − Σ ν_i h_i, whose gradient is μ(W_i(h)) − ν_i.
import * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '@aeot/tensor-backend';
import { adamStep, createAdamState, groupAdamStep } from './adam.js';
import { SemiDiscreteMap } from './map.js';
import { resolveSettings, type PresetName, type SolverSettings, type SolverSettingsInput } from './options.js';
import { powerAssign } from './power-assign.js';
import { CheckpointMismatchError, SolveAbortedError } from './errors.js';
import { cloneSolverState, createWindow, loadSolverState, saveSolverState, type MassWindow, type SolverState } from './solver-state.js';
import { SourceSampler, uniformCube, type SourceMeasure } from './source.js';
import { readTargets, type TargetsInput } from './targets.js';
import { prepareProblem, type Problem } from './problem.js';
import { preparePowerAssignKernels } from './kernels/prepare-kernels.js';
import { targetStructure } from './structure.js';

/** Progress of a solve, reported after every step. */
export interface SolveProgress {
  step: number;
  maxSteps: number;
  samplesPerStep: number;
  gradNorm: number;
  maxRelativeError: number;
  emptyCells: number;
  /** The last mass-error check (stop rule 'mass-error'), if any. */
  massError: number | undefined;
  elapsedMs: number;
}

/** Options of {@link solveSemiDiscrete}. */
export interface SolveOptions extends SolverSettingsInput {
  /** Targets y_1..y_M: `number[][]`, a flat Float32Array / Float64Array with `dim`, or a Tensor2D `[M, d]`. */
  targets: TargetsInput;
  /** Dimension, with flat targets. */
  dim?: number;
  /** Weights ν (positive, Σ = 1); default uniform. */
  weights?: ArrayLike<number>;
  /** Source μ; default `uniformCube(d)` = U[−0.5, 0.5]^d. */
  source?: SourceMeasure;
  /** Settings preset, overridden field by field. Default `'default'`. */
  preset?: PresetName;
  /** Seed of the sampling. Default 0. */
  seed?: number;
  /** Stops the solve within one step; the error carries a resumable state. */
  signal?: AbortSignal;
  /** Called after every step. */
  onProgress?: (progress: SolveProgress) => void;
  /** Save a resumable state to `target` every `every` steps (default 100) and when aborted. */
  checkpoint?: { target: string; every?: number };
  /** Continue from a saved state (a path / key written by `checkpoint`, or a state object). */
  resumeFrom?: string | SolverState;
}

// A solver state is a checkpoint of the task 'solve'; it names its source by the file or
// key it was loaded from, else by the option that held it.
const SOLVE = { task: 'solve' } as const;
const resumeSource = (resumeFrom: string | SolverState | undefined): string => (typeof resumeFrom === 'string' ? resumeFrom : 'resumeFrom');

/**
 * Solves the semi-discrete OT problem from `source` to the targets: heights h so that
 * each power cell W_i(h) = {x : argmax_j <x, y_j> + h_j = i} holds mass ν_i (cost
 * ½|x − y|²; the map T(x) = y_{cell(x)} is the Brenier map).
 *
 * Scale: by default the targets are standardised internally (centred, scaled so that
 * they span the source's box), so the defaults work on raw latent codes of any scale;
 * heights are returned in the targets' own units. Duplicate targets are merged into one
 * cell for the solve (holding their summed weight) and get equal heights; assignment
 * then returns the first of them (lowest index), so `cellMasses` reports the merged
 * cell's mass at the first copy and 0 at the others.
 * M = 1 is solved at once (h = 0).
 *
 * @param options targets, weights, source, preset and settings, seed, signal,
 *   onProgress, checkpoint, resumeFrom.
 * @returns the solved map (also when `maxSteps` ran out: check `converged`).
 * @throws {TypeError} / {RangeError} for bad input: non-finite values, wrong shapes, a
 *   dimension mismatch between source and targets, weights ≤ 0 or not summing to 1, M = 0.
 * @throws {SolveAbortedError} when `signal` aborts; its `state` resumes the run.
 * @throws {CheckpointMismatchError} when `resumeFrom` belongs to another problem.
 * @example
 * const ot = await solveSemiDiscrete({ targets: codes, seed: 1, onProgress: (p) => console.log(p.step, p.massError) });
 * const cells = ot.assign(x);
 */
export async function solveSemiDiscrete(options: SolveOptions): Promise<SemiDiscreteMap> {
  if (options === null || typeof options !== 'object') throw new TypeError(`"options" expected an object, got ${describeValue(options)}`);
  const set = await readTargets(options.targets, options.dim, options.weights);
  const source = options.source ?? uniformCube(set.dim);
  if (source.dim !== set.dim) throw new RangeError(`"source" expected dimension ${set.dim} (the targets'), got ${source.dim}`);
  const settings = resolveSettings(options.preset ?? 'default', options);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`"seed" expected an integer ≥ 0, got ${describeValue(seed)}`);
  const problem = prepareProblem(set, source, settings);
  await preparePowerAssignKernels();
  const fingerprint = `${problem.fingerprint}|seed=${seed}`;

  let state: SolverState;
  if (options.resumeFrom !== undefined) {
    state = typeof options.resumeFrom === 'string' ? await loadSolverState(options.resumeFrom) : cloneSolverState(options.resumeFrom);
    if (state.fingerprint !== fingerprint) {
      throw new CheckpointMismatchError(resumeSource(options.resumeFrom), 'it holds the state of another problem or settings (targets, weights, source, settings and seed must be the same)', SOLVE);
    }
  } else {
    state = initialState(problem, settings, source, seed, fingerprint);
  }
  const heights = await runSolver(problem, settings, source, state, options);
  return new SemiDiscreteMap(set.points, set.dim, set.weights, heights, { source, converged: state.converged, steps: state.step, history: state.history });
}

function initialState(problem: Problem, settings: SolverSettings, source: SourceMeasure, seed: number, fingerprint: string): SolverState {
  const m = problem.count;
  const h = settings.init === 'voronoi' ? problem.voronoiHeights() : new Float64Array(m);
  return {
    fingerprint,
    step: 0,
    samplesPerStep: settings.samplesPerStep,
    bestGradNorm: Infinity,
    stepsSinceBest: 0,
    heights: h,
    averageHeights: h.slice(),
    adam: createAdamState(m),
    groupAdam: createAdamState(0),
    lrScale: 1,
    lastCheckError: Infinity,
    shortWindow: createWindow(),
    longWindow: createWindow(),
    sampler: SourceSampler.create(source, settings.sampling, seed, !settings.fixedSamples).getState(),
    history: { gradNorm: [], maxRelativeError: [], emptyCells: [], samples: [], checks: [] },
    elapsedMs: 0,
    converged: problem.count === 1,
  };
}

async function runSolver(problem: Problem, settings: SolverSettings, source: SourceMeasure, state: SolverState, options: SolveOptions): Promise<Float64Array> {
  const m = problem.count;
  const d = problem.dim;
  const nu = problem.weights;
  const every = options.checkpoint?.every ?? 100;
  const started = performance.now() - state.elapsedMs;
  const y = tf.tensor2d(problem.targets32, [m, d]);
  const sampler = SourceSampler.restore(source, state.sampler);
  let fixed: { n: number; x: Float32Array } | undefined;
  const independentHalves = sampler.independentHalves;
  const structure = (settings.spacingSteps || settings.groupSteps) && m > 1 ? await targetStructure(y, problem.targets32, nu, m, d, settings.groupSteps) : undefined;
  const perCell = settings.spacingSteps ? structure?.perCell : undefined;
  const groups = structure?.groups;
  if (groups !== undefined && state.groupAdam.m.length !== groups.count) {
    if (state.step > 0) throw new CheckpointMismatchError(resumeSource(options.resumeFrom), 'it holds group moments for another grouping of the targets', SOLVE);
    state.groupAdam = createAdamState(groups.count);
  }
  const counts = new Float64Array(m);
  const firstHalf = new Float64Array(m);
  const g = new Float64Array(m);
  try {
    while (!state.converged && state.step < settings.maxSteps) {
      if (options.signal?.aborted === true) {
        if (options.checkpoint !== undefined) await saveSolverState(options.checkpoint.target, state, settings);
        throw new SolveAbortedError(cloneSolverState(state));
      }
      const n = state.samplesPerStep;
      let x: Float32Array;
      if (settings.fixedSamples) {
        // The authors' scheme: the first n points of the sequence, the same every step.
        if (fixed === undefined || fixed.n !== n) fixed = { n, x: SourceSampler.restore(source, state.sampler).next(n) };
        x = fixed.x;
      } else {
        x = sampler.next(n);
      }
      const idx = await assignBatch(x, n, d, y, state.heights);
      // Counts of each half of the batch: their errors are independent (or, for Sobol
      // points, nearly so), which gives an unbiased estimate of the iterate's error below
      // without assuming how noisy the sampling is.
      const half = n >> 1;
      counts.fill(0);
      firstHalf.fill(0);
      for (let i = 0; i < half; i++) firstHalf[idx[i] as number] = (firstHalf[idx[i] as number] as number) + 1;
      for (let i = half; i < n; i++) counts[idx[i] as number] = (counts[idx[i] as number] as number) + 1;
      let norm2 = 0;
      let maxRel = 0;
      let empty = 0;
      // q: an unbiased estimate of this iterate's mean squared relative mass error r²:
      // with a, b the relative errors the two halves of the batch see, E[a·b] = r² when
      // the halves are independent (pseudo-random points, or two independently scrambled
      // Sobol sequences, whose low noise a binomial formula would overstate). Unscrambled
      // Sobol points fall back to the binomial formula E[(c/(nν) − 1)²] = r² + (1 − ν)/(nν).
      let q = 0;
      for (let i = 0; i < m; i++) {
        const ca = firstHalf[i] as number;
        const cb = counts[i] as number;
        const c = ca + cb;
        counts[i] = c;
        const v = nu[i] as number;
        const gi = c / n - v;
        g[i] = gi;
        norm2 += gi * gi;
        const rel = Math.abs(gi) / v;
        if (rel > maxRel) maxRel = rel;
        if (c === 0) empty++;
        q += half > 0 && independentHalves ? (ca / (half * v) - 1) * (cb / ((n - half) * v) - 1) : rel * rel - (1 - v) / (n * v);
      }
      q /= m;
      const gradNorm = Math.sqrt(norm2);
      addToWindow(state.shortWindow, q);
      addToWindow(state.longWindow, q);
      const lrScale = state.lrScale * (settings.lrDecaySteps > 0 ? 1 / (1 + state.step / settings.lrDecaySteps) : 1);
      adamStep(state.heights, g, state.adam, settings.optimizer, lrScale, perCell);
      if (groups !== undefined) groupAdamStep(state.heights, g, groups.of, groups.multipliers, state.groupAdam, settings.optimizer, lrScale);
      const a = settings.averaging;
      for (let i = 0; i < m; i++) state.averageHeights[i] = a * (state.averageHeights[i] as number) + (1 - a) * (state.heights[i] as number);
      state.step += 1;
      if (!settings.fixedSamples) state.sampler = sampler.getState();
      state.history.gradNorm.push(gradNorm);
      state.history.maxRelativeError.push(maxRel);
      state.history.emptyCells.push(empty);
      state.history.samples.push(n);
      if (gradNorm < state.bestGradNorm) {
        state.bestGradNorm = gradNorm;
        state.stepsSinceBest = 0;
      } else if (settings.plateauSteps > 0 && ++state.stepsSinceBest >= settings.plateauSteps) {
        state.samplesPerStep = Math.min(settings.maxSamplesPerStep, 2 * n);
        state.stepsSinceBest = 0;
        state.bestGradNorm = Infinity;
      }
      if (settings.stop === 'gradient-norm' && gradNorm < settings.tolerance) state.converged = true;
      if (settings.stop === 'mass-error' && state.shortWindow.steps >= settings.checkEvery) checkMassError(state, settings);
      state.elapsedMs = performance.now() - started;
      options.onProgress?.({
        step: state.step,
        maxSteps: settings.maxSteps,
        samplesPerStep: n,
        gradNorm,
        maxRelativeError: maxRel,
        emptyCells: empty,
        massError: state.history.checks.at(-1)?.massError,
        elapsedMs: state.elapsedMs,
      });
      if (options.checkpoint !== undefined && state.step % every === 0) await saveSolverState(options.checkpoint.target, state, settings);
    }
  } finally {
    y.dispose();
  }
  if (options.checkpoint !== undefined) await saveSolverState(options.checkpoint.target, state, settings);
  return problem.rawHeights(settings.averaging > 0 ? state.averageHeights : state.heights);
}

/** Cells of n float32 samples under heights h (float64, cast to float32 for the kernel). */
async function assignBatch(x: Float32Array, n: number, d: number, y: tf.Tensor2D, h: Float64Array): Promise<Int32Array> {
  const xt = tf.tensor2d(x, [n, d]);
  const ht = tf.tensor1d(Float32Array.from(h));
  const { indices, scores } = powerAssign(xt, y, ht, 1);
  tf.dispose([xt, ht, scores]);
  try {
    return (await indices.data()) as Int32Array;
  } finally {
    indices.dispose();
  }
}

function addToWindow(w: MassWindow, q: number): void {
  w.steps += 1;
  w.qSum += q;
  w.qSqSum += q * q;
}

function resetWindow(w: MassWindow): void {
  w.steps = 0;
  w.qSum = 0;
  w.qSqSum = 0;
}

/** Mean of a window's q_t and its standard error. */
function windowStats(w: MassWindow): { mean: number; se: number } {
  const mean = w.qSum / w.steps;
  const variance = w.steps > 1 ? Math.max(0, (w.qSqSum - w.steps * mean * mean) / (w.steps - 1)) : Infinity;
  return { mean, se: Math.sqrt(variance / w.steps) };
}

/**
 * The 'mass-error' rule, on the RMS relative mass error of the iterates, estimated
 * without bias from each step's own counts and averaged over windows of steps. The
 * short window (the last `checkEvery` steps) tells whether the error still falls
 * (a transient: the long window restarts) or has stalled above the tolerance (the step
 * size drops and the long window restarts). The long window (the steps since then)
 * decides convergence: its estimate plus `stopMargin` standard errors ≤ tolerance.
 */
function checkMassError(state: SolverState, settings: SolverSettings): void {
  const short = windowStats(state.shortWindow);
  const long = windowStats(state.longWindow);
  const tol2 = settings.tolerance * settings.tolerance;
  const shortError = Math.sqrt(Math.max(0, short.mean));
  state.history.checks.push({ step: state.step, massError: Math.sqrt(Math.max(0, long.mean)), standardError: long.se / (2 * Math.sqrt(Math.max(long.mean, tol2))) });
  if (long.mean + settings.stopMargin * long.se <= tol2 && state.longWindow.steps >= 2 * settings.checkEvery) state.converged = true;
  else if (shortError < 0.8 * state.lastCheckError) resetWindow(state.longWindow); // still falling: a transient
  else if (long.mean - 2 * long.se > tol2) {
    // Stalled clearly above the tolerance: smaller steps (the iterates' jitter shrinks
    // with them), and a new regime for the long window. While the long window can tell
    // neither way it keeps growing, and its estimate sharpens.
    state.lrScale *= settings.lrDropFactor;
    resetWindow(state.longWindow);
  }
  state.lastCheckError = shortError;
  resetWindow(state.shortWindow);
}
