#!/usr/bin/env bash
# Runs bench/gpu/gpu-bench.ts on a lent GPU machine (no Node, no registry there): unpacks the
# Vulkan loader debs (.gl/) and the runtime that bench/gpu/pack.sh built
# (.gpu-carry/runtime.tar.xz: node + bundle + pruned node_modules), prints what the machine
# has, then runs each item in its own process under its own time limit (all of them inside
# TOTAL_S seconds, the summary always last), writing $OUT/{env,assign,sdot,ae,results}.json
# and $OUT/log.txt.
#
#   on the device:  bash bench/gpu/run-device.sh            (OUT is set there)
#   local smoke:    SMALL=1 OUT=/tmp/gpu-smoke bash bench/gpu/run-device.sh
#                   (SwiftShader, tiny sizes, CPU torch under /usr/bin/python3, no dpkg)
set -u
cd "$(dirname "$0")/../.."
OUT=${OUT:-/tmp/aeot-gpu-out}
mkdir -p "$OUT"
TOTAL_S=${TOTAL_S:-400}
T0=$(date +%s)

main() {
  if [ -z "${SMALL:-}" ]; then
    for f in .gl/*.deb; do dpkg -x "$f" /; done
    ldconfig
  fi
  RT=${RT:-/tmp/aeot-rt}
  rm -rf "$RT" && mkdir -p "$RT"
  if command -v xz >/dev/null; then
    xz -dc -T0 .gpu-carry/runtime.tar.xz | tar -x -C "$RT" || { echo "runtime unpack failed"; return 1; }
  else # no xz there: Python's lzma
    python3 -c "import tarfile, sys; tarfile.open('.gpu-carry/runtime.tar.xz').extractall(sys.argv[1])" "$RT" || { echo "runtime unpack failed"; return 1; }
  fi
  NODE=$RT/bin/node
  APP=$RT/app/gpu-bench.mjs
  common=(--out "$OUT" --work /tmp/aeot-gpu-work --torch bench/gpu/torch_twins.py)
  if [ -n "${SMALL:-}" ]; then
    export VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json
    common+=(--allow-software --python /usr/bin/python3 --torch-device cpu)
    env_args=(--matmul-size 128)
    assign_args=(--n 512 --ms 300,1000 --dims 4,16 --reps 2)
    sdot_args=(--sdot-m 100 --sdot-d 4 --sdot-max-steps 15 --mass-samples 200000)
    ae_args=(--ae-batch 4 --ae-steps 2)
  else
    env_args=()
    assign_args=()
    sdot_args=()
    ae_args=()
  fi
  echo "=== machine"
  date -u
  "$NODE" --version
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm,power.draw,temperature.gpu --format=csv 2>&1 | head -3
  ldconfig -p | grep -iE 'libvulkan|GLX_nvidia|nvidia-glcore' | head -5
  ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d /usr/local/nvidia/share/vulkan/icd.d 2>&1 | head -12
  python3 -c 'import torch; print("torch", torch.__version__, torch.cuda.is_available() and torch.cuda.get_device_name())' 2>&1 | tail -1

  item() { # item <limit s> args…: one gpu-bench.ts item in its own process, inside TOTAL_S
    local limit=$1
    shift
    local left=$((TOTAL_S - ($(date +%s) - T0) - 15))
    [ "$limit" -gt "$left" ] && limit=$left
    [ "$limit" -lt 5 ] && { echo "=== skipped $* (no time left)"; return 124; }
    echo "=== $* (limit ${limit} s)"
    timeout -k 5 "$limit" "$NODE" "$APP" "${common[@]}" "$@" 2>&1 | grep --line-buffered -v XDG_RUNTIME_DIR
    local rc=${PIPESTATUS[0]}
    echo "=== rc=$rc after $(($(date +%s) - T0)) s"
    return "$rc"
  }
  if ! item 40 --item env ${env_args[@]+"${env_args[@]}"}; then
    echo "=== no usable adapter: retrying with the driver's own Vulkan ICD file"
    export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json VK_ICD_FILENAMES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
    export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
    item 40 --item env ${env_args[@]+"${env_args[@]}"}
  fi
  item 120 --item assign ${assign_args[@]+"${assign_args[@]}"}
  item 140 --item sdot ${sdot_args[@]+"${sdot_args[@]}"}
  item 80 --item ae ${ae_args[@]+"${ae_args[@]}"}
  TOTAL_S=$((TOTAL_S + 15)) item 15 --item summary
  nvidia-smi --query-gpu=clocks.sm,power.draw,temperature.gpu --format=csv 2>&1 | head -2
}
main 2>&1 | tee "$OUT/log.txt"
