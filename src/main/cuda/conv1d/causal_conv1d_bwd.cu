/*
 * CUDA depthwise causal conv1d, backward (statex/conv1d.h).
 *
 *   g[t, c]  = dout[t, c] * act'(pre[t, c])        (pre recomputed: W taps)
 *   dx[t, c] = sum_k weight[c, k] g[t + (W-1) - k, c]   over taps that stay inside the token's sequence
 *   dweight[c, k] = sum_t g[t, c] x[t - (W-1) + k, c],  dbias[c] = sum_t g[t, c]
 * Layouts: x, dx, dout [B, T, Ch]; weight, dweight [Ch, W] fp32; dbias [Ch] fp32.
 * dx: one thread per (token, channel), grid-stride, W*W loads (W <= 4). dweight/dbias: a block row of 256
 * channels times a block of kTokBlock tokens writes fp32 partial sums [token block][Ch][W+1] to the workspace;
 * a second kernel sums the token blocks in a fixed order (deterministic, no atomics). fp32 throughout.
 */
#include "common/ssd_check.h"
#include "conv1d/conv1d_common.cuh"
#include "statex/conv1d.h"

namespace statex {
namespace conv1d {
namespace {

constexpr int64_t kTokBlock = 128;

inline int64_t token_blocks(int64_t tokens) { return (tokens + kTokBlock - 1) / kTokBlock; }

template <typename T>
__device__ __forceinline__ float grad_at(const Conv1dShape& s, const T* dout, const T* x, const float* weight,
                                         const float* bias, int64_t begin, int64_t t, int64_t c) {
  float go = load_f(dout, t * s.channels + c);
  return s.silu ? go * silu_grad(conv1d_pre(x, weight, bias, s.channels, (int)s.width, begin, t, c)) : go;
}

template <typename T>
__global__ void dx_kernel(Conv1dShape s, T* dx, const T* dout, const T* x, const float* weight, const float* bias,
                          const int64_t* cu) {
  const int64_t n = s.tokens * s.channels;
  const int W = (int)s.width;
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
    int64_t tok = i / s.channels, c = i % s.channels, begin, end;
    seq_bounds(cu, s.nseq, s.seqlen, s.tokens, tok, &begin, &end);
    float acc = 0.f;
    for (int k = 0; k < W; ++k) {
      int64_t dst = tok + (W - 1) - k;
      if (dst < end) acc = fmaf(weight[c * W + k], grad_at(s, dout, x, weight, bias, begin, dst, c), acc);
    }
    store_f(dx, i, acc);
  }
}

// Partial dweight (W values) and dbias of one channel over one block of tokens.
template <typename T>
__global__ void dw_partial_kernel(Conv1dShape s, float* part, const T* dout, const T* x, const float* weight,
                                  const float* bias, const int64_t* cu) {
  const int64_t c = blockIdx.x * (int64_t)blockDim.x + threadIdx.x, tb = blockIdx.y;
  if (c >= s.channels) return;
  const int W = (int)s.width;
  float acc[5] = {0.f, 0.f, 0.f, 0.f, 0.f};  // W taps, then bias
  const int64_t t_end = min((tb + 1) * kTokBlock, s.tokens);
  for (int64_t t = tb * kTokBlock; t < t_end; ++t) {
    int64_t begin, end;
    seq_bounds(cu, s.nseq, s.seqlen, s.tokens, t, &begin, &end);
    float g = grad_at(s, dout, x, weight, bias, begin, t, c);
    for (int k = 0; k < W; ++k) {
      int64_t src = t - (W - 1) + k;
      if (src >= begin) acc[k] = fmaf(g, load_f(x, src * s.channels + c), acc[k]);
    }
    acc[4] += g;
  }
  float* p = part + (tb * s.channels + c) * (W + 1);
  for (int k = 0; k < W; ++k) p[k] = acc[k];
  p[W] = acc[4];
}

__global__ void dw_reduce_kernel(Conv1dShape s, int64_t nblocks, float* dweight, float* dbias, const float* part) {
  const int64_t c = blockIdx.x * (int64_t)blockDim.x + threadIdx.x;
  if (c >= s.channels) return;
  const int W = (int)s.width;
  float acc[5] = {0.f, 0.f, 0.f, 0.f, 0.f};
  for (int64_t tb = 0; tb < nblocks; ++tb)
    for (int k = 0; k <= W; ++k) acc[k] += part[(tb * s.channels + c) * (W + 1) + k];
  for (int k = 0; k < W; ++k) dweight[c * W + k] = acc[k];
  if (dbias) dbias[c] = acc[W];
}

template <typename T>
statex_status backward(const Conv1dShape& s, T* dx, float* dweight, float* dbias, const T* dout, const T* x,
                       const float* weight, const float* bias, const int64_t* cu, float* part, cudaStream_t st) {
  const int64_t nb = token_blocks(s.tokens);
  if (nb > 65535) return set_error(STATEX_ERR_UNSUPPORTED, "causal_conv1d_bwd: %lld tokens exceed %lld",
                                   (long long)s.tokens, (long long)(65535 * kTokBlock));
  dx_kernel<T><<<grid_for(s.tokens * s.channels, kThreads), kThreads, 0, st>>>(s, dx, dout, x, weight, bias, cu);
  STX_TRY(check_launch("conv1d dx_kernel"));
  const unsigned cb = (unsigned)((s.channels + kThreads - 1) / kThreads);
  dw_partial_kernel<T><<<dim3(cb, (unsigned)nb), kThreads, 0, st>>>(s, part, dout, x, weight, bias, cu);
  STX_TRY(check_launch("conv1d dw_partial_kernel"));
  dw_reduce_kernel<<<cb, kThreads, 0, st>>>(s, nb, dweight, dbias, part);
  return check_launch("conv1d dw_reduce_kernel");
}

int64_t workspace_bytes(int64_t tokens, int64_t channels, int64_t width) {
  return token_blocks(tokens) * channels * (width + 1) * (int64_t)sizeof(float);
}

}  // namespace
}  // namespace conv1d
}  // namespace statex

using namespace statex;

extern "C" {

STATEX_API statex_status statex_cuda_causal_conv1d_bwd_workspace_size(int64_t* bytes, int64_t batch,
                                                                      int64_t seqlen, int64_t channels,
                                                                      int64_t width) {
  STX_TRY(check_ptr("causal_conv1d_bwd workspace size out", bytes));
  STX_CHECK(batch >= 1 && seqlen >= 1 && channels >= 1 && width >= 2 && width <= 4,
            "causal_conv1d_bwd_workspace_size: need batch, seqlen, channels >= 1 and width in 2..4, got %lld, %lld, "
            "%lld, %lld", (long long)batch, (long long)seqlen, (long long)channels, (long long)width);
  *bytes = conv1d::workspace_bytes(batch * seqlen, channels, width);
  return STATEX_OK;
}

STATEX_API statex_status statex_cuda_causal_conv1d_bwd(void* dx, float* dweight, float* dbias, const void* dout,
                                                       const void* x, const float* weight, const float* bias,
                                                       const int64_t* cu_seqlens, int64_t batch, int64_t seqlen,
                                                       int64_t channels, int64_t width, int64_t nseq, int dtype,
                                                       int silu, void* workspace, int64_t workspace_bytes,
                                                       void* stream) {
  STX_TRY(check_cuda_dtype("causal_conv1d_bwd", dtype));
  Conv1dShape s;
  STX_TRY(check_conv1d_bwd(&s, dx, dweight, dbias, dout, x, weight, bias, cu_seqlens, false, batch, seqlen, channels,
                           width, nseq, dtype, silu));
  int64_t need = conv1d::workspace_bytes(s.tokens, channels, width);
  STX_TRY(check_workspace("causal_conv1d_bwd", workspace, workspace_bytes, need));
  cudaStream_t st = as_stream(stream);
  if (dtype == STATEX_F32)
    return conv1d::backward(s, (float*)dx, dweight, dbias, (const float*)dout, (const float*)x, weight, bias,
                            cu_seqlens, (float*)workspace, st);
  return conv1d::backward(s, (uint16_t*)dx, dweight, dbias, (const uint16_t*)dout, (const uint16_t*)x, weight, bias,
                          cu_seqlens, (float*)workspace, st);
}

}  // extern "C"
