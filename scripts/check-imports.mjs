// The dependency rules of the workspace (ARCHITECTURE.md, "Dependency rules"), checked on
// the code itself: which @aeot package may import which, that examples, bench and docs
// reach packages only through their public exports, that no file reaches into another
// package's folder by a relative path, that no package imports its own barrel, and that
// no package holds an import cycle. Run by `pnpm check`; `node scripts/check-imports.mjs
// [--root DIR]` runs it alone and exits 1 on any problem.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Who may import whom (besides tfjs and third-party packages), by package folder name.
 * The table of ARCHITECTURE.md; a package missing here may import nothing of ours.
 */
export const DEPENDENCY_RULES = {
  'tensor-backend': [],
  datasets: ['tensor-backend'],
  'ot-semidiscrete': ['tensor-backend'],
  metrics: ['tensor-backend', 'datasets'],
  autoencoder: ['tensor-backend', 'datasets', 'ot-semidiscrete'],
  'gan-baselines': ['tensor-backend', 'datasets', 'autoencoder'],
};

/** Folders whose code uses the packages as a user does: any package, public exports only. */
export const CONSUMER_FOLDERS = ['examples', 'bench', 'docs'];

const SOURCE_FILE = /\.(?:[cm]?ts|[cm]?js|tsx|vue)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.vitepress', 'cache', 'results', 'out', 'test-results']);

// Module specifiers of static imports, re-exports, `import x = require()`, and import()
// / require() calls whose argument is a string literal.
const SPECIFIER_PATTERNS = [
  /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];

function listSourceFiles(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) out.push(...listSourceFiles(join(dir, entry.name)));
    } else if (entry.isFile() && SOURCE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      out.push(join(dir, entry.name));
    }
  }
  return out;
}

/** The module specifiers a source text imports, in order, with their line numbers. */
export function importSpecifiers(text) {
  // Comments would yield false imports (`// import x from 'y'` in a doc example).
  const code = text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const found = [];
  for (const pattern of SPECIFIER_PATTERNS) {
    for (const m of code.matchAll(pattern)) {
      found.push({ specifier: m[1], line: code.slice(0, m.index).split('\n').length });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

// '@aeot/x/sub/path' -> { name: '@aeot/x', folder: 'x', subpath: './sub/path' }
function parseAeot(specifier) {
  const m = /^@aeot\/([^/]+)(\/.*)?$/.exec(specifier);
  return m === null ? undefined : { name: `@aeot/${m[1]}`, folder: m[1], subpath: m[2] === undefined ? '.' : `.${m[2]}` };
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * Checks a workspace against the dependency rules.
 *
 * @param {{ root?: string, rules?: Record<string, string[]> }} [options] the workspace root
 *   (default: this repository) and the table (default {@link DEPENDENCY_RULES}).
 * @returns {string[]} one line per problem, `path:line: what is wrong`; empty when clean.
 */
export function checkImports(options = {}) {
  const root = resolve(options.root ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const rules = options.rules ?? DEPENDENCY_RULES;
  const problems = [];
  const packagesDir = join(root, 'packages');
  const folders = existsSync(packagesDir) ? readdirSync(packagesDir).filter((f) => existsSync(join(packagesDir, f, 'package.json'))) : [];
  const manifests = Object.fromEntries(folders.map((f) => [f, readJson(join(packagesDir, f, 'package.json'))]));
  const byName = Object.fromEntries(folders.map((f) => [manifests[f].name, f]));
  const rel = (file) => relative(root, file).split(sep).join('/');

  const exportsOf = (folder) => {
    const exp = manifests[folder]?.exports;
    if (exp === undefined) return ['.'];
    if (typeof exp === 'string' || !Object.keys(exp).some((k) => k.startsWith('.'))) return ['.'];
    return Object.keys(exp);
  };
  const isPublic = (folder, subpath) =>
    exportsOf(folder).some((key) => key === subpath || (key.includes('*') && new RegExp(`^${key.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace('\\*', '.*')}$`).test(subpath)));

  // Package manifests: a dependency on a package the table forbids is the same mistake.
  for (const folder of folders) {
    const pkg = manifests[folder];
    const allowed = rules[folder] ?? [];
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const dep of Object.keys(pkg[field] ?? {})) {
        const target = parseAeot(dep);
        if (target === undefined || target.name === pkg.name) continue;
        const targetFolder = byName[target.name] ?? target.folder;
        if (!allowed.includes(targetFolder)) problems.push(`packages/${folder}/package.json: ${field} lists ${dep}, which ${pkg.name} may not depend on (allowed: ${allowed.map((a) => `@aeot/${a}`).join(', ') || 'none'})`);
      }
    }
  }

  // Code: every file of every package (src, test, scripts) and of the consumer folders.
  const graph = new Map(); // file -> relative imports inside the same package, for cycles
  const checkFile = (file, owner) => {
    const text = readFileSync(file, 'utf8');
    const ownDir = owner.kind === 'package' ? join(packagesDir, owner.folder) : join(root, owner.folder);
    const edges = [];
    for (const { specifier, line } of importSpecifiers(text)) {
      const where = `${rel(file)}:${line}`;
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier);
        const inside = relative(ownDir, target);
        if (inside.startsWith('..') || resolve(inside) === inside) {
          const into = relative(packagesDir, target);
          const reach = !into.startsWith('..') ? `another package's files (packages/${into.split(sep)[0]})` : 'a file outside its folder';
          problems.push(`${where}: "${specifier}" reaches into ${reach}; import the package by name through its public exports`);
          continue;
        }
        if (owner.kind === 'package') {
          const top = inside.split(sep)[0];
          const fromSrc = relative(join(ownDir, 'src'), file);
          if (!fromSrc.startsWith('..') && top === 'src' && /^index\.[cm]?[jt]s$/.test(relative(join(ownDir, 'src'), target.replace(/\.js$/, '.ts')))) {
            problems.push(`${where}: imports its own package barrel (src/index); import the file that defines the name`);
          }
          edges.push(target);
        }
        continue;
      }
      const target = parseAeot(specifier);
      if (target === undefined) continue;
      const targetFolder = byName[target.name] ?? target.folder;
      if (owner.kind === 'package') {
        if (target.name === manifests[owner.folder].name) {
          if (relative(join(ownDir, 'src'), file).startsWith('..')) continue; // tests may import their own package
          problems.push(`${where}: imports its own package "${specifier}" from inside src/; import the file that defines the name`);
          continue;
        }
        const allowed = rules[owner.folder] ?? [];
        if (!allowed.includes(targetFolder)) {
          problems.push(`${where}: @aeot/${owner.folder} may not import "${specifier}" (allowed: ${allowed.map((a) => `@aeot/${a}`).join(', ') || 'none'}; see ARCHITECTURE.md, dependency rules)`);
          continue;
        }
      }
      if (manifests[targetFolder] !== undefined && !isPublic(targetFolder, target.subpath)) {
        problems.push(`${where}: "${specifier}" is not a public export of ${target.name} (exports: ${exportsOf(targetFolder).join(', ')})`);
      }
    }
    if (owner.kind === 'package') graph.set(file, edges);
  };

  for (const folder of folders) {
    for (const file of listSourceFiles(join(packagesDir, folder))) checkFile(file, { kind: 'package', folder });
  }
  for (const folder of CONSUMER_FOLDERS) {
    for (const file of listSourceFiles(join(root, folder))) checkFile(file, { kind: 'consumer', folder });
  }

  // Import cycles between files of one package (a `.js` specifier names its `.ts` source).
  const resolveFile = (target) => {
    for (const candidate of [target, target.replace(/\.[cm]?js$/, '.ts'), target.replace(/\.mjs$/, '.mts'), `${target}.ts`, join(target, 'index.ts')]) {
      if (graph.has(candidate)) return candidate;
    }
    return undefined;
  };
  const state = new Map(); // 1 = on the stack, 2 = done
  const reported = new Set();
  const visit = (file, stack) => {
    state.set(file, 1);
    stack.push(file);
    for (const edge of graph.get(file) ?? []) {
      const next = resolveFile(edge);
      if (next === undefined) continue;
      if (state.get(next) === 1) {
        const cycle = stack.slice(stack.indexOf(next)).map(rel);
        const key = [...cycle].sort().join('|');
        if (!reported.has(key)) {
          reported.add(key);
          problems.push(`${cycle[0]}: import cycle ${[...cycle, cycle[0]].join(' -> ')}`);
        }
      } else if (state.get(next) === undefined) {
        visit(next, stack);
      }
    }
    stack.pop();
    state.set(file, 2);
  };
  for (const file of graph.keys()) if (state.get(file) === undefined) visit(file, []);
  return problems;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--root');
  const root = at >= 0 ? process.argv[at + 1] : undefined;
  if (root !== undefined && !(existsSync(root) && statSync(root).isDirectory())) {
    console.error(`--root expected a directory, got ${root}`);
    process.exit(2);
  }
  const problems = checkImports({ root });
  for (const p of problems) console.log(`  ${p}`);
  console.log(problems.length === 0 ? 'dependency rules: clean' : `dependency rules: ${problems.length} problem(s)`);
  process.exit(problems.length === 0 ? 0 : 1);
}
