/*
 * Reduction along one axis (statex/reduce.h): out[o, i] = reduce_k in[o, k, i], op SUM, MEAN (= SUM / n),
 * MAX or MIN (with the first index of the extreme in argmax when asked; NaN wins).
 *
 * Layout: in [outer, n, inner] contiguous, out and argmax [outer, inner].
 *
 * Two kernels, chosen by inner (the choice is a layout fact, not a heuristic):
 *   inner == 1  row_reduce_kernel: rows are contiguous; a group of G threads owns one row (G = 32, one warp,
 *               for n <= 1024; G = 512, one block, beyond). Each thread folds its strided elements (16-byte
 *               vector loads when rows are aligned), then the group combines with xor shuffles (+ one
 *               shared-memory step of G/32 partials for a block).
 *   inner > 1   col_reduce_kernel: a 32 x 8 block owns 32 consecutive inner indices of one outer index;
 *               threadIdx.x runs along inner (coalesced), threadIdx.y splits the reduced axis 8 ways and the
 *               8 partials meet in shared memory (8 x 32 (value, index) pairs = 4 KiB).
 * Every element is read once. The running value is fp32 (sums: a sequential fp32 sum per thread, then a
 * tree); the index is int64. The (value, index) merge is common/reduce_math.h, the same as the CPU's,
 * and is order-independent, so the argmax does not depend on the thread layout.
 */
#include <math.h>

#include "common/reduce_math.h"
#include "cuda_util.cuh"
#include "reduce/rows.cuh"
#include "statex/reduce.h"

namespace statex {
namespace {

constexpr int kColX = 32;  // col_reduce_kernel: inner indices per block
constexpr int kColY = 8;   //                    ways the reduced axis is split

// The running reduction: a sum (i unused) or the best value so far and its index.
struct ValIdx {
  float v;
  int64_t i;
};

__device__ __forceinline__ ValIdx shfl_xor(ValIdx a, int lane_mask) {
  return {__shfl_xor_sync(kFullMask, a.v, lane_mask), __shfl_xor_sync(kFullMask, a.i, lane_mask)};
}

// OP is STATEX_SUM (MEAN divides afterwards), STATEX_MAX or STATEX_MIN.
template <int OP>
struct Fold {
  // What an empty fold holds: 0 for a sum; for MAX/MIN a value every element beats or ties, at an
  // index every element beats on a tie.
  __device__ static ValIdx identity() {
    if (OP == STATEX_SUM) return {0.f, 0};
    return {OP == STATEX_MAX ? -INFINITY : INFINITY, INT64_MAX};
  }
  __device__ static ValIdx merge(ValIdx a, ValIdx b) {
    if (OP == STATEX_SUM) return {a.v + b.v, 0};
    return reduce_prefer(OP == STATEX_MAX, b.v, b.i, a.v, a.i) ? b : a;
  }
};

template <int OP, typename T>
__device__ __forceinline__ void write_result(ValIdx r, float divisor, T* out, int64_t* argmax, int64_t at) {
  store_f(out, at, OP == STATEX_SUM ? r.v / divisor : r.v);
  if (argmax) argmax[at] = r.i;
}

template <int G, int V, int OP, typename T>
__global__ void row_reduce_kernel(int64_t rows, int64_t n, float divisor, T* out, int64_t* argmax, const T* in) {
  for (int64_t r = first_row<G>(); r < rows; r += row_stride<G>()) {
    const T* row = in + r * n;
    ValIdx acc = Fold<OP>::identity();
    for_each_chunk<G, V>(n, [&](int64_t j) {
      float f[V];
      load_chunk<V>(row + j, f);
#pragma unroll
      for (int k = 0; k < V; ++k) acc = Fold<OP>::merge(acc, {f[k], j + k});
    });
    acc = group_reduce<G>(acc, [](ValIdx a, ValIdx b) { return Fold<OP>::merge(a, b); });
    if (group_lane<G>() == 0) write_result<OP>(acc, divisor, out, argmax, r);
  }
}

template <int OP, typename T>
__global__ void col_reduce_kernel(int64_t outer, int64_t n, int64_t inner, float divisor, T* out, int64_t* argmax,
                                  const T* in) {
  __shared__ ValIdx part[kColY][kColX];
  int64_t i = (int64_t)blockIdx.x * kColX + threadIdx.x;
  for (int64_t o = blockIdx.y; o < outer; o += gridDim.y) {
    ValIdx acc = Fold<OP>::identity();
    if (i < inner) {
      const T* col = in + o * n * inner + i;
      for (int64_t k = threadIdx.y; k < n; k += kColY) acc = Fold<OP>::merge(acc, {load_f(col, k * inner), k});
    }
    part[threadIdx.y][threadIdx.x] = acc;
    __syncthreads();
    if (threadIdx.y == 0 && i < inner) {
#pragma unroll
      for (int y = 1; y < kColY; ++y) acc = Fold<OP>::merge(acc, part[y][threadIdx.x]);
      write_result<OP>(acc, divisor, out, argmax, o * inner + i);
    }
    __syncthreads();  // part[] is reused by the next outer index
  }
}

template <int OP, typename T>
statex_status launch_reduce(int64_t outer, int64_t n, int64_t inner, float divisor, T* out, int64_t* argmax,
                            const T* in, cudaStream_t st) {
  if (inner == 1) {
    launch_rows<T>(outer, n, aligned16(in), [&](auto g, auto v, unsigned grid, int block) {
      row_reduce_kernel<decltype(g)::value, decltype(v)::value, OP><<<grid, block, 0, st>>>(outer, n, divisor, out,
                                                                                           argmax, in);
    });
    return check_launch("row_reduce_kernel");
  }
  dim3 grid((unsigned)((inner + kColX - 1) / kColX), (unsigned)(outer < 65535 ? outer : 65535));
  col_reduce_kernel<OP><<<grid, dim3(kColX, kColY), 0, st>>>(outer, n, inner, divisor, out, argmax, in);
  return check_launch("col_reduce_kernel");
}

template <typename T>
statex_status reduce_typed(int op, int64_t outer, int64_t n, int64_t inner, T* out, int64_t* argmax, const T* in,
                           cudaStream_t st) {
  switch (op) {
    case STATEX_SUM: return launch_reduce<STATEX_SUM>(outer, n, inner, 1.f, out, argmax, in, st);
    case STATEX_MEAN: return launch_reduce<STATEX_SUM>(outer, n, inner, (float)n, out, argmax, in, st);
    case STATEX_MAX: return launch_reduce<STATEX_MAX>(outer, n, inner, 1.f, out, argmax, in, st);
    default: return launch_reduce<STATEX_MIN>(outer, n, inner, 1.f, out, argmax, in, st);
  }
}

}  // namespace
}  // namespace statex

using namespace statex;

extern "C" STATEX_API statex_status statex_cuda_reduce(int op, int dtype, int64_t outer, int64_t n, int64_t inner,
                                                       void* out, int64_t* argmax, const void* in, void* stream) {
  STX_TRY(check_cuda_dtype("reduce", dtype));
  STX_TRY(check_reduce(op, dtype, outer, n, inner, out, argmax, in));
  if (outer * inner == 0) return STATEX_OK;
  if (dtype == STATEX_F32)
    return reduce_typed(op, outer, n, inner, (float*)out, argmax, (const float*)in, as_stream(stream));
  return reduce_typed(op, outer, n, inner, (uint16_t*)out, argmax, (const uint16_t*)in, as_stream(stream));
}
