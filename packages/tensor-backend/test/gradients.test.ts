import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { ensureGradients } from '../src/gradients/index.js';

describe('ensureGradients', () => {
  it('makes tf.grad work: d/dx sum(relu(x)·x) = 2x for x > 0, 0 for x < 0', async () => {
    await ensureGradients();
    await tf.setBackend('cpu');
    const x = tf.tensor1d([1.5, -2, 3]);
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.relu(a), a)))(x);
    const values = await g.data();
    expect(Array.from(values)).toEqual([3, 0, 6]);
    tf.dispose([x, g]);
  });

  it('registers chained tensor methods', async () => {
    await ensureGradients();
    const x = tf.tensor1d([1, 2]);
    const y = (x as unknown as { square(): tf.Tensor }).square();
    expect(Array.from(await y.data())).toEqual([1, 4]);
    tf.dispose([x, y]);
  });
});
