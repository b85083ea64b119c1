/*
 * The GLA decode step on CUDA (statex/gla.h): one token per sequence, state updated in place.
 *     S <- diag(e^{g}) S + k v^T,    o = scale S^T q
 * Layouts: q, k, g [N, H, K]; v, o [N, H, V]; S [N, H, K, V] fp32.
 *
 * A thread block (256 threads) owns 32 columns of one (sequence, head) state: eight row groups of
 * 32 threads, each thread walking every eighth row of its column (coalesced 128-byte rows), then the
 * eight partial sums of o meet in shared memory (1 KB). fp32 throughout; the step reads and writes
 * the state once, so it runs at memory bandwidth.
 */
#include "common/dtype.h"
#include "common/gla_check.h"
#include "cuda_util.cuh"
#include "statex/gla.h"
#include "warp_gemm.cuh"

namespace statex {
namespace {

constexpr int kCols = 32, kRowGroups = 8;

template <typename Tin, typename TG>
__global__ void __launch_bounds__(kCols* kRowGroups)
step_kernel(Tin* o, float* state, const Tin* q, const Tin* k, const Tin* v, const TG* g, float scale, int64_t K,
            int64_t V) {
  __shared__ float partial[kRowGroups][kCols];
  const int64_t VT = (V + kCols - 1) / kCols;
  const int64_t i = blockIdx.x / VT, vv = (blockIdx.x % VT) * kCols + threadIdx.x % kCols;  // i = n * H + h
  const int group = threadIdx.x / kCols;
  float sum = 0.f;
  if (vv < V) {
    float* S = state + i * K * V;
    const float vx = to_float(v[i * V + vv]);
    for (int64_t kk = group; kk < K; kk += kRowGroups) {
      const float s = expf(to_float(g[i * K + kk])) * S[kk * V + vv] + to_float(k[i * K + kk]) * vx;
      S[kk * V + vv] = s;
      sum += to_float(q[i * K + kk]) * s;
    }
  }
  partial[group][threadIdx.x % kCols] = sum;
  __syncthreads();
  if (group == 0 && vv < V) {
    float total = 0.f;
    for (int r = 0; r < kRowGroups; ++r) total += partial[r][threadIdx.x];
    o[i * V + vv] = from_float<Tin>(scale * total);
  }
}

template <typename Tin, typename TG>
statex_status launch_step(void* o, float* state, const void* q, const void* k, const void* v, const void* g,
                          float scale, int64_t N, int64_t H, int64_t K, int64_t V, cudaStream_t stream) {
  const int64_t blocks = N * H * ((V + kCols - 1) / kCols);
  if (blocks > 0x7fffffffLL)
    return set_error(STATEX_ERR_UNSUPPORTED, "gla_step: N * H * V / 32 = %lld thread blocks is more than one launch takes",
                     (long long)blocks);
  step_kernel<Tin, TG><<<(unsigned)blocks, kCols * kRowGroups, 0, stream>>>(
      (Tin*)o, state, (const Tin*)q, (const Tin*)k, (const Tin*)v, (const TG*)g, scale, K, V);
  return check_launch("gla step_kernel");
}

}  // namespace
}  // namespace statex

using namespace statex;

extern "C" {

STATEX_API statex_status statex_cuda_gla_step(void* o, float* state, const void* q, const void* k, const void* v,
                                              const void* g, int dtype, int g_dtype, double scale, int64_t N,
                                              int64_t H, int64_t K, int64_t V, void* stream) {
  STX_TRY(check_cuda_dtype("gla_step", dtype));
  STX_TRY(check_gla_step(dtype, g_dtype, scale, N, H, K, V, o, state, q, k, v, g));
  cudaStream_t st = as_stream(stream);
  if (dtype == STATEX_F32) return launch_step<float, float>(o, state, q, k, v, g, (float)scale, N, H, K, V, st);
  if (g_dtype == STATEX_F32) return launch_step<uint16_t, float>(o, state, q, k, v, g, (float)scale, N, H, K, V, st);
  return launch_step<uint16_t, uint16_t>(o, state, q, k, v, g, (float)scale, N, H, K, V, st);
}

}  // extern "C"
