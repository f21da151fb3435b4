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

/**
 * A finite number (any sign).
 *
 * @throws {TypeError} for a non-number; a RangeError for NaN or ±∞.
 */
export function expectFinite(name: string, value: unknown): number {
  if (typeof value !== 'number') throw new TypeError(`"${name}" expected a finite number, got ${describeValue(value)}`);
  if (!Number.isFinite(value)) throw new RangeError(`"${name}" expected a finite number, got ${describeValue(value)}`);
  return value;
}

/**
 * A number in [lo, hi] (or [lo, hi) with `upperOpen`).
 *
 * @throws {TypeError} for a non-number; a RangeError outside the interval or for NaN.
 */
export function expectInInterval(name: string, value: unknown, lo: number, hi: number, upperOpen = false): number {
  const range = `in [${lo}, ${hi}${upperOpen ? ')' : ']'}`;
  if (typeof value !== 'number') throw new TypeError(`"${name}" expected a number ${range}, got ${describeValue(value)}`);
  if (!(value >= lo && (upperOpen ? value < hi : value <= hi))) throw new RangeError(`"${name}" expected a number ${range}, got ${describeValue(value)}`);
  return value;
}

/**
 * `undefined` (read as `{}`) or a plain options object. With `known`, every own key of
 * the object must be one of them (a key set to `undefined` counts as given); a near miss
 * is named in the message (`did you mean "maxSteps"?`).
 *
 * @throws {TypeError} for null, an array or a non-object; a RangeError for an unknown key.
 */
export function expectOptions(name: string, value: unknown, known?: readonly string[]): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw new TypeError(`"${name}" expected an options object, got ${describeValue(value)}`);
  }
  if (known !== undefined) {
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) {
        const near = nearestName(key, known);
        const hint = near === undefined ? `known options: ${known.map((k) => `"${k}"`).join(', ')}` : `did you mean "${near}"?`;
        throw new RangeError(`"${name}" has an unknown option "${key.length > 40 ? key.slice(0, 40) + '…' : key}"; ${hint}`);
      }
    }
  }
  return value as Record<string, unknown>;
}

/**
 * The name in `names` closest to `key` when it is a near miss: case-insensitively equal,
 * or within an edit distance of min(3, max(1, ⌊|key| / 4⌋)) (transpositions count once); else
 * `undefined`.
 */
export function nearestName(key: string, names: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(key.length / 4)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const d = name.toLowerCase() === lower ? 0 : editDistance(lower, name.toLowerCase(), limit);
    if (d < bestDistance) {
      bestDistance = d;
      best = name;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** Optimal-string-alignment distance of a and b, or `cap + 1` when larger than `cap`. */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = v;
    }
  }
  return Math.min(d[rows * cols - 1]!, cap + 1);
}

/**
 * `undefined` or an `AbortSignal` (anything with a boolean `aborted` and
 * `addEventListener`, so that signals from other realms pass).
 *
 * @throws {TypeError} for anything else (e.g. `'yes'` or `true`).
 */
export function expectAbortSignal(name: string, value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  const v = value as { aborted?: unknown; addEventListener?: unknown } | null;
  if (v === null || typeof v !== 'object' || typeof v.aborted !== 'boolean' || typeof v.addEventListener !== 'function') {
    throw new TypeError(`"${name}" expected an AbortSignal, got ${describeValue(value)}`);
  }
  return value as AbortSignal;
}

/** Constructors {@link expectTypedArray} accepts. */
export type TypedArrayConstructor = typeof Float32Array | typeof Float64Array | typeof Int32Array | typeof Uint8Array | typeof Uint32Array;

/**
 * An instance of one typed-array class with at least `minLength` elements.
 *
 * @param what how the minimum is named in the message (e.g. `'n·d'`); default the number itself.
 * @throws {TypeError} for another type; a RangeError when shorter than `minLength`.
 */
export function expectTypedArray<C extends TypedArrayConstructor>(name: string, value: unknown, ctor: C, minLength = 0, what?: string): InstanceType<C> {
  if (!(value instanceof ctor)) {
    throw new TypeError(`"${name}" expected a ${ctor.name}, got ${value === null ? 'null' : typeof value === 'object' ? value.constructor.name : typeof value}`);
  }
  if (value.length < minLength) {
    throw new RangeError(`"${name}" expected at least ${what === undefined ? minLength : `${what} = ${minLength}`} elements, got ${value.length}`);
  }
  return value as InstanceType<C>;
}

/**
 * A tensor shape: an array of integers ≥ 0 whose product fits one typed array (2^31 − 1).
 *
 * @throws {TypeError} for a non-array or a non-integer entry; a RangeError for a negative
 *   entry or too many elements.
 */
export function expectShape(name: string, shape: unknown): number[] {
  if (!Array.isArray(shape)) throw new TypeError(`"${name}" expected an array of integers, got ${describeValue(shape)}`);
  let size = 1;
  const out: number[] = [];
  shape.forEach((d: unknown, i) => {
    out.push(expectInteger(`${name}[${i}]`, d, 0));
    size *= d as number;
  });
  if (size > 2 ** 31 - 1) throw new RangeError(`"${name}" expected at most 2^31 - 1 elements, got ${size}`);
  return out;
}

/**
 * @internal Bounds of a half-open interval [min, max): finite, min < max, and a finite
 * width (so that `min + width · u` cannot overflow).
 *
 * @throws {TypeError} for a non-number; a RangeError for a non-finite bound, min ≥ max,
 *   or an infinite width.
 */
export function expectInterval(min: unknown, max: unknown): [number, number] {
  const lo = expectFinite('min', min);
  const hi = expectFinite('max', max);
  if (!(lo < hi) || !Number.isFinite(hi - lo)) {
    throw new RangeError(`"max" expected a number greater than "min" (${lo}) with a finite difference, got ${hi}`);
  }
  return [lo, hi];
}
