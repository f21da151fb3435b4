// Boundary validation helpers: one message form for every package,
// `"name" expected <what>, got <value>`.

/** Short, safe description of a value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name} of length ${(value as unknown as ArrayLike<unknown>).length}`;
  if (typeof value === 'function') return 'a function';
  return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
}

/** Throws `TypeError` unless `value` is a string. */
export function expectString(name: string, value: unknown): string {
  if (typeof value !== 'string') throw new TypeError(`"${name}" expected a string, got ${describeValue(value)}`);
  return value;
}

/** Throws `TypeError` / `RangeError` unless `value` is an integer in [min, max]. */
export function expectInteger(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number') throw new TypeError(`"${name}" expected an integer, got ${describeValue(value)}`);
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`"${name}" expected an integer ${range}, got ${describeValue(value)}`);
  }
  return value;
}

/** Throws `TypeError` unless `value` is a boolean. */
export function expectBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`"${name}" expected a boolean, got ${describeValue(value)}`);
  return value;
}

/** Throws `RangeError` unless `value` is one of `allowed`. */
export function expectOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    const list = allowed.map((a) => `'${a}'`).join(', ');
    const err = typeof value === 'string' ? RangeError : TypeError;
    throw new err(`"${name}" expected one of ${list}, got ${describeValue(value)}`);
  }
  return value as T;
}

/**
 * A finite number > 0.
 *
 * @throws {TypeError} for a non-number; a RangeError otherwise.
 */
export function expectPositive(name: string, value: unknown): number {
  if (typeof value !== 'number') throw new TypeError(`"${name}" expected a finite number > 0, got ${describeValue(value)}`);
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`"${name}" expected a finite number > 0, got ${describeValue(value)}`);
  return value;
}

/**
 * A finite number ≥ 0.
 *
 * @throws {TypeError} for a non-number; a RangeError otherwise.
 */
export function expectNonNegative(name: string, value: unknown): number {
  if (typeof value !== 'number') throw new TypeError(`"${name}" expected a finite number ≥ 0, got ${describeValue(value)}`);
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`"${name}" expected a finite number ≥ 0, got ${describeValue(value)}`);
  return value;
}
