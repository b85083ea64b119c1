/*
 * Chunked GLA forward on CUDA (statex/gla.h; the pipeline is described in gla_chunk.cuh):
 *     o_t = qg_t h_c + sum_{j<=t} A_tj v_j,     qg = scale q . 2^{G2},   h_c the state entering chunk c
 * Launches, on the caller's stream: [chunk offsets (varlen)], gates, the state scan (a snapshot per
 * chunk, hT), scores, and the chunk-rows kernel (x = qg, S = h_c, M = A, y = v) for o. The kernels
 * and their thread blocks are in gla_chunk_stages.cu; this file holds the entry and the workspace
 * query. The scan carries the state in fp32 and stores its snapshots in the input type: with bf16
 * inputs they, A and the gated q, k enter the tensor cores as bf16 (fp32 accumulation), so storing
 * the snapshots rounded changes no product and halves their bytes; with fp32 inputs everything is fp32.
 */
#include "cuda_util.cuh"
#include "gla/gla_chunk.cuh"

namespace statex {
namespace gla {
namespace {

template <typename Tin, typename TG>
statex_status forward(const Dims& d, const Workspace& L, void* ws, void* o, float* ht, const void* q, const void* k,
                      const void* v, const void* g, const float* h0, cudaStream_t stream) {
  float* G2hi = at<float>(ws, L.G2hi);
  float* G2lo = at<float>(ws, L.G2lo);
  Tin* qg = at<Tin>(ws, L.qg);
  Tin* kg = at<Tin>(ws, L.kg);
  float* A = at<float>(ws, L.A);
  Tin* states = at<Tin>(ws, L.h);
  STX_TRY((launch_gates<Tin, TG>(d, (const Tin*)q, (const Tin*)k, (const TG*)g, G2hi, G2lo, qg, kg, stream)));
  STX_TRY((launch_scan<Tin, false>(d, kg, (const Tin*)v, G2hi, h0, states, ht, stream)));
  STX_TRY(launch_scores<Tin>(d, (const Tin*)q, (const Tin*)k, G2hi, G2lo, A, stream));
  return launch_rows<Tin, false>(d, qg, states, 0, A, (const Tin*)v, (Tin*)o, stream);
}

}  // namespace
}  // namespace gla
}  // namespace statex

using namespace statex;
using namespace statex::gla;

extern "C" {

STATEX_API statex_status statex_cuda_gla_chunk_fwd_workspace_size(int64_t* bytes, int dtype, int64_t B, int64_t T,
                                                                  int64_t H, int64_t K, int64_t V, int64_t N,
                                                                  int varlen) {
  return workspace_query("gla_chunk_fwd_workspace_size", bytes, dtype, B, T, H, K, V, N, varlen, false);
}

STATEX_API statex_status statex_cuda_gla_chunk_fwd(void* o, float* ht, const void* q, const void* k, const void* v,
                                                   const void* g, const float* h0, const int64_t* cu_seqlens,
                                                   int dtype, int g_dtype, double scale, int64_t B, int64_t T,
                                                   int64_t H, int64_t K, int64_t V, int64_t N, void* workspace,
                                                   int64_t workspace_bytes, void* stream) {
  STX_TRY(check_cuda_dtype("gla_chunk_fwd", dtype));
  const GlaShape s{B, T, H, K, V, N, dtype, g_dtype, scale, cu_seqlens != nullptr};
  STX_TRY(check_gla_fwd(s, o, q, k, v, g));
  Workspace L;
  Dims d;
  cudaStream_t st = as_stream(stream);
  STX_TRY(prepare("gla_chunk_fwd", s, cu_seqlens, workspace, workspace_bytes, false, st, &L, &d));
  if (dtype == STATEX_F32) return forward<float, float>(d, L, workspace, o, ht, q, k, v, g, h0, st);
  if (g_dtype == STATEX_F32) return forward<uint16_t, float>(d, L, workspace, o, ht, q, k, v, g, h0, st);
  return forward<uint16_t, uint16_t>(d, L, workspace, o, ht, q, k, v, g, h0, st);
}

}  // extern "C"
