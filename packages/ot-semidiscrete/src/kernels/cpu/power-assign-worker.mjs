// Worker thread of the CPU power assignment (Node worker_threads). It instantiates the
// shared-memory kernel on the memory the main thread owns, then sleeps in Atomics.wait
// on the generation word of the control block; each new generation is either a job (run
// pa_run on the job block, count itself done, wake the main thread) or the order to exit.
// Plain JavaScript so that it loads without a TypeScript loader, from src or dist.
import { parentPort, workerData } from 'node:worker_threads';

// Control block words (Int32 indices), shared with worker-protocol.ts.
const GEN = 0;
const DONE = 1;
const CMD = 2;
const JOB = 3;
const CMD_RUN = 1;

const { module, memory, control, scratch } = workerData;
try {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const run = instance.exports.pa_run;
  const ctrl = new Int32Array(memory.buffer, control, 16);
  let gen = Atomics.load(ctrl, GEN);
  parentPort.postMessage({ ready: true });
  for (;;) {
    Atomics.wait(ctrl, GEN, gen);
    gen = Atomics.load(ctrl, GEN);
    if (Atomics.load(ctrl, CMD) !== CMD_RUN) break;
    try {
      run(Atomics.load(ctrl, JOB), scratch);
    } finally {
      Atomics.add(ctrl, DONE, 1);
      Atomics.notify(ctrl, DONE);
    }
  }
} catch (err) {
  parentPort.postMessage({ error: err instanceof Error ? err.message : String(err) });
}
