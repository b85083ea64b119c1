/*
 * CUDA depthwise causal conv1d, forward and decode step (statex/conv1d.h).
 *
 *   pre[t, c] = bias[c] + sum_{k<W} weight[c, k] x[t - (W-1) + k, c],  out = silu(pre) or pre   (W in 2..4)
 * Layouts: x, out [B, T, Ch] channels last; weight [Ch, W] fp32; final/decode state [S or B, W-1, Ch].
 * One thread per (token, channel) in a grid-stride loop: consecutive threads take consecutive channels, so every
 * tap is a coalesced row read. A token's sequence start comes from its batch row or a binary search of cu_seqlens.
 * No shared memory; a handful of registers; fp32 accumulation. One path for every size.
 */
#include "conv1d/conv1d_common.cuh"
#include "statex/conv1d.h"

namespace statex {
namespace conv1d {
namespace {

template <typename T>
__global__ void fwd_kernel(Conv1dShape s, T* out, const T* x, const float* weight, const float* bias,
                           const int64_t* cu) {
  const int64_t n = s.tokens * s.channels;
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
    int64_t tok = i / s.channels, c = i % s.channels, begin, end;
    seq_bounds(cu, s.nseq, s.seqlen, s.tokens, tok, &begin, &end);
    float v = conv1d_pre(x, weight, bias, s.channels, (int)s.width, begin, tok, c);
    store_f(out, i, s.silu ? silu(v) : v);
  }
}

// The last W-1 inputs of every sequence (zeros where it is shorter): the decode state after a prefill.
template <typename T>
__global__ void final_state_kernel(Conv1dShape s, T* fin, const T* x, const int64_t* cu) {
  const int64_t W1 = s.width - 1, n = s.nseqs * W1 * s.channels;
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
    int64_t c = i % s.channels, k = i / s.channels % W1, q = i / s.channels / W1;
    int64_t begin = q * s.seqlen, end = begin + s.seqlen;
    if (cu) {
      begin = min(max(cu[q], (int64_t)0), s.tokens);
      end = min(max(cu[q + 1], begin), s.tokens);
    }
    int64_t src = end - W1 + k;
    store_f(fin, i, src >= begin ? load_f(x, src * s.channels + c) : 0.f);
  }
}

template <typename T>
__global__ void step_kernel(int64_t batch, int64_t Ch, int W, int silu_on, T* out, T* state, const T* x,
                            const float* weight, const float* bias) {
  const int64_t n = batch * Ch;
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
    int64_t b = i / Ch, c = i % Ch;
    store_f(out, i, conv1d_step_one(state + b * (W - 1) * Ch + c, Ch, x[i], weight + c * W, bias ? bias[c] : 0.f,
                                    W, silu_on));
  }
}

template <typename T>
statex_status forward(const Conv1dShape& s, T* out, T* fin, const T* x, const float* weight, const float* bias,
                      const int64_t* cu, cudaStream_t st) {
  fwd_kernel<T><<<grid_for(s.tokens * s.channels, kThreads), kThreads, 0, st>>>(s, out, x, weight, bias, cu);
  STX_TRY(check_launch("conv1d fwd_kernel"));
  if (!fin) return STATEX_OK;
  final_state_kernel<T><<<grid_for(s.nseqs * (s.width - 1) * s.channels, kThreads), kThreads, 0, st>>>(s, fin, x, cu);
  return check_launch("conv1d final_state_kernel");
}

}  // namespace
}  // namespace conv1d
}  // namespace statex

using namespace statex;

extern "C" {

STATEX_API statex_status statex_cuda_causal_conv1d_fwd(void* out, void* final_state, const void* x,
                                                       const float* weight, const float* bias,
                                                       const int64_t* cu_seqlens, int64_t batch, int64_t seqlen,
                                                       int64_t channels, int64_t width, int64_t nseq, int dtype,
                                                       int silu, void* stream) {
  STX_TRY(check_cuda_dtype("causal_conv1d_fwd", dtype));
  Conv1dShape s;
  STX_TRY(check_conv1d(&s, "causal_conv1d_fwd", out, x, weight, cu_seqlens, false, batch, seqlen, channels, width,
                       nseq, dtype, silu));
  cudaStream_t st = as_stream(stream);
  if (dtype == STATEX_F32)
    return conv1d::forward(s, (float*)out, (float*)final_state, (const float*)x, weight, bias, cu_seqlens, st);
  return conv1d::forward(s, (uint16_t*)out, (uint16_t*)final_state, (const uint16_t*)x, weight, bias, cu_seqlens, st);
}

STATEX_API statex_status statex_cuda_causal_conv1d_step(void* out, void* conv_state, const void* x,
                                                        const float* weight, const float* bias, int64_t batch,
                                                        int64_t channels, int64_t width, int dtype, int silu,
                                                        void* stream) {
  STX_TRY(check_cuda_dtype("causal_conv1d_step", dtype));
  STX_TRY(check_conv1d_step(out, conv_state, x, weight, batch, channels, width, dtype, silu));
  cudaStream_t st = as_stream(stream);
  unsigned grid = grid_for(batch * channels, conv1d::kThreads);
  if (dtype == STATEX_F32) {
    conv1d::step_kernel<float><<<grid, conv1d::kThreads, 0, st>>>(batch, channels, (int)width, silu, (float*)out,
                                                                  (float*)conv_state, (const float*)x, weight, bias);
  } else {
    conv1d::step_kernel<uint16_t><<<grid, conv1d::kThreads, 0, st>>>(
        batch, channels, (int)width, silu, (uint16_t*)out, (uint16_t*)conv_state, (const uint16_t*)x, weight, bias);
  }
  return check_launch("conv1d step_kernel");
}

}  // extern "C"
