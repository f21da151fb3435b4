// What the power-assignment conformance cases need of a test framework: tensor-backend's
// describe / it / beforeAll / afterAll, plus an `expect` with the handful of matchers the
// cases assert with (vitest's fits as is), so the cases keep their assertions word for
// word without this package depending on a test framework.
import type { TestApi } from '@aeot/tensor-backend/testing';

/** The matchers the cases use (a subset of vitest's / jest's). */
export interface Assertion {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toBeLessThan(expected: number): void;
  toBeLessThanOrEqual(expected: number): void;
  toBeGreaterThanOrEqual(expected: number): void;
  toThrow(expected?: string | RegExp | (abstract new (...args: never[]) => unknown)): void;
  readonly not: Assertion;
}

/** An `expect` function: vitest's, or any with these matchers and `expect.fail`. */
export interface Expect {
  (actual: unknown, message?: string): Assertion;
  /** Fails the test with `message`. */
  fail(message?: string): never;
}

/** A test framework's `describe`, `it`, `beforeAll`, `afterAll` and `expect`. */
export interface PowerAssignTestApi extends TestApi {
  readonly expect: Expect;
}
