/*
 * Mamba2 SSD (state space duality) chunked scan: forward, backward and the single-token decode step.
 *
 * Per head h (group g = h / (H/G)) and token t of one sequence:
 *   delta_t = clamp(softplus(dt_t + dt_bias_h), dt_min, dt_max)   (softplus optional, log(1+e^v), v above 20 as is)
 *   s_t     = exp(delta_t A_h) s_{t-1} + delta_t x_t B_t^T             (P x N, fp32)
 *   y_t     = s_t C_t + D_h x_t
 * The chunked form (chunk length Q) computes the same thing with matrix products: chunk-local cumulative decays,
 * per-chunk states, a sequential pass over chunk states, and an intra-chunk (C B^T under the decay mask) term.
 *
 * Layouts (row-major, contiguous, dimension letters of the README glossary):
 *   x, y, dx, dy        [B, T, H, P]   dtype (F32 or BF16; F64 on the CPU, see below)
 *   dt, ddt             [B, T, H]      dt_dtype (F32, or equal to dtype); raw values before dt_bias/softplus
 *   B, C, dB, dC        [B, T, G, N]   dtype
 *   A, dA               [H] fp32 (A < 0)
 *   dt_bias, ddt_bias   [H] fp32, optional (NULL: no bias)
 *   D, dD               [H] fp32, optional (NULL: no skip term)
 *   initial_state, final_state, their gradients   [S, H, P, N] fp32, optional
 *   cu_seqlens          [nseq + 1] int64, optional: packed variable-length batch (requires B == 1); sequence s spans
 *                       tokens [cu_seqlens[s], cu_seqlens[s+1]) with cu_seqlens[0] = 0, non-decreasing,
 *                       cu_seqlens[nseq] = T; the state restarts (from its own initial state) at every sequence.
 *   S = nseq with cu_seqlens, else B (one sequence per batch row). nseq must be 0 without cu_seqlens.
 *
 * Options: chunk_size Q in {64, 128, 256} (Mamba2 uses 256); dt_softplus (0/1); dt_min <= dt_max clamp delta after
 * softplus (pass 0 and INFINITY for none); the gradient is zero where the clamp was active (delta < dt_min or
 * delta > dt_max). Preconditions the kernels rely on (as Mamba2 does): A <= 0 and delta >= 0, so every decay
 * exponent is <= 0; every decay exponent is computed as exp(min(., 0)).
 *
 * Backward: every gradient is overwritten (not accumulated). dD must be given exactly when D is, ddt_bias exactly
 * when dt_bias is. dinitial_state may be NULL (not computed) and may be requested without initial_state (the
 * gradient with respect to the zero state). dfinal_state may be NULL (zero cotangent).
 *
 * Workspace: caller-provided, size from the matching *_workspace_size query (same sizes and chunk size; the
 * backend's own query: CPU and CUDA lay it out differently; docs/kernels/ssd_chunk.md has the layouts). The forward
 * keeps nothing for the backward: the backward recomputes delta, the cumulative decays, C B^T and the fp32 chunk
 * states from its inputs. With NC chunks (B ceil(T/Q), or T/Q + nseq packed), the CUDA workspace is, in 4-byte
 * words (delta fp32, cumulative decays fp64, the rest fp32),
 *   forward   3 NC H Q + NC H + NC G Q^2 + NC H P N                     (+ the chunk table)
 *   backward  forward + NC H P N + (1 + splits) NC G Q^2 + NC H Q (3 P/64 + 2 Q/64) + small
 * (splits: the heads of a group spread over up to H/G blocks per dCB tile, 0 when 1)
 * e.g. B1 T65536 H64 P64 N512 G1 Q256: 2.11 GiB forward, 4.48 GiB backward. CUDA entries take device pointers (cu_seqlens too) and enqueue on `stream`; they do
 * not synchronise. The CPU entries validate the values of cu_seqlens, the CUDA entries cannot (device memory):
 * invalid values there give meaningless results but no out-of-bounds access (they are clamped into [0, T]).
 *
 * Decode step: one token per batch row, the state [B, H, P, N] fp32 updated in place; x [B, H, P], dt [B, H],
 * B, C [B, G, N], y [B, H, P]. Prefill with the chunked forward (final_state) then decode equals one chunked pass.
 *
 * F64 (CPU entries only; the CUDA entries reject it): dtype may be STATEX_F64, and then every tensor listed above
 * as fp32 (A, dt_bias, D, the states, the decode state and all their gradients) is F64 as well, and the scan runs
 * in double throughout, so that a double gradient check sees no fp32 rounding. dt_dtype stays F32 or dtype. The CPU
 * workspace queries take dtype for this reason (F64 needs more scratch).
 */
#ifndef STATEX_SSD_H
#define STATEX_SSD_H

#include "statex/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* CPU: the fp32 pointers of the CUDA entries are void* here: F32, or F64 when dtype is F64. */
STATEX_API statex_status statex_cpu_ssd_chunk_fwd_workspace_size(int64_t* bytes, int64_t batch, int64_t seqlen,
                                                                  int64_t heads, int64_t headdim, int64_t dstate,
                                                                  int64_t groups, int64_t nseq, int dtype,
                                                                  int64_t chunk_size);
STATEX_API statex_status statex_cpu_ssd_chunk_bwd_workspace_size(int64_t* bytes, int64_t batch, int64_t seqlen,
                                                                  int64_t heads, int64_t headdim, int64_t dstate,
                                                                  int64_t groups, int64_t nseq, int dtype,
                                                                  int64_t chunk_size);

STATEX_API statex_status statex_cpu_ssd_chunk_fwd(void* y, void* final_state, const void* x, const void* dt,
                                                  const void* dt_bias, const void* A, const void* B, const void* C,
                                                  const void* D, const void* initial_state,
                                                  const int64_t* cu_seqlens, int64_t batch, int64_t seqlen,
                                                  int64_t heads, int64_t headdim, int64_t dstate, int64_t groups,
                                                  int64_t nseq, int dtype, int dt_dtype, int64_t chunk_size,
                                                  int dt_softplus, float dt_min, float dt_max, void* workspace,
                                                  int64_t workspace_bytes);

STATEX_API statex_status statex_cpu_ssd_chunk_bwd(void* dx, void* ddt, void* dA, void* dB, void* dC, void* dD,
                                                  void* ddt_bias, void* dinitial_state, const void* dy,
                                                  const void* dfinal_state, const void* x, const void* dt,
                                                  const void* dt_bias, const void* A, const void* B, const void* C,
                                                  const void* D, const void* initial_state,
                                                  const int64_t* cu_seqlens, int64_t batch, int64_t seqlen,
                                                  int64_t heads, int64_t headdim, int64_t dstate, int64_t groups,
                                                  int64_t nseq, int dtype, int dt_dtype, int64_t chunk_size,
                                                  int dt_softplus, float dt_min, float dt_max, void* workspace,
                                                  int64_t workspace_bytes);

STATEX_API statex_status statex_cpu_ssd_step(void* y, void* state, const void* x, const void* dt,
                                             const void* dt_bias, const void* A, const void* B, const void* C,
                                             const void* D, int64_t batch, int64_t heads, int64_t headdim,
                                             int64_t dstate, int64_t groups, int dtype, int dt_dtype,
                                             int dt_softplus, float dt_min, float dt_max);

STATEX_API statex_status statex_cuda_ssd_chunk_fwd_workspace_size(int64_t* bytes, int64_t batch, int64_t seqlen,
                                                                   int64_t heads, int64_t headdim, int64_t dstate,
                                                                   int64_t groups, int64_t nseq, int64_t chunk_size);
STATEX_API statex_status statex_cuda_ssd_chunk_bwd_workspace_size(int64_t* bytes, int64_t batch, int64_t seqlen,
                                                                   int64_t heads, int64_t headdim, int64_t dstate,
                                                                   int64_t groups, int64_t nseq, int64_t chunk_size);

STATEX_API statex_status statex_cuda_ssd_chunk_fwd(void* y, float* final_state, const void* x, const void* dt,
                                                   const float* dt_bias, const float* A, const void* B, const void* C,
                                                   const float* D, const float* initial_state,
                                                   const int64_t* cu_seqlens, int64_t batch, int64_t seqlen,
                                                   int64_t heads, int64_t headdim, int64_t dstate, int64_t groups,
                                                   int64_t nseq, int dtype, int dt_dtype, int64_t chunk_size,
                                                   int dt_softplus, float dt_min, float dt_max, void* workspace,
                                                   int64_t workspace_bytes, void* stream);

STATEX_API statex_status statex_cuda_ssd_chunk_bwd(void* dx, void* ddt, float* dA, void* dB, void* dC, float* dD,
                                                   float* ddt_bias, float* dinitial_state, const void* dy,
                                                   const float* dfinal_state, const void* x, const void* dt,
                                                   const float* dt_bias, const float* A, const void* B, const void* C,
                                                   const float* D, const float* initial_state,
                                                   const int64_t* cu_seqlens, int64_t batch, int64_t seqlen,
                                                   int64_t heads, int64_t headdim, int64_t dstate, int64_t groups,
                                                   int64_t nseq, int dtype, int dt_dtype, int64_t chunk_size,
                                                   int dt_softplus, float dt_min, float dt_max, void* workspace,
                                                   int64_t workspace_bytes, void* stream);

STATEX_API statex_status statex_cuda_ssd_step(void* y, float* state, const void* x, const void* dt,
                                              const float* dt_bias, const float* A, const void* B, const void* C,
                                              const float* D, int64_t batch, int64_t heads, int64_t headdim,
                                              int64_t dstate, int64_t groups, int dtype, int dt_dtype,
                                              int dt_softplus, float dt_min, float dt_max, void* stream);

#ifdef __cplusplus
}
#endif
#endif
