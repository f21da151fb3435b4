// Build step after `tsc -b`: copies the plain-JavaScript source files tsc does not emit
// (Node loader hooks, *.mjs) from src/ to dist/ of the package in the current directory.
import { cpSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function copy(dir) {
  for (const name of readdirSync(join('src', dir))) {
    const rel = join(dir, name);
    if (statSync(join('src', rel)).isDirectory()) copy(rel);
    else if (name.endsWith('.mjs')) cpSync(join('src', rel), join('dist', rel));
  }
}
copy('');
