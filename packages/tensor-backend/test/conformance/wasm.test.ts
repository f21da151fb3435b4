import { afterAll, beforeAll, describe, it } from 'vitest';
import { initBackend } from '../../src/index.js';
import { defineConformanceSuite } from '../../src/testing/index.js';

defineConformanceSuite({ describe, it, beforeAll, afterAll }, 'conformance: wasm', () => initBackend({ backend: 'wasm' }));
