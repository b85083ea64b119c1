#!/usr/bin/env bash
# Compiles the public Triton kernels of some baseline cases in parallel, one process per case, so that a
# later sequential run of baselines.py (the only one whose times count) finds them compiled and spends
# its time on autotuning and timing, not on 3-5 minutes of compilation per shape.
#
#   OUT=dir benchmarks/baselines-warm.sh CASE...      (on the GPU host, from the repository root)
#
# Leaves $OUT/triton-cache.tgz: the compiled kernels (cubin and metadata) under /tmp/triton-cache, the
# directory the baselines part of gpu-suite.sh unpacks it to (Triton's cache records absolute paths).
# The autotuning choices made here, under contention, are deleted: the timed run tunes again.
set -uo pipefail
OUT=${OUT:-$PWD/gpu-out}
cache=/tmp/triton-cache
mkdir -p "$OUT" "$cache" /tmp/warm
[ -f tcache/triton-cache.tgz ] && tar -xzf tcache/triton-cache.tgz -C /tmp
seconds=${WARM_SECONDS:-300}
for c in "$@"; do
  PYTHONUNBUFFERED=1 TRITON_CACHE_DIR=$cache timeout -k 10 $((seconds + 20)) python3 benchmarks/python/baselines.py \
    --oracles oracles --suite gla,ssd --cases "^$c\$" --reps 3 --warmup 1 --case-timeout "$seconds" \
    --out "/tmp/warm/$c.json" > "/tmp/warm/$c.txt" 2>&1 &
done
wait
find "$cache" -name '*.autotune.json' -delete
find "$cache" -type f ! -name '*.cubin' ! -name '*.json' -delete
tar -czf "$OUT/triton-cache.tgz" -C /tmp triton-cache
echo "compiled kernels: $(find "$cache" -name '*.cubin' | wc -l), archive $(du -h "$OUT/triton-cache.tgz" | cut -f1)"
for c in "$@"; do echo "$c: $(grep -E "^   $c" "/tmp/warm/$c.txt" | tail -1)"; done
