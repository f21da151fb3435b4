// `pnpm check`, after the type-check: publint on every package, plus the shape every
// @aeot package shares (ESM, exports with `types` first, sideEffects, the tfjs-core
// peer, README and typedoc.json), and the dependency rules of ARCHITECTURE.md on the code
// (check-imports.mjs). Needs `pnpm build` output (run by `pnpm check`).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { checkImports } from './check-imports.mjs';

let problems = 0;
const report = (pkg, msg) => {
  problems++;
  console.log(`  ${pkg}: ${msg}`);
};

for (const dir of readdirSync('packages')) {
  const pkgDir = join('packages', dir);
  const pkgPath = join(pkgDir, 'package.json');
  if (!existsSync(pkgPath)) continue;
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  const { messages } = await publint({ pkgDir, strict: true, level: 'suggestion', pack: 'npm' });
  for (const m of messages) report(pkg.name, `publint ${m.type}: ${formatMessage(m, pkg) ?? m.code}`);
  if (pkg.type !== 'module') report(pkg.name, 'type must be "module"');
  if (pkg.sideEffects !== false && !Array.isArray(pkg.sideEffects)) report(pkg.name, 'sideEffects must be false (or list the files that register something)');
  if (!pkg.peerDependencies?.['@tensorflow/tfjs-core']) report(pkg.name, '@tensorflow/tfjs-core must be a peerDependency');
  if (pkg.dependencies?.['@tensorflow/tfjs-core']) report(pkg.name, '@tensorflow/tfjs-core must not be a dependency (one engine per application)');
  for (const [sub, target] of Object.entries(pkg.exports ?? {})) {
    if (typeof target === 'object' && Object.keys(target)[0] !== 'types') report(pkg.name, `exports["${sub}"]: "types" must be the first condition`);
  }
  for (const file of ['README.md', 'typedoc.json']) if (!existsSync(join(pkgDir, file))) report(pkg.name, `missing ${file}`);
}
for (const p of checkImports()) report('dependency rules', p);
console.log(problems === 0 ? 'package checks: clean' : `package checks: ${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
