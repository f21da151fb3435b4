// The pure-JS backend in Chromium: the same cases, a second platform.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { initBackend } from '../../src/index.js';
import { defineConformanceSuite } from '../../src/testing/index.js';

defineConformanceSuite({ describe, it, beforeAll, afterAll }, 'conformance: cpu (Chromium)', () => initBackend({ backend: 'cpu' }));
