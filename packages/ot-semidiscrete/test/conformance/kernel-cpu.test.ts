// The kernel cases on tfjs's cpu backend, through the CPU engine preparePowerAssignKernels
// registers (the native addon where it loads, else WebAssembly).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePowerAssignKernelSuite, startPowerAssignBackend } from '../../src/testing/index.js';

definePowerAssignKernelSuite({ describe, it, beforeAll, afterAll, expect }, 'power assignment kernel: cpu', () => startPowerAssignBackend('cpu'));
