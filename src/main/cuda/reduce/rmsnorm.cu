/*
 * RMSNorm over rows and its backward (statex/reduce.h).
 *   forward:  rstd = 1 / sqrt(mean_j x_j^2 + eps),  y_j = x_j rstd w_j          (w = ones when NULL)
 *   backward: c = rstd^2 mean_j(w_j dy_j x_j),  dx_j = rstd (w_j dy_j - x_j c)
 *             dw_j += sum_rows dy_j x_j rstd                                    (F32 dw, accumulated into)
 *
 * Layout: x, y, dy, dx [rows, n]; w [n] in the data dtype; rstd [rows] F32; dw [n] F32.
 * rmsnorm_fwd_kernel / rmsnorm_dx_kernel: a group owns one row (rows.cuh: one warp for n <= 1024, else a
 *   512-thread block): one pass for the row sum, one pass that writes (the re-read hits L1/L2).
 * rmsnorm_dw_kernel: a column reduction. A 256-thread block owns 256 consecutive columns (coalesced reads)
 *   and a slab of rows; it sums its slab in registers and adds the partial sums into dw with one atomicAdd
 *   per column. Slabs are sized so that the grid has ~2048 blocks; the order of the atomic adds (and so the
 *   last bits of dw) may differ from run to run.
 * No shared memory beyond the group reduction; everything is accumulated in fp32.
 */
#include <math.h>

#include "common/reduce_math.h"
#include "cuda_util.cuh"
#include "reduce/rows.cuh"
#include "statex/reduce.h"

namespace statex {
namespace {

constexpr int kDwBlock = 256;          // rmsnorm_dw_kernel: columns per block
constexpr int64_t kDwTargetBlocks = 2048;
constexpr int64_t kDwMinSlab = 16;     // rows per block, at least

template <int G, int V, typename T>
__global__ void rmsnorm_fwd_kernel(int64_t rows, int64_t n, float eps, T* y, float* rstd, const T* x, const T* w) {
  for (int64_t r = first_row<G>(); r < rows; r += row_stride<G>()) {
    const T* xr = x + r * n;
    float ss = 0.f;
    for_each_chunk<G, V>(n, [&](int64_t j) {
      float f[V];
      load_chunk<V>(xr + j, f);
#pragma unroll
      for (int k = 0; k < V; ++k) ss += f[k] * f[k];
    });
    float rs = 1.f / sqrtf(group_sum<G>(ss) / (float)n + eps);
    for_each_chunk<G, V>(n, [&](int64_t j) {
      float f[V], wf[V];
      load_chunk<V>(xr + j, f);
      load_chunk_or_ones<V>(w, j, wf);
#pragma unroll
      for (int k = 0; k < V; ++k) f[k] = f[k] * rs * wf[k];
      store_chunk<V>(y + r * n + j, f);
    });
    if (rstd && group_lane<G>() == 0) rstd[r] = rs;
  }
}

template <int G, int V, typename T>
__global__ void rmsnorm_dx_kernel(int64_t rows, int64_t n, T* dx, const T* dy, const T* x, const T* w,
                                  const float* rstd) {
  for (int64_t r = first_row<G>(); r < rows; r += row_stride<G>()) {
    const T* xr = x + r * n;
    const T* gr = dy + r * n;
    // dy, x and w of the chunk at j: both passes read the same three.
    auto load = [&](int64_t j, float(&g)[V], float(&f)[V], float(&wf)[V]) {
      load_chunk<V>(gr + j, g);
      load_chunk<V>(xr + j, f);
      load_chunk_or_ones<V>(w, j, wf);
    };
    // The two terms of dx cancel where x_j^2 rstd^2 approaches 1 (short rows: at n = 1 the result is
    // eps-sized), so the dot product and dx are formed in double; the kernel stays memory-bound.
    double dot = 0.0;  // sum_j w_j dy_j x_j
    for_each_chunk<G, V>(n, [&](int64_t j) {
      float g[V], f[V], wf[V];
      load(j, g, f, wf);
#pragma unroll
      for (int k = 0; k < V; ++k) dot += (double)wf[k] * g[k] * f[k];
    });
    double rs = rstd[r];
    double c = rs * rs * group_sum<G>(dot) / (double)n;
    for_each_chunk<G, V>(n, [&](int64_t j) {
      float g[V], f[V], wf[V];
      load(j, g, f, wf);
#pragma unroll
      for (int k = 0; k < V; ++k) g[k] = (float)rmsnorm_dx<double>(g[k], f[k], wf[k], rs, c);
      store_chunk<V>(dx + r * n + j, g);
    });
  }
}

template <typename T>
__global__ void rmsnorm_dw_kernel(int64_t rows, int64_t n, int64_t slab, float* dw, const T* dy, const T* x,
                                  const float* rstd) {
  int64_t j = (int64_t)blockIdx.x * kDwBlock + threadIdx.x;
  if (j >= n) return;
  int64_t r0 = (int64_t)blockIdx.y * slab, r1 = r0 + slab < rows ? r0 + slab : rows;
  float acc = 0.f;
  for (int64_t r = r0; r < r1; ++r) acc += load_f(dy, r * n + j) * load_f(x, r * n + j) * rstd[r];
  atomicAdd(dw + j, acc);
}

template <typename T>
statex_status rmsnorm_fwd_typed(int64_t rows, int64_t n, float eps, T* y, float* rstd, const T* x, const T* w,
                                cudaStream_t st) {
  bool aligned = aligned16(y) && aligned16(x) && aligned16(w);
  launch_rows<T>(rows, n, aligned, [&](auto g, auto v, unsigned grid, int block) {
    rmsnorm_fwd_kernel<decltype(g)::value, decltype(v)::value><<<grid, block, 0, st>>>(rows, n, eps, y, rstd, x, w);
  });
  return check_launch("rmsnorm_fwd_kernel");
}

template <typename T>
statex_status rmsnorm_bwd_typed(int64_t rows, int64_t n, T* dx, float* dw, const T* dy, const T* x, const T* w,
                                const float* rstd, cudaStream_t st) {
  bool aligned = aligned16(dx) && aligned16(dy) && aligned16(x) && aligned16(w);
  launch_rows<T>(rows, n, aligned, [&](auto g, auto v, unsigned grid, int block) {
    rmsnorm_dx_kernel<decltype(g)::value, decltype(v)::value><<<grid, block, 0, st>>>(rows, n, dx, dy, x, w, rstd);
  });
  STX_TRY(check_launch("rmsnorm_dx_kernel"));
  if (!dw) return STATEX_OK;
  int64_t col_blocks = (n + kDwBlock - 1) / kDwBlock;
  int64_t slabs = kDwTargetBlocks / col_blocks;
  int64_t max_slabs = (rows + kDwMinSlab - 1) / kDwMinSlab;
  slabs = slabs < 1 ? 1 : slabs > max_slabs ? max_slabs : slabs;
  slabs = slabs > 65535 ? 65535 : slabs;
  int64_t slab = (rows + slabs - 1) / slabs;
  dim3 grid((unsigned)col_blocks, (unsigned)((rows + slab - 1) / slab));
  rmsnorm_dw_kernel<<<grid, kDwBlock, 0, st>>>(rows, n, slab, dw, dy, x, rstd);
  return check_launch("rmsnorm_dw_kernel");
}

}  // namespace
}  // namespace statex

using namespace statex;

extern "C" {

STATEX_API statex_status statex_cuda_rmsnorm_fwd(int dtype, int64_t rows, int64_t n, double eps, void* y, float* rstd,
                                                 const void* x, const void* w, void* stream) {
  STX_TRY(check_cuda_dtype("rmsnorm_fwd", dtype));
  STX_TRY(check_rmsnorm_fwd(dtype, rows, n, eps, y, x));
  if (rows == 0) return STATEX_OK;
  if (dtype == STATEX_F32)
    return rmsnorm_fwd_typed(rows, n, (float)eps, (float*)y, rstd, (const float*)x, (const float*)w, as_stream(stream));
  return rmsnorm_fwd_typed(rows, n, (float)eps, (uint16_t*)y, rstd, (const uint16_t*)x, (const uint16_t*)w,
                           as_stream(stream));
}

STATEX_API statex_status statex_cuda_rmsnorm_bwd(int dtype, int64_t rows, int64_t n, void* dx, float* dw,
                                                 const void* dy, const void* x, const void* w, const float* rstd,
                                                 void* stream) {
  STX_TRY(check_cuda_dtype("rmsnorm_bwd", dtype));
  STX_TRY(check_rmsnorm_bwd(dtype, rows, n, dx, dy, x, rstd));
  if (rows == 0) return STATEX_OK;
  if (dtype == STATEX_F32)
    return rmsnorm_bwd_typed(rows, n, (float*)dx, dw, (const float*)dy, (const float*)x, (const float*)w, rstd,
                             as_stream(stream));
  return rmsnorm_bwd_typed(rows, n, (uint16_t*)dx, dw, (const uint16_t*)dy, (const uint16_t*)x, (const uint16_t*)w,
                           rstd, as_stream(stream));
}

}  // extern "C"
