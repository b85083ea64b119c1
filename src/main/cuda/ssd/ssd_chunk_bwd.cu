/*
 * CUDA Mamba2 SSD chunked scan, backward (statex/ssd.h).
 *
 * Recurrence: s_t = exp(delta_t A) s_{t-1} + delta_t x_t B_t^T, y_t = s_t C_t + D x_t (ssd_chunk_fwd.cu has the
 * chunked form and the stage names). The backward recomputes the forward's chunk table, delta/alpha, CB and the
 * fp32 entering states sigma_c (nothing is kept from the forward), then, with lambda = d(state at a chunk end):
 *   dstate       dS^_c = sum_t exp(alpha_t) dy_t C_t^T                                   [NC][H][P][N]
 *   state pass   reverse over chunks: slot c <- lambda_c; d alpha(whole chunk) = exp(alpha_L) <sigma_c, lambda_c>;
 *                lambda_{c-1} = exp(alpha_L) lambda_c + dS^_c; the last lambda is d initial_state
 *   dx           r_t = exp(alpha_L - alpha_t) lambda B_t + sum_{i>=t} CB_it exp(alpha_i - alpha_t) dy_i;
 *                dx_t = delta_t r_t + D dy_t; d delta_t += <r_t, x_t>; dD += <dy_t, x_t>; per head the decay
 *                gradient pieces of the state terms: w_t = delta_t <x_t, exp(alpha_L - alpha_t) lambda B_t> and
 *                u_t = <dy_t, exp(alpha_t) sigma C_t> (equal to <dB_t(h), B_t> and <dC_t(h), C_t>)
 *   dcb          dCB_ij = sum_{h in g} <dy_i, x_j> delta_j exp(alpha_i - alpha_j) (j <= i), and per head the
 *                intra-chunk decay gradient da_s += sum_{i>=s} sum_{j<s} M_ij, M = dCB(h) * CB, as row prefix sums
 *                (no differences of cumulative sums: the per-step stable form)
 *   dbc          dB_t = sum_h delta_t exp(alpha_L - alpha_t) lambda^T x_t + sum_{i>=t} dCB_it C_i,
 *                dC_t = sum_h exp(alpha_t) sigma^T dy_t + sum_{j<=t} dCB_tj B_j (the head sums as one product
 *                over (head, p))
 *   ddt          da_s = sum_{t<s} w_t + sum_{t>=s} u_t + d alpha(chunk) + intra; d delta += A da; through clamp and
 *                softplus to ddt; partial dA, ddt_bias per chunk
 *   params       dA, dD, ddt_bias summed over chunks (deterministic: no atomics anywhere)
 * Layouts as in the forward. Thread blocks: matrix stages own one 64 x 64 tile (ssd::tile_mma: 128 threads on
 * tensor cores for bf16 inputs, 256 threads of fp32 FMA for fp32 inputs, as in the forward); dcb adds a 64 x 65
 * fp32 tile of M in shared memory (16.6 KB; 36 KB in all on the bf16 path); dx and dstate stage a third 9 KB
 * buffer for the low parts of their split operands (27.6 KB, dx 28 KB). Row partial sums over P tiles go to the
 * workspace and are summed by the ddt stage. Accumulation: fp32 on the bf16 path; on the fp32 path the products
 * sum 16-term slices in fp32 into fp64 accumulators and the per-head decay-gradient pieces u_t, w_t are dotted
 * over P in fp64; the chunk term <sigma, lambda> is fp64 on both (ssd_common.cuh, FmaAcc: dA and ddt_bias are
 * small sums of large terms). Decays exp2 of log2-scaled sums, min(., 0)-clamped; below the diagonal tiles a
 * decay factors into a row and a column factor, both <= 1. On the bf16 path every fp32 intermediate whose product
 * reaches the decay gradient or d delta enters that product as a hi + lo bf16 pair (ssd::tile_mma_fine, one staging
 * pass, two MMAs per fragment): the recomputed chunk states (B_t delta_t exp(alpha_L - alpha_t)), exp(alpha_t) C_t
 * in dstate, sigma in u, lambda in w and the decayed CB of dx's intra term. dA and d dt_bias sum those terms over
 * every token of a head with heavy cancellation: one bf16 rounding of any of them moved dA or d dt_bias by 0.2% to
 * 3.4% on some inputs; with all five split they sit near the fp32 floor (docs/kernels/ssd_chunk.md).
 *
 * Memory kept (workspace, ssd::bwd_layout): the forward's (chunk table, delta/alpha 2 NC H Q, CB NC G Q Q, states
 * NC H P N) plus dstates NC H P N, dCB NC G Q Q (and its per-split partials), O(NC H Q (3 npt + 2 nqt)) partial
 * sums, all fp32 but the per-chunk parts of dA, ddt_bias and dD (fp64).
 */
#include "ssd/ssd_common.cuh"
#include "statex/ssd.h"

namespace statex {
namespace ssd {
namespace {
// Which products fetch their next slice during the current one's MMAs (mma_product's Ahead). Both kernels run at
// the 168-register budget with two or more products' state live; the fetched slice (32 registers, 48 split) makes
// them spill. Measured on an H100 (docs/PERFORMANCE.md, run 16): fetching ahead in dx's intra-chunk product (up to
// four slices) and nowhere in dbc gave a backward 7-12% faster than fetching ahead in every product (dx spilling
// 460 bytes, dbc 344; with this choice 292 and 84), and 2-12% faster than adding dx's state products (dx 460).
constexpr bool kDxIntraAhead = true, kDxStateAhead = false, kDbcAhead = false;

__device__ __forceinline__ void tri_tile(int t, int* I, int* J) {
  int i = 0;
  while (t > i) {
    t -= i + 1;
    ++i;
  }
  *I = i;
  *J = t;
}

// dS^_c[p][n] = sum_t dy_t[p] exp(alpha_t) C_t[n] for one (chunk, head) 64 x 64 tile of (P, N): A(p, t) from
// dy [t][p] scaled per token, B(t, n) from C [t][n].
template <typename T>
__global__ void __launch_bounds__(Tile<T>::Acc::kThreads, Tile<T>::Acc::kMinBlocks)
    dstate_kernel(Dims d, const T* dy, const T* Cm, BwdWs w) {
  using Acc = typename Tile<T>::Acc;
  __shared__ typename Tile<T>::SmemFine sm;
  const int64_t c = blockIdx.x, h = blockIdx.z, g = h / d.hpg;
  const int64_t p0 = (int64_t)(blockIdx.y / d.nnt) * kTile, n0 = (int64_t)(blockIdx.y % d.nnt) * kTile;
  const int64_t L = w.f.len[c], tok0 = w.f.tok0[c];
  if (L == 0) return;
  const double* acs = w.f.acs + (c * d.H + h) * d.Q;
  Acc acc;
  zero(acc);
  tile_mma_fine<Fine::kB, false, false>(  // exp(alpha_t) C_t: split (lambda feeds dA)
      acc, (int)L, sm,
      [&](int t, int m) {
        return load8(dy + ((tok0 + t) * d.H + h) * d.P + p0, m, d.P - p0);
      },
      [&](int t, int n) { return scaled(load8(Cm + ((tok0 + t) * d.G + g) * d.N + n0, n, d.N - n0), decay2(acs[t])); });
  float* ds = w.dstates + (c * d.H + h) * d.P * d.N;
#pragma unroll
  for (int i = 0; i < Acc::kRows; ++i)
#pragma unroll
    for (int j = 0; j < Acc::kCols; ++j) {
      const int64_t p = p0 + Acc::row(i), n = n0 + Acc::col(j);
      if (p < d.P && n < d.N) ds[p * d.N + n] = acc.at(i, j);
    }
}

// Reverse state passing, element-wise over P*N (4 consecutive elements per thread), sequential over the chunks of
// one sequence (latest first), reading kPassDepth chunks ahead. Each warp leaves its partial sum of the chunk decay
// gradient exp(alpha_L) <sigma_c, lambda_c> per chunk (no block barrier inside the chain).
__global__ void __launch_bounds__(kPassThreads) state_passing_bwd_kernel(Dims d, const float* dfinal, float* dinit,
                                                                         BwdWs w) {
  const int64_t s = blockIdx.x, h = blockIdx.z, PN = d.P * d.N, nparts = pass_parts(d);
  const int64_t e = ((int64_t)blockIdx.y * kPassThreads + threadIdx.x) * kPassVec, n = PN - e;
  const int64_t part = (int64_t)blockIdx.y * (kPassThreads / 32) + threadIdx.x / 32;
  const int64_t k0 = w.f.seq_first[s], k1 = w.f.seq_first[s + 1];
  // threads past P*N stay (with zeros) for the warp sums
  Vec4 lam = n > 0 && dfinal ? load4(dfinal + (s * d.H + h) * PN + e, n) : Vec4{};
  for (int64_t kb = k1 - 1; kb >= k0; kb -= kPassDepth) {
    Vec4 dhat[kPassDepth], sig[kPassDepth];
    float a[kPassDepth];
#pragma unroll
    for (int u = 0; u < kPassDepth; ++u)
      if (kb - u >= k0) {
        const int64_t o = ((kb - u) * d.H + h) * PN + e;
        dhat[u] = n > 0 ? load4(w.dstates + o, n) : Vec4{};
        sig[u] = n > 0 ? load4(w.f.states + o, n) : Vec4{};
        a[u] = w.f.chunk_decay[(kb - u) * d.H + h];
      }
#pragma unroll
    for (int u = 0; u < kPassDepth; ++u)
      if (kb - u >= k0) {
        const int64_t k = kb - u;
        if (n > 0) store4(w.dstates + (k * d.H + h) * PN + e, n, lam);  // d(state at the end of chunk k)
        double dot = 0.;  // fp64: a term of dA and ddt_bias, whose sums cancel heavily (ssd_common.cuh, FmaAcc)
#pragma unroll
        for (int i = 0; i < 4; ++i) dot = fma((double)sig[u].v[i], (double)lam.v[i], dot);
        dot = warp_sum(a[u] * dot);
        if (threadIdx.x % 32 == 0) w.dchunk_part[(k * d.H + h) * nparts + part] = (float)dot;
        lam = axpy4(a[u], lam, dhat[u]);
      }
  }
  if (n > 0 && dinit) store4(dinit + (s * d.H + h) * PN + e, n, lam);
}

// Rows i0 .. i0 + 63 (k) of a Q x Q matrix m read transposed, for output rows t = t0 + 0 .. 63, under the mask
// i >= t, t < L: A(t, i) = m[i][t] (times exp(alpha_i - alpha_t) when acs is given). 8 consecutive t per call.
__device__ __forceinline__ Vec8 upper_t8(const float* m, const double* acs, int64_t Q, int64_t L, int64_t i,
                                         int64_t t) {
  Vec8 v;
  if (t < L && i >= t) {
    v = load8(m + i * Q, t, min(i + 1, L));  // columns t .. min(i, L - 1)
    if (acs) {
#pragma unroll
      for (int e = 0; e < 8; ++e) v.v[e] *= decay2(acs[i] - acs[t + e]);
    }
  }
  return v;
}

// dx for one (chunk, head) 64 x 64 tile of (t, p), with partial sums over the tile's p of d delta (direct part),
// dD, and the per-head decay-gradient pieces u_t, w_t of the state terms.
template <typename T>
__global__ void __launch_bounds__(Tile<T>::Acc::kThreads, Tile<T>::Acc::kMinBlocksWide)
    dx_kernel(Dims d, T* dx, const T* x, const T* dy, const T* Bm, const T* Cm, const float* D, BwdWs w) {
  using Acc = typename Tile<T>::Acc;
  using Sum = std::remove_reference_t<decltype(Acc{}.at(0, 0))>;  // fp64 on the fp32 path (FmaAcc), else fp32
  __shared__ typename Tile<T>::SmemFine sm;
  __shared__ Sum red_sum[32];
  __shared__ float row_decay[kTile];
  const int64_t c = blockIdx.x, h = blockIdx.z, g = h / d.hpg;
  const int I = blockIdx.y / d.npt, pt = blockIdx.y % d.npt;
  const int64_t p0 = (int64_t)pt * kTile, r0 = (int64_t)I * kTile;
  const int64_t L = w.f.len[c], tok0 = w.f.tok0[c];
  if (r0 >= L) return;
  const float* dtv = w.f.dtv + (c * d.H + h) * d.Q;
  const double* acs = w.f.acs + (c * d.H + h) * d.Q;
  const float* ds = w.dstates + (c * d.H + h) * d.P * d.N;
  const float* cb = w.f.cb + (c * d.G + g) * d.Q * d.Q;
  const double aL = acs[L - 1];
  const float* sig = w.f.states + (c * d.H + h) * d.P * d.N;
  // Row t of this tile dotted with row t of a [t][p] tensor over the tile's p, into part[t] (times delta_t when
  // asked): the per-head decay-gradient pieces u and w of the state terms (dB and dC sum over heads). Summed in
  // the accumulators' type: fp64 on the fp32 path, as these pieces feed the cancelling sums of dA and ddt_bias.
  auto dot_rows = [&](Acc& acc, const T* m, float* part, bool by_delta) {
#pragma unroll
    for (int i = 0; i < Acc::kRows; ++i) {
      const int64_t t = r0 + Acc::row(i);
      Sum v = 0;
#pragma unroll
      for (int j = 0; j < Acc::kCols; ++j) {
        const int64_t p = p0 + Acc::col(j);
        if (t < L && p < d.P) v += acc.at(i, j) * (Sum)load_f(m, ((tok0 + t) * d.H + h) * d.P + p);
      }
      v = Acc::row_sum(v);
      if (Acc::row_leader() && t < L) part[t] = (float)(by_delta ? dtv[t] * v : v);
    }
  };
  auto scale_rows = [&](Acc& acc, bool from_end) {  // times exp(alpha_L - alpha_t) or exp(alpha_t)
#pragma unroll
    for (int i = 0; i < Acc::kRows; ++i) {
      const int64_t t = r0 + Acc::row(i);
      const float e = t < L ? decay2(from_end ? aL - acs[t] : acs[t]) : 0.f;
#pragma unroll
      for (int j = 0; j < Acc::kCols; ++j) acc.at(i, j) *= e;
    }
  };
  const int64_t part0 = ((pt * d.NC + c) * d.H + h) * d.Q;
  Acc acc;
  // u_t = <dy_t, exp(alpha_t) sigma C_t> (the inter output's part of the decay gradient)
  zero(acc);
  tile_mma_fine<Fine::kB, true, true, kDxStateAhead>(
      acc, (int)d.N, sm,
      [&](int m, int k) { return r0 + m < L ? load8(Cm + ((tok0 + r0 + m) * d.G + g) * d.N, k, d.N) : Vec8{}; },
      [&](int col, int k) { return p0 + col < d.P ? load8(sig + (p0 + col) * d.N, k, d.N) : Vec8{}; });
  scale_rows(acc, false);
  dot_rows(acc, dy, w.u_part + part0, false);
  // exp(alpha_L - alpha_t) lambda B_t; w_t = delta_t <x_t, that> (the chunk state's part)
  zero(acc);
  tile_mma_fine<Fine::kB, true, true, kDxStateAhead>(
      acc, (int)d.N, sm,
      [&](int m, int k) { return r0 + m < L ? load8(Bm + ((tok0 + r0 + m) * d.G + g) * d.N, k, d.N) : Vec8{}; },
      [&](int col, int k) { return p0 + col < d.P ? load8(ds + (p0 + col) * d.N, k, d.N) : Vec8{}; });
  scale_rows(acc, true);
  dot_rows(acc, x, w.w_part + part0, true);
  // + sum_{i >= t} CB_it exp(alpha_i - alpha_t) dy_i over i = r0 .. L - 1, one product (each 64-block of i fetched
  // during the previous one's MMAs): the diagonal tile with the decay per element (masked to i >= t), the later
  // tiles (i > r0 + 63 >= t) with the decay factored through alpha at the tile's last row into
  // exp(alpha_ref - alpha_t) (a table of 64 row factors, published by the product's first barrier before any later
  // tile is fetched) and exp(alpha_i - alpha_ref) (one exp2 per 8 staged elements), both <= 1, on the CB operand;
  // dy stays as it is. The CB operand is split (hi + lo): dx itself would not need it, but d delta_t = <r_t, x_t>
  // sums these products over p, and d dt_bias sums d delta over every token of a head with heavy cancellation; one
  // bf16 rounding of CB moved d dt_bias by up to 3.4% (T 1000, N 8).
  const double ref = acs[r0 + kTile - 1];  // r0 + 63 < Q: within the chunk's row even past L
  if (threadIdx.x < kTile) row_decay[threadIdx.x] = decay2(ref - acs[r0 + threadIdx.x]);
  tile_mma_fine<Fine::kA, false, false, kDxIntraAhead>(
      acc, (int)(L - r0), sm,
      [&](int k, int m) {
        const int64_t i = r0 + k;
        if (k < kTile) return upper_t8(cb, acs, d.Q, L, i, r0 + m);
        Vec8 v = scaled(load8(cb + i * d.Q, r0 + m, d.Q), decay2(acs[i] - ref));
#pragma unroll
        for (int e = 0; e < 8; ++e) v.v[e] *= row_decay[m + e];
        return v;
      },
      [&](int k, int n) { return load8(dy + ((tok0 + r0 + k) * d.H + h) * d.P + p0, n, d.P - p0); });
  const float dh = D ? D[h] : 0.f;
  Sum dD_sum = 0;  // dD and (through d delta) ddt_bias are cancelling sums too: the accumulators' type
#pragma unroll
  for (int i = 0; i < Acc::kRows; ++i) {
    const int64_t t = r0 + Acc::row(i);
    Sum dd = 0;
#pragma unroll
    for (int j = 0; j < Acc::kCols; ++j) {
      const int64_t p = p0 + Acc::col(j);
      if (t < L && p < d.P) {
        const int64_t o = ((tok0 + t) * d.H + h) * d.P + p;
        const float xv = load_f(x, o), dyv = load_f(dy, o);
        store_f(dx, o, (float)(dtv[t] * acc.at(i, j) + dh * dyv));
        dd += acc.at(i, j) * (Sum)xv;
        dD_sum += (Sum)dyv * xv;
      }
    }
    dd = Acc::row_sum(dd);
    if (Acc::row_leader() && t < L) w.ddelta_part[((pt * d.NC + c) * d.H + h) * d.Q + t] = (float)dd;
  }
  const Sum total = block_total(dD_sum, red_sum);
  if (threadIdx.x == 0) w.dD_part[((c * d.H + h) * d.nqt + I) * d.npt + pt] = total;
}

// dCB for one (chunk, group) tile (I, J <= I), summed over one split of the group's heads (blockIdx.z = g * splits
// + split; the partial goes to dcb_part); per head, the row sums and the within-tile prefix sums of
// M = dCB(h) * CB that the ddt stage turns into the intra-chunk decay gradient.
template <typename T>
__global__ void __launch_bounds__(Tile<T>::Acc::kThreads, Tile<T>::Acc::kMinBlocksWide)
    dcb_kernel(Dims d, const T* x, const T* dy, BwdWs w) {
  using Acc = typename Tile<T>::Acc;
  __shared__ typename Tile<T>::Smem sm;
  __shared__ float Ms[kTile][kTile + 1];
  __shared__ float half_total[kTile], col_half[2][kTile], col_factor[kTile];
  const int64_t ns = dcb_splits(d), c = blockIdx.x, g = blockIdx.z / ns, sp = blockIdx.z % ns;
  const int64_t hps = (d.hpg + ns - 1) / ns, h1 = min(g * d.hpg + (sp + 1) * hps, (g + 1) * d.hpg);
  int I, J;
  tri_tile(blockIdx.y, &I, &J);
  const int64_t r0 = (int64_t)I * kTile, j0 = (int64_t)J * kTile;
  const int64_t L = w.f.len[c], tok0 = w.f.tok0[c];
  if (r0 >= L) return;
  const float* cb = w.f.cb + (c * d.G + g) * d.Q * d.Q;
  Acc dacc;
  zero(dacc);
  for (int64_t h = g * d.hpg + sp * hps; h < h1; ++h) {
    const float* dtv = w.f.dtv + (c * d.H + h) * d.Q;
    const double* acs = w.f.acs + (c * d.H + h) * d.Q;
    // Below the diagonal (J < I) the decay factors through alpha_r0 into a row and a column factor (<= 1 each);
    // the column factors (times delta_j) as a table, visible after the product's barriers.
    const bool below = J < I;
    const double ref = acs[r0];
    if (below && threadIdx.x < kTile)
      col_factor[threadIdx.x] = dtv[j0 + threadIdx.x] * decay2(ref - acs[j0 + threadIdx.x]);
    Acc gm;
    zero(gm);
    // <dy_i, x_j> over P
    tile_mma<true, true>(
        gm, (int)d.P, sm,
        [&](int m, int k) { return r0 + m < L ? load8(dy + ((tok0 + r0 + m) * d.H + h) * d.P, k, d.P) : Vec8{}; },
        [&](int col, int k) { return j0 + col < L ? load8(x + ((tok0 + j0 + col) * d.H + h) * d.P, k, d.P) : Vec8{}; });
    float* rowsum = w.rowsum + ((c * d.H + h) * d.nqt + J) * d.Q + r0;
    float* wlocal = w.wlocal + ((c * d.H + h) * d.nqt + I) * d.Q + j0;
#pragma unroll
    for (int i = 0; i < Acc::kRows; ++i) {
      const int64_t ti = r0 + Acc::row(i);
      const float row_factor = below && ti < L ? decay2(acs[ti] - ref) : 0.f;
      float rs = 0.f;
#pragma unroll
      for (int j = 0; j < Acc::kCols; ++j) {
        const int64_t tj = j0 + Acc::col(j);
        const bool in = ti < L && tj <= ti;
        const float decay = below ? row_factor * col_factor[Acc::col(j)] : dtv[tj] * decay2(acs[ti] - acs[tj]);
        const float v = in ? gm.at(i, j) * decay : 0.f;
        const float m = in ? v * cb[ti * d.Q + tj] : 0.f;
        dacc.at(i, j) += v;
        Ms[Acc::row(i)][Acc::col(j)] = m;
        rs += m;
      }
      rs = Acc::row_sum(rs);  // the row's sum over the tile's j
      if (Acc::row_leader()) rowsum[Acc::row(i)] = rs;
    }
    __syncthreads();
    // wlocal[s] = sum over rows r with r0 + r >= j0 + s of R_r(s) = sum_{s' < s} M[r][s']. Threads 0..127: row (or
    // column) t % 64, half t / 64 of its 32 columns (or rows), so a warp reads 32 rows (columns) at one offset.
    const int t = threadIdx.x, half = t / kTile, lo = (t / kTile) * (kTile / 2);
    if (t < 2 * kTile) {  // in place: Ms[r][s] <- exclusive prefix of the row within its half; the first half's total
      const int r = t % kTile;
      float run = 0.f;
      for (int s = lo; s < lo + kTile / 2; ++s) {
        const float m = Ms[r][s];
        Ms[r][s] = run;
        run += m;
      }
      if (half == 0) half_total[r] = run;
    }
    __syncthreads();
    if (t < 2 * kTile) {  // column s over the half's rows (the second half of a row also carries the first's total)
      const int s = t % kTile;
      float acc = 0.f;
      for (int r = lo; r < lo + kTile / 2; ++r)
        if (r0 + r >= j0 + s) acc += Ms[r][s] + (s >= kTile / 2 ? half_total[r] : 0.f);
      col_half[half][s] = acc;
    }
    __syncthreads();
    if (t < kTile) wlocal[t] = col_half[0][t] + col_half[1][t];
    __syncthreads();
  }
  float* dcb = w.dcb_part + ((sp * d.NC + c) * d.G + g) * d.Q * d.Q;
#pragma unroll
  for (int i = 0; i < Acc::kRows; ++i)
#pragma unroll
    for (int j = 0; j < Acc::kCols; ++j) dcb[(r0 + Acc::row(i)) * d.Q + j0 + Acc::col(j)] = dacc.at(i, j);
}

// dCB = the sum of the head splits' partials, in split order, for the rows of one (chunk, group) below the chunk
// length (4 consecutive elements per thread).
__global__ void __launch_bounds__(kPassThreads) dcb_reduce_kernel(Dims d, BwdWs w) {
  const int64_t ns = dcb_splits(d), c = blockIdx.x, g = blockIdx.z, QQ = d.Q * d.Q, slab = d.NC * d.G * QQ;
  const int64_t e = ((int64_t)blockIdx.y * kPassThreads + threadIdx.x) * kPassVec;
  if (e / d.Q >= w.f.len[c]) return;  // Q is a multiple of 4: the 4 elements share a row
  const float* part = w.dcb_part + (c * d.G + g) * QQ + e;
  Vec4 sum = load4(part, QQ - e);
  for (int64_t sp = 1; sp < ns; ++sp) sum = axpy4(1.f, load4(part + sp * slab, QQ - e), sum);
  store4(w.dcb + (c * d.G + g) * QQ + e, QQ - e, sum);
}

// dB and dC for one (chunk, group) 64 x 64 tile of (t, n). The state terms are one product each over the group's
// (head, p) pairs, K = (H/G) P, the heads' rows of x / dy scaled per (token, head) as they are loaded:
//   dB_t += sum_(h,p) delta_t,h exp(alpha_L - alpha_t) x_t,h[p] lambda_h[p][:]   (lambda rows are contiguous in h, p)
//   dC_t += sum_(h,p) exp(alpha_t) dy_t,h[p] sigma_h[p][:]
// then the intra-chunk terms dB_t += sum_{i >= t} dCB_it C_i, dC_t += sum_{j <= t} dCB_tj B_j.
template <typename T>
__global__ void __launch_bounds__(Tile<T>::Acc::kThreads, Tile<T>::Acc::kMinBlocksWide)
    dbc_kernel(Dims d, T* dB, T* dC, const T* x, const T* dy, const T* Bm, const T* Cm, BwdWs w) {
  using Acc = typename Tile<T>::Acc;
  __shared__ typename Tile<T>::Smem sm;
  const int64_t c = blockIdx.x, g = blockIdx.z;
  const int I = blockIdx.y / d.nnt, nt = blockIdx.y % d.nnt;
  const int64_t n0 = (int64_t)nt * kTile, r0 = (int64_t)I * kTile;
  const int64_t L = w.f.len[c], tok0 = w.f.tok0[c], h0 = g * d.hpg, K = d.hpg * d.P;
  if (r0 >= L) return;
  const float* dtv = w.f.dtv + (c * d.H + h0) * d.Q;  // [head of the group][Q]
  const double* acs = w.f.acs + (c * d.H + h0) * d.Q;
  auto bc = [&](const T* m, int64_t t) { return m + ((tok0 + t) * d.G + g) * d.N; };  // row t of B or C
  // 8 consecutive (head, p) of token row r0 + m of x or dy, times that head's scale
  auto heads8 = [&](const T* m, bool for_B, int mrow, int k) {
    const int64_t t = r0 + mrow;
    Vec8 v;
    if (t >= L) return v;
    v = load8(m + ((tok0 + t) * d.H + h0) * d.P, k, K);
    auto scale = [&](int64_t hh) {
      const double* a = acs + hh * d.Q;
      return for_B ? dtv[hh * d.Q + t] * decay2(a[L - 1] - a[t]) : decay2(a[t]);
    };
    if (d.P % 8 == 0) return scaled(v, scale(k / d.P));
#pragma unroll
    for (int e = 0; e < 8; ++e)
      if (k + e < K) v.v[e] *= scale((k + e) / d.P);
    return v;
  };
  // One output at a time (dB, then dC), so that one accumulator tile is live and the next slice's loads fit in
  // registers beside it.
  auto store = [&](Acc& acc, T* out) {
#pragma unroll
    for (int i = 0; i < Acc::kRows; ++i)
#pragma unroll
      for (int j = 0; j < Acc::kCols; ++j) {
        const int64_t t = r0 + Acc::row(i), n = n0 + Acc::col(j);
        if (t < L && n < d.N) store_f(out, ((tok0 + t) * d.G + g) * d.N + n, acc.at(i, j));
      }
  };
  const float* ds = w.dstates + (c * d.H + h0) * d.P * d.N;
  const float* sig = w.f.states + (c * d.H + h0) * d.P * d.N;
  const float* dcb = w.dcb + (c * d.G + g) * d.Q * d.Q;
  Acc acc;
  zero(acc);
  tile_mma<true, false, kDbcAhead>(
      acc, (int)K, sm, [&](int m, int k) { return heads8(x, true, m, k); },
      [&](int k, int n) { return load8(ds + k * d.N + n0, n, d.N - n0); });
  // dB_t += sum_{i >= t} dCB_it C_i over i = r0 .. L - 1 (k = i - r0), one product
  tile_mma<false, false, kDbcAhead>(
      acc, (int)(L - r0), sm, [&](int k, int m) { return upper_t8(dcb, nullptr, d.Q, L, r0 + k, r0 + m); },
      [&](int k, int n) { return load8(bc(Cm, r0 + k) + n0, n, d.N - n0); });
  store(acc, dB);
  zero(acc);
  tile_mma<true, false, kDbcAhead>(
      acc, (int)K, sm, [&](int m, int k) { return heads8(dy, false, m, k); },
      [&](int k, int n) { return load8(sig + k * d.N + n0, n, d.N - n0); });
  // dC_t += sum_{j <= t} dCB_tj B_j over j = 0 .. min(r0 + 63, L - 1), one product
  tile_mma<true, false, kDbcAhead>(
      acc, (int)min(r0 + kTile, L), sm,
      [&](int m, int k) {
        const int64_t t = r0 + m;
        return t < L && k <= t ? load8(dcb + t * d.Q, k, t + 1) : Vec8{};
      },
      [&](int k, int n) { return load8(bc(Bm, k) + n0, n, d.N - n0); });
  store(acc, dC);
}

// One (chunk, head), one thread per position s (blockDim = Q): assemble da_s from the partial sums of the other
// stages with block scans, then d delta, ddt and the dA / ddt_bias partials of the chunk.
template <typename TD>
__global__ void ddt_kernel(Dims d, TD* ddt, const TD* dt, const float* dt_bias, const float* A, BwdWs w) {
  __shared__ float red[32];
  __shared__ double redd[32];
  __shared__ float wsh[256];  // Q <= 256
  const int64_t c = blockIdx.x, h = blockIdx.y, s = threadIdx.x, ch = c * d.H + h;
  const int64_t L = w.f.len[c], tok0 = w.f.tok0[c], nparts = pass_parts(d), slab = d.NC * d.H * d.Q;
  if (L == 0) {
    if (s == 0) w.dA_part[ch] = w.dbias_part[ch] = 0.;
    return;
  }
  const bool in = s < L;
  float dchunk = 0.f;  // the chunk's state passing term, from the per-warp partials
  for (int64_t b = s; b < nparts; b += blockDim.x) dchunk += w.dchunk_part[ch * nparts + b];
  dchunk = block_total(dchunk, red);
  float u = 0.f, wv = 0.f;
  for (int pt = 0; in && pt < d.npt; ++pt) {
    u += w.u_part[pt * slab + ch * d.Q + s];
    wv += w.w_part[pt * slab + ch * d.Q + s];
  }
  // sum_{t >= s} u_t (inter output) + the chunk's state passing term + sum_{t < s} w_t (chunk state)
  float da = block_scan(u, red, true) + dchunk;
  wsh[s] = wv;
  __syncthreads();
  da += block_scan(s > 0 ? wsh[s - 1] : 0.f, red, false);
  // intra: sum_{i >= s} sum_{j < s} M_ij = within-tile parts (wlocal) + rows' sums over earlier j tiles (rowsum)
  const float* rowsum = w.rowsum + ch * d.nqt * d.Q;
  const float* wlocal = w.wlocal + ch * d.nqt * d.Q;
  for (int64_t I = s / kTile; in && I * kTile < L; ++I) da += wlocal[I * d.Q + s];
  for (int64_t J = 1; J < d.nqt; ++J) {  // s in tile J: sum over rows i >= s of their sums over tiles before J
    float carry = 0.f;
    for (int64_t Jp = 0; in && s >= J * kTile && Jp < J; ++Jp) carry += rowsum[Jp * d.Q + s];
    const float suf = block_scan(carry, red, true);
    if (s / kTile == J) da += suf;
  }
  double dA_term = 0, draw_term = 0;  // long mixed-sign sums: double keeps the per-head scalars exact to fp32
  if (in) {
    float ddelta = A[h] * da;
    for (int pt = 0; pt < d.npt; ++pt) ddelta += w.ddelta_part[pt * slab + ch * d.Q + s];
    float grad;
    const int64_t th = (tok0 + s) * d.H + h;
    ssd_delta(load_f(dt, th), dt_bias ? dt_bias[h] : 0.f, d.softplus, d.lo, d.hi, &grad);
    const float draw = ddelta * grad;
    store_f(ddt, th, draw);
    dA_term = (double)w.f.dtv[ch * d.Q + s] * da;
    draw_term = draw;
  }
  dA_term = block_total(dA_term, redd);
  draw_term = block_total(draw_term, redd);
  if (s == 0) {  // kept in fp64: the chunks' parts can cancel (+-700 summing to 12 on a B1 T512 N512 input)
    w.dA_part[ch] = dA_term;
    w.dbias_part[ch] = draw_term;
  }
}

// dA, dD, ddt_bias of one head: sums of the per-chunk partials over the block's threads, in a fixed order.
__global__ void __launch_bounds__(kPassThreads) param_reduce_kernel(Dims d, float* dA, float* dD, float* ddt_bias,
                                                                    BwdWs w) {
  __shared__ double red[32];
  const int64_t h = blockIdx.x;
  double a = 0, b = 0, dd = 0;
  for (int64_t c = threadIdx.x; c < d.NC; c += blockDim.x) {
    const int64_t ch = c * d.H + h, L = w.f.len[c];
    a += w.dA_part[ch];
    b += w.dbias_part[ch];
    for (int64_t I = 0; I * kTile < L; ++I)
      for (int pt = 0; pt < d.npt; ++pt) dd += w.dD_part[(ch * d.nqt + I) * d.npt + pt];
  }
  a = block_total(a, red);
  b = block_total(b, red);
  dd = block_total(dd, red);
  if (threadIdx.x == 0) {
    dA[h] = (float)a;
    if (dD) dD[h] = (float)dd;
    if (ddt_bias) ddt_bias[h] = (float)b;
  }
}

struct Grads {
  void *dx, *ddt, *dB, *dC;
  float *dA, *dD, *ddt_bias, *dinit;
  const void* dy;
  const float* dfinal;
};

template <typename T, typename TD>
statex_status backward(const Dims& d, const Grads& gr, const In<T, TD>& in, const BwdWs& w, cudaStream_t st) {
  const unsigned nc = (unsigned)d.NC, H = (unsigned)d.H, G = (unsigned)d.G;
  const unsigned ntri = (unsigned)(d.nqt * (d.nqt + 1) / 2);
  STX_TRY(check_grid("backward tiles", (int64_t)d.nqt * (d.npt > d.nnt ? d.npt : d.nnt), d.H));
  STX_TRY(check_grid("dcb head splits", 1, d.G * ssd::dcb_splits(d)));
  STX_TRY(run_state_stages(d, in, w.f, nullptr, true, st));  // split states: they reach dA (u_t, chunk term)
  const T* dy = (const T*)gr.dy;
  const unsigned threads = Tile<T>::Acc::kThreads;
  dstate_kernel<T><<<dim3(nc, (unsigned)(d.npt * d.nnt), H), threads, 0, st>>>(d, dy, in.C, w);
  STX_TRY(check_launch("ssd dstate_kernel"));
  state_passing_bwd_kernel<<<dim3((unsigned)d.S, (unsigned)pass_blocks(d), H), kPassThreads, 0, st>>>(
      d, gr.dfinal, gr.dinit, w);
  STX_TRY(check_launch("ssd state_passing_bwd_kernel"));
  dx_kernel<T><<<dim3(nc, (unsigned)(d.nqt * d.npt), H), threads, 0, st>>>(d, (T*)gr.dx, in.x, dy, in.B, in.C, in.D,
                                                                                 w);
  STX_TRY(check_launch("ssd dx_kernel"));
  const int64_t ns = dcb_splits(d);
  dcb_kernel<T><<<dim3(nc, ntri, (unsigned)(G * ns)), threads, 0, st>>>(d, in.x, dy, w);
  STX_TRY(check_launch("ssd dcb_kernel"));
  if (ns > 1) {
    const unsigned qblocks = (unsigned)((d.Q * d.Q + kPassThreads * kPassVec - 1) / (kPassThreads * kPassVec));
    dcb_reduce_kernel<<<dim3(nc, qblocks, G), kPassThreads, 0, st>>>(d, w);
    STX_TRY(check_launch("ssd dcb_reduce_kernel"));
  }
  dbc_kernel<T><<<dim3(nc, (unsigned)(d.nqt * d.nnt), G), threads, 0, st>>>(d, (T*)gr.dB, (T*)gr.dC, in.x, dy,
                                                                             in.B, in.C, w);
  STX_TRY(check_launch("ssd dbc_kernel"));
  ddt_kernel<TD><<<dim3(nc, H), (unsigned)d.Q, 0, st>>>(d, (TD*)gr.ddt, in.dt, in.dt_bias, in.A, w);
  STX_TRY(check_launch("ssd ddt_kernel"));
  param_reduce_kernel<<<H, kPassThreads, 0, st>>>(d, gr.dA, gr.dD, gr.ddt_bias, w);
  return check_launch("ssd param_reduce_kernel");
}

}  // namespace
}  // namespace ssd
}  // namespace statex

using namespace statex;

extern "C" {

STATEX_API statex_status statex_cuda_ssd_chunk_bwd_workspace_size(int64_t* bytes, int64_t batch, int64_t seqlen,
                                                                   int64_t heads, int64_t headdim, int64_t dstate,
                                                                   int64_t groups, int64_t nseq, int64_t chunk_size) {
  STX_TRY(check_ptr("ssd workspace size out", bytes));
  SsdShape s;
  STX_TRY(ssd_shape(&s, batch, seqlen, heads, headdim, dstate, groups, nseq, chunk_size));
  ssd::Carver c{nullptr};
  ssd::bwd_layout(c, ssd::make_dims(s));
  *bytes = c.used;
  return STATEX_OK;
}

STATEX_API statex_status statex_cuda_ssd_chunk_bwd(void* dx, void* ddt, float* dA, void* dB, void* dC, float* dD,
                                                   float* ddt_bias, float* dinitial_state, const void* dy,
                                                   const float* dfinal_state, const void* x, const void* dt,
                                                   const float* dt_bias, const float* A, const void* B, const void* C,
                                                   const float* D, const float* initial_state,
                                                   const int64_t* cu_seqlens, int64_t batch, int64_t seqlen,
                                                   int64_t heads, int64_t headdim, int64_t dstate, int64_t groups,
                                                   int64_t nseq, int dtype, int dt_dtype, int64_t chunk_size,
                                                   int dt_softplus, float dt_min, float dt_max, void* workspace,
                                                   int64_t workspace_bytes, void* stream) {
  STX_TRY(check_cuda_dtype("ssd_chunk_bwd", dtype));
  SsdShape s;
  STX_TRY(check_ssd_bwd(&s, dx, ddt, dA, dB, dC, dD, ddt_bias, dy, x, dt, dt_bias, A, B, C, D, cu_seqlens, false,
                        batch, seqlen, heads, headdim, dstate, groups, nseq, dtype, dt_dtype, chunk_size, dt_softplus,
                        dt_min, dt_max));
  ssd::Dims d = ssd::make_dims(s);
  ssd::Carver measure{nullptr};
  ssd::bwd_layout(measure, d);
  STX_TRY(check_workspace("ssd_chunk_bwd", workspace, workspace_bytes, measure.used));
  ssd::Carver carve{(char*)workspace};
  ssd::BwdWs w = ssd::bwd_layout(carve, d);
  ssd::Grads gr{dx, ddt, dB, dC, dA, dD, ddt_bias, dinitial_state, dy, dfinal_state};
  cudaStream_t st = as_stream(stream);
  if (dtype == STATEX_F32) {
    ssd::In<float, float> in{(const float*)x, (const float*)B, (const float*)C, (const float*)dt,
                             dt_bias, A, D, initial_state, cu_seqlens};
    return ssd::backward(d, gr, in, w, st);
  }
  if (dt_dtype == STATEX_F32) {
    ssd::In<uint16_t, float> in{(const uint16_t*)x, (const uint16_t*)B, (const uint16_t*)C, (const float*)dt,
                                dt_bias, A, D, initial_state, cu_seqlens};
    return ssd::backward(d, gr, in, w, st);
  }
  ssd::In<uint16_t, uint16_t> in{(const uint16_t*)x, (const uint16_t*)B, (const uint16_t*)C, (const uint16_t*)dt,
                                 dt_bias, A, D, initial_state, cu_seqlens};
  return ssd::backward(d, gr, in, w, st);
}

}  // extern "C"
