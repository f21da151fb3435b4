// The state one gpu-bench.ts process shares with its item: the parsed command-line options,
// the output and work folders, the start time, and the helpers that depend on them —
// timestamped logging, writing <out>/<item>.json, running one torch_twins.py subcommand, and
// bringing up tfjs's webgpu backend (software adapters only with --allow-software).
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type Backend } from '@aeot/tensor-backend';
import { messageOf, type Json } from './common.js';

/** The values gpu-bench.ts parses (every option has a default there; numbers stay strings). */
export interface BenchOptions {
  item: string;
  out: string;
  work: string;
  python: string;
  torch: string;
  'torch-device': string;
  'no-torch': boolean;
  'allow-software': boolean;
  'matmul-size': string;
  n: string;
  ms: string;
  dims: string;
  reps: string;
  'composite-max-s': string;
  'assign-budget-s': string;
  'sdot-m': string;
  'sdot-d': string;
  'sdot-seconds': string;
  'sdot-max-steps': string;
  'mass-samples': string;
  'ae-batch': string;
  'ae-steps': string;
  'ae-nets': string;
  'torch-timeout-s': string;
}

export interface BenchContext {
  readonly opts: BenchOptions;
  readonly outDir: string;
  readonly workDir: string;
  /** performance.now() at the start of the run: the origin of log times and of an item's time budget. */
  readonly started: number;
  log(...a: unknown[]): void;
  /** Writes <out>/<item>.json. */
  save(item: string, result: Json): void;
  /** Runs one subcommand of torch_twins.py; returns its last JSON line. */
  torchTwin(args: string[], timeoutS?: number): Json;
  webgpu(): Promise<Backend>;
}

export function createContext(opts: BenchOptions, started: number): BenchContext {
  const outDir = opts.out;
  const workDir = opts.work;
  const log = (...a: unknown[]): void => console.log(`[${opts.item} +${((performance.now() - started) / 1e3).toFixed(1)}s]`, ...a);

  function torchTwin(args: string[], timeoutS = Number(opts['torch-timeout-s'])): Json {
    if (opts['no-torch']) return { skipped: '--no-torch' };
    if (!existsSync(opts.torch)) return { error: `torch twin not found at ${opts.torch}` };
    const t0 = performance.now();
    const r = spawnSync(opts.python, [opts.torch, ...args, '--device', opts['torch-device']], {
      encoding: 'utf8',
      timeout: timeoutS * 1000,
      maxBuffer: 64 << 20,
      env: { ...process.env, PYTHONUNBUFFERED: '1' },
    });
    const seconds = (performance.now() - t0) / 1e3;
    for (const line of (r.stderr ?? '').split('\n').filter((l) => l.trim() !== '').slice(-20)) console.log(`  [torch stderr] ${line}`);
    const lines = (r.stdout ?? '').split('\n').filter((l) => l.startsWith('{'));
    for (const line of lines) console.log(`  [torch] ${line.length > 400 ? `${line.slice(0, 400)} …` : line}`);
    if (r.error !== undefined || r.status !== 0) {
      const why = r.error !== undefined ? messageOf(r.error) : `exit ${r.status ?? r.signal}`;
      return { error: `torch_twins.py ${args[0]} failed after ${seconds.toFixed(1)} s (${why}): ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}` };
    }
    const last = lines.at(-1);
    if (last === undefined) return { error: `torch_twins.py ${args[0]} printed no JSON` };
    return JSON.parse(last) as Json;
  }

  async function webgpu(): Promise<Backend> {
    const backend = await initBackend({ backend: 'webgpu', webgpu: { allowSoftwareAdapter: opts['allow-software'] } });
    if (tf.getBackend() !== 'webgpu') throw new Error(`active tfjs backend is ${tf.getBackend()}, not webgpu`);
    log(`backend ${backend.name}: ${backend.device.description}${backend.device.software === true ? ' (SOFTWARE adapter)' : ''}`);
    return backend;
  }

  function save(item: string, result: Json): void {
    const path = join(outDir, `${item}.json`);
    writeFileSync(path, JSON.stringify(result, null, 1));
    log(`wrote ${path}`);
  }

  return { opts, outDir, workDir, started, log, save, torchTwin, webgpu };
}
