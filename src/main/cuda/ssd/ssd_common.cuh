// Shared pieces of the CUDA SSD pipeline (ssd_chunk_fwd.cu, ssd_chunk_bwd.cu): problem sizes on the device, the
// chunk table, the workspace layout, and the tiled matrix-product engines every stage is written with.
//
// Chunks never straddle a sequence start: chunk k covers tokens [tok0[k], tok0[k] + len[k]) of one sequence, and
// the chunks of sequence s are seq_first[s] .. seq_first[s+1]-1, in order. Slots past the real chunk count have
// len 0 and every stage skips them. Per-chunk fp32 buffers are indexed [chunk][head][...] ("[NC][H]...").
#pragma once
#include <stdint.h>

#include <type_traits>

#include "common/dtype.h"
#include "common/ssd_check.h"
#include "common/ssd_math.h"
#include "cuda_util.cuh"
#include "mma_bf16.cuh"
#include "warp_gemm.cuh"

namespace statex {
namespace ssd {

// Output tile of every matrix stage: 64 x 64 fp32, acc += A B over k. Two engines, chosen by the kernel's storage
// type T through Tile<T> (nothing else selects them):
//   fp32 inputs: FMA engine, 256 threads, each owning 4 x 4 outputs (rows ty + 16 i, columns tx + 16 j), fp32 FMA
//                over 16-deep shared slices, each slice's 16-term sums added into fp64 accumulators (see FmaAcc);
//   bf16 inputs: MMA engine, 128 threads (4 warps), warp w owning rows 16 w .. 16 w + 15 and all 64 columns in the
//                accumulator layout of mma.m16n8k16 (bf16 in, fp32 accumulate) over 64-deep shared slices; the
//                accumulators stay in that layout for the epilogue (no shared-memory re-shuffle). Operands scaled
//                in fp32 (decays, delta) or kept in fp32 (states, CB) are rounded to bf16 once, as they are staged,
//                or, where the decay gradient needs them finer, split into hi + lo bf16 parts (tile_mma_fine).
// Operands arrive through loaders in their natural (memory) layout, 8 consecutive elements at a time (Vec8):
//   AK: A is stored [m][k] (k contiguous) and la(m, k) returns A(m, k .. k+7);
//   otherwise A is stored [k][m] and la(k, m) returns A(k, m .. m+7); likewise BK: lb(n, k) returns B(k .. k+7, n),
//   otherwise lb(k, n) returns B(k, n .. n+7).
// k is absolute (0 <= k < kdim); m and n are tile-relative (0..63). A loader returns 0 for elements outside its
// tensor (rows past the chunk, columns past P or N, masked entries); the engines skip k rows >= kdim and zero k
// columns >= kdim themselves. The MMA engine stages each slice in the natural layout (16-byte shared stores) and
// transposes, where the layout asks for it, in the fragment load (ldmatrix .trans).
constexpr int kTile = 64;
constexpr int kMaxChunk = 256;  // the largest chunk length Q (statex/ssd.h)

struct Vec8 {
  float v[8] = {0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f};
};

__device__ __forceinline__ Vec8 scaled(Vec8 x, float s) {
#pragma unroll
  for (int i = 0; i < 8; ++i) x.v[i] *= s;
  return x;
}

// p[c .. c+7] of a row of `width` elements (0 past it): one 16-byte load (bf16) or two (fp32) where aligned.
__device__ __forceinline__ Vec8 load8(const uint16_t* row, int64_t c, int64_t width) {
  Vec8 r;
  const uint16_t* p = row + c;
  if (c + 8 <= width && ((uintptr_t)p & 15) == 0) {
    const uint4 u = *(const uint4*)p;
    const uint32_t w[4] = {u.x, u.y, u.z, u.w};
#pragma unroll
    for (int i = 0; i < 4; ++i) {
      r.v[2 * i] = bits_to_float(w[i] << 16);
      r.v[2 * i + 1] = bits_to_float(w[i] & 0xffff0000u);
    }
  } else {
#pragma unroll
    for (int i = 0; i < 8; ++i)
      if (c + i < width) r.v[i] = bf16_to_float(p[i]);
  }
  return r;
}

__device__ __forceinline__ Vec8 load8(const float* row, int64_t c, int64_t width) {
  Vec8 r;
  const float* p = row + c;
  if (c + 8 <= width && ((uintptr_t)p & 15) == 0) {
    const float4 a = *(const float4*)p, b = *(const float4*)(p + 4);
    r.v[0] = a.x, r.v[1] = a.y, r.v[2] = a.z, r.v[3] = a.w, r.v[4] = b.x, r.v[5] = b.y, r.v[6] = b.z, r.v[7] = b.w;
  } else {
#pragma unroll
    for (int i = 0; i < 8; ++i)
      if (c + i < width) r.v[i] = p[i];
  }
  return r;
}

// ---- FMA engine (fp32 inputs) ----
constexpr int kKStep = 16;
constexpr int kPad = 4;

struct FmaSmem {
  float a[kKStep][kTile + kPad];  // a[k][row]
  float b[kKStep][kTile + kPad];  // b[k][col]
};

// The fp32 engine's accumulators are fp64: a slice's 16 products are summed in fp32, then added to the fp64 sum
// (one conversion and one fp64 add per output and slice, against 16 fp32 FMAs). A K = 512 product summed in fp32
// alone carries a rounding error near sqrt(512) ulp of its partial sums; the decay gradient (dA, ddt_bias) adds
// such products over every token with heavy cancellation (its terms are up to ~100x the result), so that error,
// through C B^T and the state terms u_t and w_t, moved fp32 dA past 1e-5 on some inputs (B1 T512 H2 P64 N512).
// Epilogues read at() as fp64 and round once where they store.
struct FmaAcc {
  // kMinBlocks: resident blocks per SM the register budget is set for (at most 128 registers per thread);
  // kMinBlocksWide the same for the stages that keep more state live through their products (see MmaAcc)
  static constexpr int kThreads = 256, kMinBlocks = 2, kMinBlocksWide = 2, kRows = 4, kCols = 4;
  double a[kRows][kCols];
  __device__ double& at(int i, int j) { return a[i][j]; }
  __device__ static int row(int i) { return threadIdx.x / 16 + 16 * i; }
  __device__ static int col(int j) { return threadIdx.x % 16 + 16 * j; }
  // Sum over the 16 threads that share a row (half a warp), float or double; every thread must call it.
  template <typename V>
  __device__ static V row_sum(V v) {
#pragma unroll
    for (int o = 8; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
  }
  __device__ static bool row_leader() { return threadIdx.x % 16 == 0; }
};

// One operand's 16-deep slice into s[k][m] from natural-layout loads.
template <bool K, class L>
__device__ __forceinline__ void fma_stage(float (&s)[kKStep][kTile + kPad], int k0, int kdim, L ld) {
  const int e = threadIdx.x;
  if (e >= kKStep * kTile / 8) return;
  if (K) {  // 64 rows of m, two vectors of k each
    const int m = e / 2, kc = (e % 2) * 8;
    const Vec8 v = ld(m, k0 + kc);
#pragma unroll
    for (int i = 0; i < 8; ++i) s[kc + i][m] = k0 + kc + i < kdim ? v.v[i] : 0.f;
  } else {  // 16 rows of k, eight vectors of m each
    const int kk = e / 8, mc = (e % 8) * 8;
    const Vec8 v = k0 + kk < kdim ? ld(k0 + kk, mc) : Vec8{};
#pragma unroll
    for (int i = 0; i < 8; ++i) s[kk][mc + i] = v.v[i];
  }
}

// (Ahead is the MMA engine's option, see mma_product; the fp32 engine has no use for it.)
template <bool AK, bool BK, bool Ahead = true, class LA, class LB>
__device__ __forceinline__ void tile_mma(FmaAcc& acc, int kdim, FmaSmem& sm, LA la, LB lb) {
  const int tid = threadIdx.x, tx = tid % 16, ty = tid / 16;
  for (int k0 = 0; k0 < kdim; k0 += kKStep) {
    fma_stage<AK>(sm.a, k0, kdim, la);
    fma_stage<BK>(sm.b, k0, kdim, lb);
    __syncthreads();
    float part[4][4] = {};  // this slice's sums, fp32
#pragma unroll
    for (int kk = 0; kk < kKStep; ++kk) {
      float av[4], bv[4];
#pragma unroll
      for (int i = 0; i < 4; ++i) av[i] = sm.a[kk][ty + 16 * i];
#pragma unroll
      for (int j = 0; j < 4; ++j) bv[j] = sm.b[kk][tx + 16 * j];
#pragma unroll
      for (int i = 0; i < 4; ++i)
#pragma unroll
        for (int j = 0; j < 4; ++j) part[i][j] = fmaf(av[i], bv[j], part[i][j]);
    }
#pragma unroll
    for (int i = 0; i < 4; ++i)
#pragma unroll
      for (int j = 0; j < 4; ++j) acc.a[i][j] += part[i][j];
    __syncthreads();
  }
}

// ---- MMA engine (bf16 inputs) ----
constexpr int kMmaK = 64;          // slice depth (four k16 steps)
constexpr int kMmaLd = kMmaK + 8;  // row pitch in bf16: 144 bytes keeps rows 16-byte aligned and ldmatrix
                                   // rows on distinct banks

struct alignas(16) MmaSmem {  // 16-byte aligned: uint4 stores and ldmatrix rows
  uint16_t a[kTile][kMmaLd];    // natural layout: [m][k] (AK) or [k][m]
  uint16_t b[kTile][kMmaLd];    // [n][k] (BK) or [k][n]
};

struct MmaAcc {
  // 4 blocks (128 registers) for cb, chunk_state, dstate; 3 (168 registers) for chunk_scan, dx, dcb, dbc, whose
  // per-element masks and extra accumulators would otherwise spill once a slice's loads are batched
  static constexpr int kThreads = 128, kMinBlocks = 4, kMinBlocksWide = 3, kRows = 2, kCols = 16;
  float c[8][4];  // [n8 tile][mma accumulator register]
  // (i, j) -> rows g + 8 i, columns 8 (j / 2) + 2 q + j % 2 (g = lane / 4, q = lane % 4), the mma.m16n8k16 C layout
  __device__ float& at(int i, int j) { return c[j / 2][2 * i + j % 2]; }
  __device__ static int row(int i) { return (threadIdx.x / 32) * 16 + (threadIdx.x % 32) / 4 + 8 * i; }
  __device__ static int col(int j) { return 8 * (j / 2) + 2 * (threadIdx.x % 4) + j % 2; }
  // Sum over the 4 threads that share a row (a quad); every thread must call it.
  __device__ static float row_sum(float v) {
    v += __shfl_xor_sync(0xffffffffu, v, 1);
    v += __shfl_xor_sync(0xffffffffu, v, 2);
    return v;
  }
  __device__ static bool row_leader() { return threadIdx.x % 4 == 0; }
};

__device__ __forceinline__ uint4 pack_bf16x8(const Vec8& v) {
  return uint4{pack_bf16(v.v[0], v.v[1]), pack_bf16(v.v[2], v.v[3]), pack_bf16(v.v[4], v.v[5]),
               pack_bf16(v.v[6], v.v[7])};
}

// Vector e (0 .. 511) of one operand's 64-deep slice in its natural layout: row e / 8, columns 8 (e % 8) ...
constexpr int kMmaVecs = kTile * kMmaK / 8 / MmaAcc::kThreads;  // vectors per operand and thread (4)

template <bool K, class L>
__device__ __forceinline__ Vec8 mma_fetch(int e, int k0, int kdim, L ld) {
  const int r = e / 8, c = (e % 8) * 8;
  Vec8 v;
  if (K) {  // row m, columns k0 + c ..
    v = ld(r, k0 + c);
#pragma unroll
    for (int i = 0; i < 8; ++i)
      if (k0 + c + i >= kdim) v.v[i] = 0.f;
  } else if (k0 + r < kdim) {  // row k0 + r, columns c ..
    v = ld(k0 + r, c);
  }
  return v;
}

// One operand's 64-deep slice held in registers between its fetch and its store to shared memory, packed bf16 (4
// registers per vector); a split operand (Split = true) also holds its low parts, lo = bf16(v - hi).
template <bool Split>
struct MmaSlice {
  uint4 hi[kMmaVecs];
};
template <>
struct MmaSlice<true> {
  uint4 hi[kMmaVecs], lo[kMmaVecs];
};

// Fetches one operand's slice (k0 .. k0 + 63) into registers. The vectors' loads are all issued before the first
// conversion (a constant trip count, unrolled), so the slice waits for one memory latency, not four.
template <bool K, bool Split, class L>
__device__ __forceinline__ void mma_fetch_slice(MmaSlice<Split>& r, int k0, int kdim, L ld) {
  Vec8 v[kMmaVecs];
#pragma unroll
  for (int i = 0; i < kMmaVecs; ++i) v[i] = mma_fetch<K>(threadIdx.x + i * MmaAcc::kThreads, k0, kdim, ld);
#pragma unroll
  for (int i = 0; i < kMmaVecs; ++i) {
    r.hi[i] = pack_bf16x8(v[i]);
    if constexpr (Split) {
      const uint32_t w[4] = {r.hi[i].x, r.hi[i].y, r.hi[i].z, r.hi[i].w};
#pragma unroll
      for (int j = 0; j < 4; ++j) {  // v - hi is exact in fp32
        v[i].v[2 * j] -= bits_to_float(w[j] << 16);
        v[i].v[2 * j + 1] -= bits_to_float(w[j] & 0xffff0000u);
      }
      r.lo[i] = pack_bf16x8(v[i]);
    }
  }
}

// Stores a fetched slice in its natural layout (16-byte shared stores); lo receives the low parts of a split one.
template <bool Split>
__device__ __forceinline__ void mma_store_slice(uint16_t (&s)[kTile][kMmaLd], uint16_t (*lo)[kMmaLd],
                                                const MmaSlice<Split>& r) {
#pragma unroll
  for (int i = 0; i < kMmaVecs; ++i) {
    const int e = threadIdx.x + i * MmaAcc::kThreads;
    *(uint4*)&s[e / 8][(e % 8) * 8] = r.hi[i];
    if constexpr (Split) *(uint4*)&lo[e / 8][(e % 8) * 8] = r.lo[i];
  }
}

// The split form of a product (tile_mma_fine): one operand, an fp32 intermediate, enters as hi = bf16(v) and
// lo = bf16(v - hi), staged together from one load, and each of its fragments meets the other operand's fragment
// twice (two MMAs into one accumulator), so that operand keeps about 16 significant bits instead of 8. The other
// operand is an input (exact in bf16) and is staged once. (A first form ran two whole products, hi and lo, so it
// loaded, converted and staged both operands twice; this one adds only the MMAs, the lo fragment loads and the lo
// stores, for 9 KB more shared memory.)
enum class Fine { kNone, kA, kB };

struct alignas(16) MmaSmemFine : MmaSmem {
  uint16_t lo[kTile][kMmaLd];  // the split operand's low parts, in its layout
};

// The MMA engine; with F != kNone the operand F is split (lo holds its low parts). Software-pipelined by one
// slice: the next slice's loads are issued before the current slice's MMAs and stored after them, so that their
// memory latency passes under the tensor-core work instead of before it (one staging buffer, two barriers per
// slice as before; the fetched slice costs 32 registers, 48 with a split operand). With Ahead = false a slice is
// fetched and stored before its own MMAs (no registers held across them), for kernels that would otherwise spill.
// Every slice runs its four k16 steps: the staging zero-fills k >= kdim, so a short last slice adds zero products.
template <Fine F, bool AK, bool BK, bool Ahead, class LA, class LB>
__device__ __forceinline__ void mma_product(MmaAcc& acc, int kdim, MmaSmem& sm, uint16_t (*lo)[kMmaLd], LA la,
                                            LB lb) {
  const int wr = (threadIdx.x / 32) * 16;
  // A fragment (rows wr .. wr + 15, k kb .. kb + 15) and B fragments (columns 16 nb .. 16 nb + 15: two n8
  // tiles) from a staged slice in its natural layout, by ldmatrix (warp_gemm.cuh: [m][k] is a RowView,
  // [k][m] a ColView)
  auto frag_a = [&](uint32_t(&a)[4], uint16_t(*s)[kMmaLd], int kb) {
    if (AK)
      fragment_a(a, RowView<uint16_t>{&s[0][0], kMmaLd}, wr, kb);
    else
      fragment_a(a, ColView<uint16_t>{&s[0][0], kMmaLd}, wr, kb);
  };
  auto frag_b = [&](uint32_t(&b)[4], uint16_t(*s)[kMmaLd], int kb, int nb) {
    if (BK)
      fragment_b(b, RowView<uint16_t>{&s[0][0], kMmaLd}, 16 * nb, kb, true);
    else
      fragment_b(b, ColView<uint16_t>{&s[0][0], kMmaLd}, 16 * nb, kb, true);
  };
  MmaSlice<F == Fine::kA> slice_a;
  MmaSlice<F == Fine::kB> slice_b;
  if (Ahead) {
    mma_fetch_slice<AK>(slice_a, 0, kdim, la);
    mma_fetch_slice<BK>(slice_b, 0, kdim, lb);
  }
  for (int k0 = 0; k0 < kdim; k0 += kMmaK) {
    if (!Ahead) {
      mma_fetch_slice<AK>(slice_a, k0, kdim, la);
      mma_fetch_slice<BK>(slice_b, k0, kdim, lb);
    }
    mma_store_slice(sm.a, lo, slice_a);
    mma_store_slice(sm.b, lo, slice_b);
    __syncthreads();
    if (Ahead && k0 + kMmaK < kdim) {
      mma_fetch_slice<AK>(slice_a, k0 + kMmaK, kdim, la);
      mma_fetch_slice<BK>(slice_b, k0 + kMmaK, kdim, lb);
    }
#pragma unroll
    for (int ks = 0; ks < kMmaK / 16; ++ks) {
      const int kb = 16 * ks;
      uint32_t a[4], alo[4];
      frag_a(a, sm.a, kb);
      if (F == Fine::kA) frag_a(alo, lo, kb);
#pragma unroll
      for (int nb = 0; nb < 4; ++nb) {
        uint32_t b[4];
        frag_b(b, sm.b, kb, nb);
        mma_bf16_16x8x16(acc.c[2 * nb], a, {b[0], b[1]});
        mma_bf16_16x8x16(acc.c[2 * nb + 1], a, {b[2], b[3]});
        if (F == Fine::kA) {
          mma_bf16_16x8x16(acc.c[2 * nb], alo, {b[0], b[1]});
          mma_bf16_16x8x16(acc.c[2 * nb + 1], alo, {b[2], b[3]});
        }
        if (F == Fine::kB) {
          uint32_t blo[4];
          frag_b(blo, lo, kb, nb);
          mma_bf16_16x8x16(acc.c[2 * nb], a, {blo[0], blo[1]});
          mma_bf16_16x8x16(acc.c[2 * nb + 1], a, {blo[2], blo[3]});
        }
      }
    }
    __syncthreads();
  }
}

template <bool AK, bool BK, bool Ahead = true, class LA, class LB>
__device__ __forceinline__ void tile_mma(MmaAcc& acc, int kdim, MmaSmem& sm, LA la, LB lb) {
  mma_product<Fine::kNone, AK, BK, Ahead>(acc, kdim, sm, nullptr, la, lb);
}

// A product with operand F split into hi + lo bf16 parts on the MMA engine (see Fine): for the fp32
// intermediates (scaled CB, scaled B or C, states) whose bf16 rounding would reach the decay gradient. dA,
// d dt_bias and the d delta under them are long sums of such products' terms with heavy cancellation, so one
// bf16 rounding per operand element moved them by up to 3% (docs/kernels/ssd_chunk.md, numerics). The fp32 engine
// takes both operands as they are. F = kNone is the plain product (any staging).
template <Fine F, bool AK, bool BK, bool Ahead = true, class S, class LA, class LB>
__device__ __forceinline__ void tile_mma_fine(MmaAcc& acc, int kdim, S& sm, LA la, LB lb) {
  if constexpr (F == Fine::kNone)
    tile_mma<AK, BK, Ahead>(acc, kdim, sm, la, lb);
  else
    mma_product<F, AK, BK, Ahead>(acc, kdim, sm, sm.lo, la, lb);
}
template <Fine F, bool AK, bool BK, bool Ahead = true, class LA, class LB>
__device__ __forceinline__ void tile_mma_fine(FmaAcc& acc, int kdim, FmaSmem& sm, LA la, LB lb) {
  tile_mma<AK, BK>(acc, kdim, sm, la, lb);
}

// The engine of storage type T: its shared staging, accumulator tile and block size.
template <typename T>
struct Tile {
  using Smem = FmaSmem;
  using SmemFine = FmaSmem;  // for kernels with a split product (tile_mma_fine)
  using Acc = FmaAcc;
};
template <>
struct Tile<uint16_t> {
  using Smem = MmaSmem;
  using SmemFine = MmaSmemFine;
  using Acc = MmaAcc;
};

template <class Acc>
__device__ __forceinline__ void zero(Acc& acc) {
#pragma unroll
  for (int i = 0; i < Acc::kRows; ++i)
#pragma unroll
    for (int j = 0; j < Acc::kCols; ++j) acc.at(i, j) = 0.f;
}

// Sum over the warp (float or double), valid in every lane.
template <typename V>
__device__ __forceinline__ V warp_sum(V v) {
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}

// Scan over the block (blockDim.x threads, a multiple of 32, at most 1024): inclusive prefix sums, or with
// reverse = true inclusive suffix sums (thread i gets the sum over threads >= i; added in that order, never as a
// total minus a prefix, which would cancel). Every thread must call it; red holds blockDim.x / 32 values.
template <typename V>
__device__ __forceinline__ V block_scan(V v, V* red, bool reverse) {
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32, nw = blockDim.x / 32;
#pragma unroll
  for (int o = 1; o < 32; o <<= 1) {
    V u = reverse ? __shfl_down_sync(0xffffffffu, v, o) : __shfl_up_sync(0xffffffffu, v, o);
    if (reverse ? lane + o < 32 : lane >= o) v += u;
  }
  __syncthreads();  // red may still be read by a previous call
  if (lane == (reverse ? 0 : 31)) red[warp] = v;
  __syncthreads();
  V off = 0;
  for (int w = reverse ? nw - 1 : 0; reverse ? w > warp : w < warp; w += reverse ? -1 : 1) off += red[w];
  return v + off;
}

// Sum over the block (blockDim.x threads as above), valid in every thread; a fixed order, so deterministic.
template <typename V>
__device__ __forceinline__ V block_total(V v, V* red) {
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  __syncthreads();
  if (threadIdx.x % 32 == 0) red[threadIdx.x / 32] = v;
  __syncthreads();
  V s = 0;
  for (int w = 0; w < (int)blockDim.x / 32; ++w) s += red[w];
  return s;
}

// Problem sizes and options as the kernels see them.
struct Dims {
  int64_t H, P, N, G, hpg, Q, NC, S, seqlen, tokens;
  int nqt, npt, nnt;  // 64-tiles over Q, P, N
  int softplus;
  float lo, hi;
};

inline Dims make_dims(const SsdShape& s) {
  Dims d;
  d.H = s.heads;
  d.P = s.headdim;
  d.N = s.dstate;
  d.G = s.groups;
  d.hpg = s.heads / s.groups;
  d.Q = s.chunk;
  d.NC = s.max_chunks;
  d.S = s.nseqs;
  d.seqlen = s.seqlen;
  d.tokens = s.tokens;
  d.nqt = (int)(s.chunk / kTile);
  d.npt = (int)((s.headdim + kTile - 1) / kTile);
  d.nnt = (int)((s.dstate + kTile - 1) / kTile);
  d.softplus = s.dt_softplus;
  d.lo = s.dt_min;
  d.hi = s.dt_max;
  return d;
}

// The element-wise state-passing kernels: 256 threads, 4 consecutive state elements each (one 16-byte access when
// P N is a multiple of 4); the backward leaves one partial sum of the chunk decay gradient per warp.
constexpr int kPassThreads = 256;
constexpr int kPassVec = 4;
__host__ __device__ inline int64_t pass_blocks(const Dims& d) {
  return (d.P * d.N + kPassThreads * kPassVec - 1) / (kPassThreads * kPassVec);
}
__host__ __device__ inline int64_t pass_parts(const Dims& d) { return pass_blocks(d) * (kPassThreads / 32); }

// Four consecutive fp32 values of a state: one 16-byte access where the address allows, else element-wise, masked
// to the n valid elements.
struct Vec4 {
  float v[4] = {0.f, 0.f, 0.f, 0.f};
};
constexpr int kPassDepth = 4;  // chunks read ahead by the state-passing loops

__device__ __forceinline__ Vec4 load4(const float* p, int64_t n) {
  Vec4 r;
  if (n >= 4 && ((uintptr_t)p & 15) == 0) {
    float4 f = *(const float4*)p;
    r.v[0] = f.x, r.v[1] = f.y, r.v[2] = f.z, r.v[3] = f.w;
  } else {
#pragma unroll
    for (int i = 0; i < 4; ++i)
      if (i < n) r.v[i] = p[i];
  }
  return r;
}

__device__ __forceinline__ void store4(float* p, int64_t n, const Vec4& r) {
  if (n >= 4 && ((uintptr_t)p & 15) == 0) {
    *(float4*)p = make_float4(r.v[0], r.v[1], r.v[2], r.v[3]);
  } else {
#pragma unroll
    for (int i = 0; i < 4; ++i)
      if (i < n) p[i] = r.v[i];
  }
}

// a x + y
__device__ __forceinline__ Vec4 axpy4(float a, const Vec4& x, const Vec4& y) {
  Vec4 r;
#pragma unroll
  for (int i = 0; i < 4; ++i) r.v[i] = fmaf(a, x.v[i], y.v[i]);
  return r;
}

// The dCB stage splits each group's heads over this many blocks per tile (so that about 4096 blocks run), each
// leaving a partial sum that a reduction adds in a fixed order. Depends on the sizes only (the workspace too).
__host__ __device__ inline int64_t dcb_splits(const Dims& d) {
  const int64_t tiles = d.NC * (d.nqt * (d.nqt + 1) / 2) * d.G, want = (4096 + tiles - 1) / tiles;
  return want < 1 ? 1 : want > d.hpg ? d.hpg : want;
}

// Carves the caller's workspace into 256-byte aligned regions; with a null base it only measures.
struct Carver {
  char* base;
  int64_t used = 0;
  template <typename E>
  E* take(int64_t n) {
    E* p = base ? (E*)(base + used) : nullptr;
    used += (n * (int64_t)sizeof(E) + 255) / 256 * 256;
    return p;
  }
};

// What the forward stages need (the backward recomputes the same).
struct FwdWs {
  int64_t *tok0, *len, *seq_first;  // chunk table [NC], [NC], [S+1]
  float* dtv;                       // [NC][H][Q] delta (0 past the chunk end)
  double* acs;                      // [NC][H][Q] chunk-local cumulative delta*A*log2(e), fp64 (constant past end)
  float* chunk_decay;               // [NC][H] exp2(alpha_L): the whole chunk's decay, for state passing
  float* cb;                        // [NC][G][Q][Q] C B^T, lower 64-tiles only
  float* states;                    // [NC][H][P][N] chunk states, then (after state passing) the state entering
};

struct BwdWs {
  FwdWs f;
  float* dstates;      // [NC][H][P][N] sum_t exp(alpha_t) dy_t C_t^T, then d(state at chunk end)
  float* dcb;          // [NC][G][Q][Q] d(C B^T), lower 64-tiles only
  float* dcb_part;     // [dcb_splits][NC][G][Q][Q] per head-split partial sums of dCB (dcb itself with one split)
  float* dchunk_part;  // [NC][H][pass_parts] exp(alpha_L) <sigma, lambda> partial sums (one per warp)
  float* ddelta_part;  // [npt][NC][H][Q] <r_t, x_t> partial sums over P tiles
  double* dD_part;     // [NC][H][nqt][npt] (the per-head sums are fp64 from here on: they cancel)
  float* w_part;       // [npt][NC][H][Q] <dB_t (state part, head h), B_t> partial sums over P tiles
  float* u_part;       // [npt][NC][H][Q] <dC_t (state part, head h), C_t>
  float* rowsum;       // [NC][H][nqt (j tile)][Q (i)] sum_{j in tile} M_ij
  float* wlocal;       // [NC][H][nqt (i tile)][Q (s)] sum_{i in tile, i >= s} sum_{j in tile(s), j < s} M_ij
  double* dA_part;     // [NC][H]
  double* dbias_part;  // [NC][H]
};

inline FwdWs fwd_layout(Carver& c, const Dims& d) {
  FwdWs w;
  w.tok0 = c.take<int64_t>(d.NC);
  w.len = c.take<int64_t>(d.NC);
  w.seq_first = c.take<int64_t>(d.S + 1);
  w.dtv = c.take<float>(d.NC * d.H * d.Q);
  w.acs = c.take<double>(d.NC * d.H * d.Q);
  w.chunk_decay = c.take<float>(d.NC * d.H);
  w.cb = c.take<float>(d.NC * d.G * d.Q * d.Q);
  w.states = c.take<float>(d.NC * d.H * d.P * d.N);
  return w;
}

inline BwdWs bwd_layout(Carver& c, const Dims& d) {
  BwdWs w;
  w.f = fwd_layout(c, d);
  int64_t nch = d.NC * d.H;
  w.dstates = c.take<float>(nch * d.P * d.N);
  w.dcb = c.take<float>(d.NC * d.G * d.Q * d.Q);
  const int64_t ns = dcb_splits(d);
  w.dcb_part = ns > 1 ? c.take<float>(ns * d.NC * d.G * d.Q * d.Q) : w.dcb;
  w.dchunk_part = c.take<float>(nch * pass_parts(d));
  w.ddelta_part = c.take<float>(d.npt * nch * d.Q);
  w.dD_part = c.take<double>(nch * d.nqt * d.npt);
  w.w_part = c.take<float>(d.npt * nch * d.Q);
  w.u_part = c.take<float>(d.npt * nch * d.Q);
  w.rowsum = c.take<float>(nch * d.nqt * d.Q);
  w.wlocal = c.take<float>(nch * d.nqt * d.Q);
  w.dA_part = c.take<double>(nch);
  w.dbias_part = c.take<double>(nch);
  return w;
}

// Read-only inputs of one call.
template <typename T, typename TD>
struct In {
  const T *x, *B, *C;
  const TD* dt;
  const float *dt_bias, *A, *D, *init;
  const int64_t* cu;
};

// UNSUPPORTED when a grid's y or z extent passes the hardware limit.
statex_status check_grid(const char* what, int64_t y, int64_t z);

// The forward stages up to and including state passing (the backward's recompute). fine_states: on the bf16 path
// the chunk states' scaled B operand is split (tile_mma_fine), for the backward, whose decay gradient reads the
// states (u_t, the chunk term); the forward's y and final state take the plain product.
template <typename T, typename TD>
statex_status run_state_stages(const Dims& d, const In<T, TD>& in, const FwdWs& w, float* final_state,
                               bool fine_states, cudaStream_t st);

}  // namespace ssd
}  // namespace statex
