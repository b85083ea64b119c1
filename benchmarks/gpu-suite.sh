#!/usr/bin/env bash
# Every GPU test and benchmark of the engine in one run on a GPU host, from the repository root:
#
#   mvn -Pdist package && mkdir -p carry && cp target/statex-dist.tar.gz carry/    (on the build machine)
#   OUT=/some/dir benchmarks/gpu-suite.sh [prewarm] [tests] [jmh] [kernels] [parity] [profile] [train] [variants]
#                                         [baselines]
#                                                                                            (on the GPU host)
# With no arguments it runs tests, jmh, kernels, parity and baselines (prewarm, profile, train and variants on
# request).
# The distribution carries its own Java runtime, so the GPU host needs no Java or Maven. Logs and
# results go to $OUT (at most 8 files); a summary table is printed last (TESTS_SECONDS, JMH_SECONDS,
# PROFILE_SECONDS bound the parts). The public baselines (benchmarks/python/baselines.py) need the oracle sources in oracles/.
set -uo pipefail
OUT=${OUT:-$PWD/gpu-out}
mkdir -p "$OUT"
export NCCL_NVLS_ENABLE=0
export TRITON_CACHE_DIR=/tmp/triton-cache  # the public baselines' compiled kernels (prewarm, baselines)
parts=${*:-tests jmh kernels parity baselines}
root=$PWD
dist=${STATEX_DIST:-/tmp/statex-dist}
JMH_ARGS=${JMH_ARGS:-}

# carry/statex-dist.tar.gz as built, or the same archive recompressed (.tar.xz: a few MB smaller, for a
# working tree that must travel under a size limit); tar picks the decompressor, Python's tarfile if tar can't.
if [ ! -x "$dist/statex/bin/statex" ]; then
  archive=$(ls carry/statex-dist.tar.* 2>/dev/null | head -1)
  [ -n "$archive" ] || { echo "no carry/statex-dist.tar.gz or .tar.xz"; exit 1; }
  mkdir -p "$dist"
  tar -xf "$archive" -C "$dist" 2>/dev/null || python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$archive" "$dist" \
    || { echo "cannot unpack $archive"; exit 1; }
fi
D=$dist/statex

{ nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv; echo; "$D/bin/statex" info; } > "$OUT/info.txt" 2>&1
head -3 "$OUT/info.txt"

for part in $parts; do
  case $part in
    tests)
      echo "== GPU tests"
      timeout "${TESTS_SECONDS:-600}" "$D/bin/statex-test" --include-tag gpu --reports-dir "$OUT/junit" --details=summary > "$OUT/tests.txt" 2>&1
      tail -15 "$OUT/tests.txt" ;;
    jmh)
      echo "== JMH"
      timeout "${JMH_SECONDS:-1800}" "$D/bin/statex-bench" ${JMH_ARGS:-"GemmBench|DispatchBench"} -foe false -rf json -rff "$OUT/jmh.json" > "$OUT/jmh.txt" 2>&1
      tail -25 "$OUT/jmh.txt" ;;
    parity)
      # Our GEMM and PyTorch's, timed the same way (events around queued calls), alternating three times.
      echo "== GEMM parity"
      for round in $(seq "${PARITY_ROUNDS:-3}"); do
        "$D/bin/statex" bench --gemm-only --gemm 8192 --reps 20 2>/dev/null | grep events
        python3 "$root/benchmarks/python/torch_gemm.py" 8192 20
      done > "$OUT/parity.txt" 2>&1
      cat "$OUT/parity.txt" ;;
    kernels)
      # Every benchmark shape of the two scans with bf16 inputs, and the 1.3B-layer shapes with fp32
      # inputs: CUDA-event medians and the allocator's peak, from `statex bench --gla/--ssd`.
      echo "== kernels"
      sweep() {  # op dtype shapes...
        local op=$1 dt=$2; shift 2
        for shape in "$@"; do "$D/bin/statex" bench --device cuda --$op "$shape" --dtype "$dt" --reps 10 2>&1 | grep "_chunk "; done
      }
      {
        sweep gla bf16 ${GLA_SHAPES:-B8-T2048-H4-K256-V512 B8-T2048-H1-K1024-V2048 B1-T65536-H4-K256-V512 B1-T65536-H1-K1024-V2048 B8-T2048-H16-K128-V128}
        sweep gla f32 ${GLA_F32_SHAPES:-B8-T2048-H4-K256-V512}
        sweep ssd bf16 ${SSD_SHAPES:-B8-T2048-H64-P64-N128-G1 B8-T2048-H64-P64-N512-G1 B1-T65536-H64-P64-N128-G1 B1-T65536-H64-P64-N512-G1}
        sweep ssd f32 ${SSD_F32_SHAPES:-B8-T2048-H64-P64-N128-G1 B8-T2048-H64-P64-N512-G1}
      } > "$OUT/kernels.txt"
      cat "$OUT/kernels.txt" ;;
    profile)
      # Per-kernel device times and throughputs under Nsight Compute, one forward and one backward of
      # each scan (PROFILE_ARGS: more statex bench runs, separated by ';').
      echo "== profile"
      IFS=';' read -ra runs <<< "${PROFILE_ARGS:---ssd B8-T2048-H64-P64-N128-G1;--gla B8-T2048-H4-K256-V512}"
      for r in "${runs[@]}"; do
        timeout "${PROFILE_SECONDS:-240}" ncu --section SpeedOfLight --section Occupancy --section LaunchStats --section WarpStateStats \
          --print-summary per-kernel --target-processes all "$D/bin/statex" bench --device cuda $r --reps 1
      done > "$OUT/profile.txt" 2>&1
      grep -E "^  [a-z_A-Z]|Duration|Compute \\(SM\\) Throughput|Memory Throughput|Registers Per|Achieved Occupancy" "$OUT/profile.txt" | head -150 ;;
    train)
      # The training path on the GPU: tiny GLA and Mamba2 on associative recall, fp32 and bf16 mixed precision.
      echo "== train"
      for m in gla-tiny mamba2-tiny; do
        for p in fp32 bf16; do
          timeout "${TRAIN_SECONDS:-120}" "$D/bin/statex" train --device cuda --model "$m" --precision "$p" \
            ${TRAIN_ARGS:---steps 400} 2>&1 | tr '\r' '\n' | grep -E "^statex train|recall accuracy" | sed "s/^/$m $p: /"
        done
      done > "$OUT/train.txt" 2>&1
      cat "$OUT/train.txt" ;;
    variants)
      # Alternative builds of the kernel library timed side by side with the distribution's own (A), in one
      # lease: carry/libstatex_cuda.NAME.so.xz, each made by benchmarks/build-variant.sh NAME on the build
      # machine. Each variant runs from a copy of the distribution whose statex.jar holds its library; the
      # order is A, the variants, A again, so that drift within the lease shows. VARIANT_OP: ssd or gla.
      echo "== variants"
      names=$(ls carry/libstatex_cuda.*.so.xz 2>/dev/null | sed -E 's|.*libstatex_cuda\.(.*)\.so\.xz|\1|')
      for v in $names; do
        dst=/tmp/statex-variant-$v
        rm -rf "$dst" && cp -r "$D" "$dst" && rm -rf "$dst/.cache"
        xz -dc "carry/libstatex_cuda.$v.so.xz" > "/tmp/libstatex_cuda.$v.so"
        python3 "$root/benchmarks/python/replace_jar_entry.py" "$dst/lib/statex.jar" \
          io/statex/jni/linux-x86_64/libstatex_cuda.so "/tmp/libstatex_cuda.$v.so"
      done
      op=${VARIANT_OP:-ssd}
      if [ "$op" = gla ]; then shapes=${GLA_SHAPES:-B8-T2048-H4-K256-V512 B8-T2048-H1-K1024-V2048 B1-T65536-H4-K256-V512 B1-T65536-H1-K1024-V2048 B8-T2048-H16-K128-V128}
      else shapes=${SSD_SHAPES:-B8-T2048-H64-P64-N128-G1 B8-T2048-H64-P64-N512-G1 B1-T65536-H64-P64-N128-G1 B1-T65536-H64-P64-N512-G1}; fi
      for v in A $names A; do
        d=/tmp/statex-variant-$v; [ "$v" = A ] && d=$D
        for shape in $shapes; do
          echo "$v $("$d/bin/statex" bench --device cuda --$op "$shape" --dtype bf16 --reps 10 2>&1 | grep "_chunk ")"
        done
      done > "$OUT/variants.txt"
      cat "$OUT/variants.txt" ;;
    prewarm)
      # Compiles the public baselines' Triton kernels in the background, one process per case
      # (PREWARM_CASES: baselines.py case patterns), while the parts after it run. Their timings are
      # discarded (the processes share the GPU with those parts); what they leave is the compile cache,
      # so that a baselines part later on the same host autotunes and times from compiled kernels.
      echo "== prewarm (background): ${PREWARM_CASES:=gla_B8_T2048_H4_K256 gla_B8_T2048_H1_K1024 gla_B8_T2048_H16_K128}"
      mkdir -p "$TRITON_CACHE_DIR"
      n=0
      for c in $PREWARM_CASES; do
        n=$((n + 1))
        PYTHONUNBUFFERED=1 timeout "${PREWARM_SECONDS:-560}" python3 "$root/benchmarks/python/baselines.py" \
          --oracles "$root/oracles" --suite all --cases "$c" --reps 3 --warmup 1 --max-seconds 5 \
          --case-timeout "${PREWARM_SECONDS:-560}" --out "/tmp/prewarm-$n.json" > "/tmp/prewarm-$n.txt" 2>&1 &
        prewarm_pids="${prewarm_pids:-} $!"
      done ;;
    baselines)
      echo "== public baselines"
      # Triton's compile cache travels between runs (tcache/triton-cache.tgz in, $OUT/triton-cache.tgz out):
      # autotuning still times every config, but kernels compiled for a shape before are not rebuilt.
      mkdir -p "$TRITON_CACHE_DIR"
      [ -f tcache/triton-cache.tgz ] && tar -xzf tcache/triton-cache.tgz -C /tmp
      PYTHONUNBUFFERED=1 python3 "$root/benchmarks/python/baselines.py" --oracles "$root/oracles" --suite "${BASELINE_SUITE:-all}" \
        --out "$OUT/baselines.json" ${BASELINE_ARGS:---total-seconds 540 --case-timeout 300} > "$OUT/baselines.txt" 2>&1
      tar -czf "$OUT/triton-cache.tgz" -C /tmp triton-cache
      tail -30 "$OUT/baselines.txt" ;;
  esac
done

if [ -n "${prewarm_pids:-}" ]; then
  echo "== prewarm: waiting for the background compiles"
  wait $prewarm_pids
  for f in /tmp/prewarm-*.txt; do echo "-- $f"; grep -E "^gla_|^ssd_|error|Error" "$f" | tail -5; done > "$OUT/prewarm.txt" 2>&1
  cat "$OUT/prewarm.txt"
fi
python3 "$root/benchmarks/python/summarize.py" "$OUT"
