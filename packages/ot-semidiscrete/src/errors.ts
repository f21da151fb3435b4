// The errors this package throws beyond TypeError / RangeError for bad arguments: an
// aborted solve (resumable from the state it carries), and a saved state that belongs to
// another problem — tensor-backend's CheckpointMismatchError, the one class every aeot
// package throws when a checkpoint cannot resume the run at hand.
import { AeotError, CheckpointMismatchError } from '@aeot/tensor-backend';
import type { SolverState } from './solver-state.js';

export { CheckpointMismatchError };

/**
 * The solve was stopped by its `signal`; `state` resumes it exactly (`resumeFrom:
 * error.state`). Code `ERR_AEOT_ABORTED`.
 *
 * @example
 * try { await solveSemiDiscrete({ targets, signal }); }
 * catch (e) { if (e instanceof SolveAbortedError) await solveSemiDiscrete({ targets, resumeFrom: e.state }); }
 */
export class SolveAbortedError extends AeotError {
  /** Everything the solve needs to continue where it stopped. */
  readonly state: SolverState;

  constructor(state: SolverState) {
    super('ERR_AEOT_ABORTED', `semi-discrete OT solve aborted after step ${state.step}; pass error.state (or the checkpoint) as resumeFrom to continue`);
    this.name = 'SolveAbortedError';
    this.state = state;
  }
}

/**
 * @deprecated Use {@link CheckpointMismatchError} (code `ERR_AEOT_CHECKPOINT_MISMATCH`),
 * which this now is: `resumeFrom` holding the state of another problem or settings
 * throws it with `task` `'solve'`.
 */
export const ResumeMismatchError = CheckpointMismatchError;
/** @deprecated Use {@link CheckpointMismatchError}. */
export type ResumeMismatchError = CheckpointMismatchError;
