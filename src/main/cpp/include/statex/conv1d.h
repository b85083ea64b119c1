/*
 * Depthwise causal conv1d as Mamba2 applies it to xBC: forward, backward and the single-token decode step.
 *
 *   pre[t, c] = bias[c] + sum_{k=0}^{W-1} weight[c, k] * x[t - (W-1) + k, c]     (x before the sequence start = 0)
 *   out[t, c] = silu(pre[t, c]) if silu else pre[t, c]
 *
 * Layouts (row-major, contiguous):
 *   x, out, dx, dout    [B, T, Ch]   dtype (F32 or BF16; F64 on the CPU, see below), channels last
 *   weight, dweight     [Ch, W] fp32, W in 2..4
 *   bias, dbias         [Ch] fp32, optional (NULL: no bias); dbias is given exactly when bias is
 *   cu_seqlens          [nseq + 1] int64, optional (requires B == 1): packed sequences; no tap reaches across a
 *                       sequence start (each sequence sees zeros before its first token). nseq is 0 without it.
 *   final_state         [S, W-1, Ch] dtype, optional output of the forward: the last W-1 inputs of each sequence
 *                       (oldest first; zeros where the sequence is shorter), S = nseq or B. It is the decode state.
 *   conv_state          [B, W-1, Ch] dtype, the decode state (time-major so that a step shifts whole channel rows).
 * Accumulation in fp32. Backward gradients are overwritten; dweight and dbias are reduced over all tokens.
 *
 * F64 (CPU entries only; the CUDA entries reject it): with dtype STATEX_F64, weight, bias, dweight and dbias are
 * F64 as well (the fp32 pointers of the CUDA entries are void* on the CPU for this) and everything runs in double.
 *
 * Decode step: out[b, c] = act(bias[c] + sum_{k<W-1} weight[c, k] conv_state[b, k, c] + weight[c, W-1] x[b, c]),
 * then conv_state shifts by one slot and takes x as its newest entry.
 *
 * CUDA entries take device pointers (cu_seqlens too: values are clamped, not validated) and a stream; the backward
 * needs a workspace (dweight/dbias partial sums over token blocks) sized by its query.
 */
#ifndef STATEX_CONV1D_H
#define STATEX_CONV1D_H

#include "statex/core.h"

#ifdef __cplusplus
extern "C" {
#endif

STATEX_API statex_status statex_cpu_causal_conv1d_fwd(void* out, void* final_state, const void* x,
                                                      const void* weight, const void* bias,
                                                      const int64_t* cu_seqlens, int64_t batch, int64_t seqlen,
                                                      int64_t channels, int64_t width, int64_t nseq, int dtype,
                                                      int silu);
STATEX_API statex_status statex_cpu_causal_conv1d_bwd(void* dx, void* dweight, void* dbias, const void* dout,
                                                      const void* x, const void* weight, const void* bias,
                                                      const int64_t* cu_seqlens, int64_t batch, int64_t seqlen,
                                                      int64_t channels, int64_t width, int64_t nseq, int dtype,
                                                      int silu);
STATEX_API statex_status statex_cpu_causal_conv1d_step(void* out, void* conv_state, const void* x,
                                                       const void* weight, const void* bias, int64_t batch,
                                                       int64_t channels, int64_t width, int dtype, int silu);

STATEX_API statex_status statex_cuda_causal_conv1d_fwd(void* out, void* final_state, const void* x,
                                                       const float* weight, const float* bias,
                                                       const int64_t* cu_seqlens, int64_t batch, int64_t seqlen,
                                                       int64_t channels, int64_t width, int64_t nseq, int dtype,
                                                       int silu, void* stream);
STATEX_API statex_status statex_cuda_causal_conv1d_bwd_workspace_size(int64_t* bytes, int64_t batch,
                                                                      int64_t seqlen, int64_t channels,
                                                                      int64_t width);
STATEX_API statex_status statex_cuda_causal_conv1d_bwd(void* dx, float* dweight, float* dbias, const void* dout,
                                                       const void* x, const float* weight, const float* bias,
                                                       const int64_t* cu_seqlens, int64_t batch, int64_t seqlen,
                                                       int64_t channels, int64_t width, int64_t nseq, int dtype,
                                                       int silu, void* workspace, int64_t workspace_bytes,
                                                       void* stream);
STATEX_API statex_status statex_cuda_causal_conv1d_step(void* out, void* conv_state, const void* x,
                                                        const float* weight, const float* bias, int64_t batch,
                                                        int64_t channels, int64_t width, int dtype, int silu,
                                                        void* stream);

#ifdef __cplusplus
}
#endif
#endif
