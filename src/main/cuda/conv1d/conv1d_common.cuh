// Shared device helpers of the CUDA causal conv1d (causal_conv1d_fwd.cu, causal_conv1d_bwd.cu).
#pragma once
#include <stdint.h>

#include "common/conv1d_check.h"
#include "common/conv1d_math.h"
#include "common/dtype.h"
#include "cuda_util.cuh"

namespace statex {
namespace conv1d {

constexpr int kThreads = 256;

// [begin, end) of the sequence holding token `tok`: its batch row, or the cu_seqlens entry found by binary search
// (the last s with cu[s] <= tok, so empty sequences are skipped). Device-side cu_seqlens are clamped, not trusted.
__device__ __forceinline__ void seq_bounds(const int64_t* cu, int64_t nseq, int64_t seqlen, int64_t tokens,
                                           int64_t tok, int64_t* begin, int64_t* end) {
  if (!cu) {
    *begin = tok / seqlen * seqlen;
    *end = *begin + seqlen;
    return;
  }
  int64_t lo = 0, hi = nseq - 1;
  while (lo < hi) {
    int64_t mid = (lo + hi + 1) / 2;
    if (cu[mid] <= tok) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  *begin = min(max(cu[lo], (int64_t)0), tok);
  *end = min(max(cu[lo + 1], tok + 1), tokens);
}

}  // namespace conv1d
}  // namespace statex
