// Adam: the steps of an independent float64 implementation; settings checked at the
// boundary with the shared messages; the variables of models in layer order; no leak.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '@aeot/tensor-backend';
import { ADAM_DEFAULTS, adamSettings, TensorAdam, trainableVariablesOf } from '../src/index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('TensorAdam', () => {
  it('takes the steps of a float64 Adam on a quadratic (Kingma & Ba, efficient form)', () => {
    const target = [0.5, -2, 3];
    const w = tf.variable(tf.tensor1d([1, 1, 1]));
    const settings = { learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
    const adam = new TensorAdam([w], settings);
    const ref = { w: [1, 1, 1], m: [0, 0, 0], v: [0, 0, 0] };
    for (let t = 1; t <= 25; t++) {
      const g = tf.tidy(() => tf.mul(tf.sub(w, tf.tensor1d(target)), 2));
      adam.apply([g]);
      g.dispose();
      const c2 = Math.sqrt(1 - 0.999 ** t);
      for (let i = 0; i < 3; i++) {
        const gi = 2 * ((ref.w[i] as number) - (target[i] as number));
        ref.m[i] = 0.9 * (ref.m[i] as number) + 0.1 * gi;
        ref.v[i] = 0.999 * (ref.v[i] as number) + 0.001 * gi * gi;
        ref.w[i] = (ref.w[i] as number) - ((0.1 * c2) / (1 - 0.9 ** t)) * ((ref.m[i] as number) / (Math.sqrt(ref.v[i] as number) + 1e-8 * c2));
      }
    }
    const got = w.dataSync();
    for (let i = 0; i < 3; i++) expect(got[i]).toBeCloseTo(ref.w[i] as number, 5);
    expect(adam.step).toBe(25);
    adam.dispose();
    w.dispose();
  });

  it('restores its step count and moments so that the next steps are those of an uninterrupted run', () => {
    const g = (t: number): tf.Tensor => tf.tensor1d([Math.sin(t), Math.cos(3 * t)]);
    const settings = { learningRate: 0.05, beta1: 0.8, beta2: 0.99, epsilon: 1e-7 };
    const a = tf.variable(tf.tensor1d([1, -1]));
    const b = tf.variable(tf.tensor1d([1, -1]));
    const straight = new TensorAdam([a], settings);
    const first = new TensorAdam([b], settings);
    const before = tf.memory().numTensors;
    for (let t = 0; t < 4; t++) {
      const gt = g(t);
      straight.apply([gt]);
      first.apply([gt]);
      gt.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    const resumed = new TensorAdam([b], settings);
    resumed.restore(first.step, first.moments());
    first.dispose();
    for (let t = 4; t < 9; t++) {
      const gt = g(t);
      straight.apply([gt]);
      resumed.apply([gt]);
      gt.dispose();
    }
    expect(resumed.step).toBe(9);
    expect(b.dataSync()).toEqual(a.dataSync());
    expect(resumed.variables).toEqual([b]);
    expect(() => resumed.restore(1, [])).toThrow(/expected 2 moment tensors, got 0/);
    tf.dispose([a, b]);
    straight.dispose();
    resumed.dispose();
  });
});

describe('TensorAdam memory', () => {
  it('frees on dispose every tensor it allocated (the moments and the zeros they start from), never the variables', () => {
    const w = tf.variable(tf.ones([3, 2]));
    const before = tf.memory().numTensors;
    const adam = new TensorAdam([w], { learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    expect(tf.memory().numTensors).toBe(before + 2);
    const g = tf.onesLike(w);
    adam.apply([g]);
    g.dispose();
    adam.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(w.isDisposed).toBe(false);
    w.dispose();
  });
});

describe('adamSettings', () => {
  it('fills missing settings from the defaults (Kingma & Ba, or yours)', () => {
    expect(adamSettings()).toEqual({ learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    expect(adamSettings({ beta1: 0 })).toEqual({ ...ADAM_DEFAULTS, beta1: 0 });
    expect(adamSettings({ learningRate: 0.01 }, { ...ADAM_DEFAULTS, learningRate: 2e-4, beta1: 0.5 })).toEqual({ learningRate: 0.01, beta1: 0.5, beta2: 0.999, epsilon: 1e-8 });
    expect(Object.isFrozen(ADAM_DEFAULTS)).toBe(true);
  });

  it('rejects bad settings with the shared messages, in the order learningRate, beta1, beta2, epsilon', () => {
    expect(() => adamSettings({ learningRate: 0 })).toThrow(new RangeError('"learningRate" expected a finite number > 0, got 0'));
    expect(() => adamSettings({ beta1: 1 })).toThrow(new RangeError('"beta1" expected a number in [0, 1), got 1'));
    expect(() => adamSettings({ beta2: -0.5 })).toThrow(new RangeError('"beta2" expected a number in [0, 1), got -0.5'));
    expect(() => adamSettings({ epsilon: Number.POSITIVE_INFINITY })).toThrow(new RangeError('"epsilon" expected a finite number > 0, got Infinity'));
    expect(() => adamSettings({ beta1: '0.9' as never })).toThrow(TypeError);
    expect(() => adamSettings({ learningRate: -1, beta1: 2 })).toThrow(/"learningRate"/);
  });
});

describe('trainableVariablesOf', () => {
  it('lists the trainable weights of the models, model by model in layer order (not batch-norm statistics)', () => {
    const a = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 4 }), tfl.layers.batchNormalization()] });
    const b = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 2, useBias: false })] });
    const vars = trainableVariablesOf([a, b]);
    expect(vars.map((v) => v.shape)).toEqual([[3, 4], [4], [4], [4], [4, 2]]);
    expect(vars.every((v) => v instanceof tf.Variable)).toBe(true);
    a.dispose();
    b.dispose();
  });
});
