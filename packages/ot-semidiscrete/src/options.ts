// Options of the solver, the two presets, and their validation at the boundary.
import { describeValue } from '@aeot/tensor-backend';
import type { AdamOptions } from './adam.js';
import type { Sampling } from './source.js';

/** The stopping rule. */
export type StopRule =
  /** |g|₂ < tolerance, g the one-step gradient estimate (the authors' rule; default tol 2e-3). */
  | 'gradient-norm'
  /**
   * The RMS relative cell-mass error of the iterates, estimated without bias from each
   * step's own samples and averaged over the steps since the last transient, is ≤
   * tolerance (with a 2-σ margin). Checked every `checkEvery` steps; the step size
   * drops when the error stalls above the tolerance.
   */
  | 'mass-error';

/** Solver settings; every field has a documented default (see {@link PRESETS}). */
export interface SolverSettings {
  /** Samples per step at the start. */
  samplesPerStep: number;
  /** Cap of the sample count when it doubles. */
  maxSamplesPerStep: number;
  /** Steps without a new best |g|₂ before the sample count doubles (0: never). */
  plateauSteps: number;
  /** Maximum number of steps. */
  maxSteps: number;
  /** Stopping rule and its tolerance. */
  stop: StopRule;
  tolerance: number;
  /** Steps between mass-error checks (stop rule 'mass-error'). */
  checkEvery: number;
  /** Standard errors of margin the 'mass-error' estimate must clear the tolerance by. */
  stopMargin: number;
  /** Draw the same samples every step (the authors) instead of fresh ones. */
  fixedSamples: boolean;
  /** Start: 'voronoi' (cells of the targets scaled into the source: none empty) or 'zero'. */
  init: 'voronoi' | 'zero';
  /** Solve on targets standardised against the source's scale (lr then means the same at any scale of the codes). */
  scaleTargets: boolean;
  /** EMA decay of the returned heights (0: return the last iterate). */
  averaging: number;
  /** Step-size decay: lr_t = lr / (1 + t / lrDecaySteps) (0: constant). */
  lrDecaySteps: number;
  /**
   * Multiply the step size by this factor when a mass-error check is not below
   * `0.8 ×` the previous one (1: never). Adam's steps do not shrink with the gradient,
   * so without a decay the iterates keep jittering by about lr.
   */
  lrDropFactor: number;
  /**
   * Scale each target's step by its distance to its 3rd nearest other target (relative
   * to the spacing of M points spread evenly over the source; at most 1). A cell's mass reacts to its height about as 1/distance to
   * its neighbours, so targets packed in tight clusters (latent codes of one mode) need
   * proportionally smaller steps. Costs one M × M nearest-neighbour pass (fused kernel).
   */
  spacingSteps: boolean;
  /**
   * Find separate groups of targets (connected components of the graph linking each
   * target to those of its 8 nearest neighbours within 6× the nearest one's distance:
   * the modes of clustered data) and give each group a common height shift,
   * stepped by Adam on the group's total mass error, at a step set by the distance
   * between groups. Balances the modes' masses in tens of steps where per-cell steps
   * alone take thousands. No effect when the targets form one group.
   */
  groupSteps: boolean;
  /** Adam. */
  optimizer: AdamOptions;
  /** Source sampling. */
  sampling: Sampling;
}

/** Named presets. */
export type PresetName = 'default' | 'authors';

/**
 * The presets. `'authors'` reproduces An et al.'s solver (pyOMT): h = 0, the same first N
 * unscrambled-Sobol points every step, Adam without bias correction (lr 5e-2 in raw
 * units), N doubling after 30 steps without a new best |g|₂, stop at |g|₂ < 2e-3.
 * `'default'` was tuned with bench/sdot.ts: targets standardised, Voronoi start (no empty
 * cell), fresh pseudo-random points each step (their binomial noise makes the stop rule's
 * error estimate unbiased), bias-corrected Adam (lr 0.005) whose step halves when the
 * error stalls above the tolerance, an EMA (0.95) of the heights as the result, and a
 * stop on the estimated RMS relative mass error ≤ 0.05.
 */
export const PRESETS: Readonly<Record<PresetName, Readonly<SolverSettings>>> = Object.freeze({
  default: Object.freeze({
    samplesPerStep: 16_384,
    maxSamplesPerStep: 1 << 20,
    plateauSteps: 0,
    maxSteps: 2000,
    stop: 'mass-error',
    tolerance: 0.05,
    checkEvery: 25,
    stopMargin: 1,
    fixedSamples: false,
    init: 'voronoi',
    scaleTargets: true,
    averaging: 0.95,
    lrDecaySteps: 0,
    lrDropFactor: 0.5,
    spacingSteps: true,
    groupSteps: true,
    optimizer: Object.freeze({ lr: 0.005, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, biasCorrection: true }),
    sampling: 'random',
  }),
  authors: Object.freeze({
    samplesPerStep: 20_000,
    maxSamplesPerStep: 1 << 24,
    plateauSteps: 30,
    maxSteps: 20_000,
    stop: 'gradient-norm',
    tolerance: 2e-3,
    checkEvery: 25,
    stopMargin: 1,
    fixedSamples: true,
    init: 'zero',
    scaleTargets: false,
    averaging: 0,
    lrDecaySteps: 0,
    lrDropFactor: 1,
    spacingSteps: false,
    groupSteps: false,
    optimizer: Object.freeze({ lr: 5e-2, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, biasCorrection: false }),
    sampling: 'sobol',
  }),
});

/** Overrides of a preset. */
export type SolverSettingsInput = Partial<Omit<SolverSettings, 'optimizer'>> & { optimizer?: Partial<AdamOptions> };

/**
 * Merges overrides into a preset and validates every field.
 *
 * @throws {RangeError} / {TypeError} naming the bad field.
 */
export function resolveSettings(preset: PresetName, overrides: SolverSettingsInput): SolverSettings {
  const base = PRESETS[preset];
  if (base === undefined) throw new RangeError(`"preset" expected one of 'default', 'authors', got ${describeValue(preset)}`);
  const picked = Object.fromEntries(Object.keys(base).filter((k) => k !== 'optimizer').map((k) => [k, (overrides as Record<string, unknown>)[k]]));
  const s: SolverSettings = { ...base, ...definedOnly(picked), optimizer: { ...base.optimizer, ...definedOnly(overrides.optimizer ?? {}) } } as SolverSettings;
  const int = (name: string, v: number, min: number): void => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new RangeError(`"${name}" expected an integer ≥ ${min}, got ${describeValue(v)}`);
  };
  const pos = (name: string, v: number): void => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new RangeError(`"${name}" expected a finite number > 0, got ${describeValue(v)}`);
  };
  const unit = (name: string, v: number): void => {
    if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw new RangeError(`"${name}" expected a number in [0, 1), got ${describeValue(v)}`);
  };
  int('samplesPerStep', s.samplesPerStep, 1);
  int('maxSamplesPerStep', s.maxSamplesPerStep, s.samplesPerStep);
  int('plateauSteps', s.plateauSteps, 0);
  int('maxSteps', s.maxSteps, 1);
  int('checkEvery', s.checkEvery, 1);
  int('lrDecaySteps', s.lrDecaySteps, 0);
  pos('tolerance', s.tolerance);
  if (typeof s.stopMargin !== 'number' || !(s.stopMargin >= 0)) throw new RangeError(`"stopMargin" expected a number ≥ 0, got ${describeValue(s.stopMargin)}`);
  pos('optimizer.lr', s.optimizer.lr);
  pos('optimizer.epsilon', s.optimizer.epsilon);
  unit('optimizer.beta1', s.optimizer.beta1);
  unit('optimizer.beta2', s.optimizer.beta2);
  unit('averaging', s.averaging);
  if (typeof s.lrDropFactor !== 'number' || !(s.lrDropFactor > 0 && s.lrDropFactor <= 1)) {
    throw new RangeError(`"lrDropFactor" expected a number in (0, 1], got ${describeValue(s.lrDropFactor)}`);
  }
  if (s.stop !== 'gradient-norm' && s.stop !== 'mass-error') throw new RangeError(`"stop" expected 'gradient-norm' or 'mass-error', got ${describeValue(s.stop)}`);
  if (s.init !== 'voronoi' && s.init !== 'zero') throw new RangeError(`"init" expected 'voronoi' or 'zero', got ${describeValue(s.init)}`);
  if (s.sampling !== 'sobol' && s.sampling !== 'random') throw new RangeError(`"sampling" expected 'sobol' or 'random', got ${describeValue(s.sampling)}`);
  for (const name of ['fixedSamples', 'scaleTargets', 'spacingSteps', 'groupSteps'] as const) {
    if (typeof s[name] !== 'boolean') throw new TypeError(`"${name}" expected a boolean, got ${describeValue(s[name])}`);
  }
  if (typeof s.optimizer.biasCorrection !== 'boolean') throw new TypeError(`"optimizer.biasCorrection" expected a boolean, got ${describeValue(s.optimizer.biasCorrection)}`);
  return s;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
