#!/usr/bin/env node
// Compiles native/x86/*.c (the AVX-512 / AVX2 power-assignment kernels, their thread
// pool and the Node-API glue) with gcc into prebuilds/linux-x64/power_assign.node — the
// file that is committed, so users and CI never need a compiler. Run it by hand after
// changing the C sources, on Linux x86-64:
//
//   node packages/ot-semidiscrete/native/build-node.mjs [--out FILE] [--define NAME=VALUE …]
//
// Needs gcc (≥ 10) and the Node-API headers (Debian: `apt install gcc libnode-dev`, or
// the include/node folder of a Node tarball); override with CC=… NODE_INCLUDE=….
// Node-API is ABI-stable, so one build serves every Node ≥ 20 on linux-x64 (glibc; the
// loader falls back to WebAssembly where dlopen fails, e.g. on musl or an older glibc).
// The code is compiled for baseline x86-64; only the kernels carry
// target("avx512f,…") / target("avx2,fma") attributes and are picked at run time.
// --define passes -D flags (tile sizes SM512, TV512, SM256, TV256, CHUNK_BYTES) for
// experiments; write those builds elsewhere with --out.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
// Sorted, so that the link order (and the bytes of the prebuilt file) never depend on the file system.
const sources = readdirSync(join(here, 'x86'))
  .filter((name) => name.endsWith('.c'))
  .sort()
  .map((name) => join(here, 'x86', name));
const { values: opts } = parseArgs({
  options: {
    out: { type: 'string', default: join(here, '..', 'prebuilds', 'linux-x64', 'power_assign.node') },
    define: { type: 'string', multiple: true, default: [] },
  },
});
const cc = process.env.CC ?? 'gcc';
const candidates = [process.env.NODE_INCLUDE, '/usr/include/node', join(dirname(process.execPath), '..', 'include', 'node')];
const include = candidates.find((dir) => dir !== undefined && existsSync(join(dir, 'node_api.h')));
if (include === undefined) throw new Error('node_api.h not found: set NODE_INCLUDE to the folder that holds it');

const flags = [
  '-O3',
  '-std=gnu17',
  '-shared',
  '-fPIC',
  '-pthread',
  '-fvisibility=hidden',
  '-ffp-contract=off',
  '-fno-strict-aliasing',
  '-Wall',
  '-Wextra',
  '-Werror',
  `-I${include}`,
  ...opts.define.map((d) => `-D${d}`),
  '-Wl,-s',
  '-Wl,--build-id=none',
  '-Wl,-z,noexecstack',
  '-o',
  opts.out,
  ...sources,
];
mkdirSync(dirname(opts.out), { recursive: true });
execFileSync(cc, flags, { stdio: 'inherit' });
const bytes = readFileSync(opts.out);
const sha = createHash('sha256').update(bytes).digest('hex');
console.log(`${relative(process.cwd(), opts.out)}: ${statSync(opts.out).size} bytes, sha256 ${sha}`);
