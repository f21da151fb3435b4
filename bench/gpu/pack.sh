#!/usr/bin/env bash
# Builds .gpu-carry/runtime.tar.xz: everything bench/gpu/gpu-bench.ts needs on a GPU machine
# that has no Node and no registry, in one xz archive (about 35 MiB):
#   bin/node                      this machine's node binary (Node 20, linux-x64)
#   app/gpu-bench.mjs             gpu-bench.ts and the bench/gpu/*.ts modules it imports, bundled
#                                 with the workspace sources (esbuild, "source" condition); tfjs
#                                 and `webgpu` stay external
#   app/power-assign-worker.mjs   the CPU kernel's worker (loaded relative to the bundle)
#   app/tfjs-core-esm-resolve.mjs tensor-backend's resolve hook for tfjs-core's gradients
#   app/node_modules/...          tfjs-core (node build + per-file ESM for the gradients),
#                                 tfjs-backend-cpu / -webgpu, tfjs-layers (node builds only),
#                                 seedrandom, long, and `webgpu` with dist/linux-x64/dawn.node only
# The Vulkan loader debs go to .gl/ (see bench/gpu/README.md); both folders are ignored
# through .git/info/exclude and named in the device call's `carry`.
#   bash bench/gpu/pack.sh            (from the repo root; XZ_LEVEL=-6 for a faster, larger pack)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
stage=${STAGE:-/tmp/aeot-gpu-stage}
pn=node_modules/.pnpm
rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/app/node_modules/@tensorflow" .gpu-carry

# Sources: by default a snapshot of the committed packages (git archive HEAD, read-only), so
# that work in progress in the tree cannot break the bundle; SRC=worktree bundles the tree.
src=$root
if [ "${SRC:-head}" = head ]; then
  src=/tmp/aeot-gpu-src
  rm -rf "$src"; mkdir -p "$src/node_modules/@aeot" "$src/bench/gpu"
  git archive HEAD packages tsconfig.base.json | tar -x -C "$src"
  for p in "$src"/packages/*/; do ln -s "../../packages/$(basename "$p")" "$src/node_modules/@aeot/$(basename "$p")"; done
  cp bench/gpu/*.ts "$src/bench/gpu/"
  echo "bundling HEAD $(git rev-parse --short HEAD) (+ bench/gpu/*.ts from the tree)"
fi
esbuild=$(ls -d $root/$pn/@esbuild+linux-x64@*/node_modules/@esbuild/linux-x64/bin/esbuild | head -1)
(cd "$src" && "$esbuild" bench/gpu/gpu-bench.ts --bundle --platform=node --format=esm --target=node20 \
  --conditions=source --external:@tensorflow/* --external:webgpu \
  --banner:js="import { createRequire as __aeotCreateRequire } from 'node:module'; const require = __aeotCreateRequire(import.meta.url);" \
  --outfile="$stage/app/gpu-bench.mjs" --log-level=warning)
cp "$src/packages/ot-semidiscrete/src/kernels/cpu/power-assign-worker.mjs" "$stage/app/"
cp "$src/packages/tensor-backend/src/gradients/tfjs-core-esm-resolve.mjs" "$stage/app/"

tf() { readlink -f "node_modules/@tensorflow/$1"; }
# tfjs-core: the CommonJS node build (what `import '@tensorflow/tfjs-core'` loads) and the
# per-file ESM build that tensor-backend imports gradients from; no tests, maps, types or bundles.
core=$(tf tfjs-core)
dst="$stage/app/node_modules/@tensorflow/tfjs-core"
mkdir -p "$dst"
(cd "$core" && find dist -name '*.js' ! -name '*_test.js' ! -name 'tf-core.*' -print0 | xargs -0 cp --parents -t "$dst")
cp "$core/package.json" "$dst/"
cp "$core/dist/tf-core.node.js" "$dst/dist/"
for p in tfjs-backend-cpu:tf-backend-cpu tfjs-backend-webgpu:tf-backend-webgpu tfjs-layers:tf-layers; do
  name=${p%%:*}; main=${p##*:}; from=$(tf "$name"); dst="$stage/app/node_modules/@tensorflow/$name"
  mkdir -p "$dst/dist"; cp "$from/package.json" "$dst/"; cp "$from/dist/$main.node.js" "$dst/dist/"
done
for p in seedrandom long; do cp -r "$(readlink -f "$(ls -d $pn/$p@*/node_modules/$p | head -1)")" "$stage/app/node_modules/$p"; done
webgpu=$(readlink -f "$(ls -d $pn/webgpu@*/node_modules/webgpu | head -1)")
mkdir -p "$stage/app/node_modules/webgpu/dist/linux-x64"
cp "$webgpu/package.json" "$webgpu/index.js" "$stage/app/node_modules/webgpu/"
cp "$webgpu/dist/linux-x64/dawn.node" "$stage/app/node_modules/webgpu/dist/linux-x64/"
cp "$(command -v node)" "$stage/bin/node"

du -sh "$stage"
if [ -n "${NO_XZ:-}" ]; then echo "staged in $stage (NO_XZ: no archive)"; exit 0; fi
tar -C "$stage" -cf - . | xz -T2 ${XZ_LEVEL:--9} >"$root/.gpu-carry/runtime.tar.xz"
ls -la "$root/.gpu-carry/"
