#!/bin/bash
# Builds the CUDA sources of this repository for the CPU emulation (see README.md).
#   tools/cuda_emu/fibers/build.sh lib   target/cuda-emu/classes: target/classes with an emulated libstatex_cuda.so
#   tools/cuda_emu/fibers/build.sh gla   target/cuda-emu/gla_vs_cpu: the GLA CUDA entries against the CPU entries
# SAN (default "-fsanitize=address,undefined") sets the sanitizers of the gla build; SAN=" " for none.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=$root/target/cuda-emu
what=${1:-lib}

# a copy of the sources with the launches rewritten; the tensor-core instructions go to the emulation through the
# STATEX_MMA_EMULATION hooks of mma_bf16.cuh (emu_mma.cuh, included first)
src=$out/src
rm -rf "$src" && mkdir -p "$src" "$out/obj"
cp -r "$root/src/main/cpp" "$src/cpp"
cp -r "$root/src/main/cuda" "$src/cuda"
cuda_sources=()
while IFS= read -r f; do
  python3 "$here/launch_rewrite.py" "$f" "${f%.cu}.emu.cpp"
  cuda_sources+=("${f%.cu}.emu.cpp")
done < <(find "$src/cuda" -name '*.cu')
inc="-I$here/include -I$src/cpp/include -I$src/cpp -I$src/cuda"

compile() {  # flags, sources...
  local flags=$1; shift
  local objs=() pids=()
  for s in "$@"; do
    local o=$out/obj/$(basename "$(dirname "$s")")_$(basename "$s" .cpp).o
    objs+=("$o")
    rm -f "$o"  # a failed compile must not leave an earlier object to link
    g++ $flags $inc -x c++ -c "$s" -o "$o" >&2 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || { echo "build.sh: a compile failed" >&2; exit 1; }; done
  echo "${objs[@]}"
}

case $what in
  lib)
    flags="-std=c++17 -O2 -g -fPIC -fvisibility=hidden -DSTATEX_BUILDING -DSTATEX_MMA_EMULATION -include emu_mma.cuh -Wno-ignored-attributes"
    objs=$(compile "$flags" "${cuda_sources[@]}" "$src"/cpp/common/*.cpp "$here/emu.cpp") || exit 1
    g++ -shared $objs -o "$out/libstatex_cuda.so" -Wl,-soname,libstatex_cuda.so
    rm -rf "$out/classes" && cp -r "$root/target/classes" "$out/classes"
    cp "$out/libstatex_cuda.so" "$out/classes/io/statex/jni/linux-x86_64/libstatex_cuda.so"
    echo "built $out/classes (run the JUnit console launcher with it first on the class path, --include-tag gpu)"
    ;;
  gla)
    flags="-std=c++17 -O1 -g ${SAN:--fsanitize=address,undefined} -fno-omit-frame-pointer -Wno-ignored-attributes -DSTATEX_MMA_EMULATION -include emu_mma.cuh"
    gla=()
    for f in "${cuda_sources[@]}"; do [[ $f == */gla/* ]] && gla+=("$f"); done
    objs=$(compile "$flags" "${gla[@]}" "$src/cpp/cpu/gla_chunk.cpp" "$src/cpp/cpu/gla_step.cpp" "$src/cpp/cpu/parallel.cpp" \
      "$src"/cpp/common/*.cpp "$here/emu.cpp" "$here/gla_vs_cpu.cpp") || exit 1
    g++ $flags $objs -o "$out/gla_vs_cpu" -lpthread
    echo "built $out/gla_vs_cpu (ASAN_OPTIONS=detect_leaks=0 $out/gla_vs_cpu [case])"
    ;;
  *) echo "usage: $0 lib|gla" >&2; exit 2 ;;
esac
