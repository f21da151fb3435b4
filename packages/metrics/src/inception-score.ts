// The Inception-style score (Salimans et al. 2016) from any classifier's class
// probabilities: exp(E_x KL(p(y|x) ‖ p(y))), in consecutive splits.
import { expectInteger } from '@aeot/tensor-backend';
import { toFeatureMatrix, type FeatureInput } from './features.js';

/** Mean and standard deviation of the score over splits. */
export interface InceptionScore {
  mean: number;
  /** Standard deviation over splits (ddof = 0, as the original code). */
  std: number;
  /** Score of each split. */
  values: Float64Array;
}

/**
 * Inception-style score from class probabilities: in each of `splits` consecutive
 * chunks, exp(mean KL(p(y|x) ‖ p̄(y))). It ranges from 1 (every sample equally unsure, or
 * all samples the same class) to C (confident and balanced over C classes).
 *
 * Gotcha: it is the Inception Score only with InceptionV3 on ImageNet classes; with
 * another classifier (e.g. the MNIST one here), name it when reporting.
 *
 * @param probabilities `[n, C]` softmax outputs (rows ≥ 0 summing to 1 ± 1e−3), not logits.
 * @param options `splits`: default 10 (at most n).
 * @returns mean and std over splits.
 * @throws {RangeError} for rows that are not distributions or more splits than samples.
 * @throws {NonFiniteFeaturesError} for NaN values.
 * @example
 * const probs = classifier.classify(images);
 * inceptionScore({ data: await probs.data(), shape: probs.shape as [number, number] });
 */
export function inceptionScore(probabilities: FeatureInput, options: { splits?: number } = {}): InceptionScore {
  const p = toFeatureMatrix('probabilities', probabilities);
  const splits = expectInteger('splits', options.splits ?? 10, 1);
  if (splits > p.rows) throw new RangeError(`"splits" expected at most ${p.rows} (the number of samples), got ${splits}`);
  const c = p.dim;
  for (let i = 0; i < p.rows; i++) {
    let s = 0;
    for (let j = 0; j < c; j++) {
      const v = p.data[i * c + j] as number;
      if (v < 0) throw new RangeError(`"probabilities" expected values ≥ 0 (softmax outputs, not logits), got ${v} at row ${i}`);
      s += v;
    }
    if (Math.abs(s - 1) > 1e-3) throw new RangeError(`"probabilities" expected rows summing to 1 (softmax outputs, not logits), got a sum of ${s} at row ${i}`);
  }
  const values = new Float64Array(splits);
  const marginal = new Float64Array(c);
  for (let k = 0; k < splits; k++) {
    const start = Math.floor((k * p.rows) / splits);
    const end = Math.floor(((k + 1) * p.rows) / splits);
    marginal.fill(0);
    for (let i = start; i < end; i++) for (let j = 0; j < c; j++) marginal[j] = (marginal[j] as number) + (p.data[i * c + j] as number) / (end - start);
    let kl = 0;
    for (let i = start; i < end; i++) {
      for (let j = 0; j < c; j++) {
        const v = p.data[i * c + j] as number;
        if (v > 0) kl += v * Math.log(v / (marginal[j] as number));
      }
    }
    values[k] = Math.exp(kl / (end - start));
  }
  const mean = values.reduce((a, b) => a + b, 0) / splits;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / splits);
  return { mean, std, values };
}
