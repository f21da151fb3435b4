// The dependency-rule check of `pnpm check` (scripts/check-imports.mjs): a small
// workspace written to a temp folder, each rule broken once, must be reported line by
// line and fail the command; the same workspace without the faults, and this repository,
// must pass.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { checkImports, importSpecifiers } from '../check-imports.mjs';

const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'check-imports.mjs');
const roots: string[] = [];

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'aeot-imports-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const manifest = (name: string, deps: Record<string, string> = {}, exports: Record<string, unknown> = { '.': './src/index.ts' }) =>
  JSON.stringify({ name, type: 'module', exports, dependencies: deps });

// A clean workspace: the table's first three packages and an example.
const clean: Record<string, string> = {
  'packages/tensor-backend/package.json': manifest('@aeot/tensor-backend', {}, { '.': './src/index.ts', './testing': './src/testing/index.ts' }),
  'packages/tensor-backend/src/index.ts': "export { rng } from './rng.js';\n",
  'packages/tensor-backend/src/rng.ts': 'export const rng = 1;\n',
  'packages/tensor-backend/src/testing/index.ts': 'export const cases = [];\n',
  'packages/datasets/package.json': manifest('@aeot/datasets', { '@aeot/tensor-backend': 'workspace:^' }),
  'packages/datasets/src/index.ts': "import { rng } from '@aeot/tensor-backend';\nexport const ring = rng;\n",
  'packages/datasets/test/index.test.ts': "import { ring } from '@aeot/datasets';\nimport { cases } from '@aeot/tensor-backend/testing';\nvoid ring; void cases;\n",
  'packages/ot-semidiscrete/package.json': manifest('@aeot/ot-semidiscrete', { '@aeot/tensor-backend': 'workspace:^' }),
  'packages/ot-semidiscrete/src/index.ts': "export { solve } from './solver.js';\n",
  'packages/ot-semidiscrete/src/solver.ts': "import { rng } from '@aeot/tensor-backend';\n// import { ring } from '@aeot/datasets'; (a comment, not an import)\nexport const solve = () => rng;\n",
  'examples/src/main.ts': "import { solve } from '@aeot/ot-semidiscrete';\nimport { ring } from '@aeot/datasets';\nvoid solve; void ring;\n",
};

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('importSpecifiers', () => {
  it('reads static, re-export, side-effect, dynamic and require imports, and skips comments', () => {
    const text = [
      "import * as tf from '@tensorflow/tfjs-core';",
      "import type { A } from './a.js';",
      "export { b } from './b.js';",
      "import './register.js';",
      "const m = await import('@aeot/datasets');",
      "/* import { x } from '@aeot/metrics'; */",
      "// import { y } from '@aeot/autoencoder';",
      "const r = require('node:fs');",
    ].join('\n');
    expect(importSpecifiers(text)).toEqual([
      { specifier: '@tensorflow/tfjs-core', line: 1 },
      { specifier: './a.js', line: 2 },
      { specifier: './b.js', line: 3 },
      { specifier: './register.js', line: 4 },
      { specifier: '@aeot/datasets', line: 5 },
      { specifier: 'node:fs', line: 8 },
    ]);
  });
});

describe('checkImports', () => {
  it('passes a workspace that follows the table', () => {
    expect(checkImports({ root: workspace(clean) })).toEqual([]);
  });

  it('reports each broken rule with its file and line', () => {
    const root = workspace({
      ...clean,
      // datasets may not import the OT solver (code and manifest)
      'packages/datasets/package.json': manifest('@aeot/datasets', { '@aeot/tensor-backend': 'workspace:^', '@aeot/ot-semidiscrete': 'workspace:^' }),
      'packages/datasets/src/mixture.ts': "import { rng } from '@aeot/tensor-backend';\nimport { solve } from '@aeot/ot-semidiscrete';\nexport const m = [rng, solve];\n",
      // the foundation imports nothing of ours
      'packages/tensor-backend/src/rng.ts': "export { solve } from '@aeot/ot-semidiscrete';\nexport const rng = 1;\n",
      // a relative path into another package
      'packages/ot-semidiscrete/src/solver.ts': "import { rng } from '../../tensor-backend/src/rng.js';\nexport const solve = () => rng;\n",
      // a file cycle and an own-barrel import
      'packages/ot-semidiscrete/src/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'packages/ot-semidiscrete/src/b.ts': "import { a } from './a.js';\nimport { solve } from './index.js';\nexport const b = () => [a, solve];\n",
      // consumers: a deep import and a relative reach into a package
      'examples/src/main.ts': "import { solve } from '@aeot/ot-semidiscrete/src/solver.js';\nvoid solve;\n",
      'bench/assign.ts': "import { rng } from '../packages/tensor-backend/src/index.js';\nvoid rng;\n",
    });
    const problems: string[] = checkImports({ root });
    const expected = [
      /^packages\/datasets\/package\.json: dependencies lists @aeot\/ot-semidiscrete, which @aeot\/datasets may not depend on/,
      /^packages\/datasets\/src\/mixture\.ts:2: @aeot\/datasets may not import "@aeot\/ot-semidiscrete" \(allowed: @aeot\/tensor-backend;/,
      /^packages\/tensor-backend\/src\/rng\.ts:1: @aeot\/tensor-backend may not import "@aeot\/ot-semidiscrete" \(allowed: none;/,
      /^packages\/ot-semidiscrete\/src\/solver\.ts:1: "\.\.\/\.\.\/tensor-backend\/src\/rng\.js" reaches into another package's files \(packages\/tensor-backend\)/,
      /^packages\/ot-semidiscrete\/src\/b\.ts:2: imports its own package barrel/,
      /import cycle packages\/ot-semidiscrete\/src\/(a|b)\.ts -> packages\/ot-semidiscrete\/src\/(a|b)\.ts -> /,
      /^examples\/src\/main\.ts:1: "@aeot\/ot-semidiscrete\/src\/solver\.js" is not a public export of @aeot\/ot-semidiscrete \(exports: \.\)/,
      /^bench\/assign\.ts:1: "\.\.\/packages\/tensor-backend\/src\/index\.js" reaches into another package's files/,
    ];
    for (const pattern of expected) expect(problems.some((p) => pattern.test(p)), `${pattern} in\n${problems.join('\n')}`).toBe(true);
    expect(problems).toHaveLength(expected.length);
  });

  it('fails the command (exit 1) on a forbidden import and passes (exit 0) without it', () => {
    const bad = workspace({ ...clean, 'packages/ot-semidiscrete/src/solver.ts': "import { ring } from '@aeot/datasets';\nexport const solve = () => ring;\n" });
    const failed = spawnSync(process.execPath, [script, '--root', bad], { encoding: 'utf8' });
    expect(failed.status).toBe(1);
    expect(failed.stdout).toContain('packages/ot-semidiscrete/src/solver.ts:1: @aeot/ot-semidiscrete may not import "@aeot/datasets"');
    expect(failed.stdout).toContain('dependency rules: 1 problem(s)');
    const passed = spawnSync(process.execPath, [script, '--root', workspace(clean)], { encoding: 'utf8' });
    expect(passed.status).toBe(0);
    expect(passed.stdout).toContain('dependency rules: clean');
  });

  it('holds for this repository', () => {
    expect(checkImports()).toEqual([]);
  });
});
