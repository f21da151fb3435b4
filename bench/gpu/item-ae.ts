// Item `ae` of gpu-bench.ts: one autoencoder training step (forward + backward + Adam, loss
// read back) at --ae-batch for each net in --ae-nets (the 784-512-256-16 MLP, the 28×28 conv
// autoencoder of width 32), median ms per step after 5 warm-up steps, as
// bench/autoencoder-step.ts measures it; twin: bench/autoencoder_step_torch.py. Saves after
// each net, so a time limit keeps what was done.
import * as tf from '@tensorflow/tfjs-core';
import { convAutoencoder, mlpAutoencoder, TensorAdam, trainableVariables, type Autoencoder } from '@aeot/autoencoder';
import { median, messageOf, type Json } from './common.js';
import type { BenchContext } from './context.js';

export async function itemAe(ctx: BenchContext): Promise<Json> {
  const { opts, log, save, torchTwin, webgpu } = ctx;
  const batch = Number(opts['ae-batch']);
  const steps = Number(opts['ae-steps']);
  const nets = opts['ae-nets'].split(',');
  const result: Json = { item: 'ae', batch, steps, rows: [] as Json[] };
  const rows = result.rows as Json[];
  try {
    const backend = await webgpu();
    result.adapter = backend.device.description;
  } catch (err) {
    result.error = messageOf(err);
    return result;
  }
  for (const net of nets) {
    const row: Json = { net, batch };
    rows.push(row);
    let ae: Autoencoder | undefined;
    try {
      ae = net === 'mlp' ? mlpAutoencoder({ imageShape: [28, 28, 1], latentDim: 16 }) : convAutoencoder({ imageShape: [28, 28, 1], width: 32 });
      const a = ae;
      const vars = trainableVariables(a);
      const adam = new TensorAdam(vars, { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
      const x = tf.randomUniform([batch, ...a.imageShape], 0, 1, 'float32', 1);
      const step = async (): Promise<number> => {
        const { value, grads } = tf.variableGrads(() => {
          const z = a.encoder.apply(x, { training: true }) as tf.Tensor;
          const r = a.decoder.apply(z, { training: true }) as tf.Tensor;
          return tf.add(tf.mean(tf.square(tf.sub(r, x))), tf.mul(tf.mean(tf.sum(tf.abs(z), 1)), 1e-5)) as tf.Scalar;
        }, vars);
        const loss = (await value.data())[0] as number;
        adam.apply(vars.map((v) => grads[v.name] as tf.Tensor));
        tf.dispose([value, ...Object.values(grads)]);
        return loss;
      };
      const t0 = performance.now();
      const first = await step();
      const firstMs = performance.now() - t0;
      for (let i = 0; i < 4; i++) await step();
      const times: number[] = [];
      let lastLoss = first;
      for (let i = 0; i < steps; i++) {
        const t1 = performance.now();
        lastLoss = await step();
        await (vars[0] as tf.Variable).data(); // the Adam update is queued after the loss read
        times.push(performance.now() - t1);
      }
      row.aeot = { msPerStep: Number(median(times).toFixed(3)), minMs: Number(Math.min(...times).toFixed(3)), firstStepMs: Number(firstMs.toFixed(1)), steps, firstLoss: first, lastLoss };
      log(`${net} batch ${batch}: ${median(times).toFixed(2)} ms/step (first step ${firstMs.toFixed(0)} ms), loss ${first.toFixed(4)} → ${lastLoss.toFixed(4)}`);
      adam.dispose();
      x.dispose();
    } catch (err) {
      row.aeot = { error: messageOf(err) };
      log(`${net} FAILED: ${messageOf(err)}`);
    } finally {
      ae?.encoder.dispose();
      ae?.decoder.dispose();
    }
    save('ae', result); // partial results survive a time limit
  }
  const twin = torchTwin(['ae', '--batches', String(batch), '--steps', String(steps), '--nets', nets.join(',')], Number(opts['torch-timeout-s']));
  result.torchInfo = { device: twin.device, torch: twin.torch, error: twin.error };
  for (const row of rows) {
    const t = ((twin.rows as Json[] | undefined) ?? []).find((r) => r.net === row.net && r.batch === row.batch);
    row.torch = t ?? { error: twin.error ?? 'no torch row' };
    const ours = (row.aeot as Json).msPerStep as number | undefined;
    const theirs = t?.msPerStep as number | undefined;
    if (ours !== undefined && theirs !== undefined) row.ratioTorchTimeOverAeot = theirs / ours;
  }
  return result;
}
