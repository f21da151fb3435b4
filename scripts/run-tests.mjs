// `pnpm test`: runs vitest (both projects, or the ones named in the arguments), then
// prints one plain line "N passed, M failed, K skipped" counted from vitest's JSON
// report, so a run that executed no test cannot pass for a green one. Exits with
// vitest's status, or 1 when no test ran.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const report = 'test-results/vitest.json';
rmSync(report, { force: true });
const run = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
if (!existsSync(report)) {
  console.log('0 passed, 0 failed');
  console.error('[aeot] vitest wrote no report: no test ran');
  process.exit(run.status || 1);
}
const r = JSON.parse(readFileSync(report, 'utf8'));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
process.exit(run.status !== 0 ? (run.status ?? 1) : r.numPassedTests > 0 ? 0 : 1);
