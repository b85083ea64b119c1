#!/usr/bin/env bash
# Runs the CUDA SSD and conv1d kernels on the CPU under the emulation in this folder and compares them with the CPU
# implementation (libstatex from a prior `mvn package`). Usage: tools/cuda_emu/run.sh   (about a minute, 2 cores)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
lib="$root/target/classes/io/statex/jni/linux-x86_64"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for f in ssd/ssd_chunk_fwd ssd/ssd_chunk_bwd ssd/ssd_step conv1d/causal_conv1d_fwd conv1d/causal_conv1d_bwd; do
  python3 "$root/tools/cuda_emu/rewrite_launches.py" "$root/src/main/cuda/$f.cu" "$out/$(basename "$f").cpp"
done
flags=(-std=c++20 -O1 -DSTATEX_MMA_EMULATION -DSTATEX_BUILDING -I"$root/tools/cuda_emu" -I"$root/src/main/cpp/include"
       -I"$root/src/main/cpp" -I"$root/src/main/cuda")
common=("$root"/src/main/cpp/common/{check,ssd_check,conv1d_check,error}.cpp "$root/tools/cuda_emu/emu_globals.cpp")
link=(-L"$lib" -lstatex -Wl,-rpath,"$lib" -lpthread)
g++ "${flags[@]}" "$root/tools/cuda_emu/ssd_emu_check.cpp" "$out"/ssd_chunk_{fwd,bwd}.cpp "${common[@]}" "${link[@]}" -o "$out/ssd"
g++ "${flags[@]}" "$root/tools/cuda_emu/conv1d_emu_check.cpp" "$out"/ssd_step.cpp "$out"/causal_conv1d_{fwd,bwd}.cpp \
    "${common[@]}" "${link[@]}" -o "$out/conv1d"
"$out/ssd"
"$out/conv1d"
