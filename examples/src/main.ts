// The main job, for now: report which tfjs backends run on this machine, then run the
// conformance suite of @aeot/tensor-backend on each of them and print the counts.
// Run with `pnpm demo` from the repository root.
import { existsSync } from 'node:fs';
import { availableBackends, initBackend, type BackendName } from '@aeot/tensor-backend';
import { runConformance } from '@aeot/tensor-backend/testing';

// Machines without a GPU: let Dawn find SwiftShader's Vulkan driver when it is installed
// (Debian's chromium package), so the webgpu code path can be exercised on the CPU.
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (process.env.VK_ICD_FILENAMES === undefined && existsSync(SWIFTSHADER)) process.env.VK_ICD_FILENAMES = SWIFTSHADER;

const t0 = performance.now();
console.log('aeot backend report\n');
const rows = await availableBackends({ webgpu: { allowSoftwareAdapter: true } });
for (const row of rows) {
  const what = row.available ? `${row.device.kind}: ${row.device.description}${row.device.software ? ' [software adapter]' : ''}` : `unavailable: ${row.reason}`;
  console.log(`  ${row.name.padEnd(10)} ${row.available ? 'yes' : 'no '}  ${what}`);
}
const auto = await initBackend({ backend: 'auto' });
console.log(`\n'auto' picks: ${auto.name} (${auto.device.description})`);
auto.dispose();

console.log('\nconformance suite per backend:');
let failed = 0;
for (const row of rows) {
  if (!row.available) continue;
  const backend = await initBackend({ backend: row.name as BackendName, webgpu: { allowSoftwareAdapter: true } });
  const start = performance.now();
  const report = await runConformance(backend, {
    onResult: (r) => {
      if (r.status === 'failed') console.log(`    FAILED ${r.name}: ${r.error}`);
      if (r.status === 'skipped') console.log(`    skipped ${r.name}: ${r.reason}`);
    },
  });
  failed += report.failed;
  const ms = (performance.now() - start).toFixed(0);
  console.log(`  ${report.backend.padEnd(10)} ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped (${ms} ms)`);
  backend.dispose();
}
console.log(`\ndone in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
process.exitCode = failed > 0 ? 1 : 0;
