// Adam on the heights, in float64: the update rule of the Monte Carlo solver. The
// authors' variant has no bias correction; the default has it (early steps are then
// full-size instead of 10× too small).

/** Adam settings. */
export interface AdamOptions {
  /** Step size, in units of the (scaled) heights. */
  lr: number;
  /** First-moment decay. Default 0.9. */
  beta1: number;
  /** Second-moment decay. Default 0.999. */
  beta2: number;
  /** Denominator guard. Default 1e-8. */
  epsilon: number;
  /** Divide the moments by 1 − β^t. The authors' code does not. */
  biasCorrection: boolean;
}

/** Adam's moments, float64. */
export interface AdamState {
  m: Float64Array;
  v: Float64Array;
  /** Number of updates applied so far. */
  t: number;
}

/** Fresh zero moments for `count` heights. */
export function createAdamState(count: number): AdamState {
  return { m: new Float64Array(count), v: new Float64Array(count), t: 0 };
}

/**
 * Updates the moments with gradient `g` and returns each parameter's step
 * lr·multiplier·m̂/(√v̂ + ε), to be subtracted.
 */
function adamSteps(g: Float64Array, state: AdamState, options: AdamOptions, lrScale: number, multipliers: Float64Array | undefined): Float64Array {
  const { beta1, beta2, epsilon } = options;
  state.t += 1;
  const c1 = options.biasCorrection ? 1 - beta1 ** state.t : 1;
  const c2 = options.biasCorrection ? 1 - beta2 ** state.t : 1;
  const lr = options.lr * lrScale;
  const { m, v } = state;
  const step = new Float64Array(g.length);
  for (let i = 0; i < g.length; i++) {
    const gi = g[i] as number;
    const mi = beta1 * (m[i] as number) + (1 - beta1) * gi;
    const vi = beta2 * (v[i] as number) + (1 - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    step[i] = ((multipliers === undefined ? lr : lr * (multipliers[i] as number)) * (mi / c1)) / (Math.sqrt(vi / c2) + epsilon);
  }
  return step;
}

/** h_i −= step[group_i] (or step_i without groups), then recentres h to mean 0. */
function descend(h: Float64Array, step: Float64Array, of: Int32Array | undefined): void {
  let mean = 0;
  for (let i = 0; i < h.length; i++) {
    const hi = (h[i] as number) - (step[of === undefined ? i : (of[i] as number)] as number);
    h[i] = hi;
    mean += hi;
  }
  mean /= h.length;
  for (let i = 0; i < h.length; i++) h[i] = (h[i] as number) - mean;
}

/**
 * One Adam step, descending the gradient `g`: updates `h` and the moments in place, then
 * recentres `h` to mean 0 (heights are defined up to a constant).
 *
 * @param h heights (modified).
 * @param g gradient estimate μ(W_i) − ν_i.
 * @param state moments (modified).
 * @param options lr, betas, epsilon, biasCorrection.
 * @param lrScale multiplier of lr for this step (a schedule).
 * @param perCell optional per-cell multipliers of lr (a diagonal preconditioner).
 */
export function adamStep(h: Float64Array, g: Float64Array, state: AdamState, options: AdamOptions, lrScale = 1, perCell?: Float64Array): void {
  descend(h, adamSteps(g, state, options, lrScale, perCell), undefined);
}

/**
 * One Adam step on group shifts: the gradient of a group's common shift is the sum of its
 * members' gradients; each member's height moves by its group's step (then `h` is
 * recentred). Used with {@link adamStep} on the cells: together they descend the same
 * energy in more directions.
 *
 * @param h heights (modified).
 * @param g gradient estimate per cell.
 * @param of group of each cell.
 * @param multipliers per-group multipliers of lr.
 * @param state the groups' moments (modified).
 */
export function groupAdamStep(h: Float64Array, g: Float64Array, of: Int32Array, multipliers: Float64Array, state: AdamState, options: AdamOptions, lrScale = 1): void {
  const total = new Float64Array(multipliers.length);
  for (let i = 0; i < h.length; i++) total[of[i] as number] = (total[of[i] as number] as number) + (g[i] as number);
  descend(h, adamSteps(total, state, options, lrScale, multipliers), of);
}
