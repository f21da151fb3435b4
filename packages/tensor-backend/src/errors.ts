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

// ---------------------------------------------------------------------------------
// IO errors: every reader and writer of the package (safetensors, files, IndexedDB,
// fetch) and the packages that load data through it throw these.

/**
 * A file (or byte buffer) is malformed: truncated, a header that is not JSON, offsets
 * out of bounds or overlapping, a size that does not match the shape, an unknown dtype,
 * a broken gzip stream. `format` names the format expected (safetensors by default; IDX,
 * CIFAR-10, PNG, … for data loaders). Nothing is loaded when this is thrown. Code
 * `ERR_AEOT_CORRUPT_FILE`.
 *
 * @example
 * try { await loadTensors('model.safetensors'); }
 * catch (e) { if (e instanceof CorruptFileError) console.log(e.source, e.problem); }
 */
export class CorruptFileError extends AeotError {
  /** The file path, storage key or `bytes` label that was being read. */
  readonly source: string;
  /** What is wrong, without the source. */
  readonly problem: string;
  /** The file format that was expected, e.g. `'safetensors'`, `'IDX'`, `'CIFAR-10'`. */
  readonly format: string;

  /**
   * @param source the file path, storage key or label of the bytes.
   * @param problem what is wrong.
   * @param options `cause`, when another error revealed the problem; `format`, the file
   *   format that was expected (default `'safetensors'`), e.g. `'IDX'` or `'CIFAR-10'`.
   */
  constructor(source: string, problem: string, options?: { cause?: unknown; format?: string }) {
    super('ERR_AEOT_CORRUPT_FILE', `corrupt ${options?.format ?? 'safetensors'} data in "${source}": ${problem}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.format = options?.format ?? 'safetensors';
    this.source = source;
    this.problem = problem;
  }
}

/**
 * A dtype cannot be represented where it was asked for: e.g. a U64 tensor with values
 * beyond int32 loaded as tfjs tensors (load it with `{ as: 'arrays' }` instead), or a
 * sub-byte float format. Code `ERR_AEOT_UNSUPPORTED_DTYPE`.
 *
 * @example
 * try { await loadTensors('big.safetensors'); }
 * catch (e) { if (e instanceof UnsupportedDtypeError) await loadTensors('big.safetensors', { as: 'arrays' }); }
 */
export class UnsupportedDtypeError extends AeotError {
  /** The dtype in question (a safetensors or tfjs dtype name). */
  readonly dtype: string;

  /**
   * @param dtype the dtype name.
   * @param message the full explanation.
   */
  constructor(dtype: string, message: string) {
    super('ERR_AEOT_UNSUPPORTED_DTYPE', message);
    this.dtype = dtype;
  }
}

/**
 * Saving or loading failed outside the data itself: the file cannot be read or
 * written, nothing is stored under an IndexedDB key, the quota is exceeded, or the
 * target kind does not exist on this platform (`indexeddb://` in Node, a file path in
 * the browser). Code `ERR_AEOT_STORAGE`; `cause` holds the underlying error if any.
 *
 * @example
 * try { await loadTensors('indexeddb://missing'); }
 * catch (e) { if (e instanceof StorageError) console.log(e.target, e.message); }
 */
export class StorageError extends AeotError {
  /** The target or source as the caller wrote it. */
  readonly target: string;

  /**
   * @param target the path or URL-like target.
   * @param message the full explanation.
   * @param options `cause`: the underlying error.
   */
  constructor(target: string, message: string, options?: { cause?: unknown }) {
    super('ERR_AEOT_STORAGE', message, options);
    this.target = target;
  }
}
