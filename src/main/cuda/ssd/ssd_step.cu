/*
 * CUDA Mamba2 SSD decode step (statex/ssd.h): one token per batch row, the fp32 state updated in place.
 *   delta = clamp(softplus?(dt + dt_bias)),  s <- exp(delta A) s + delta x B^T,  y = s C + D x
 * Layouts: state [B, H, P, N] fp32; x, y [B, H, P]; dt [B, H]; B, C [B, G, N].
 * One warp per state row (b, h, p): lanes stride over N, update their state entries and reduce y with shuffles;
 * 8 warps (8 rows of P) per block. No shared memory; fp32 throughout. One path for every N and P.
 */
#include "common/dtype.h"
#include "common/ssd_check.h"
#include "common/ssd_math.h"
#include "cuda_util.cuh"
#include "statex/ssd.h"

namespace statex {
namespace {

constexpr int kRowsPerBlock = 8;

template <typename T, typename TD>
__global__ void __launch_bounds__(kRowsPerBlock * 32) ssd_step_kernel(
    T* y, float* state, const T* x, const TD* dt, const float* dt_bias, const float* A, const T* Bm, const T* Cm,
    const float* D, int64_t H, int64_t P, int64_t N, int64_t G, int softplus, float lo, float hi) {
  const int64_t bh = blockIdx.x, h = bh % H, b = bh / H, g = h / (H / G);
  const int64_t p = (int64_t)blockIdx.y * kRowsPerBlock + threadIdx.x / 32;
  const int lane = threadIdx.x % 32;
  if (p >= P) return;  // whole warps leave together
  const float delta = ssd_delta(load_f(dt, bh), dt_bias ? dt_bias[h] : 0.f, softplus, lo, hi, nullptr);
  const float da = decay(delta * A[h]), xs = delta * load_f(x, bh * P + p);
  float* row = state + (bh * P + p) * N;
  const int64_t bg = (b * G + g) * N;
  float acc = 0.f;
  for (int64_t n = lane; n < N; n += 32) {
    float v = fmaf(da, row[n], xs * load_f(Bm, bg + n));
    row[n] = v;
    acc = fmaf(v, load_f(Cm, bg + n), acc);
  }
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) acc += __shfl_xor_sync(0xffffffffu, acc, o);
  if (lane == 0) store_f(y, bh * P + p, acc + (D ? D[h] : 0.f) * load_f(x, bh * P + p));
}

template <typename T, typename TD>
statex_status launch(void* y, float* state, const void* x, const void* dt, const float* dt_bias, const float* A,
                     const void* B, const void* C, const float* D, int64_t batch, int64_t H, int64_t P, int64_t N,
                     int64_t G, int softplus, float lo, float hi, cudaStream_t st) {
  int64_t rows = (P + kRowsPerBlock - 1) / kRowsPerBlock;
  if (rows > 65535) return set_error(STATEX_ERR_UNSUPPORTED, "ssd_step: headdim %lld too large", (long long)P);
  ssd_step_kernel<T, TD><<<dim3((unsigned)(batch * H), (unsigned)rows), kRowsPerBlock * 32, 0, st>>>(
      (T*)y, state, (const T*)x, (const TD*)dt, dt_bias, A, (const T*)B, (const T*)C, D, H, P, N, G, softplus, lo,
      hi);
  return check_launch("ssd_step_kernel");
}

}  // namespace
}  // namespace statex

using namespace statex;

extern "C" {

STATEX_API statex_status statex_cuda_ssd_step(void* y, float* state, const void* x, const void* dt,
                                              const float* dt_bias, const float* A, const void* B, const void* C,
                                              const float* D, int64_t batch, int64_t heads, int64_t headdim,
                                              int64_t dstate, int64_t groups, int dtype, int dt_dtype,
                                              int dt_softplus, float dt_min, float dt_max, void* stream) {
  STX_TRY(check_cuda_dtype("ssd_step", dtype));
  STX_TRY(check_ssd_step(y, state, x, dt, A, B, C, batch, heads, headdim, dstate, groups, dtype, dt_dtype, dt_min,
                         dt_max));
  STX_CHECK(dt_softplus == 0 || dt_softplus == 1, "ssd_step: dt_softplus must be 0 or 1, got %d", dt_softplus);
  STX_CHECK(batch * heads <= 0x7fffffffLL, "ssd_step: batch * heads = %lld exceeds 2^31 - 1",
            (long long)(batch * heads));
  cudaStream_t st = as_stream(stream);
  if (dtype == STATEX_F32)
    return launch<float, float>(y, state, x, dt, dt_bias, A, B, C, D, batch, heads, headdim, dstate, groups,
                                dt_softplus, dt_min, dt_max, st);
  if (dt_dtype == STATEX_F32)
    return launch<uint16_t, float>(y, state, x, dt, dt_bias, A, B, C, D, batch, heads, headdim, dstate, groups,
                                   dt_softplus, dt_min, dt_max, st);
  return launch<uint16_t, uint16_t>(y, state, x, dt, dt_bias, A, B, C, D, batch, heads, headdim, dstate, groups,
                                    dt_softplus, dt_min, dt_max, st);
}

}  // extern "C"
