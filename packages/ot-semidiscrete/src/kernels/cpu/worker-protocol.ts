// The main-thread side of the protocol between CpuPowerAssign and its Node worker
// threads (power-assign-worker.mjs is the other side, and repeats the word indices: it
// is plain JavaScript so that it loads from src and dist alike). Every worker
// instantiates the kernel on the shared memory and sleeps on the generation word of a
// control block; bumping the generation either starts a job, which every worker and the
// calling thread take chunks of, or orders the workers to exit.
import { importNode } from './power-assign-module.js';

// Control block words (Int32 indices).
const GEN = 0;
const DONE = 1;
const CMD = 2;
const JOB = 3;
const CMD_RUN = 1;
const CMD_EXIT = 2;
/** Int32 words of the control block. */
export const CONTROL_WORDS = 16;

/** Minimal view of a Node worker (node:worker_threads), so the browser build needs no types from Node. */
export interface NodeWorker {
  on(event: 'message', listener: (message: { ready?: boolean; error?: string }) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  unref(): void;
  terminate(): Promise<number>;
}

/**
 * Starts `count` worker threads on the shared `memory` and waits until each has
 * instantiated the kernel; they never keep the process alive. When one fails, all are
 * terminated and the error is thrown.
 *
 * @param module - the compiled shared-memory kernel.
 * @param control - byte offset of the control block in `memory`.
 * @param scratchOf - byte offset of worker w's scratch (w = 0 … count − 1).
 */
export async function startWorkers(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  control: number,
  scratchOf: (worker: number) => number,
  count: number,
): Promise<NodeWorker[]> {
  const { Worker } = await importNode<typeof import('node:worker_threads')>('node:worker_threads');
  const url = new URL('./power-assign-worker.mjs', import.meta.url);
  const workers: NodeWorker[] = [];
  try {
    await Promise.all(
      Array.from({ length: count }, async (_, w) => {
        const workerData = { module, memory, control, scratch: scratchOf(w) };
        const worker = new Worker(url, { workerData }) as unknown as NodeWorker;
        workers.push(worker);
        await new Promise<void>((resolve, reject) => {
          worker.on('message', (message) => (message.error === undefined ? resolve() : reject(new Error(`power assignment worker: ${message.error}`))));
          worker.on('error', reject);
        });
        worker.unref();
      }),
    );
  } catch (err) {
    for (const worker of workers) void worker.terminate();
    throw err;
  }
  return workers;
}

/**
 * Runs the job at byte offset `job` on `workers` worker threads and, through `runHere`,
 * on the calling thread; returns once every worker has finished its share.
 */
export function runOnWorkers(memory: WebAssembly.Memory, control: number, job: number, workers: number, runHere: () => void): void {
  const ctrl = new Int32Array(memory.buffer, control, CONTROL_WORDS);
  Atomics.store(ctrl, DONE, 0);
  Atomics.store(ctrl, JOB, job);
  Atomics.store(ctrl, CMD, CMD_RUN);
  Atomics.add(ctrl, GEN, 1);
  Atomics.notify(ctrl, GEN);
  runHere();
  for (;;) {
    const done = Atomics.load(ctrl, DONE);
    if (done >= workers) break;
    Atomics.wait(ctrl, DONE, done);
  }
}

/** Orders the workers to leave their loop, then terminates them. */
export function stopWorkers(memory: WebAssembly.Memory, control: number, workers: readonly NodeWorker[]): void {
  if (workers.length === 0) return;
  const ctrl = new Int32Array(memory.buffer, control, CONTROL_WORDS);
  Atomics.store(ctrl, CMD, CMD_EXIT);
  Atomics.add(ctrl, GEN, 1);
  Atomics.notify(ctrl, GEN);
  for (const worker of workers) void worker.terminate();
}
