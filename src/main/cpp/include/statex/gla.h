/*
 * Gated linear attention (GLA): the chunked forward and backward, and the single-token decode step.
 *
 * The op, per sequence n and head h (S is K x V, fp32):
 *     S_t = diag(exp(g_t)) S_{t-1} + k_t v_t^T,        S_{-1} = h0[n, h] (or 0)
 *     o_t = scale * S_t^T q_t                            hT[n, h] = S_{last}
 * g is the log-decay per key channel (<= 0; positive values are accepted but may overflow, as in
 * the recurrence itself). The output uses the state after token t is added.
 *
 * Layouts (row-major, contiguous, the last dimension fastest; dimension letters as in the README):
 *     q, k, g      [B, T, H, K]       dtype (g: g_dtype)
 *     v, o         [B, T, H, V]       dtype
 *     h0, hT       [N, H, K, V]       fp32, one state per sequence
 *     cu_seqlens   [N + 1]            int64, optional
 * Without cu_seqlens the B rows are the N = B sequences, each of T tokens. With cu_seqlens, B = 1
 * and sequence n is the tokens [cu_seqlens[n], cu_seqlens[n+1]) of the packed time axis: the state
 * restarts from h0[n] at every boundary. cu_seqlens[0] = 0, non-decreasing, cu_seqlens[N] = T;
 * empty sequences are allowed (their hT is their h0).
 *
 * Dtypes: dtype (q, k, v, o, and d_o, dq, dk, dv in the backward) is STATEX_F32 or STATEX_BF16, or on the
 * CPU STATEX_F64; g_dtype is STATEX_F32 or dtype, and dg has g_dtype. States (h0, hT, dh0, dhT, the decode
 * state) are fp32, and F64 exactly when dtype is F64 (CPU only: a double gradient check sees no fp32
 * rounding anywhere).
 * Every product accumulates in fp32 (double on the CPU). scale is explicit (the usual value is
 * K^-1/2). Sizes: B, T, H, N >= 1; K and V multiples of 16 in [16, 4096].
 *
 * Optional pointers (NULL to omit): h0 (zero initial state), hT (final state not wanted), dht (no
 * gradient on the final state), dh0 (gradient of the initial state not wanted), cu_seqlens. hT may
 * alias h0 and dh0 may alias dht (each state tile is read before it is written), so a prefill can
 * update a decode state in place. Nothing else may alias.
 *
 * Backward. dq, dk, dv, dg, dh0 are the gradients of sum(o * d_o) + sum(hT * dht). The forward keeps
 * nothing for it: the backward takes q, k, v, g, h0 again and recomputes what it needs.
 *
 * Decode step. q, k, g [N, H, K], v, o [N, H, V], state [N, H, K, V] fp32 updated in place:
 * state <- diag(exp(g)) state + k v^T, then o = scale * state^T q. A chunked forward over t tokens
 * followed by steps over the next ones gives the chunked forward over all of them.
 *
 * CPU (libstatex): plain and exact; double arithmetic, parallel over (sequence, head). The chunked
 * entries allocate host scratch internally: the backward keeps every chunk-boundary state of one
 * (sequence, head) per worker thread, 8 * (ceil(T_n / 64) + 1) * K * V bytes each.
 *
 * CUDA (libstatex_cuda): the chunked pipeline with chunk C = 64 and 16-row sub-chunks (every exponent
 * <= 0). BF16 inputs multiply on tensor cores (bf16 operands, fp32 accumulation); F32 inputs run the
 * same kernels with fp32 multiply-adds on CUDA cores, so that fp32 results stay fp32-accurate. The
 * caller provides a device workspace of at least the queried size (any 256-byte aligned pointer);
 * the entries launch on `stream` and return without synchronising. Memory, with s = 2 (BF16) or
 * 4 (F32), NT = B * ceil(T/64) (or ceil(T/64) + N with cu_seqlens), S = NT + N state slots, and
 * every segment rounded up to 256 bytes:
 *     forward   8(N+1) [varlen] + 4BTHK (gates) + 4BTHK [F32] (their low parts) + 2s BTHK (gated q, k)
 *               + 4BTH*64 (scores) + s S H K V (state snapshots, in the input type)
 *     backward  forward + 4BTH*64 (score gradients) + s S H K V (state gradients, in the input type)
 *               + 8BTHK (the state products of dq and dk, fp32) + 4 NT H K (h . d per chunk, fp32)
 * e.g. B 1, T 65536, H 1, K 1024, V 2048, BF16: forward 4,852,809,728 bytes (4.52 GiB), backward
 * 9,709,813,760 bytes (9.04 GiB). The scans carry the states in fp32 and round only the snapshots they
 * store; with BF16 inputs the snapshots are read only as tensor-core operands (bf16 already) and for
 * the per-channel sum h . d of dg, which then sums bf16 roundings in fp32.
 * The CUDA entries cannot read cu_seqlens (device memory) without synchronising: they clamp every
 * bound into [0, T] so that a malformed array cannot fault, and the CPU entries reject it.
 */
#ifndef STATEX_GLA_H
#define STATEX_GLA_H

#include "statex/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Chunk length of the chunked form (tokens); part of the workspace formula above. */
#define STATEX_GLA_CHUNK 64

/* ---- CPU ---------------------------------------------------------------------------------------- */
STATEX_API statex_status statex_cpu_gla_chunk_fwd(void* o, void* ht,
                                                  const void* q, const void* k, const void* v, const void* g,
                                                  const void* h0, const int64_t* cu_seqlens,
                                                  int dtype, int g_dtype, double scale,
                                                  int64_t B, int64_t T, int64_t H, int64_t K, int64_t V, int64_t N);

STATEX_API statex_status statex_cpu_gla_chunk_bwd(void* dq, void* dk, void* dv, void* dg, void* dh0,
                                                  const void* q, const void* k, const void* v, const void* g,
                                                  const void* h0, const void* d_o, const void* dht,
                                                  const int64_t* cu_seqlens,
                                                  int dtype, int g_dtype, double scale,
                                                  int64_t B, int64_t T, int64_t H, int64_t K, int64_t V, int64_t N);

STATEX_API statex_status statex_cpu_gla_step(void* o, void* state,
                                             const void* q, const void* k, const void* v, const void* g,
                                             int dtype, int g_dtype, double scale,
                                             int64_t N, int64_t H, int64_t K, int64_t V);

/* The rule the chunked entries apply to cu_seqlens, for a host copy of an array the CUDA entries will
 * take: STATEX_OK, or STATEX_ERR_INVALID_ARGUMENT naming the first bad entry. */
STATEX_API statex_status statex_cpu_gla_check_cu_seqlens(const int64_t* cu_seqlens, int64_t N, int64_t T);

/* ---- CUDA --------------------------------------------------------------------------------------- */
/* Workspace bytes for the chunked forward / backward (varlen: 1 when cu_seqlens will be given). */
STATEX_API statex_status statex_cuda_gla_chunk_fwd_workspace_size(int64_t* bytes, int dtype,
                                                                  int64_t B, int64_t T, int64_t H, int64_t K,
                                                                  int64_t V, int64_t N, int varlen);
STATEX_API statex_status statex_cuda_gla_chunk_bwd_workspace_size(int64_t* bytes, int dtype,
                                                                  int64_t B, int64_t T, int64_t H, int64_t K,
                                                                  int64_t V, int64_t N, int varlen);

STATEX_API statex_status statex_cuda_gla_chunk_fwd(void* o, float* ht,
                                                   const void* q, const void* k, const void* v, const void* g,
                                                   const float* h0, const int64_t* cu_seqlens,
                                                   int dtype, int g_dtype, double scale,
                                                   int64_t B, int64_t T, int64_t H, int64_t K, int64_t V, int64_t N,
                                                   void* workspace, int64_t workspace_bytes, void* stream);

STATEX_API statex_status statex_cuda_gla_chunk_bwd(void* dq, void* dk, void* dv, void* dg, float* dh0,
                                                   const void* q, const void* k, const void* v, const void* g,
                                                   const float* h0, const void* d_o, const float* dht,
                                                   const int64_t* cu_seqlens,
                                                   int dtype, int g_dtype, double scale,
                                                   int64_t B, int64_t T, int64_t H, int64_t K, int64_t V, int64_t N,
                                                   void* workspace, int64_t workspace_bytes, void* stream);

STATEX_API statex_status statex_cuda_gla_step(void* o, float* state,
                                              const void* q, const void* k, const void* v, const void* g,
                                              int dtype, int g_dtype, double scale,
                                              int64_t N, int64_t H, int64_t K, int64_t V, void* stream);

#ifdef __cplusplus
}
#endif
#endif
