// Domain errors of aeot. Argument mistakes are plain TypeError / RangeError (see
// validate.ts); everything a caller may want to branch on carries a stable `code`.

/** Stable codes of {@link AeotError}s; new codes are added, existing ones never change. */
export type AeotErrorCode =
  // @aeot/tensor-backend
  | 'ERR_AEOT_PACKAGE_MISSING'
  | 'ERR_AEOT_BACKEND_UNAVAILABLE'
  | 'ERR_AEOT_BACKEND_INIT'
  | 'ERR_AEOT_KERNEL_UNAVAILABLE'
  | 'ERR_AEOT_CORRUPT_FILE'
  | 'ERR_AEOT_UNSUPPORTED_DTYPE'
  | 'ERR_AEOT_STORAGE'
  | 'ERR_AEOT_CHECKPOINT_MISMATCH'
  // @aeot/ot-semidiscrete and @aeot/autoencoder (long runs)
  | 'ERR_AEOT_ABORTED'
  // @aeot/autoencoder
  | 'ERR_AEOT_EMPTY_DATASET'
  | 'ERR_AEOT_IMAGE_SHAPE'
  | 'ERR_AEOT_NON_FINITE_LOSS'
  // @aeot/metrics
  | 'ERR_AEOT_NON_FINITE_FEATURES'
  | 'ERR_AEOT_DISPOSED'
  | (string & {});

/**
 * Base class of the errors aeot throws for conditions outside the caller's arguments
 * (a missing optional package, a backend that cannot start, a corrupt file).
 * Branch on `code`, not on the message.
 */
export class AeotError extends Error {
  /** Stable machine-readable code, e.g. `ERR_AEOT_PACKAGE_MISSING`. */
  readonly code: AeotErrorCode;

  constructor(code: AeotErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * An optional package that a requested feature needs is not installed (or failed to
 * load). `packageName` is what to install; `requirements` says what else it needs.
 */
export class MissingPackageError extends AeotError {
  readonly packageName: string;
  readonly requirements: string;

  constructor(packageName: string, requirements: string, options?: { cause?: unknown }) {
    super(
      'ERR_AEOT_PACKAGE_MISSING',
      `optional package "${packageName}" is not installed or failed to load; ` +
        `install it with \`npm i ${packageName}\`` +
        (requirements ? ` (${requirements})` : ''),
      options,
    );
    this.packageName = packageName;
    this.requirements = requirements;
  }
}

/** A backend was requested explicitly but cannot run here; `reason` says why. */
export class BackendUnavailableError extends AeotError {
  readonly backend: string;
  readonly reason: string;

  constructor(backend: string, reason: string, options?: { cause?: unknown }) {
    super('ERR_AEOT_BACKEND_UNAVAILABLE', `backend "${backend}" is unavailable: ${reason}`, options);
    this.backend = backend;
    this.reason = reason;
  }
}

/**
 * Saved state (a solver state, a training checkpoint) that belongs to another problem,
 * net or set of options, so resuming from it would silently mix two runs. One class for
 * every package that resumes long work.
 */
export class CheckpointMismatchError extends AeotError {
  /** Where the state came from (a path, a key, or the option that held it). */
  readonly source: string;
  /** What differs. */
  readonly reason: string;

  constructor(source: string, reason: string, options?: { cause?: unknown; task?: string }) {
    super('ERR_AEOT_CHECKPOINT_MISMATCH', `checkpoint "${source}" cannot resume this ${options?.task ?? 'training'}: ${reason}`, options);
    this.source = source;
    this.reason = reason;
  }
}
