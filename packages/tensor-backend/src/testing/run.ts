// Running conformance cases: as a plain report (the demo, other runners) or as tests in
// any describe/it framework (vitest, jest, mocha).
import * as tf from '@tensorflow/tfjs-core';
import type { Backend } from '../backend.js';
import { defaultTolerance } from './assert.js';
import { coreConformanceCases, type ConformanceCase } from './cases.js';

/** Outcome of one case. */
export type CaseResult =
  | { readonly name: string; readonly status: 'passed'; readonly ms: number }
  | { readonly name: string; readonly status: 'failed'; readonly error: string; readonly ms: number }
  | { readonly name: string; readonly status: 'skipped'; readonly reason: string };

/** Report of {@link runConformance}. */
export interface ConformanceReport {
  readonly backend: string;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly results: readonly CaseResult[];
}

/** Options of {@link runConformance}. */
export interface RunConformanceOptions {
  /** Cases to run. Default: the core cases plus none extra. */
  readonly cases?: readonly ConformanceCase[];
  /** Relative tolerance override. Default: from the backend's float precision. */
  readonly tolerance?: number;
  /** Called after each case. */
  readonly onResult?: (result: CaseResult) => void;
}

/** Runs one case on `backend` (which must be the active tfjs backend). */
export async function runCase(c: ConformanceCase, backend: Backend, tolerance = defaultTolerance(backend)): Promise<void> {
  if (tf.getBackend() !== backend.name) {
    throw new Error(`conformance: backend "${backend.name}" is not the active tfjs backend ("${tf.getBackend()}")`);
  }
  await c.run({ backend, tf, tol: tolerance });
}

/**
 * Runs conformance cases on a backend and reports every outcome; never throws for a
 * failing case.
 *
 * @param backend - from `initBackend`, and still the active backend.
 * @param options - cases, tolerance, progress callback.
 * @returns counts and per-case results (skips carry their reason).
 * @example
 * const report = await runConformance(await initBackend({ backend: 'wasm' }));
 * console.log(`${report.backend}: ${report.passed} passed, ${report.failed} failed`);
 */
export async function runConformance(backend: Backend, options: RunConformanceOptions = {}): Promise<ConformanceReport> {
  const results: CaseResult[] = [];
  for (const c of options.cases ?? coreConformanceCases()) {
    const reason = c.skip?.(backend);
    let result: CaseResult;
    if (reason !== undefined) {
      result = { name: c.name, status: 'skipped', reason };
    } else {
      const t0 = performance.now();
      try {
        await runCase(c, backend, options.tolerance);
        result = { name: c.name, status: 'passed', ms: performance.now() - t0 };
      } catch (err) {
        result = { name: c.name, status: 'failed', error: err instanceof Error ? err.message : String(err), ms: performance.now() - t0 };
      }
    }
    results.push(result);
    options.onResult?.(result);
  }
  const count = (s: CaseResult['status']) => results.filter((r) => r.status === s).length;
  return { backend: backend.name, passed: count('passed'), failed: count('failed'), skipped: count('skipped'), results };
}

/** The parts of a describe/it test framework the suite needs (vitest, jest, mocha all fit). */
export interface TestApi {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>): void;
  beforeAll(body: () => Promise<void>): void;
  afterAll(body: () => Promise<void> | void): void;
}

/** The test context's skip with a note (vitest `ctx.skip(note)`), when the framework has one. */
type Skipper = (note: string) => never;

/**
 * Declares the conformance suite as tests. `setup` starts the backend, or returns a
 * string saying why it cannot run here; every case is then skipped with that reason.
 *
 * @param api - `{ describe, it, beforeAll, afterAll }` of the test framework.
 * @param title - suite title, e.g. `'conformance: wasm'`.
 * @param setup - starts the backend to test (it must stay active through the suite).
 * @param extraCases - cases of your own kernels, run after the core cases.
 * @example
 * import { describe, it, beforeAll, afterAll } from 'vitest';
 * defineConformanceSuite({ describe, it, beforeAll, afterAll }, 'conformance: wasm',
 *   () => initBackend({ backend: 'wasm' }));
 */
export function defineConformanceSuite(
  api: TestApi,
  title: string,
  setup: () => Promise<Backend | string>,
  extraCases: readonly ConformanceCase[] = [],
): void {
  api.describe(title, () => {
    let backend: Backend | undefined;
    let unavailable: string | undefined;
    api.beforeAll(async () => {
      const r = await setup();
      if (typeof r === 'string') unavailable = r;
      else backend = r;
    });
    api.afterAll(() => backend?.dispose());
    for (const c of [...coreConformanceCases(), ...extraCases]) {
      const body = async function (this: unknown, ...args: unknown[]): Promise<void> {
        const ctx = args[0] as { skip?: Skipper } | undefined;
        const reason = unavailable ?? (backend ? c.skip?.(backend) : 'backend did not start');
        if (reason !== undefined) {
          if (typeof ctx?.skip === 'function') ctx.skip(reason);
          return;
        }
        await runCase(c, backend!);
      };
      api.it(c.name, body);
    }
  });
}
