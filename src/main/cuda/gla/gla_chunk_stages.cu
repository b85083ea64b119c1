/*
 * The stages the chunked GLA forward and backward share (gla_chunk.cuh explains the pipeline).
 *
 *   gates   G2 = log2(e) cumsum_chunk g (hi + lo);  qg = scale q . 2^{G2};  kg = k . 2^{G2_last - G2}
 *   scan    h_{c+1} = diag(2^{G2_last}) h_c + kg^T v            (forward, snapshot h_c per chunk)
 *           d_c = diag(2^{G2_last}) d_{c+1} + qg^T d_o          (reverse: gradient of the states)
 *   scores  A_tj = scale sum_k q_tk k_jk 2^{G2_tk - G2_jk}, j <= t
 *   rows    out = x S + M y over chunk rows and a V tile: the forward output qg h_c + A v, and the
 *           backward's dv = kg d_{c+1} + A^T d_o
 *
 * Layouts: q, k, g, G2 hi and lo, qg, kg [B*T, H, K]; v, d_o [B*T, H, V]; states [slot, H, K, V] in
 * the input type; A [B*T, H, 64] fp32 (zero above the diagonal and past the chunk).
 *
 * Thread blocks (128 threads, four warps):
 *   gates   one (chunk, head); a thread per key channel walks the chunk's rows, summing the gate in
 *           double and storing it as hi + lo floats. No shared memory.
 *   scan    one 64 x 64 tile of one state (K tile, V tile, sequence, head), held in registers in
 *           the mma accumulator layout (warp w: state rows 16w..16w+15, 32 fp32 per thread),
 *           walking the chunks in order, the next chunk's tiles in flight (registers) during each
 *           product: the walk is sequential, so a chunk's load latency would otherwise add to every
 *           step. Shared: the chunk's x and y tiles, 2 x 64 x (64 + pad) elements (33.3 KB fp32,
 *           18.4 KB bf16).
 *   scores  one (chunk, head), looping over K in tiles of 32. Warp w owns query block w: the
 *           earlier key blocks through one gated product (up to 16 x 48, 24 fp32 per thread), its
 *           diagonal block pairwise (136 pairs, at most 5 per lane). Shared: q, k (input type) and
 *           G2 hi, lo tiles 64 x 32, then the 64 x 64 fp32 result in the same bytes (33.8 KB fp32).
 *   rows    one (chunk, head, V tile of 64); see rows_kernel. 33.3 KB shared in fp32, 25.9 KB in bf16.
 * Plain bf16 tiles enter the tensor cores through ldmatrix (warp_gemm.cuh); the kernels that prefetch
 * are compiled for three resident blocks per SM with bf16 inputs (prefetch_blocks).
 * Accumulation is fp32 throughout; the products run on tensor cores for bf16 inputs (operands
 * rounded to bf16, as the gated factors are), fp32 FMAs for fp32 inputs.
 */
#include "gla/gla_chunk.cuh"

#include "cuda_util.cuh"

namespace statex {
namespace gla {
namespace {

constexpr int kOffsetThreads = 256;

__global__ void __launch_bounds__(kOffsetThreads)
chunk_offsets_kernel(const int64_t* cu, int64_t N, int64_t T, int64_t cap, int64_t* off) {
  __shared__ int64_t scan[kOffsetThreads];
  const int tid = threadIdx.x;
  int64_t carry = 0;
  if (tid == 0) off[0] = 0;
  for (int64_t base = 0; base < N; base += kOffsetThreads) {
    const int64_t n = base + tid;
    int64_t count = 0;
    if (n < N) {
      const int64_t bos = clamp64(cu[n], 0, T), eos = clamp64(cu[n + 1], bos, T);
      count = (eos - bos + kChunk - 1) / kChunk;
    }
    scan[tid] = count;
    __syncthreads();
    for (int s = 1; s < kOffsetThreads; s <<= 1) {  // inclusive prefix sum
      const int64_t add = tid >= s ? scan[tid - s] : 0;
      __syncthreads();
      scan[tid] += add;
      __syncthreads();
    }
    if (n < N) off[n + 1] = carry + scan[tid] < cap ? carry + scan[tid] : cap;
    carry += scan[kOffsetThreads - 1];
    __syncthreads();
  }
}

template <typename Tin, typename TG>
__global__ void __launch_bounds__(kThreads)
gates_kernel(Dims d, const Tin* q, const Tin* k, const TG* g, float* G2hi, float* G2lo, Tin* qg, Tin* kg) {
  const int64_t h = blockIdx.x % d.H, i = blockIdx.x / d.H;
  Chunk ch;
  if (!locate(d, i, &ch)) return;
  const int64_t stride = d.H * d.K;
  constexpr double kLog2eD = 1.4426950408889634;
  for (int64_t kk = threadIdx.x; kk < d.K; kk += kThreads) {
    const int64_t base = (ch.tok0 * d.H + h) * d.K + kk;
    // G2 in double, kept as hi + lo (see GateTile; lo only where it is read, with fp32 inputs); 64
    // double adds per channel and chunk
    constexpr bool kTwo = GateTile<Tin>::kTwo;
    double acc = 0.0;
    for (int t = 0; t < ch.L; ++t) {
      acc += to_float(g[base + t * stride]);
      const double G = acc * kLog2eD;
      const float hi = (float)G;
      G2hi[base + t * stride] = hi;
      if constexpr (kTwo) G2lo[base + t * stride] = (float)(G - hi);
    }
    const double last = acc * kLog2eD;
    for (int t = 0; t < ch.L; ++t) {
      const int64_t e = base + t * stride;
      const double G = kTwo ? (double)G2hi[e] + G2lo[e] : (double)G2hi[e];
      qg[e] = from_float<Tin>(d.scale * to_float(q[e]) * exp2f((float)G));
      kg[e] = from_float<Tin>(to_float(k[e]) * exp2f((float)(last - G)));
    }
  }
}

template <typename Tin, bool kReverse>
__global__ void __launch_bounds__(kThreads, prefetch_blocks<Tin>())
scan_kernel(Dims d, const Tin* x, const Tin* y, const float* G2hi, const float* init, Tin* slots,
            float* final_state) {
  constexpr bool kTC = sizeof(Tin) == 2;
  constexpr int LD = padded<Tin, kTile>();
  __shared__ __align__(16) Tin xs[kChunk * LD];
  __shared__ __align__(16) Tin ys[kChunk * LD];
  const int64_t KT = (d.K + kTile - 1) / kTile, VT = (d.V + kTile - 1) / kTile;
  int64_t b = blockIdx.x;
  const int64_t vt = b % VT;
  b /= VT;
  const int64_t kt = b % KT;
  b /= KT;
  const int64_t h = b % d.H, n = b / d.H;
  const int w = threadIdx.x / 32, g = lane_id() >> 2;
  const int64_t k0 = kt * kTile + 16 * w, v0 = vt * kTile;  // k0: this warp's first state row
  const int64_t KV = d.K * d.V, HKV = d.H * KV;
  const Seq s = sequence(d, n);

  WarpAcc<1, 8> acc;  // state rows k0 + (0..15), columns v0 + (0..63)
  const float* init_tile = init ? init + (n * d.H + h) * KV : nullptr;
  acc.for_each([&](int r, int c, float& v) {
    const int64_t kk = k0 + r, vv = v0 + c;
    v = (init_tile && kk < d.K && vv < d.V) ? init_tile[kk * d.V + vv] : 0.f;
  });
  // this lane's two adjacent columns per row at once (V is a multiple of 16, so both are valid)
  auto store = [&](auto* state) {
    WarpAcc<1, 8>::each_index([&](int, int j, int r, int row, int col) {
      const int64_t kk = k0 + row, vv = v0 + col;
      if ((r & 1) == 0 && kk < d.K && vv < d.V) store_pair(state + kk * d.V + vv, acc.c[0][j][r], acc.c[0][j][r + 1]);
    });
  };

  // The next chunk's x and y tiles and gate row are in flight while this chunk's product runs (bf16).
  TileFetch<kChunk, kTile, Tin> fx, fy;
  float glast[2];  // G2_last of this warp's two state rows per lane (2^{G2_last}: hi alone is fp32-accurate)
  auto tiles = [&](int64_t step, auto now) {
    const int64_t c = kReverse ? s.nchunks - 1 - step : step, tok0 = s.bos + c * kChunk;
    const int L = (int)(s.len - c * kChunk < kChunk ? s.len - c * kChunk : kChunk);
    const Tin *xg = x + (tok0 * d.H + h) * d.K + kt * kTile, *yg = y + (tok0 * d.H + h) * d.V + v0;
    if constexpr (decltype(now)::value) {
      fx.copy(xs, LD, xg, d.H * d.K, L, d.K - kt * kTile);
      fy.copy(ys, LD, yg, d.H * d.V, L, d.V - v0);
    } else {
      fx.fetch(xg, d.H * d.K, L, d.K - kt * kTile);
      fy.fetch(yg, d.H * d.V, L, d.V - v0);
    }
    const float* gl = G2hi + ((tok0 + L - 1) * d.H + h) * d.K;
    glast[0] = k0 + g < d.K ? gl[k0 + g] : 0.f;
    glast[1] = k0 + g + 8 < d.K ? gl[k0 + g + 8] : 0.f;
  };
  if (fetch_ahead<Tin>() && s.nchunks > 0) tiles(0, Ahead{});
  for (int64_t step = 0; step < s.nchunks; ++step) {
    const int64_t c = kReverse ? s.nchunks - 1 - step : step;
    // forward: slot c is the state entering chunk c; reverse: slot c + 1 the gradient of the state leaving it
    store(slots + s.slot(kReverse ? c + 1 : c) * HKV + h * KV);
    __syncthreads();  // every warp is done with the previous chunk's tiles
    if constexpr (fetch_ahead<Tin>()) {
      fx.store(xs, LD);
      fy.store(ys, LD);
    } else {
      tiles(step, Now{});
    }
    const float decay[2] = {k0 + g < d.K ? exp2f(glast[0]) : 0.f, k0 + g + 8 < d.K ? exp2f(glast[1]) : 0.f};
    __syncthreads();
    if (fetch_ahead<Tin>() && step + 1 < s.nchunks) tiles(step + 1, Ahead{});
    // h <- diag(2^{G2_last}) h + x^T y   (x = kg, y = v; reverse: x = qg, y = d_o)
    acc.for_each([&](int r, int, float& v) { v *= decay[r >> 3]; });
    warp_gemm<kTC>(acc, ColView<Tin>{xs + 16 * w, LD}, ColView<Tin>{ys, LD}, 0, kChunk);
  }
  // forward: the final state; reverse: the gradient of the initial state
  store(slots + s.slot(kReverse ? 0 : s.nchunks) * HKV + h * KV);
  if (final_state) store(final_state + (n * d.H + h) * KV);
}

template <typename Tin>
__global__ void __launch_bounds__(kThreads)
scores_kernel(Dims d, const Tin* q, const Tin* k, const float* G2hi, const float* G2lo, float* A) {
  constexpr bool kTC = sizeof(Tin) == 2;
  constexpr int LDX = padded<Tin, kTileK>(), LDG = padded<float, kTileK>(), LDA = padded<float, kChunk>();
  __shared__ __align__(16) union {
    struct {
      Tin q[kChunk * LDX];
      Tin k[kChunk * LDX];
      float ghi[kChunk * LDG];
      float glo[kChunk * LDG];
    } in;
    float A[kChunk * LDA];  // the result, once the products are done
  } sm;
  const int64_t h = blockIdx.x % d.H, i = blockIdx.x / d.H;
  Chunk ch;
  if (!locate(d, i, &ch)) return;
  const int w = threadIdx.x / 32, lane = lane_id();
  const bool active = kSub * w < ch.L;  // a sub-block wholly past the chunk has nothing to compute
  const GateTile<Tin> G{sm.in.ghi, sm.in.glo, LDG};

  // the diagonal block's pairs (a, b), b <= a, dealt round-robin to the lanes
  constexpr int kPairs = kSub * (kSub + 1) / 2, kPairsPerLane = (kPairs + 31) / 32;
  int pa[kPairsPerLane], pb[kPairsPerLane];
  float diag[kPairsPerLane];
  for (int u = 0; u < kPairsPerLane; ++u) {
    int p = lane + 32 * u, a = 0;
    while ((a + 1) * (a + 2) / 2 <= p) ++a;
    pa[u] = a;
    pb[u] = p - a * (a + 1) / 2;
    diag[u] = 0.f;
  }
  WarpAcc<1, 6> acc;  // columns 0 .. 16w of the earlier key blocks
  acc.fill(0.f);

  const int64_t base = (ch.tok0 * d.H + h) * d.K, stride = d.H * d.K;
  for (int64_t k0 = 0; k0 < d.K; k0 += kTileK) {
    __syncthreads();
    load_tile<kChunk, kTileK, fetch_ahead<Tin>()>(sm.in.q, LDX, q + base + k0, stride, ch.L, d.K - k0);
    load_tile<kChunk, kTileK, fetch_ahead<Tin>()>(sm.in.k, LDX, k + base + k0, stride, ch.L, d.K - k0);
    load_gates<kTileK, Tin>(sm.in.ghi, sm.in.glo, LDG, G2hi + base + k0, G2lo + base + k0, stride, ch.L, d.K - k0);
    __syncthreads();
    if (!active) continue;
    // diagonal block: the exact factor 2^{G_t - G_j} for every pair and channel
    for (int u = 0; u < kPairsPerLane; ++u) {
      if (lane + 32 * u >= kPairs) break;
      const int t = kSub * w + pa[u], j = kSub * w + pb[u];
      float sum = 0.f;
      for (int c = 0; c < kTileK; ++c)
        sum += to_float(sm.in.q[t * LDX + c]) * to_float(sm.in.k[j * LDX + c]) * G.factor(t, j, c);
      diag[u] += sum;
    }
    // earlier key blocks: (q_t . 2^{G_t - r}) (k_j . 2^{r - G_j}) with r the gate of row 16w
    if (w > 0) {
      warp_gemm<kTC>(acc, GatedRows<Tin, 1>{sm.in.q + kSub * w * LDX, LDX, G, kSub * w, kSub * w},
                     GatedRows<Tin, -1>{sm.in.k, LDX, G, 0, kSub * w}, 0, kTileK, 2 * w);
    }
  }

  // rows of warp w into the 64 x 64 result tile (over the inputs' bytes): products left of the
  // diagonal block, pairs on it, zeros right of it
  __syncthreads();
  float* row0 = zero_warp_rows(sm.A, LDA, w);
  acc.for_each([&](int r, int c, float& v) {
    if (c < kSub * w) row0[r * LDA + c] = v;
  });
  for (int u = 0; u < kPairsPerLane; ++u)
    if (lane + 32 * u < kPairs) row0[pa[u] * LDA + kSub * w + pb[u]] = diag[u];
  __syncthreads();
  store_scores(A + (ch.tok0 * d.H + h) * kChunk, d.H, sm.A, LDA, ch.L, d.scale);
}

// See launch_rows in gla_chunk.cuh. A thread block (128 threads) owns the 64 x 64 tile (chunk rows,
// V tile) of one head; warp w owns rows 16w..16w+15 (32 fp32 accumulators per thread, mma layout).
// x S over K in tiles of 64 (shared: x tile and S tile, 2 x 64 x 64; the next pair in flight during
// each product), then M y with M read in fp32
// and y in the input type (the same shared bytes). Causality: row t needs M(t, j) for j <= t only,
// so warp w multiplies the first 16(w+1) columns of A, or the columns 16w.. of A^T.
template <typename Tin, bool kTransposed>
__global__ void __launch_bounds__(kThreads, prefetch_blocks<Tin>())
rows_kernel(Dims d, const Tin* x, const Tin* slots, int shift, const float* M, const Tin* y, Tin* out) {
  constexpr bool kTC = sizeof(Tin) == 2;
  constexpr int LD = padded<Tin, kTile>(), LDF = padded<float, kChunk>();
  __shared__ __align__(16) union {
    struct {
      Tin x[kChunk * LD];
      Tin s[kTile * LD];
    } inter;
    struct {
      float m[kChunk * LDF];
      Tin y[kChunk * LD];
    } intra;
  } sm;
  ChunkTile at;
  if (!locate_tile(d, (d.V + kTile - 1) / kTile, &at)) return;
  const Chunk& ch = at.ch;
  const int64_t h = at.h;
  const int w = threadIdx.x / 32;
  const int64_t v0 = at.tile * kTile, KV = d.K * d.V;
  const Tin* S = slots + ch.seq.slot(ch.c + shift) * d.H * KV + h * KV;

  WarpAcc<1, 8> acc;  // rows 16w.., columns v0 + (0..63)
  acc.fill(0.f);
  // out += x S; the next K tile's x and S are in flight while this one's product runs (bf16)
  TileFetch<kChunk, kTile, Tin> fx;
  TileFetch<kTile, kTile, Tin> fs;
  auto tiles = [&](int64_t k0, auto now) {
    const Tin* xg = x + (ch.tok0 * d.H + h) * d.K + k0;
    const int rows = (int)(d.K - k0 < kTile ? d.K - k0 : kTile);
    if constexpr (decltype(now)::value) {
      fx.copy(sm.inter.x, LD, xg, d.H * d.K, ch.L, d.K - k0);
      fs.copy(sm.inter.s, LD, S + k0 * d.V + v0, d.V, rows, d.V - v0);
    } else {
      fx.fetch(xg, d.H * d.K, ch.L, d.K - k0);
      fs.fetch(S + k0 * d.V + v0, d.V, rows, d.V - v0);
    }
  };
  if (fetch_ahead<Tin>()) tiles(0, Ahead{});
  for (int64_t k0 = 0; k0 < d.K; k0 += kTile) {
    __syncthreads();
    if constexpr (fetch_ahead<Tin>()) {
      fx.store(sm.inter.x, LD);
      fs.store(sm.inter.s, LD);
    } else {
      tiles(k0, Now{});
    }
    __syncthreads();
    if (fetch_ahead<Tin>() && k0 + kTile < d.K) tiles(k0 + kTile, Ahead{});
    warp_gemm<kTC>(acc, RowView<Tin>{sm.inter.x + kSub * w * LD, LD}, ColView<Tin>{sm.inter.s, LD}, 0, kTile);
  }
  // out += M y
  __syncthreads();
  constexpr bool kBatch = fetch_ahead<Tin>();
  load_tile<kChunk, kChunk, kBatch>(sm.intra.m, LDF, M + (ch.tok0 * d.H + h) * kChunk, d.H * kChunk, ch.L, kChunk);
  load_tile<kChunk, kTile, kBatch>(sm.intra.y, LD, y + (ch.tok0 * d.H + h) * d.V + v0, d.H * d.V, ch.L, d.V - v0);
  __syncthreads();
  if constexpr (kTransposed)
    warp_gemm<kTC>(acc, ColView<float>{sm.intra.m + kSub * w, LDF}, ColView<Tin>{sm.intra.y, LD}, kSub * w, kChunk);
  else
    warp_gemm<kTC>(acc, RowView<float>{sm.intra.m + kSub * w * LDF, LDF}, ColView<Tin>{sm.intra.y, LD}, 0,
                   kSub * (w + 1));

  Tin* o = out + (ch.tok0 * d.H + h) * d.V;
  acc.for_each([&](int r, int c, float& val) {
    const int t = kSub * w + r;
    const int64_t vv = v0 + c;
    if (t < ch.L && vv < d.V) o[t * d.H * d.V + vv] = from_float<Tin>(val);
  });
}

}  // namespace

statex_status launch_chunk_offsets(const Dims& d, int64_t* chunk_off, cudaStream_t stream) {
  chunk_offsets_kernel<<<1, kOffsetThreads, 0, stream>>>(d.cu, d.N, d.T, d.nt, chunk_off);
  return check_launch("gla chunk_offsets_kernel");
}

template <typename Tin, typename TG>
statex_status launch_gates(const Dims& d, const Tin* q, const Tin* k, const TG* g, float* G2hi, float* G2lo, Tin* qg,
                           Tin* kg, cudaStream_t stream) {
  unsigned blocks;
  STX_TRY(grid_of("gates", d.nt * d.H, &blocks));
  gates_kernel<Tin, TG><<<blocks, kThreads, 0, stream>>>(d, q, k, g, G2hi, G2lo, qg, kg);
  return check_launch("gla gates_kernel");
}

template <typename Tin, bool kReverse>
statex_status launch_scan(const Dims& d, const Tin* x, const Tin* y, const float* G2hi, const float* init,
                          Tin* slots, float* final_state, cudaStream_t stream) {
  unsigned blocks;
  const int64_t tiles = ((d.K + kTile - 1) / kTile) * ((d.V + kTile - 1) / kTile);
  STX_TRY(grid_of("the state scan", d.N * d.H * tiles, &blocks));
  scan_kernel<Tin, kReverse><<<blocks, kThreads, 0, stream>>>(d, x, y, G2hi, init, slots, final_state);
  return check_launch("gla scan_kernel");
}

template <typename Tin>
statex_status launch_scores(const Dims& d, const Tin* q, const Tin* k, const float* G2hi, const float* G2lo, float* A,
                            cudaStream_t stream) {
  unsigned blocks;
  STX_TRY(grid_of("scores", d.nt * d.H, &blocks));
  scores_kernel<Tin><<<blocks, kThreads, 0, stream>>>(d, q, k, G2hi, G2lo, A);
  return check_launch("gla scores_kernel");
}

template <typename Tin, bool kTransposed>
statex_status launch_rows(const Dims& d, const Tin* x, const Tin* slots, int shift, const float* M, const Tin* y,
                          Tin* out, cudaStream_t stream) {
  unsigned blocks;
  STX_TRY(grid_of("the chunk rows", d.nt * d.H * ((d.V + kTile - 1) / kTile), &blocks));
  rows_kernel<Tin, kTransposed><<<blocks, kThreads, 0, stream>>>(d, x, slots, shift, M, y, out);
  return check_launch("gla rows_kernel");
}

template statex_status launch_rows<float, false>(const Dims&, const float*, const float*, int, const float*,
                                                 const float*, float*, cudaStream_t);
template statex_status launch_rows<float, true>(const Dims&, const float*, const float*, int, const float*,
                                                const float*, float*, cudaStream_t);
template statex_status launch_rows<uint16_t, false>(const Dims&, const uint16_t*, const uint16_t*, int,
                                                    const float*, const uint16_t*, uint16_t*, cudaStream_t);
template statex_status launch_rows<uint16_t, true>(const Dims&, const uint16_t*, const uint16_t*, int, const float*,
                                                   const uint16_t*, uint16_t*, cudaStream_t);
template statex_status launch_gates<float, float>(const Dims&, const float*, const float*, const float*, float*,
                                                  float*, float*, float*, cudaStream_t);
template statex_status launch_gates<uint16_t, uint16_t>(const Dims&, const uint16_t*, const uint16_t*,
                                                        const uint16_t*, float*, float*, uint16_t*, uint16_t*,
                                                        cudaStream_t);
template statex_status launch_gates<uint16_t, float>(const Dims&, const uint16_t*, const uint16_t*, const float*,
                                                     float*, float*, uint16_t*, uint16_t*, cudaStream_t);
template statex_status launch_scan<float, false>(const Dims&, const float*, const float*, const float*,
                                                 const float*, float*, float*, cudaStream_t);
template statex_status launch_scan<float, true>(const Dims&, const float*, const float*, const float*, const float*,
                                                float*, float*, cudaStream_t);
template statex_status launch_scan<uint16_t, false>(const Dims&, const uint16_t*, const uint16_t*, const float*,
                                                    const float*, uint16_t*, float*, cudaStream_t);
template statex_status launch_scan<uint16_t, true>(const Dims&, const uint16_t*, const uint16_t*, const float*,
                                                   const float*, uint16_t*, float*, cudaStream_t);
template statex_status launch_scores<float>(const Dims&, const float*, const float*, const float*, const float*,
                                            float*, cudaStream_t);
template statex_status launch_scores<uint16_t>(const Dims&, const uint16_t*, const uint16_t*, const float*,
                                               const float*, float*, cudaStream_t);

// ---- workspace ------------------------------------------------------------------------------

namespace {
int64_t align256(int64_t x) { return (x + 255) / 256 * 256; }
}  // namespace

Workspace workspace_layout(const GlaShape& s, bool backward) {
  const int64_t chunks = (s.T + kChunk - 1) / kChunk;
  const int64_t nt = s.varlen ? chunks + s.N : s.B * chunks, slots = nt + s.N;
  const int64_t in_size = s.dtype == STATEX_BF16 ? 2 : 4, tokens = s.B * s.T;
  Workspace w{};
  int64_t at = 0;
  auto take = [&](int64_t bytes) {
    const int64_t off = at;
    at += align256(bytes);
    return off;
  };
  w.chunk_off = take(s.varlen ? 8 * (s.N + 1) : 0);
  w.G2hi = take(4 * tokens * s.H * s.K);
  w.G2lo = take(s.dtype == STATEX_F32 ? 4 * tokens * s.H * s.K : 0);  // read with fp32 inputs only (GateTile)
  w.qg = take(in_size * tokens * s.H * s.K);
  w.kg = take(in_size * tokens * s.H * s.K);
  w.A = take(4 * tokens * s.H * kChunk);
  w.h = take(in_size * slots * s.H * s.K * s.V);
  w.dA = backward ? take(4 * tokens * s.H * kChunk) : at;
  w.dh = backward ? take(in_size * slots * s.H * s.K * s.V) : at;
  w.P = backward ? take(4 * tokens * s.H * s.K) : at;
  w.Q = backward ? take(4 * tokens * s.H * s.K) : at;
  w.hd = backward ? take(4 * nt * s.H * s.K) : at;
  w.total = at;
  return w;
}

statex_status workspace_query(const char* op, int64_t* bytes, int dtype, int64_t B, int64_t T, int64_t H, int64_t K,
                              int64_t V, int64_t N, int varlen, bool backward) {
  STX_TRY(check_cuda_dtype(op, dtype));
  STX_CHECK(bytes != nullptr, "%s: bytes: null pointer", op);
  const GlaShape s{B, T, H, K, V, N, dtype, dtype, 1.0, varlen != 0};
  STX_TRY(check_gla_shape(op, s));
  *bytes = workspace_layout(s, backward).total;
  return STATEX_OK;
}

statex_status prepare(const char* op, const GlaShape& s, const int64_t* cu, void* ws, int64_t ws_bytes,
                      bool backward, cudaStream_t stream, Workspace* layout, Dims* d) {
  *layout = workspace_layout(s, backward);
  STX_CHECK(ws != nullptr, "%s: workspace: null pointer (expected %lld bytes)", op, (long long)layout->total);
  STX_CHECK(ws_bytes >= layout->total, "%s: workspace_bytes = %lld (expected at least %lld)", op,
            (long long)ws_bytes, (long long)layout->total);
  STX_CHECK(reinterpret_cast<uintptr_t>(ws) % 256 == 0, "%s: workspace %p is not 256-byte aligned", op, ws);
  const int64_t chunks = (s.T + kChunk - 1) / kChunk;
  *d = Dims{s.B, s.T, s.H, s.K, s.V, s.N, chunks, s.varlen ? chunks + s.N : s.B * chunks, cu,
            s.varlen ? at<int64_t>(ws, layout->chunk_off) : nullptr, (float)s.scale};
  return s.varlen ? launch_chunk_offsets(*d, at<int64_t>(ws, layout->chunk_off), stream) : STATEX_OK;
}

}  // namespace gla
}  // namespace statex
