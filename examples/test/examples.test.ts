// The README's main command and the package README's example run as written.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (script: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', join(root, script), ...args], { cwd: root, encoding: 'utf8' });

describe('examples', () => {
  it('the main job reports every backend and passes conformance on each available one', () => {
    const r = run('src/main.ts');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/tensorflow\s+no\s+unavailable: optional package "@tensorflow\/tfjs-node-gpu"/);
    expect(r.stdout).toMatch(/'auto' picks: wasm/);
    for (const name of ['wasm', 'cpu']) expect(r.stdout).toMatch(new RegExp(`\\n  ${name}\\s+\\d+ passed, 0 failed`));
    expect(r.stdout).not.toMatch(/FAILED/);
  });

  it('the tensor-backend README example saves and reloads what it computed', () => {
    const r = run('src/tensor-backend-readme.ts', mkdtempSync(join(tmpdir(), 'aeot-readme-')));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^wasm WebAssembly/m);
    expect(r.stdout).toMatch(/^1 \[ 1024, 1024 \]$/m);
  });
});
