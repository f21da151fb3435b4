// Item `sdot` of gpu-bench.ts: solveSemiDiscrete onto --sdot-m targets Y ~ N(0, I) in
// --sdot-d dimensions (default preset and stop rule, --sdot-max-steps cap), stopped by an
// AbortSignal after --sdot-seconds; wall time, steps, convergence, and the cell masses of the
// result on --mass-samples fresh samples. Twin: the authors' algorithm in torch on the same
// targets, for the same number of steps and samples per step.
import { join } from 'node:path';
import { solveSemiDiscrete, type SolveProgress } from '@aeot/ot-semidiscrete';
import { messageOf, normals, writeF32, type Json } from './common.js';
import type { BenchContext } from './context.js';

export async function itemSdot(ctx: BenchContext): Promise<Json> {
  const { opts, log, torchTwin, webgpu, workDir } = ctx;
  const M = Number(opts['sdot-m']);
  const d = Number(opts['sdot-d']);
  const seconds = Number(opts['sdot-seconds']);
  const maxSteps = Number(opts['sdot-max-steps']);
  const massSamples = Number(opts['mass-samples']);
  const result: Json = { item: 'sdot', M, d, preset: 'default', timeLimitS: seconds, maxSteps, massSamples };
  const targets = normals(M * d, 4242);
  const yFile = join(workDir, `sdot-y-m${M}-d${d}.f32`);
  writeF32(yFile, targets);
  let steps = 0;
  let samplesPerStep = 16384;
  try {
    const backend = await webgpu();
    result.adapter = backend.device.description;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), seconds * 1000);
    let last: SolveProgress | undefined;
    const t0 = performance.now();
    try {
      const ot = await solveSemiDiscrete({
        targets,
        dim: d,
        seed: 1,
        maxSteps,
        signal: controller.signal,
        onProgress: (p) => {
          last = p;
          if (p.step % 100 === 0) log(`step ${p.step}: samples ${p.samplesPerStep}, |g| ${p.gradNorm.toExponential(2)}, mass error ${p.massError ?? '—'}, ${(p.elapsedMs / 1e3).toFixed(1)} s`);
        },
      });
      const wall = (performance.now() - t0) / 1e3;
      clearTimeout(timer);
      steps = ot.steps;
      samplesPerStep = ot.history.samples.at(-1) ?? samplesPerStep;
      result.aeot = {
        wallS: Number(wall.toFixed(3)),
        steps: ot.steps,
        converged: ot.converged,
        aborted: false,
        samplesPerStep,
        msPerStep: Number(((wall * 1e3) / Math.max(1, ot.steps)).toFixed(3)),
        lastMassErrorEstimate: last?.massError,
        lastGradNorm: last?.gradNorm,
      };
      log(`solve: ${wall.toFixed(2)} s, ${ot.steps} steps, converged ${ot.converged}`);
      try {
        const t1 = performance.now();
        const masses = await ot.cellMasses({ samples: massSamples, seed: 12345, batchSize: 262144 });
        Object.assign(result.aeot as Json, massSummary(masses.masses, M, masses.samples), { massSeconds: Number(((performance.now() - t1) / 1e3).toFixed(2)) });
      } catch (err) {
        (result.aeot as Json).massError = messageOf(err);
      }
      ot.dispose();
    } catch (err) {
      clearTimeout(timer);
      const wall = (performance.now() - t0) / 1e3;
      const state = (err as { state?: { step?: number; samplesPerStep?: number } }).state;
      if (err instanceof Error && err.name === 'SolveAbortedError' && state !== undefined) {
        steps = state.step ?? 0;
        samplesPerStep = state.samplesPerStep ?? samplesPerStep;
        result.aeot = {
          wallS: Number(wall.toFixed(3)),
          steps,
          converged: false,
          aborted: true,
          note: `stopped by the ${seconds} s time limit`,
          samplesPerStep,
          msPerStep: Number(((wall * 1e3) / Math.max(1, steps)).toFixed(3)),
          lastMassErrorEstimate: last?.massError,
          lastGradNorm: last?.gradNorm,
        };
        log(`solve aborted at ${seconds} s after ${steps} steps`);
      } else {
        throw err;
      }
    }
  } catch (err) {
    result.aeot = { error: messageOf(err) };
    log(`solve FAILED: ${messageOf(err)}`);
  }
  // The authors' algorithm in torch, same targets, same steps × samples per step.
  const twinSteps = steps > 0 ? steps : 1000;
  result.torch = torchTwin(['sdot', '--y', yFile, '--m', String(M), '--d', String(d), '--steps', String(twinSteps), '--batch', String(samplesPerStep), '--lr', '0.005', '--mass-samples', String(massSamples)], Number(opts['torch-timeout-s']));
  const ours = (result.aeot as Json).wallS as number | undefined;
  const theirs = (result.torch as Json).solveS as number | undefined;
  if (ours !== undefined && theirs !== undefined) result.ratioTorchTimeOverAeot = theirs / ours;
  return result;
}

/** Mean relative mass error as measured, and the RMS relative error with the multinomial sampling noise removed. */
function massSummary(masses: Float64Array, m: number, samples: number): Json {
  let sum = 0;
  let sq = 0;
  let max = 0;
  let empty = 0;
  for (let i = 0; i < m; i++) {
    const rel = (masses[i] as number) * m - 1;
    sum += Math.abs(rel);
    sq += rel * rel;
    if (Math.abs(rel) > max) max = Math.abs(rel);
    if (masses[i] === 0) empty++;
  }
  const noise = (m - 1) / samples; // E[rel²] of the estimate alone, per cell
  return {
    massSamples: samples,
    meanRelMassErr: Number((sum / m).toFixed(4)),
    maxRelMassErr: Number(max.toFixed(4)),
    rmsRelMassErrNoiseCorrected: Number(Math.sqrt(Math.max(0, sq / m - noise)).toFixed(4)),
    samplingNoiseRms: Number(Math.sqrt(noise).toFixed(4)),
    emptyCells: empty,
  };
}
