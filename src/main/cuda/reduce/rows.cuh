// Building blocks of the row kernels (reduce over rows, softmax, RMSNorm): a "group" of G threads owns
// one row. G = 32 is one warp per row (short rows: no shared memory, no block barrier); G = kRowBlock is
// one whole block per row (long rows). Rows are read in chunks of V elements per thread: V = 1 (scalar)
// or V = 16 / sizeof(T) (one 16-byte vector load), the latter when every row is 16-byte aligned.
#pragma once
#include <stdint.h>

#include <type_traits>

#include "common/dtype.h"
#include "cuda_util.cuh"

namespace statex {

constexpr unsigned kFullMask = 0xffffffffu;
constexpr int64_t kWarpRowMax = 1024;  // rows up to this length get one warp each
constexpr int kRowWarpsPerBlock = 4;   // warp-per-row kernels: 4 rows per 128-thread block
constexpr int kRowBlock = 512;         // longer rows: one 512-thread block per row

// ---- shuffles of the values the groups combine ----
__device__ __forceinline__ float shfl_xor(float v, int lane_mask) { return __shfl_xor_sync(kFullMask, v, lane_mask); }
__device__ __forceinline__ double shfl_xor(double v, int lane_mask) { return __shfl_xor_sync(kFullMask, v, lane_mask); }

// Reduce v over the group with merge (commutative and associative); every thread gets the result.
// The xor butterfly gives all lanes bit-identical results for a commutative merge. For G > 32 the
// warps' partials go through shared memory and every thread merges them in the same order.
template <int G, typename Val, typename Merge>
__device__ __forceinline__ Val group_reduce(Val v, Merge merge) {
  static_assert(G == 32 || (G % 32 == 0 && G <= 1024), "group is a warp or a block of whole warps");
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) v = merge(v, shfl_xor(v, o));
  if constexpr (G > 32) {
    __shared__ Val part[G / 32];
    __syncthreads();  // readers of part[] from the previous call are done
    if (threadIdx.x % 32 == 0) part[threadIdx.x / 32] = v;
    __syncthreads();
    v = part[0];
#pragma unroll
    for (int w = 1; w < G / 32; ++w) v = merge(v, part[w]);
  }
  return v;
}

template <int G, typename A>
__device__ __forceinline__ A group_sum(A v) {
  return group_reduce<G>(v, [](A a, A b) { return a + b; });
}

// ---- chunks of V elements ----
template <typename T>
constexpr int vec_width() {
  return 16 / (int)sizeof(T);
}

// Loads V consecutive elements at p as floats (V > 1: one 16-byte load, p must be aligned).
template <int V, typename T>
__device__ __forceinline__ void load_chunk(const T* p, float (&f)[V]) {
  if constexpr (V == 1) {
    f[0] = load_f(p, 0);
  } else {
    static_assert(V == vec_width<T>(), "vector chunks are 16 bytes");
    uint4 raw = *reinterpret_cast<const uint4*>(p);
    const T* e = reinterpret_cast<const T*>(&raw);
#pragma unroll
    for (int k = 0; k < V; ++k) f[k] = load_f(e, k);
  }
}

// Loads V weights, or ones when w is null (RMSNorm without a weight).
template <int V, typename T>
__device__ __forceinline__ void load_chunk_or_ones(const T* w, int64_t j, float (&f)[V]) {
  if (w) {
    load_chunk<V>(w + j, f);
  } else {
#pragma unroll
    for (int k = 0; k < V; ++k) f[k] = 1.f;
  }
}

template <int V, typename T>
__device__ __forceinline__ void store_chunk(T* p, const float (&f)[V]) {
  if constexpr (V == 1) {
    store_f(p, 0, f[0]);
  } else {
    uint4 raw;
    T* e = reinterpret_cast<T*>(&raw);
#pragma unroll
    for (int k = 0; k < V; ++k) store_f(e, k, f[k]);
    *reinterpret_cast<uint4*>(p) = raw;
  }
}

// ---- where a group is ----
// Group-per-row kernels loop `for (int64_t r = first_row<G>(); r < rows; r += row_stride<G>())`.
template <int G>
__device__ __forceinline__ int64_t first_row() {
  return G == 32 ? (int64_t)blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32 : (int64_t)blockIdx.x;
}
template <int G>
__device__ __forceinline__ int64_t row_stride() {
  return G == 32 ? (int64_t)gridDim.x * (blockDim.x / 32) : (int64_t)gridDim.x;
}
template <int G>
__device__ __forceinline__ int group_lane() {
  return G == 32 ? threadIdx.x % 32 : threadIdx.x;
}

// fn(j) for every chunk start j (a multiple of V) of a row of n that this thread owns, in increasing j.
template <int G, int V, typename Fn>
__device__ __forceinline__ void for_each_chunk(int64_t n, Fn fn) {
  for (int64_t j = (int64_t)group_lane<G>() * V; j < n; j += (int64_t)G * V) fn(j);
}

inline bool aligned16(const void* p) { return ((uintptr_t)p & 15u) == 0; }

// Picks the group size (warp or block per row) and the chunk width for rows of n elements of T, and
// calls launch(G, V, grid, block) with G and V as std::integral_constant. Vector chunks need n to be a
// multiple of the width and every pointer the kernel reads or writes row-wise to be 16-byte aligned.
template <typename T, typename Launch>
void launch_rows(int64_t rows, int64_t n, bool pointers_aligned, Launch launch) {
  constexpr int kV = vec_width<T>();
  bool vec = pointers_aligned && n % kV == 0;
  auto with_v = [&](auto g, unsigned grid, int block) {
    if (vec)
      launch(g, std::integral_constant<int, kV>{}, grid, block);
    else
      launch(g, std::integral_constant<int, 1>{}, grid, block);
  };
  if (n <= kWarpRowMax) {
    with_v(std::integral_constant<int, 32>{}, grid_for(rows, kRowWarpsPerBlock), 32 * kRowWarpsPerBlock);
  } else {
    with_v(std::integral_constant<int, kRowBlock>{}, grid_for(rows, 1), kRowBlock);
  }
}

}  // namespace statex
