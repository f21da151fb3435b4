// Adam's update of the heights against a hand computation, with and without bias
// correction, then recentred (heights are defined up to a constant).
import { describe, expect, it } from 'vitest';
import { adamStep, createAdamState } from '../src/index.js';

describe('Adam', () => {
  it('one step with and without bias correction, then recentring', () => {
    const g = Float64Array.from([0.1, -0.2, 0]);
    for (const biasCorrection of [true, false]) {
      const h = new Float64Array(3);
      const st = createAdamState(3);
      adamStep(h, g, st, { lr: 0.5, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, biasCorrection });
      const raw = Array.from(g, (gi) => {
        const m = 0.1 * gi;
        const v = 0.001 * gi * gi;
        return biasCorrection ? (-0.5 * (m / 0.1)) / (Math.sqrt(v / 0.001) + 1e-8) : (-0.5 * m) / (Math.sqrt(v) + 1e-8);
      });
      const mean = raw.reduce((a, b) => a + b, 0) / 3;
      raw.forEach((r, i) => expect(h[i]).toBeCloseTo(r - mean, 12));
      expect(st.t).toBe(1);
    }
  });
});
