// @aeot/ot-semidiscrete/testing: the power-assignment conformance suite — cases defined
// once, run on every CPU engine (called directly) and on every tfjs backend's
// POWER_ASSIGN kernel — with its float64 reference, the seeded problems it draws, and
// the checks it judges with. Benchmarks use the problems and the generator too.
export { type EngineCase, type EngineCaseContext } from './engine-case.js';
export { nativeEngineSubject, wasmEngineSubject, type EngineSubject } from './engine-subjects.js';
export {
  definePowerAssignEngineSuite,
  definePowerAssignKernelSuite,
  powerAssignEngineCases,
  powerAssignKernelCases,
  startPowerAssignBackend,
} from './define-suites.js';
export { type Assertion, type Expect, type PowerAssignTestApi } from './expect.js';
export { bindKernelCases, hasLanes, type KernelCase, type KernelCaseContext } from './kernel-case.js';
export { mulberry32 } from './mulberry32.js';
export { powerAssignChecks, type AssignResult, type KernelResult, type PowerAssignChecks } from './power-assign-checks.js';
export { problem, randomProblem, type Problem } from './power-assign-problems.js';
export { close, reference, referenceTopK, score64, type ReferenceTopK } from './power-assign-reference.js';
export { liveCounts, run, runAssign, withLanes, type Engine } from './run-power-assign.js';
