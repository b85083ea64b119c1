#!/usr/bin/env bash
# Copies the few third-party source files the public baselines import into an oracles/ folder.
#
#   benchmarks/python/fetch_oracles.sh FLA_GIT_DIR MAMBA_GIT_DIR [OUT_DIR]
#
# FLA_GIT_DIR and MAMBA_GIT_DIR are git directories (bare mirrors or normal clones) of
# github.com/fla-org/flash-linear-attention and github.com/state-spaces/mamba. OUT_DIR defaults to
# oracles/ at the repository root, which .gitignore excludes: these files are never committed.
# Only files are copied (from each repository's HEAD, or REV via FLA_REV / MAMBA_REV); nothing is
# built or installed. Each package gets its LICENSE and an ORIGIN file (repository, commit, date,
# package version) that baselines.py puts into its JSON.
#
# The lists are the import closures of fla.ops.gla.chunk and mamba_ssm.ops.triton.ssd_combined when
# the top packages are replaced by stub modules (baselines.py does that), so neither package's
# __init__ (which pulls in transformers, layers, models and every other op) runs.
# check_oracles.py verifies that the closure is complete.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 FLA_GIT_DIR MAMBA_GIT_DIR [OUT_DIR]" >&2
  exit 2
fi
fla_git=$1
mamba_git=$2
out=${3:-$(cd "$(dirname "$0")/../.." && pwd)/oracles}
fla_rev=${FLA_REV:-HEAD}
mamba_rev=${MAMBA_REV:-HEAD}

fla_files=(
  LICENSE
  fla/ops/gla/__init__.py fla/ops/gla/chunk.py fla/ops/gla/fused_chunk.py fla/ops/gla/fused_recurrent.py
  fla/ops/backends/__init__.py
  fla/ops/common/__init__.py fla/ops/common/chunk_h.py fla/ops/common/fused_recurrent.py
  fla/ops/utils/__init__.py fla/ops/utils/cache.py fla/ops/utils/constant.py fla/ops/utils/csr.py
  fla/ops/utils/cumsum.py fla/ops/utils/index.py fla/ops/utils/logsumexp.py fla/ops/utils/matmul.py
  fla/ops/utils/op.py fla/ops/utils/pack.py fla/ops/utils/pooling.py fla/ops/utils/softmax.py
  fla/ops/utils/softplus.py fla/ops/utils/solve_tril.py
  fla/utils/__init__.py fla/utils/_compat.py fla/utils/_config.py fla/utils/_decorators.py
  fla/utils/_device.py fla/utils/_testing.py
)
mamba_files=(
  LICENSE AUTHORS
  mamba_ssm/ops/__init__.py mamba_ssm/ops/triton/__init__.py
  mamba_ssm/ops/triton/ssd_combined.py mamba_ssm/ops/triton/ssd_bmm.py
  mamba_ssm/ops/triton/ssd_chunk_state.py mamba_ssm/ops/triton/ssd_state_passing.py
  mamba_ssm/ops/triton/ssd_chunk_scan.py mamba_ssm/ops/triton/softplus.py
  mamba_ssm/ops/triton/layernorm_gated.py mamba_ssm/ops/triton/k_activations.py
  mamba_ssm/utils/__init__.py mamba_ssm/utils/torch.py mamba_ssm/utils/determinism.py
  mamba_ssm/modules/__init__.py mamba_ssm/modules/ssd_minimal.py
)

# copy GIT_DIR REV PACKAGE URL FILES...: repository-root files (LICENSE, AUTHORS) land inside the package.
copy() {
  local git_dir=$1 rev=$2 pkg=$3 default_url=$4
  shift 4
  local commit date url version
  commit=$(git --git-dir="$git_dir" rev-parse --verify "$rev^{commit}")
  date=$(git --git-dir="$git_dir" log -1 --format=%cI "$commit")
  url=$(git --git-dir="$git_dir" config --get remote.origin.url || echo "$default_url")
  version=$(git --git-dir="$git_dir" show "$commit:$pkg/__init__.py" \
    | sed -n 's/^__version__ *= *["'\'']\([^"'\'']*\)["'\''].*/\1/p' | head -1)
  rm -rf "${out:?}/$pkg"
  mkdir -p "$out/$pkg"
  local f dest
  for f in "$@"; do
    case $f in
      */*) dest=$out/$f ;;
      *) dest=$out/$pkg/$f ;;
    esac
    mkdir -p "$(dirname "$dest")"
    git --git-dir="$git_dir" show "$commit:$f" > "$dest"
  done
  printf 'repository=%s\ncommit=%s\ndate=%s\nversion=%s\nfiles=%s\n' \
    "$url" "$commit" "$date" "${version:-unknown}" "$#" > "$out/$pkg/ORIGIN"
  echo "$pkg: $# files from $commit ($date), version ${version:-unknown}"
}

copy "$fla_git" "$fla_rev" fla https://github.com/fla-org/flash-linear-attention "${fla_files[@]}"
copy "$mamba_git" "$mamba_rev" mamba_ssm https://github.com/state-spaces/mamba "${mamba_files[@]}"
du -sh "$out"
