// The wasm backend in Chromium, with its binaries served by the dev server (what a user
// does with `wasm: { paths }` when bundling).
import { afterAll, beforeAll, describe, it } from 'vitest';
import plain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { initBackend } from '../../src/index.js';
import { defineConformanceSuite } from '../../src/testing/index.js';

const paths = { 'tfjs-backend-wasm.wasm': plain, 'tfjs-backend-wasm-simd.wasm': simd, 'tfjs-backend-wasm-threaded-simd.wasm': threadedSimd };

defineConformanceSuite({ describe, it, beforeAll, afterAll }, 'conformance: wasm (Chromium)', () => initBackend({ backend: 'wasm', wasm: { paths } }));
