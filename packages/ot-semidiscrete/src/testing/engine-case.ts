// The shape of a conformance case for a CPU power-assignment engine (the WebAssembly
// kernel in each SIMD flavour, the native addon with each instruction set): what a case
// gets to work with, and how it says that it does not apply.
import type { CpuPowerAssignEngine } from '../kernels/cpu/cpu-power-assign-engine.js';
import type { EngineSubject } from './engine-subjects.js';
import type { Expect } from './expect.js';

/** What an engine case works with. */
export interface EngineCaseContext {
  /** The test framework's `expect`. */
  readonly expect: Expect;
  /** The engine under test, as described to the suite. */
  readonly subject: EngineSubject;
  /** The engine under test, computing with 1 or 2 threads (two separate instances). */
  engine(threads: 1 | 2): CpuPowerAssignEngine;
  /**
   * The WebAssembly relaxed-SIMD kernel (1 thread), which an engine that computes each
   * score with fused multiply-adds must match bit for bit; undefined when the engine
   * does not (then `bitReferenceAbsent` says why).
   */
  readonly bitReference: CpuPowerAssignEngine | undefined;
  /** Why there is no {@link bitReference}, when there is none. */
  readonly bitReferenceAbsent: string | undefined;
}

/** One conformance case of the CPU engines. */
export interface EngineCase {
  /** Unique, descriptive name. */
  readonly name: string;
  /** Returns the reason this case does not apply to the engine in `ctx`, or undefined to run it. */
  skip?(ctx: EngineCaseContext): string | undefined;
  /** Runs the case; throws (through `ctx.expect`) when the engine is wrong. */
  run(ctx: EngineCaseContext): void | Promise<void>;
}
