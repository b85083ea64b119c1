/*
 * CUDA Mamba2 SSD chunked scan, forward (statex/ssd.h).
 *
 * Recurrence per head h (group g = h / (H/G)):
 *   s_t = exp(delta_t A_h) s_{t-1} + delta_t x_t B_t^T,  y_t = s_t C_t + D_h x_t.
 * Chunked (chunk length Q, alpha_t = chunk-local cumulative sum of delta A, every exponent <= 0 and min(., 0)-guarded):
 *   1. chunk table   chunks of Q tokens that never straddle a sequence start (batch rows or cu_seqlens)
 *   2. cumsum        delta_t fp32, alpha_t fp64 (log2 units: one exp2 each)  [NC][H][Q]
 *   3. cb            CB = C B^T per group, lower 64-tiles                     [NC][G][Q][Q] fp32
 *   4. chunk_state   S_c = sum_t x_t (B_t delta_t exp(alpha_L - alpha_t))^T   [NC][H][P][N] fp32
 *   5. state_passing sigma_{c+1} = exp(alpha_L) sigma_c + S_c, in place: slot c then holds sigma_c (entering state)
 *   6. chunk_scan    y_t = exp(alpha_t) sigma_c C_t + sum_{j<=t} CB_tj exp(alpha_t - alpha_j) delta_j x_j + D x_t
 * Layouts: x, y [B,T,H,P]; dt [B,T,H]; B, C [B,T,G,N]; states [S,H,P,N] fp32 (statex/ssd.h).
 *
 * Thread blocks: the matrix stages (3, 4, 6) own one 64 x 64 output tile of one (chunk, head or group), reducing
 * through ssd::tile_mma. P and N are tiled the same way at every size: no path changes with N or P. State passing
 * is element-wise over P*N (256 threads per block, 4 elements each), sequential over the chunks of a sequence;
 * cumsum is a block per (chunk, head). Accumulation is fp32 (the cumulative decays fp64), except that the fp32
 * engine adds its 16-deep slices' fp32 sums into fp64 accumulators.
 * Engines (ssd_common.cuh), chosen by the storage type, nothing else:
 *   bf16 inputs: 128 threads (4 warps, each owning 16 rows x 64 columns as mma.m16n8k16 accumulators, 32 fp32
 *                registers), bf16 tensor cores over 64-deep slices staged in their memory layout with 16-byte
 *                stores (2 x 9 KB), fragments through ldmatrix (.trans where the layout is k-major);
 *   fp32 inputs: 256 threads, fp32 FMA over 16-deep slices (2 x 4.3 KB), each slice's sums added in fp64: C B^T
 *                and the states keep about fp32 rounding at K = 512, which the decay gradient's cancelling sums need.
 * The backward's recompute runs chunk_state with its scaled B operand split into hi + lo bf16 parts (Fine::kB,
 * 27.6 KB of shared memory): the backward's decay gradient reads the states; the forward takes the plain product.
 * Operands are loaded 8 consecutive elements at a time (16-byte loads where aligned); a per-token scale (delta,
 * decay) is one exp2 per 8 elements; the causal decay mask is one exp2 per element of an fp64 difference on the
 * diagonal tiles, and below them a row factor times a column factor (both <= 1, one exp2 per row or column).
 * Decays are exp2 of log2-scaled cumulative sums, each clamped by min(., 0).
 */
#include "ssd/ssd_common.cuh"
#include "statex/ssd.h"

namespace statex {
namespace ssd {
namespace {

// Lower-triangular tile index -> (I, J) with J <= I.
__device__ __forceinline__ void tri_tile(int t, int* I, int* J) {
  int i = 0;
  while (t > i) {
    t -= i + 1;
    ++i;
  }
  *I = i;
  *J = t;
}

// The chunk table. One sequence per batch row: every thread fills chunks independently. Packed (cu_seqlens): one
// thread walks the sequences, their bounds clamped into [0, tokens] and made non-decreasing so that bad device-side
// cu_seqlens cannot index out of bounds.
__global__ void build_chunks_kernel(Dims d, const int64_t* cu, FwdWs w) {
  if (!cu) {
    const int64_t per_seq = (d.seqlen + d.Q - 1) / d.Q;  // NC = S per_seq here
    for (int64_t k = threadIdx.x; k < d.NC; k += blockDim.x) {
      const int64_t s = k / per_seq, c0 = s * d.seqlen + (k % per_seq) * d.Q;
      w.tok0[k] = c0;
      w.len[k] = min(d.Q, (s + 1) * d.seqlen - c0);
    }
    for (int64_t s = threadIdx.x; s <= d.S; s += blockDim.x) w.seq_first[s] = s * per_seq;
    return;
  }
  if (threadIdx.x != 0) return;
  int64_t k = 0, prev = 0;
  for (int64_t s = 0; s < d.S; ++s) {
    const int64_t begin = min(max(cu[s], prev), d.tokens), end = min(max(cu[s + 1], begin), d.tokens);
    w.seq_first[s] = k;
    for (int64_t c0 = begin; c0 < end && k < d.NC; c0 += d.Q, ++k) {
      w.tok0[k] = c0;
      w.len[k] = min(d.Q, end - c0);
    }
    prev = end;
  }
  w.seq_first[d.S] = k;
  for (; k < d.NC; ++k) {
    w.tok0[k] = 0;
    w.len[k] = 0;
  }
}

// delta and the chunk-local cumulative decay alpha (log2 units, see decay2) of one (chunk, head): one thread per
// position (blockDim = Q), the cumulative sum as a block scan in fp64; the last position also leaves the whole
// chunk's decay exp2(alpha_L) for state passing.
template <typename TD>
__global__ void cumsum_kernel(Dims d, const TD* dt, const float* dt_bias, const float* A, FwdWs w) {
  __shared__ double red[32];
  const int64_t c = blockIdx.x, h = blockIdx.y, i = threadIdx.x;
  const int64_t L = w.len[c], tok0 = w.tok0[c];
  if (L == 0) return;  // the whole block
  float delta = 0.f;   // past the chunk end: no decay, no input
  if (i < L) delta = ssd_delta(load_f(dt, (tok0 + i) * d.H + h), dt_bias ? dt_bias[h] : 0.f, d.softplus, d.lo, d.hi,
                               nullptr);
  const double run = block_scan<double>(delta * (A[h] * kLog2e), red, false);
  const int64_t o = (c * d.H + h) * d.Q + i;
  w.dtv[o] = delta;
  w.acs[o] = run;
  if (i == L - 1) w.chunk_decay[c * d.H + h] = decay2(run);
}

// CB = C B^T for one (chunk, group) 64-tile (I, J <= I): A(i, n) = C_i[n], B(n, j) = B_j[n].
template <typename T>
__global__ void __launch_bounds__(Tile<T>::Acc::kThreads, Tile<T>::Acc::kMinBlocks)
    cb_kernel(Dims d, const T* Bm, const T* Cm, FwdWs w) {
  using Acc = typename Tile<T>::Acc;
  __shared__ typename Tile<T>::Smem sm;
  const int64_t c = blockIdx.x, g = blockIdx.z;
  int I, J;
  tri_tile(blockIdx.y, &I, &J);
  const int64_t L = w.len[c], tok0 = w.tok0[c];
  if ((int64_t)I * kTile >= L) return;
  const int64_t r0 = I * kTile, c0 = J * kTile;
  Acc acc;
  zero(acc);
  tile_mma<true, true>(
      acc, (int)d.N, sm,
      [&](int m, int k) { return r0 + m < L ? load8(Cm + ((tok0 + r0 + m) * d.G + g) * d.N, k, d.N) : Vec8{}; },
      [&](int col, int k) { return c0 + col < L ? load8(Bm + ((tok0 + c0 + col) * d.G + g) * d.N, k, d.N) : Vec8{}; });
  float* cb = w.cb + (c * d.G + g) * d.Q * d.Q;
#pragma unroll
  for (int i = 0; i < Acc::kRows; ++i)
#pragma unroll
    for (int j = 0; j < Acc::kCols; ++j) cb[(r0 + Acc::row(i)) * d.Q + c0 + Acc::col(j)] = acc.at(i, j);
}

// S_c[p][n] = sum_t x_t[p] B_t[n] delta_t exp(alpha_L - alpha_t) for one (chunk, head) 64 x 64 tile of (P, N):
// A(p, t) from x [t][p], B(t, n) from B [t][n] scaled per token (one decay per 8 elements).
template <typename T, Fine F>
__global__ void __launch_bounds__(Tile<T>::Acc::kThreads, Tile<T>::Acc::kMinBlocks)
    chunk_state_kernel(Dims d, const T* x, const T* Bm, FwdWs w) {
  using Acc = typename Tile<T>::Acc;
  __shared__ std::conditional_t<F == Fine::kNone, typename Tile<T>::Smem, typename Tile<T>::SmemFine> sm;
  const int64_t c = blockIdx.x, h = blockIdx.z, g = h / d.hpg;
  const int64_t p0 = (int64_t)(blockIdx.y / d.nnt) * kTile, n0 = (int64_t)(blockIdx.y % d.nnt) * kTile;
  const int64_t L = w.len[c], tok0 = w.tok0[c];
  if (L == 0) return;
  const float* dtv = w.dtv + (c * d.H + h) * d.Q;
  const double* acs = w.acs + (c * d.H + h) * d.Q;
  const double aL = acs[L - 1];
  Acc acc;
  zero(acc);
  tile_mma_fine<F, false, false>(
      acc, (int)L, sm, [&](int t, int m) { return load8(x + ((tok0 + t) * d.H + h) * d.P + p0, m, d.P - p0); },
      [&](int t, int n) {
        return scaled(load8(Bm + ((tok0 + t) * d.G + g) * d.N + n0, n, d.N - n0), dtv[t] * decay2(aL - acs[t]));
      });
  float* st = w.states + (c * d.H + h) * d.P * d.N;
#pragma unroll
  for (int i = 0; i < Acc::kRows; ++i)
#pragma unroll
    for (int j = 0; j < Acc::kCols; ++j) {
      const int64_t p = p0 + Acc::row(i), n = n0 + Acc::col(j);
      if (p < d.P && n < d.N) st[p * d.N + n] = acc.at(i, j);
    }
}

// Sequential over the chunks of one sequence, element-wise over P*N (4 consecutive elements per thread): slot c
// <- sigma_c, then sigma_{c+1} = exp(alpha_L) sigma_c + S_c. The last sigma is the final state. The chunk values
// are read kPassDepth chunks ahead of their use, so that many loads are in flight (the sum itself is a chain).
__global__ void __launch_bounds__(kPassThreads) state_passing_kernel(Dims d, const float* init, float* final_state,
                                                                     FwdWs w) {
  const int64_t s = blockIdx.x, h = blockIdx.z, PN = d.P * d.N;
  const int64_t e = ((int64_t)blockIdx.y * kPassThreads + threadIdx.x) * kPassVec, n = PN - e;
  if (n <= 0) return;
  const int64_t k0 = w.seq_first[s], k1 = w.seq_first[s + 1];
  Vec4 sigma = init ? load4(init + (s * d.H + h) * PN + e, n) : Vec4{};
  for (int64_t kb = k0; kb < k1; kb += kPassDepth) {
    Vec4 v[kPassDepth];
    float a[kPassDepth];
#pragma unroll
    for (int u = 0; u < kPassDepth; ++u)
      if (kb + u < k1) {
        v[u] = load4(w.states + ((kb + u) * d.H + h) * PN + e, n);
        a[u] = w.chunk_decay[(kb + u) * d.H + h];
      }
#pragma unroll
    for (int u = 0; u < kPassDepth; ++u)
      if (kb + u < k1) {
        store4(w.states + ((kb + u) * d.H + h) * PN + e, n, sigma);
        sigma = axpy4(a[u], sigma, v[u]);
      }
  }
  if (final_state) store4(final_state + (s * d.H + h) * PN + e, n, sigma);
}

// y for one (chunk, head) 64 x 64 tile of (t, p): inter-chunk term through the entering state, then the causal
// intra-chunk term (CB under the decay mask) times x, then the D skip.
template <typename T>
__global__ void __launch_bounds__(Tile<T>::Acc::kThreads, Tile<T>::Acc::kMinBlocksWide)
    chunk_scan_kernel(Dims d, T* y, const T* x, const T* Cm, const float* D, FwdWs w) {
  using Acc = typename Tile<T>::Acc;
  __shared__ typename Tile<T>::Smem sm;
  __shared__ float col_decay[kMaxChunk - kTile];  // j < r0 <= Q - 64
  const int64_t c = blockIdx.x, h = blockIdx.z, g = h / d.hpg;
  const int I = blockIdx.y / d.npt;
  const int64_t p0 = (int64_t)(blockIdx.y % d.npt) * kTile, r0 = (int64_t)I * kTile;
  const int64_t L = w.len[c], tok0 = w.tok0[c];
  if (r0 >= L) return;
  const float* dtv = w.dtv + (c * d.H + h) * d.Q;
  const double* acs = w.acs + (c * d.H + h) * d.Q;
  const float* sig = w.states + (c * d.H + h) * d.P * d.N;
  const float* cb = w.cb + (c * d.G + g) * d.Q * d.Q;
  const double ref = acs[r0];
  for (int64_t j = threadIdx.x; j < r0; j += blockDim.x) col_decay[j] = dtv[j] * decay2(ref - acs[j]);
  Acc acc;
  zero(acc);
  // inter: (C_t . sigma_p) then times exp(alpha_t)
  tile_mma<true, true>(
      acc, (int)d.N, sm,
      [&](int m, int k) { return r0 + m < L ? load8(Cm + ((tok0 + r0 + m) * d.G + g) * d.N, k, d.N) : Vec8{}; },
      [&](int col, int k) { return p0 + col < d.P ? load8(sig + (p0 + col) * d.N, k, d.N) : Vec8{}; });
#pragma unroll
  for (int i = 0; i < Acc::kRows; ++i) {
    const int64_t t = r0 + Acc::row(i);
    const float e = t < L ? decay2(acs[t]) : 0.f;
#pragma unroll
    for (int j = 0; j < Acc::kCols; ++j) acc.at(i, j) *= e;
  }
  // intra: sum_{j <= t} CB_tj exp(alpha_t - alpha_j) delta_j x_j over j = 0 .. min(r0 + 63, L - 1), one product
  // (so that each 64-block of j is fetched during the previous one's MMAs). Below the diagonal tile (j < r0 <= t)
  // the decay factors through alpha_r0 into exp(alpha_t - alpha_r0) (one exp2 per 8 staged elements) and
  // exp(alpha_r0 - alpha_j) delta_j (a table over j < r0, written before the inter product, whose barriers publish
  // it), both <= 1; x stays as it is. The diagonal tile takes the decay per element, masked to j <= t.
  tile_mma<true, false>(
      acc, (int)min(r0 + kTile, L), sm,
      [&](int m, int k) {
        const int64_t t = r0 + m;
        Vec8 v;
        if (t >= L) return v;
        if (k < r0) {
          v = scaled(load8(cb + t * d.Q, k, d.Q), decay2(acs[t] - ref));
#pragma unroll
          for (int e = 0; e < 8; ++e) v.v[e] *= col_decay[k + e];
        } else if (k <= t) {
          v = load8(cb + t * d.Q, k, t + 1);  // columns k .. t only
#pragma unroll
          for (int e = 0; e < 8; ++e) v.v[e] *= decay2(acs[t] - acs[k + e]) * dtv[k + e];
        }
        return v;
      },
      [&](int k, int n) { return load8(x + ((tok0 + k) * d.H + h) * d.P + p0, n, d.P - p0); });
  const float dh = D ? D[h] : 0.f;
#pragma unroll
  for (int i = 0; i < Acc::kRows; ++i)
#pragma unroll
    for (int j = 0; j < Acc::kCols; ++j) {
      const int64_t t = r0 + Acc::row(i), p = p0 + Acc::col(j);
      if (t < L && p < d.P) {
        const int64_t o = ((tok0 + t) * d.H + h) * d.P + p;
        store_f(y, o, acc.at(i, j) + dh * load_f(x, o));
      }
    }
}

}  // namespace

statex_status check_grid(const char* what, int64_t y, int64_t z) {
  if (y > 65535 || z > 65535)
    return set_error(STATEX_ERR_UNSUPPORTED, "ssd %s: grid (%lld, %lld) exceeds 65535 in y or z", what, (long long)y,
                     (long long)z);
  return STATEX_OK;
}

template <typename T, typename TD>
statex_status run_state_stages(const Dims& d, const In<T, TD>& in, const FwdWs& w, float* final_state,
                               bool fine_states, cudaStream_t st) {
  const int64_t ntri = (int64_t)d.nqt * (d.nqt + 1) / 2;
  STX_TRY(check_grid("tiles", (int64_t)d.npt * d.nnt, d.H));
  STX_TRY(check_grid("groups", ntri, d.G));
  build_chunks_kernel<<<1, kPassThreads, 0, st>>>(d, in.cu, w);
  STX_TRY(check_launch("ssd build_chunks_kernel"));
  cumsum_kernel<TD><<<dim3((unsigned)d.NC, (unsigned)d.H), (unsigned)d.Q, 0, st>>>(d, in.dt, in.dt_bias, in.A, w);
  STX_TRY(check_launch("ssd cumsum_kernel"));
  const unsigned threads = Tile<T>::Acc::kThreads;
  cb_kernel<T><<<dim3((unsigned)d.NC, (unsigned)ntri, (unsigned)d.G), threads, 0, st>>>(d, in.B, in.C, w);
  STX_TRY(check_launch("ssd cb_kernel"));
  const dim3 state_grid((unsigned)d.NC, (unsigned)(d.npt * d.nnt), (unsigned)d.H);
  constexpr Fine kSplit = std::is_same_v<T, uint16_t> ? Fine::kB : Fine::kNone;  // the fp32 engine does not split
  if (fine_states)
    chunk_state_kernel<T, kSplit><<<state_grid, threads, 0, st>>>(d, in.x, in.B, w);
  else
    chunk_state_kernel<T, Fine::kNone><<<state_grid, threads, 0, st>>>(d, in.x, in.B, w);
  STX_TRY(check_launch("ssd chunk_state_kernel"));
  state_passing_kernel<<<dim3((unsigned)d.S, (unsigned)pass_blocks(d), (unsigned)d.H), kPassThreads, 0, st>>>(
      d, in.init, final_state, w);
  return check_launch("ssd state_passing_kernel");
}

template statex_status run_state_stages<float, float>(const Dims&, const In<float, float>&, const FwdWs&, float*,
                                                      bool, cudaStream_t);
template statex_status run_state_stages<uint16_t, float>(const Dims&, const In<uint16_t, float>&, const FwdWs&,
                                                         float*, bool, cudaStream_t);
template statex_status run_state_stages<uint16_t, uint16_t>(const Dims&, const In<uint16_t, uint16_t>&, const FwdWs&,
                                                            float*, bool, cudaStream_t);

namespace {
template <typename T, typename TD>
statex_status forward(const Dims& d, T* y, float* final_state, const In<T, TD>& in, const FwdWs& w, cudaStream_t st) {
  STX_TRY(check_grid("scan", (int64_t)d.nqt * d.npt, d.H));
  STX_TRY(run_state_stages(d, in, w, final_state, false, st));
  chunk_scan_kernel<T><<<dim3((unsigned)d.NC, (unsigned)(d.nqt * d.npt), (unsigned)d.H), Tile<T>::Acc::kThreads, 0,
                       st>>>(
      d, y, in.x, in.C, in.D, w);
  return check_launch("ssd chunk_scan_kernel");
}
}  // namespace

}  // namespace ssd
}  // namespace statex

using namespace statex;

extern "C" {

STATEX_API statex_status statex_cuda_ssd_chunk_fwd_workspace_size(int64_t* bytes, int64_t batch, int64_t seqlen,
                                                                   int64_t heads, int64_t headdim, int64_t dstate,
                                                                   int64_t groups, int64_t nseq, int64_t chunk_size) {
  STX_TRY(check_ptr("ssd workspace size out", bytes));
  SsdShape s;
  STX_TRY(ssd_shape(&s, batch, seqlen, heads, headdim, dstate, groups, nseq, chunk_size));
  ssd::Carver c{nullptr};
  ssd::fwd_layout(c, ssd::make_dims(s));
  *bytes = c.used;
  return STATEX_OK;
}

STATEX_API statex_status statex_cuda_ssd_chunk_fwd(void* y, float* final_state, const void* x, const void* dt,
                                                   const float* dt_bias, const float* A, const void* B, const void* C,
                                                   const float* D, const float* initial_state,
                                                   const int64_t* cu_seqlens, int64_t batch, int64_t seqlen,
                                                   int64_t heads, int64_t headdim, int64_t dstate, int64_t groups,
                                                   int64_t nseq, int dtype, int dt_dtype, int64_t chunk_size,
                                                   int dt_softplus, float dt_min, float dt_max, void* workspace,
                                                   int64_t workspace_bytes, void* stream) {
  STX_TRY(check_cuda_dtype("ssd_chunk_fwd", dtype));
  SsdShape s;
  STX_TRY(check_ssd_fwd(&s, y, x, dt, A, B, C, cu_seqlens, false, batch, seqlen, heads, headdim, dstate, groups, nseq,
                        dtype, dt_dtype, chunk_size, dt_softplus, dt_min, dt_max));
  ssd::Dims d = ssd::make_dims(s);
  ssd::Carver measure{nullptr};
  ssd::fwd_layout(measure, d);
  STX_TRY(check_workspace("ssd_chunk_fwd", workspace, workspace_bytes, measure.used));
  ssd::Carver carve{(char*)workspace};
  ssd::FwdWs w = ssd::fwd_layout(carve, d);
  cudaStream_t st = as_stream(stream);
  if (dtype == STATEX_F32) {
    ssd::In<float, float> in{(const float*)x, (const float*)B, (const float*)C, (const float*)dt,
                             dt_bias, A, D, initial_state, cu_seqlens};
    return ssd::forward(d, (float*)y, final_state, in, w, st);
  }
  if (dt_dtype == STATEX_F32) {
    ssd::In<uint16_t, float> in{(const uint16_t*)x, (const uint16_t*)B, (const uint16_t*)C, (const float*)dt,
                                dt_bias, A, D, initial_state, cu_seqlens};
    return ssd::forward(d, (uint16_t*)y, final_state, in, w, st);
  }
  ssd::In<uint16_t, uint16_t> in{(const uint16_t*)x, (const uint16_t*)B, (const uint16_t*)C, (const uint16_t*)dt,
                                 dt_bias, A, D, initial_state, cu_seqlens};
  return ssd::forward(d, (uint16_t*)y, final_state, in, w, st);
}

}  // extern "C"
