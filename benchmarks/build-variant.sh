#!/usr/bin/env bash
# Builds the kernel library from the working tree as it is now and stores it as carry/libstatex_cuda.NAME.so.xz,
# for the GPU suite's variants part (benchmarks/gpu-suite.sh variants), which times each such build side by side
# with the distribution's own in one lease. Needs a configured build (a prior `mvn package`); only the sources
# changed since then are recompiled. Typical use: change a kernel's tuning constant, run this with a name for
# the change, restore the constant, rebuild the distribution (`mvn -Pdist package`).
#   benchmarks/build-variant.sh NAME
set -euo pipefail
name=${1:?usage: benchmarks/build-variant.sh NAME}
root=$(cd "$(dirname "$0")/.." && pwd)
cmake --build "$root/target/cmake" --target statex_cuda -j"$(nproc)"
mkdir -p "$root/carry"
xz -6 -T2 -c "$root/target/classes/io/statex/jni/linux-x86_64/libstatex_cuda.so" > "$root/carry/libstatex_cuda.$name.so.xz"
ls -l "$root/carry/libstatex_cuda.$name.so.xz"
