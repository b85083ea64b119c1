/*
 * Softmax and log_softmax over rows, and their backward (statex/reduce.h).
 *   forward:  m = max_j x_j, s = sum_j e^(x_j - m);  softmax y_j = e^(x_j - m) / s;  log y_j = x_j - m - log s
 *   backward: softmax dx_j = y_j (dy_j - sum_k dy_k y_k);   log dx_j = dy_j - e^(y_j) sum_k dy_k
 *
 * Layout: x, y, dy, dx [rows, n] contiguous.
 * A group owns one row (rows.cuh: one warp for n <= 1024, else one 512-thread block). The forward makes
 * one pass that keeps an online (max, sum) pair per thread - on a new max the sum is rescaled by
 * e^(old max - new max) - merges the pairs across the group, then a second pass writes y. The second
 * read of the row comes from L1/L2 (a row is at most a few tens of KiB and is re-read right away), so
 * DRAM traffic stays close to one read and one write. The backward is one dot product and one pass.
 * Registers only; a block group uses G/32 pairs of shared memory. All arithmetic is fp32 (expf, logf,
 * not the fast intrinsics). NaN anywhere in a row gives NaN for the whole row, as on the CPU.
 */
#include <math.h>

#include "cuda_util.cuh"
#include "reduce/rows.cuh"
#include "statex/reduce.h"

namespace statex {
namespace {

// Summary of a set of x: its max m and s = sum e^(x - m).
struct MaxSum {
  float m, s;
};

__device__ __forceinline__ MaxSum shfl_xor(MaxSum a, int lane_mask) {
  return {__shfl_xor_sync(kFullMask, a.m, lane_mask), __shfl_xor_sync(kFullMask, a.s, lane_mask)};
}

// A side whose max is the merged max keeps its sum as is: this also covers m = -inf, where e^(m - m)
// would be NaN. fmaxf ignores NaN, so m is never NaN; a NaN element makes s NaN instead.
__device__ __forceinline__ MaxSum merge_max_sum(MaxSum a, MaxSum b) {
  float m = fmaxf(a.m, b.m);
  return {m, (a.m == m ? a.s : a.s * expf(a.m - m)) + (b.m == m ? b.s : b.s * expf(b.m - m))};
}

__device__ __forceinline__ void add_element(MaxSum& a, float x) {
  if (x > a.m) {
    a.s = a.s * expf(a.m - x) + 1.f;
    a.m = x;
  } else {
    a.s += x == a.m ? 1.f : expf(x - a.m);
  }
}

template <int G, int V, typename T>
__global__ void softmax_kernel(bool log, int64_t rows, int64_t n, T* out, const T* in) {
  for (int64_t r = first_row<G>(); r < rows; r += row_stride<G>()) {
    const T* x = in + r * n;
    T* y = out + r * n;
    MaxSum acc{-INFINITY, 0.f};
    for_each_chunk<G, V>(n, [&](int64_t j) {
      float f[V];
      load_chunk<V>(x + j, f);
#pragma unroll
      for (int k = 0; k < V; ++k) add_element(acc, f[k]);
    });
    acc = group_reduce<G>(acc, [](MaxSum a, MaxSum b) { return merge_max_sum(a, b); });
    float log_s = logf(acc.s);
    for_each_chunk<G, V>(n, [&](int64_t j) {
      float f[V];
      load_chunk<V>(x + j, f);
#pragma unroll
      for (int k = 0; k < V; ++k) f[k] = log ? (f[k] - acc.m) - log_s : expf(f[k] - acc.m) / acc.s;
      store_chunk<V>(y + j, f);
    });
  }
}

template <int G, int V, typename T>
__global__ void softmax_bwd_kernel(bool log, int64_t rows, int64_t n, T* dx, const T* y, const T* dy) {
  for (int64_t r = first_row<G>(); r < rows; r += row_stride<G>()) {
    const T* yr = y + r * n;
    const T* gr = dy + r * n;
    float dot = 0.f;  // softmax: sum dy*y; log_softmax: sum dy
    for_each_chunk<G, V>(n, [&](int64_t j) {
      float g[V], v[V];
      load_chunk<V>(gr + j, g);
      load_chunk<V>(yr + j, v);
#pragma unroll
      for (int k = 0; k < V; ++k) dot += log ? g[k] : g[k] * v[k];
    });
    dot = group_sum<G>(dot);
    for_each_chunk<G, V>(n, [&](int64_t j) {
      float g[V], v[V];
      load_chunk<V>(gr + j, g);
      load_chunk<V>(yr + j, v);
#pragma unroll
      for (int k = 0; k < V; ++k) g[k] = log ? g[k] - expf(v[k]) * dot : v[k] * (g[k] - dot);
      store_chunk<V>(dx + r * n + j, g);
    });
  }
}

template <typename T>
statex_status softmax_typed(bool log, int64_t rows, int64_t n, T* out, const T* in, cudaStream_t st) {
  launch_rows<T>(rows, n, aligned16(out) && aligned16(in), [&](auto g, auto v, unsigned grid, int block) {
    softmax_kernel<decltype(g)::value, decltype(v)::value><<<grid, block, 0, st>>>(log, rows, n, out, in);
  });
  return check_launch("softmax_kernel");
}

template <typename T>
statex_status softmax_bwd_typed(bool log, int64_t rows, int64_t n, T* dx, const T* y, const T* dy, cudaStream_t st) {
  launch_rows<T>(rows, n, aligned16(dx) && aligned16(y) && aligned16(dy), [&](auto g, auto v, unsigned grid, int block) {
    softmax_bwd_kernel<decltype(g)::value, decltype(v)::value><<<grid, block, 0, st>>>(log, rows, n, dx, y, dy);
  });
  return check_launch("softmax_bwd_kernel");
}

}  // namespace
}  // namespace statex

using namespace statex;

extern "C" {

STATEX_API statex_status statex_cuda_softmax(int dtype, int log, int64_t rows, int64_t n, void* out, const void* in,
                                             void* stream) {
  STX_TRY(check_cuda_dtype("softmax", dtype));
  STX_TRY(check_softmax(dtype, log, rows, n, out, in));
  if (rows == 0) return STATEX_OK;
  if (dtype == STATEX_F32) return softmax_typed(log, rows, n, (float*)out, (const float*)in, as_stream(stream));
  return softmax_typed(log, rows, n, (uint16_t*)out, (const uint16_t*)in, as_stream(stream));
}

STATEX_API statex_status statex_cuda_softmax_bwd(int dtype, int log, int64_t rows, int64_t n, void* dx, const void* y,
                                                 const void* dy, void* stream) {
  STX_TRY(check_cuda_dtype("softmax_bwd", dtype));
  STX_TRY(check_softmax_bwd(dtype, log, rows, n, dx, y, dy));
  if (rows == 0) return STATEX_OK;
  if (dtype == STATEX_F32)
    return softmax_bwd_typed(log, rows, n, (float*)dx, (const float*)y, (const float*)dy, as_stream(stream));
  return softmax_bwd_typed(log, rows, n, (uint16_t*)dx, (const uint16_t*)y, (const uint16_t*)dy, as_stream(stream));
}

}  // extern "C"
