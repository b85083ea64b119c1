/*
 * Chunked GLA backward on CUDA (statex/gla.h; the pipeline is described in gla_chunk.cuh). The
 * forward's G2, qg, kg, state snapshots and A are recomputed, then, with d the gradient of the state
 * leaving the chunk and h the state entering it:
 *     dstates  d_c = diag(2^{G2_last}) d_{c+1} + qg^T d_o       (reverse scan, gla_chunk_stages.cu)
 *     dA_tj    = scale d_o_t . v_j                               (j <= t)
 *     dv_j     = sum_{t>=j} A_tj d_o_t + kg_j d
 *     dq_t     = sum_{j<=t} dA_tj k_j . 2^{G2_t - G2_j} + scale 2^{G2_t} . (h d_o_t)
 *     dk_j     = sum_{t>=j} dA_tj q_t . 2^{G2_t - G2_j} + 2^{G2_last - G2_j} . (d v_j)
 *     dg_s     = sum_{t>=s} (q_t . dq_t - k_t . dk_t) + gamma,
 *     gamma    = 2^{G2_last} . rowsum(h . d) + sum_j k_j . dk_j^{inter}
 * gamma is the gradient reaching G2_last through the state update (the decay of h and the factor
 * 2^{G2_last - G2_j} in kg); G2_last depends on every g of the chunk, so it lands on every row. Since
 * 2^{G2} = e^{G}, q . dq and k . dk are already gradients of the natural-log g. Two exact cancellations
 * are kept out of the fp32 sums: the pair j = t (it cancels in q . dq - k . dk) is added to dq and dk
 * after that difference is formed, and dg is summed as
 *     dg_s     = sum_{t>=s} (q_t . dq_t - k_t . dk_t^{intra}) + sum_{t<s} k_t . dk_t^{inter}
 *                + 2^{G2_last} . rowsum(h . d),
 * which is the line above with gamma's k . dk^{inter} terms of rows t >= s cancelled before rounding
 * (they are largest on the last rows; summed through gamma and back out of the suffix, their fp32
 * rounding landed on every earlier row of dg, where strong gates leave dg small).
 *
 * Thread blocks (128 threads; warp w owns chunk rows 16w..16w+15; fp32 accumulators):
 *   dscores  one (chunk, head), V in tiles of 64: warp w the 16 x 16(w+1) causal part of its rows
 *            (32 fp32 per thread), the next tile's d_o and v in flight (registers) during each
 *            product. Shared: d_o and v tiles 64 x 64, then the 64 x 64 fp32 result in the same
 *            bytes (33 KB fp32).
 *   dv       the chunk-rows kernel of gla_chunk_stages.cu with x = kg, S = d, M = A^T, y = d_o.
 *   inter    one (chunk, head, K tile of 64): P = d_o h^T and Q = v d^T over V in tiles of 64, the
 *            next tile in flight (registers, bf16) during each product, and h . d summed per
 *            channel in fp32 from the fetched tiles; P, Q (fp32 [B*T, H, K]) and h . d (fp32
 *            [chunk, H, K]) go to the workspace. Two 16 x 64 accumulators (64 fp32 per thread).
 *            Shared: d_o, v, h, d tiles 64 x 64 in the input type (36 KB bf16, 65 KB fp32;
 *            dynamic, opted in).
 *   dqkg     one (chunk, head, K tile of 32): the intra-chunk parts with dA and the gates (earlier or
 *            later sub-blocks as one gated product with the reference row chosen so that no exponent
 *            is positive: the first row of the query block for dq, the last row of the key block for
 *            dk; the diagonal block pairwise), P and Q under their gate factors, then dg as a reverse
 *            cumulative sum of the chunk's rows plus a forward (exclusive) one of k . dk^{inter}, one
 *            thread per channel. Two 16 x 32 accumulators (32 fp32 per thread). Shared: q, k, G2 hi,
 *            lo and dA (42.8 KB bf16, 49.3 KB fp32; dynamic, opted in).
 * The state products were part of dqkg until they moved to their own kernel: there they ran over
 * K tiles of 32 (four accumulators per thread would not fit otherwise), re-reading the chunk's d_o
 * and v once per 32 channels, with a barrier every 16 tensor-core steps per warp; half of the
 * backward's time was that kernel (docs/kernels/gla_chunk.md, "Where the time goes").
 */
#include "cuda_util.cuh"
#include "gla/gla_chunk.cuh"

namespace statex {
namespace gla {
namespace {

template <typename Tin>
__global__ void __launch_bounds__(kThreads, prefetch_blocks<Tin>())
dscores_kernel(Dims d, const Tin* d_o, const Tin* v, float* dA) {
  constexpr bool kTC = sizeof(Tin) == 2;
  constexpr int LD = padded<Tin, kTile>(), LDA = padded<float, kChunk>();
  __shared__ __align__(16) union {
    struct {
      Tin dos[kChunk * LD];
      Tin vs[kChunk * LD];
    } in;
    float As[kChunk * LDA];  // the result, once the products are done
  } sm;
  const int64_t h = blockIdx.x % d.H, i = blockIdx.x / d.H;
  Chunk ch;
  if (!locate(d, i, &ch)) return;
  const int w = threadIdx.x / 32;
  const int64_t base = (ch.tok0 * d.H + h) * d.V, stride = d.H * d.V;

  WarpAcc<1, 8> acc;  // rows 16w.., key columns 0 .. 16(w+1)
  acc.fill(0.f);
  TileFetch<kChunk, kTile, Tin> fo, fv;  // bf16: the next V tile, in flight during this one's product
  auto tiles = [&](int64_t v0, auto now) {
    if constexpr (decltype(now)::value) {
      fo.copy(sm.in.dos, LD, d_o + base + v0, stride, ch.L, d.V - v0);
      fv.copy(sm.in.vs, LD, v + base + v0, stride, ch.L, d.V - v0);
    } else {
      fo.fetch(d_o + base + v0, stride, ch.L, d.V - v0);
      fv.fetch(v + base + v0, stride, ch.L, d.V - v0);
    }
  };
  if (fetch_ahead<Tin>()) tiles(0, Ahead{});
  for (int64_t v0 = 0; v0 < d.V; v0 += kTile) {
    __syncthreads();
    if constexpr (fetch_ahead<Tin>()) {
      fo.store(sm.in.dos, LD);
      fv.store(sm.in.vs, LD);
    } else {
      tiles(v0, Now{});
    }
    __syncthreads();
    if (fetch_ahead<Tin>() && v0 + kTile < d.V) tiles(v0 + kTile, Ahead{});
    warp_gemm<kTC>(acc, RowView<Tin>{sm.in.dos + kSub * w * LD, LD}, RowView<Tin>{sm.in.vs, LD}, 0, kTile,
                   2 * (w + 1));
  }
  __syncthreads();
  float* row0 = zero_warp_rows(sm.As, LDA, w);
  acc.for_each([&](int r, int c, float& val) {
    if (c <= kSub * w + r) row0[r * LDA + c] = val;  // causal: key c <= query 16w + r
  });
  __syncthreads();
  store_scores(dA + (ch.tok0 * d.H + h) * kChunk, d.H, sm.As, LDA, ch.L, d.scale);
}

// Shared memory of dqk_inter_kernel: d_o and v (64 chunk rows x 64 V), h and d (64 channels x 64 V),
// all in the input type (36 KB bf16; 65 KB fp32: dynamic, opted in).
template <typename Tin>
struct InterSmem {
  static constexpr int LD = padded<Tin, kTile>();
  Tin dos[kChunk * LD];
  Tin vs[kChunk * LD];
  Tin hs[kTile * LD];
  Tin ds[kTile * LD];
};

// Resident blocks per SM of dqk_inter_kernel: bf16 three (168 registers; 80 bytes spilled), fp32 two
// (222 registers, no spills; at three it spilled 100 bytes). bf16 at two (244 registers, no spills)
// measured the backward 1-3% slower (docs/PERFORMANCE.md, run 17).
template <typename Tin>
constexpr int inter_blocks() {
  return fetch_ahead<Tin>() ? 3 : 2;
}

// The state products of dq and dk, before their gate factors: P = d_o h^T and Q = v d^T (fp32
// [B*T, H, K], chunk rows past the chunk not written), and hd = sum_v h . d per channel (fp32 [chunk,
// H, K]). One block per (chunk, head, K tile of 64), V in tiles of 64, the next tile in flight during
// each product (bf16). Kept apart from the intra-chunk part (dqkg_kernel) so that this, the heavy
// product, runs over wide tiles: each block re-reads the chunk's d_o and v once per 64 channels, and
// its two 16 x 64 accumulators (64 fp32 per thread) fit beside the fetched tiles. h . d is summed in
// fp32 from the fetched tiles.
template <typename Tin>
__global__ void __launch_bounds__(kThreads, inter_blocks<Tin>())
dqk_inter_kernel(Dims d, const Tin* v, const Tin* d_o, const Tin* states, const Tin* dstates, float* P, float* Q,
                 float* hd) {
  constexpr bool kTC = sizeof(Tin) == 2;
  using Smem = InterSmem<Tin>;
  constexpr int LD = Smem::LD;
  Smem& sm = dynamic_smem<Smem>();
  ChunkTile at;
  if (!locate_tile(d, (d.K + kTile - 1) / kTile, &at)) return;
  const Chunk& ch = at.ch;
  const int64_t h = at.h, i = at.i;
  const int w = threadIdx.x / 32, tid = threadIdx.x;
  const int64_t k0 = at.tile * kTile, KV = d.K * d.V;
  const int kvalid = (int)(d.K - k0 < kTile ? d.K - k0 : kTile);
  const int64_t vbase = (ch.tok0 * d.H + h) * d.V, vstride = d.H * d.V;
  const Tin* hc = states + ch.seq.slot(ch.c) * d.H * KV + h * KV + k0 * d.V;
  const Tin* dnext = dstates + ch.seq.slot(ch.c + 1) * d.H * KV + h * KV + k0 * d.V;

  using Fetch = TileFetch<kChunk, kTile, Tin>;  // the four tiles have one shape (kTile == kChunk)
  static_assert(kTile == kChunk, "the state tiles and the chunk tiles share TileFetch's layout");
  Fetch fo, fv, fh, fd;
  auto fetch = [&](int64_t v0) {
    if constexpr (fetch_ahead<Tin>()) {
      fo.fetch(d_o + vbase + v0, vstride, ch.L, d.V - v0);
      fv.fetch(v + vbase + v0, vstride, ch.L, d.V - v0);
    }
    fh.fetch(hc + v0, d.V, kvalid, d.V - v0);
    fd.fetch(dnext + v0, d.V, kvalid, d.V - v0);
  };
  WarpAcc<1, 8> ap, aq;  // rows 16w.., channels k0 + (0..63): P, Q
  ap.fill(0.f);
  aq.fill(0.f);
  float hsum[Fetch::kN] = {};  // this thread's part of sum_v h . d, channel Fetch::row(i)
  if (fetch_ahead<Tin>()) fetch(0);
  for (int64_t v0 = 0; v0 < d.V; v0 += kTile) {
    if (!fetch_ahead<Tin>()) fetch(v0);  // fp32: h and d pass through registers for h . d
    __syncthreads();
    if constexpr (fetch_ahead<Tin>()) {
      fo.store(sm.dos, LD);
      fv.store(sm.vs, LD);
    } else {  // fp32: d_o and v a vector at a time (four fp32 tiles in registers would spill)
      Fetch::copy(sm.dos, LD, d_o + vbase + v0, vstride, ch.L, d.V - v0);
      Fetch::copy(sm.vs, LD, v + vbase + v0, vstride, ch.L, d.V - v0);
    }
    fh.store(sm.hs, LD);
    fd.store(sm.ds, LD);
    fh.dot_rows(fd, hsum);
    __syncthreads();
    if (fetch_ahead<Tin>() && v0 + kTile < d.V) fetch(v0 + kTile);
    warp_gemm<kTC>(ap, RowView<Tin>{sm.dos + kSub * w * LD, LD}, RowView<Tin>{sm.hs, LD}, 0, kTile);
    warp_gemm<kTC>(aq, RowView<Tin>{sm.vs + kSub * w * LD, LD}, RowView<Tin>{sm.ds, LD}, 0, kTile);
  }
  // the threads of one channel are Fetch::kRowVecs consecutive lanes: sum them in a fixed order
  static_assert(32 % Fetch::kRowVecs == 0, "a channel's vectors lie in one warp");
  float* hd_out = hd + (i * d.H + h) * d.K + k0;
#pragma unroll
  for (int u = 0; u < Fetch::kN; ++u) {
#pragma unroll
    for (int o = 1; o < Fetch::kRowVecs; o <<= 1) hsum[u] += __shfl_xor_sync(0xffffffffu, hsum[u], o);
    if (Fetch::owns(u) && tid % Fetch::kRowVecs == 0 && Fetch::row(u) < kvalid) hd_out[Fetch::row(u)] = hsum[u];
  }
  const int64_t kbase = (ch.tok0 * d.H + h) * d.K + k0, kstride = d.H * d.K;
  WarpAcc<1, 8>::each_index([&](int, int j, int r, int row, int col) {
    const int t = kSub * w + row;
    if ((r & 1) == 0 && t < ch.L && col < kvalid) {  // col even, kvalid a multiple of 16: the pair is valid
      store_pair(P + kbase + t * kstride + col, ap.c[0][j][r], ap.c[0][j][r + 1]);
      store_pair(Q + kbase + t * kstride + col, aq.c[0][j][r], aq.c[0][j][r + 1]);
    }
  });
}

// Shared memory of dqkg_kernel (over 48 KB in fp32: dynamic, opted in at launch).
template <typename Tin>
struct DqkgSmem {
  static constexpr int LDX = padded<Tin, kTileK>(), LDF = padded<float, kTileK>(), LDA = padded<float, kChunk>();
  Tin q[kChunk * LDX];
  Tin k[kChunk * LDX];
  float ghi[kChunk * LDF];
  float glo[kChunk * LDF];
  union {
    float dA[kChunk * LDA];
    struct {
      float dG[kChunk * LDF];   // q . dq - k . dk
      float kdk[kChunk * LDF];  // k . dk^{inter}
    } epi;
  } u;
};

// Four resident blocks (at most 128 registers; no spills with bf16 inputs, 56 bytes with fp32).
template <typename Tin, typename TG>
__global__ void __launch_bounds__(kThreads, 4)
dqkg_kernel(Dims d, const Tin* q, const Tin* k, const float* G2hi, const float* G2lo, const float* dA, const float* P,
            const float* Q, const float* hd, Tin* dq, Tin* dk, TG* dg) {
  constexpr bool kTC = sizeof(Tin) == 2;
  using Smem = DqkgSmem<Tin>;
  constexpr int LDX = Smem::LDX, LDF = Smem::LDF, LDA = Smem::LDA;
  Smem& sm = dynamic_smem<Smem>();
  ChunkTile at;
  if (!locate_tile(d, (d.K + kTileK - 1) / kTileK, &at)) return;
  const Chunk& ch = at.ch;
  const int64_t h = at.h, i = at.i;
  const int w = threadIdx.x / 32, tid = threadIdx.x;
  const int64_t k0 = at.tile * kTileK;
  const int64_t kbase = (ch.tok0 * d.H + h) * d.K + k0, kstride = d.H * d.K;
  const int kvalid = (int)(d.K - k0 < kTileK ? d.K - k0 : kTileK);

  load_tile<kChunk, kTileK, fetch_ahead<Tin>()>(sm.q, LDX, q + kbase, kstride, ch.L, kvalid);
  load_tile<kChunk, kTileK, fetch_ahead<Tin>()>(sm.k, LDX, k + kbase, kstride, ch.L, kvalid);
  WarpAcc<1, 4> aq, ak;  // rows 16w.., channels k0 + (0..31): intra dq, dk
  aq.fill(0.f);
  ak.fill(0.f);
  load_gates<kTileK, Tin>(sm.ghi, sm.glo, LDF, G2hi + kbase, G2lo + kbase, kstride, ch.L, kvalid);
  load_tile<kChunk, kChunk, fetch_ahead<Tin>()>(sm.u.dA, LDA, dA + (ch.tok0 * d.H + h) * kChunk, d.H * kChunk, ch.L,
                                                kChunk);
  __syncthreads();
  const GateTile<Tin> G{sm.ghi, sm.glo, LDF};
  const float* dAs = sm.u.dA;

  // dq_t += 2^{G_t - r} . sum_{j < 16w} dA_tj (k_j . 2^{r - G_j}),  r = G of row 16w (first of the query block)
  if (w > 0) {
    const int ref = kSub * w;
    warp_gemm<kTC>(aq, RowView<float>{dAs + ref * LDA, LDA}, GatedCols<Tin, -1>{sm.k, LDX, G, ref}, 0, ref);
    aq.for_each([&](int r, int c, float& val) { val *= G.factor(ref + r, ref, c); });
  }
  // dk_j += 2^{r - G_j} . sum_{t >= 16(w+1)} dA_tj (q_t . 2^{G_t - r}),  r = G of row 16w + 15 (last of the key block)
  if (w < kWarps - 1) {
    const int ref = kSub * w + kSub - 1;
    warp_gemm<kTC>(ak, ColView<float>{dAs + kSub * w, LDA}, GatedCols<Tin, 1>{sm.q, LDX, G, ref}, kSub * (w + 1),
                   kChunk);
    ak.for_each([&](int r, int c, float& val) { val *= G.factor(ref, kSub * w + r, c); });
  }
  // diagonal block, pairwise with the exact factor; the pair j = t comes last (below)
  aq.for_each([&](int r, int c, float& val) {
    const int t = kSub * w + r;
    float s = 0.f;
    for (int j = kSub * w; j < t; ++j) s += dAs[t * LDA + j] * to_float(sm.k[j * LDX + c]) * G.factor(t, j, c);
    val += s;
  });
  ak.for_each([&](int r, int c, float& val) {
    const int j = kSub * w + r;
    float s = 0.f;
    for (int t = j + 1; t < kSub * (w + 1); ++t) s += dAs[t * LDA + j] * to_float(sm.q[t * LDX + c]) * G.factor(t, j, c);
    val += s;
  });

  // dq, dk with their inter parts; q . dq - k . dk^{intra} and k . dk^{inter} staged for dg. The pair
  // j = t adds dA_tt k_t to dq_t and dA_tt q_t to dk_t, which cancel exactly in q . dq - k . dk:
  // they go to dq and dk only, so that dg does not carry their rounding (it dominates dg with strong
  // gates, where the rest of q . dq - k . dk is small).
  constexpr int kLast = kChunk - 1;  // rows past the chunk repeat its last row
  float dqv[4][4], kdi[4][4], selfq[4][4], selfk[4][4];  // ak keeps dk^{intra}
  WarpAcc<1, 4>::each_index([&](int, int j, int r, int row, int col) {
    const int t = kSub * w + row;
    const bool valid = t < ch.L && col < kvalid;  // P, Q rows past the chunk are not written
    const float p = valid ? P[kbase + t * kstride + col] : 0.f, qv = valid ? Q[kbase + t * kstride + col] : 0.f;
    kdi[j][r] = G.factor(kLast, t, col) * qv;
    dqv[j][r] = aq.c[0][j][r] + d.scale * exp2f(G.value(t, col)) * p;
    selfq[j][r] = dAs[t * LDA + t] * to_float(sm.k[t * LDX + col]);
    selfk[j][r] = dAs[t * LDA + t] * to_float(sm.q[t * LDX + col]);
  });
  __syncthreads();  // dA is read by every warp above; its bytes become the dg staging
  WarpAcc<1, 4>::each_index([&](int, int j, int r, int row, int col) {
    const int t = kSub * w + row;
    const float qv = to_float(sm.q[t * LDX + col]), kv = to_float(sm.k[t * LDX + col]);
    sm.u.epi.dG[t * LDF + col] = qv * dqv[j][r] - kv * ak.c[0][j][r];
    sm.u.epi.kdk[t * LDF + col] = kv * kdi[j][r];
    if (t < ch.L && col < kvalid) {
      dq[kbase + t * kstride + col] = from_float<Tin>(dqv[j][r] + selfq[j][r]);
      dk[kbase + t * kstride + col] = from_float<Tin>(ak.c[0][j][r] + kdi[j][r] + selfk[j][r]);
    }
  });
  __syncthreads();
  // dg_s = sum_{t >= s} (q_t . dq_t - k_t . dk_t^{intra}) + sum_{t < s} k_t . dk_t^{inter}
  //        + 2^{G_last} . rowsum(h . d):
  // sum_{t >= s} (q_t . dq_t - k_t . dk_t) + gamma without its cancellation. k . dk^{inter} is largest
  // on the last rows; summed into gamma and back out of the suffix, its rounding would land on every
  // earlier row of dg (small there with strong gates). The prefix is exclusive, in place.
  if (tid < kvalid) {
    float* kdk = sm.u.epi.kdk + tid;
    float pre = 0.f;
    for (int t = 0; t < ch.L; ++t) {
      const float x = kdk[t * LDF];
      kdk[t * LDF] = pre;
      pre += x;
    }
    const float decayed = exp2f(G.value(kLast, tid)) * hd[(i * d.H + h) * d.K + k0 + tid];
    float run = 0.f;
    for (int t = ch.L - 1; t >= 0; --t) {
      run += sm.u.epi.dG[t * LDF + tid];
      dg[kbase + t * kstride + tid] = from_float<TG>(run + (kdk[t * LDF] + decayed));
    }
  }
}

template <typename Tin, typename TG>
statex_status backward(const Dims& d, const Workspace& L, void* ws, void* dq, void* dk, void* dv, void* dg,
                       float* dh0, const void* q, const void* k, const void* v, const void* g, const float* h0,
                       const void* d_o, const float* dht, cudaStream_t stream) {
  float* G2hi = at<float>(ws, L.G2hi);
  float* G2lo = at<float>(ws, L.G2lo);
  Tin* qg = at<Tin>(ws, L.qg);
  Tin* kg = at<Tin>(ws, L.kg);
  float* A = at<float>(ws, L.A);
  float* dA = at<float>(ws, L.dA);
  Tin* states = at<Tin>(ws, L.h);
  Tin* dstates = at<Tin>(ws, L.dh);
  const Tin *qi = (const Tin*)q, *ki = (const Tin*)k, *vi = (const Tin*)v, *doi = (const Tin*)d_o;
  STX_TRY((launch_gates<Tin, TG>(d, qi, ki, (const TG*)g, G2hi, G2lo, qg, kg, stream)));
  STX_TRY((launch_scan<Tin, false>(d, kg, vi, G2hi, h0, states, nullptr, stream)));
  STX_TRY((launch_scan<Tin, true>(d, qg, doi, G2hi, dht, dstates, dh0, stream)));
  STX_TRY(launch_scores<Tin>(d, qi, ki, G2hi, G2lo, A, stream));

  unsigned blocks;
  STX_TRY(grid_of("dscores", d.nt * d.H, &blocks));
  dscores_kernel<Tin><<<blocks, kThreads, 0, stream>>>(d, doi, vi, dA);
  STX_TRY(check_launch("gla dscores_kernel"));
  STX_TRY((launch_rows<Tin, true>(d, kg, dstates, 1, A, doi, (Tin*)dv, stream)));
  float* P = at<float>(ws, L.P);
  float* Q = at<float>(ws, L.Q);
  float* hd = at<float>(ws, L.hd);
  STX_TRY(grid_of("the state products of dq, dk", d.nt * d.H * ((d.K + kTile - 1) / kTile), &blocks));
  constexpr int inter_smem = (int)sizeof(InterSmem<Tin>);
  STX_CUDA(cudaFuncSetAttribute(dqk_inter_kernel<Tin>, cudaFuncAttributeMaxDynamicSharedMemorySize, inter_smem));
  dqk_inter_kernel<Tin><<<blocks, kThreads, inter_smem, stream>>>(d, vi, doi, states, dstates, P, Q, hd);
  STX_TRY(check_launch("gla dqk_inter_kernel"));
  STX_TRY(grid_of("dq, dk, dg", d.nt * d.H * ((d.K + kTileK - 1) / kTileK), &blocks));
  constexpr int smem = (int)sizeof(DqkgSmem<Tin>);
  STX_CUDA(cudaFuncSetAttribute(dqkg_kernel<Tin, TG>, cudaFuncAttributeMaxDynamicSharedMemorySize, smem));
  dqkg_kernel<Tin, TG><<<blocks, kThreads, smem, stream>>>(d, qi, ki, G2hi, G2lo, dA, P, Q, hd, (Tin*)dq, (Tin*)dk,
                                                            (TG*)dg);
  return check_launch("gla dqkg_kernel");
}

}  // namespace
}  // namespace gla
}  // namespace statex

using namespace statex;
using namespace statex::gla;

extern "C" {

STATEX_API statex_status statex_cuda_gla_chunk_bwd_workspace_size(int64_t* bytes, int dtype, int64_t B, int64_t T,
                                                                  int64_t H, int64_t K, int64_t V, int64_t N,
                                                                  int varlen) {
  return workspace_query("gla_chunk_bwd_workspace_size", bytes, dtype, B, T, H, K, V, N, varlen, true);
}

STATEX_API statex_status statex_cuda_gla_chunk_bwd(void* dq, void* dk, void* dv, void* dg, float* dh0, const void* q,
                                                   const void* k, const void* v, const void* g, const float* h0,
                                                   const void* d_o, const float* dht, const int64_t* cu_seqlens,
                                                   int dtype, int g_dtype, double scale, int64_t B, int64_t T,
                                                   int64_t H, int64_t K, int64_t V, int64_t N, void* workspace,
                                                   int64_t workspace_bytes, void* stream) {
  STX_TRY(check_cuda_dtype("gla_chunk_bwd", dtype));
  const GlaShape s{B, T, H, K, V, N, dtype, g_dtype, scale, cu_seqlens != nullptr};
  STX_TRY(check_gla_bwd(s, dq, dk, dv, dg, q, k, v, g, d_o));
  Workspace L;
  Dims d;
  cudaStream_t st = as_stream(stream);
  STX_TRY(prepare("gla_chunk_bwd", s, cu_seqlens, workspace, workspace_bytes, true, st, &L, &d));
  if (dtype == STATEX_F32)
    return backward<float, float>(d, L, workspace, dq, dk, dv, dg, dh0, q, k, v, g, h0, d_o, dht, st);
  if (g_dtype == STATEX_F32)
    return backward<uint16_t, float>(d, L, workspace, dq, dk, dv, dg, dh0, q, k, v, g, h0, d_o, dht, st);
  return backward<uint16_t, uint16_t>(d, L, workspace, dq, dk, dv, dg, dh0, q, k, v, g, h0, d_o, dht, st);
}

}  // extern "C"
