// Property tests of the loaders a user can point at a file or URL (safetensors, IDX,
// CIFAR, model.json, saved maps, generators, checkpoints, images). One contract for all:
// on any bytes a loader either loads or throws the package's typed error; it never
// crashes the process, hangs, or keeps more memory than the input justifies.
//
// `bytesArbitrary(fc, seeds)` makes the inputs: random bytes, and valid files mutated the
// ways real damage and attacks look (bit flips, truncation, overwritten length fields,
// spliced and repeated chunks). `checkLoader` runs one input against the contract and
// tallies the outcome in a `FuzzTally`. The run count comes from `fuzzRuns(n)`:
// `AEOT_FUZZ_RUNS` overrides the small default of the test suite (the bench sets 10,000).
import type * as FastCheck from 'fast-check';
import { AeotError } from '../errors.js';

/** The fast-check module (passed in, so this file needs fast-check only where it is used). */
export type FastCheckModule = typeof FastCheck;

/**
 * Runs per property: `AEOT_FUZZ_RUNS` when set (a positive integer), else `inTests`.
 *
 * @throws {RangeError} when `AEOT_FUZZ_RUNS` is set but not a positive integer.
 */
export function fuzzRuns(inTests: number): number {
  const env = typeof process === 'undefined' ? undefined : process.env.AEOT_FUZZ_RUNS;
  if (env === undefined || env === '') return inTests;
  const n = Number(env);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`AEOT_FUZZ_RUNS expected a positive integer, got ${JSON.stringify(env)}`);
  return n;
}

/** The seed of every property run: `AEOT_FUZZ_SEED` when set, else 20261204 (reproducible). */
export function fuzzSeed(): number {
  const env = typeof process === 'undefined' ? undefined : process.env.AEOT_FUZZ_SEED;
  const n = env === undefined || env === '' ? 20261204 : Number(env);
  return Number.isInteger(n) ? n : 20261204;
}

/** Options of {@link bytesArbitrary}. */
export interface BytesArbitraryOptions {
  /** Longest purely random input (default 4096 bytes). */
  maxRandomLength?: number;
  /** Byte offsets worth hitting more often (headers, length fields); default the first 64. */
  hotOffsets?: readonly number[];
}

const INTERESTING_U32 = [0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff] as const;

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'u32'; at: number; value: number; bigEndian: boolean }
  | { kind: 'truncate'; at: number }
  | { kind: 'extend'; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'repeat'; at: number; length: number };

function applyMutation(input: Uint8Array, m: Mutation): Uint8Array {
  const n = input.length;
  const pos = (at: number): number => (n === 0 ? 0 : at % n);
  switch (m.kind) {
    case 'flip': {
      if (n === 0) return input;
      const out = input.slice();
      out[pos(m.at)]! ^= 1 << m.bit;
      return out;
    }
    case 'byte': {
      if (n === 0) return input;
      const out = input.slice();
      out[pos(m.at)] = m.value;
      return out;
    }
    case 'u32': {
      if (n < 4) return input;
      const out = input.slice();
      const at = m.at % (n - 3);
      new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(at, m.value >>> 0, !m.bigEndian);
      return out;
    }
    case 'truncate':
      return input.slice(0, n === 0 ? 0 : m.at % n);
    case 'extend': {
      const out = new Uint8Array(n + m.bytes.length);
      out.set(input);
      out.set(m.bytes, n);
      return out;
    }
    case 'delete': {
      if (n === 0) return input;
      const at = pos(m.at);
      const len = Math.min(m.length, n - at);
      const out = new Uint8Array(n - len);
      out.set(input.subarray(0, at));
      out.set(input.subarray(at + len), at);
      return out;
    }
    case 'repeat': {
      if (n === 0) return input;
      const at = pos(m.at);
      const chunk = input.subarray(at, Math.min(n, at + m.length));
      const out = new Uint8Array(n + chunk.length);
      out.set(input.subarray(0, at + chunk.length));
      out.set(chunk, at + chunk.length);
      out.set(input.subarray(at + chunk.length), at + 2 * chunk.length);
      return out;
    }
  }
}

/**
 * Inputs for a loader: random bytes (a quarter of the draws) and the `seeds` (valid files
 * of the format) with 1–4 mutations each. Shrinks toward fewer mutations.
 *
 * @param fc the fast-check module.
 * @param seeds valid inputs of the format (at least one).
 */
export function bytesArbitrary(fc: FastCheckModule, seeds: readonly Uint8Array[], options: BytesArbitraryOptions = {}): FastCheck.Arbitrary<Uint8Array> {
  if (seeds.length === 0) throw new RangeError('"seeds" expected at least one valid input');
  const maxRandom = options.maxRandomLength ?? 4096;
  const hot = options.hotOffsets ?? Array.from({ length: 64 }, (_, i) => i);
  const maxLen = Math.max(...seeds.map((s) => s.length), 1);
  const offset = fc.oneof(fc.constantFrom(...hot), fc.nat({ max: maxLen }));
  const mutation: FastCheck.Arbitrary<Mutation> = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: offset, bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('byte' as const), at: offset, value: fc.constantFrom(0x00, 0xff, 0x7f, 0x80, 0x22, 0x7b, 0x7d, 0x2c, 0x3a) }),
    fc.record({
      kind: fc.constant('u32' as const),
      at: offset,
      value: fc.oneof(fc.constantFrom(...INTERESTING_U32), fc.nat()),
      bigEndian: fc.boolean(),
    }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat({ max: maxLen }) }),
    fc.record({ kind: fc.constant('extend' as const), bytes: fc.uint8Array({ maxLength: 64 }) }),
    fc.record({ kind: fc.constant('delete' as const), at: offset, length: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ kind: fc.constant('repeat' as const), at: offset, length: fc.integer({ min: 1, max: 64 }) }),
  );
  const mutated = fc
    .tuple(fc.nat({ max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([i, ms]) => ms.reduce((bytes, m) => applyMutation(bytes, m), seeds[i]!));
  return fc.oneof({ weight: 1, arbitrary: fc.uint8Array({ maxLength: maxRandom }) }, { weight: 3, arbitrary: mutated });
}

/**
 * Mutations of a JSON document: values replaced by values of other types (NaN-like
 * strings, huge numbers, negative numbers, nulls, nested objects, long arrays), keys
 * deleted or added. Use for `model.json`, `generator.json` and other descriptors.
 *
 * @param fc the fast-check module.
 * @param seeds valid JSON values of the format.
 */
export function jsonArbitrary(fc: FastCheckModule, seeds: readonly unknown[]): FastCheck.Arbitrary<unknown> {
  if (seeds.length === 0) throw new RangeError('"seeds" expected at least one valid input');
  const weird = fc.oneof(
    fc.constantFrom(null, true, false, 0, -1, 1e308, -1e308, 2 ** 31, 2 ** 53, 0.5, '', 'x', 'NaN', '../../../etc/passwd', '/etc/passwd', 'http://127.0.0.1/x', [], {}, [1, 2, 3]),
    fc.jsonValue({ maxDepth: 2 }),
  );
  const edit = fc.record({ path: fc.array(fc.nat({ max: 50 }), { minLength: 1, maxLength: 4 }), op: fc.constantFrom('set', 'delete', 'add'), value: weird, key: fc.string({ maxLength: 12 }) });
  return fc.tuple(fc.nat({ max: seeds.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 4 })).map(([i, edits]) => {
    const doc = structuredClone(seeds[i]) as unknown;
    let root: unknown = doc;
    for (const e of edits) root = editJson(root, e.path, e.op, e.value, e.key);
    return root;
  });
}

function editJson(root: unknown, pathIdx: number[], op: string, value: unknown, key: string): unknown {
  // Walks down by child indices (mod the number of children) and edits the last container reached.
  if (root === null || typeof root !== 'object') return op === 'set' ? value : root;
  let node = root as Record<string, unknown> | unknown[];
  for (let depth = 0; depth < pathIdx.length; depth++) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const k = keys[pathIdx[depth]! % keys.length]!;
    const child = (node as Record<string, unknown>)[k];
    const last = depth === pathIdx.length - 1 || child === null || typeof child !== 'object';
    if (last) {
      if (op === 'set') (node as Record<string, unknown>)[k] = value;
      else if (op === 'delete') {
        if (Array.isArray(node)) node.splice(Number(k), 1);
        else delete (node as Record<string, unknown>)[k];
      } else if (Array.isArray(node)) node.push(value);
      else (node as Record<string, unknown>)[key] = value;
      return root;
    }
    node = child as Record<string, unknown> | unknown[];
  }
  return root;
}

/** Outcomes of a property run. */
export interface FuzzTally {
  /** Inputs tried. */
  inputs: number;
  /** Inputs that loaded. */
  loaded: number;
  /** Inputs refused with a typed error, by error name and code. */
  refused: Record<string, number>;
}

/** An empty {@link FuzzTally}. */
export function createTally(): FuzzTally {
  return { inputs: 0, loaded: 0, refused: {} };
}

/** Options of {@link checkLoader}. */
export interface CheckLoaderOptions<T> {
  /** Whether an error is one of the loader's typed errors (default: any `AeotError`). */
  isTyped?: (error: unknown) => boolean;
  /** Longest time one input may take (default 5,000 ms). */
  maxMs?: number;
  /**
   * Most bytes (array buffers plus JS heap) the result may hold, as a multiple of the
   * input size, plus `slackBytes` (default 64× + 32 MiB).
   */
  maxBytesPerInputByte?: number;
  slackBytes?: number;
  /** Releases what a successful load returned (tensors, models). */
  dispose?: (result: T) => void | Promise<void>;
  /** Checks a successful load (e.g. that it round-trips); throw to fail the property. */
  verify?: (result: T) => void | Promise<void>;
}

function memoryNow(): number {
  if (typeof process === 'undefined' || typeof process.memoryUsage !== 'function') return 0;
  const m = process.memoryUsage();
  return m.arrayBuffers + m.heapUsed;
}

/**
 * Runs `load` on one input and checks the loader contract: it resolves (then `verify`
 * passes) or throws a typed error; it takes at most `maxMs`; what it returns holds at most
 * `maxBytesPerInputByte · inputBytes + slackBytes` bytes. Tallies the outcome.
 *
 * @throws {Error} describing the broken contract (an untyped error is attached as `cause`).
 */
export async function checkLoader<T>(tally: FuzzTally, inputBytes: number, load: () => Promise<T> | T, options: CheckLoaderOptions<T> = {}): Promise<void> {
  const isTyped = options.isTyped ?? ((e: unknown) => e instanceof AeotError);
  const maxMs = options.maxMs ?? 5000;
  const budget = (options.maxBytesPerInputByte ?? 64) * inputBytes + (options.slackBytes ?? 32 * 2 ** 20);
  tally.inputs++;
  const before = memoryNow();
  const start = Date.now();
  let result: T;
  try {
    result = await load();
  } catch (e) {
    const ms = Date.now() - start;
    if (ms > maxMs) throw new Error(`loader took ${ms} ms (limit ${maxMs}) before throwing`, { cause: e });
    if (!isTyped(e)) {
      const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      throw new Error(`untyped error on a ${inputBytes}-byte input: ${what}`, { cause: e });
    }
    const key = `${(e as Error).name}${(e as { code?: unknown }).code === undefined ? '' : ` ${String((e as { code?: unknown }).code)}`}`;
    tally.refused[key] = (tally.refused[key] ?? 0) + 1;
    return;
  }
  const ms = Date.now() - start;
  try {
    if (ms > maxMs) throw new Error(`loader took ${ms} ms (limit ${maxMs})`);
    const held = memoryNow() - before;
    if (held > budget) throw new Error(`loaded a ${inputBytes}-byte input into ${held} bytes (limit ${budget})`);
    if (options.verify !== undefined) await options.verify(result);
    tally.loaded++;
  } finally {
    if (options.dispose !== undefined) await options.dispose(result);
  }
}

/** One line for a report: `name: N inputs, L loaded, R refused (CorruptFileError …: k, …)`. */
export function formatTally(name: string, tally: FuzzTally): string {
  const refused = Object.values(tally.refused).reduce((a, b) => a + b, 0);
  const kinds = Object.entries(tally.refused)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  return `${name}: ${tally.inputs} inputs, ${tally.loaded} loaded, ${refused} refused${kinds === '' ? '' : ` (${kinds})`}`;
}

/**
 * Records a tally for the fuzz bench: when `AEOT_FUZZ_REPORT` names a directory (Node),
 * writes `<dir>/<name>.json` with the tally and the run settings; otherwise does nothing.
 * Call it once per property, after `fc.assert`.
 */
export async function reportTally(name: string, tally: FuzzTally): Promise<void> {
  const dir = typeof process === 'undefined' ? undefined : process.env.AEOT_FUZZ_REPORT;
  if (dir === undefined || dir === '') return;
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`);
  await fs.writeFile(file, JSON.stringify({ name, ...tally, runs: fuzzRuns(0), seed: fuzzSeed() }, null, 2) + '\n');
}
