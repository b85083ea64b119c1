// Shared pieces of the CUDA SSD pipeline (ssd_chunk_fwd.cu, ssd_chunk_bwd.cu): problem sizes on the device, the
// chunk table, the workspace layout, and the one tiled matrix-product helper every stage is written with.
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

namespace statex {
namespace ssd {

// Output tile of every matrix stage: 64 x 64, 256 threads, each thread owning 4 x 4 outputs (rows ty + 16 i,
// columns tx + 16 j: strided so that a warp reads consecutive shared-memory words). Two paths compute the tile
// product acc += A B, chosen by the kernel's storage type through the type of its shared staging:
//   fp32 inputs: FmaSmem, fp32 FMA over 16-deep shared slices (exact fp32, as the fp32 tolerance needs);
//   bf16 inputs: MmaSmem, tensor cores (mma.sync m16n8k16 bf16 -> fp32) over 32-deep bf16 slices; operands that
//   were scaled in fp32 (decays, delta) or kept in fp32 (states) are rounded to bf16 once, as they enter the MMA.
constexpr int kTile = 64;
constexpr int kKStep = 16;
constexpr int kThreads = 256;
constexpr int kPad = 4;
constexpr int kMmaK = 32;     // bf16 slice depth of the MMA path (two k16 steps)
constexpr int kMmaPad = 8;    // keeps 32-bit fragment loads aligned and spreads rows over banks

struct FmaSmem {
  float a[kKStep][kTile + kPad];  // a[k][row]
  float b[kKStep][kTile + kPad];  // b[k][col]
};

struct MmaSmem {
  uint16_t a[kTile][kMmaK + kMmaPad];  // a[row][k], bf16
  uint16_t b[kTile][kMmaK + kMmaPad];  // b[col][k], bf16
  float out[kTile][kTile + 1];         // the warps' fp32 fragments, re-read in the 4 x 4 thread layout
};

template <typename T>
using TileSmem = typename std::conditional<std::is_same<T, uint16_t>::value, MmaSmem, FmaSmem>::type;

// acc[i][j] += sum_{k < kdim} A(row, k) * B(k, col) for this thread's rows/columns of the tile (fp32 FMA path).
// la(row, k) and lb(k, col) return the operand (0 outside the problem: loaders must mask before reading).
// AK / BK: the operand is contiguous along k in memory (the staging loop then walks k fastest to coalesce).
template <bool AK, bool BK, class LA, class LB>
__device__ __forceinline__ void tile_mma(float (&acc)[4][4], int kdim, FmaSmem& sm, LA la, LB lb) {
  const int tid = threadIdx.x, tx = tid % 16, ty = tid / 16;
  for (int k0 = 0; k0 < kdim; k0 += kKStep) {
    for (int e = tid; e < kKStep * kTile; e += kThreads) {
      int kk = AK ? e % kKStep : e / kTile, m = AK ? e / kKStep : e % kTile;
      sm.a[kk][m] = k0 + kk < kdim ? la(m, k0 + kk) : 0.f;
      kk = BK ? e % kKStep : e / kTile;
      m = BK ? e / kKStep : e % kTile;
      sm.b[kk][m] = k0 + kk < kdim ? lb(k0 + kk, m) : 0.f;
    }
    __syncthreads();
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
        for (int j = 0; j < 4; ++j) acc[i][j] = fmaf(av[i], bv[j], acc[i][j]);
    }
    __syncthreads();
  }
}

// D = A B + D for one warp: A 16 x 16 (row-major fragments), B 16 x 8 (column fragments), bf16 in, fp32 out.
__device__ __forceinline__ void mma_bf16_16816(float (&c)[4], const uint32_t (&a)[4], const uint32_t (&b)[2]) {
#if defined(__CUDA_ARCH__)
  asm volatile(
      "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "
      "{%0, %1, %2, %3};\n"
      : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
      : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
#elif defined(STATEX_MMA_EMULATION)
  statex_emulated_mma_bf16_16816(c, a, b);
#endif
}

// The same contract as the FMA path, on tensor cores. Warp w owns rows 16 (w % 4) .. +16 and columns
// 32 (w / 4) .. +32 of the tile (four m16n8 accumulators, 16 fp32 registers); fragments follow the PTX layout of
// mma.m16n8k16 (g = lane / 4, q = lane % 4: A rows g and g + 8, k pairs 2q and 2q + 8; B column g, k pairs 2q
// and 2q + 8; C rows g and g + 8, columns 2q, 2q + 1). The fp32 result goes through shared memory into the
// thread's 4 x 4 layout, so every epilogue is shared by both paths.
template <bool AK, bool BK, class LA, class LB>
__device__ __forceinline__ void tile_mma(float (&acc)[4][4], int kdim, MmaSmem& sm, LA la, LB lb) {
  const int tid = threadIdx.x, lane = tid % 32, warp = tid / 32;
  const int wr = (warp % 4) * 16, wc = (warp / 4) * 32, g = lane / 4, q = lane % 4;
  float c[4][4];
#pragma unroll
  for (int n8 = 0; n8 < 4; ++n8)
#pragma unroll
    for (int r = 0; r < 4; ++r) c[n8][r] = 0.f;
  for (int k0 = 0; k0 < kdim; k0 += kMmaK) {
    for (int e = tid; e < kMmaK * kTile; e += kThreads) {
      int kk = AK ? e % kMmaK : e / kTile, m = AK ? e / kMmaK : e % kTile;
      sm.a[m][kk] = float_to_bf16(k0 + kk < kdim ? la(m, k0 + kk) : 0.f);
      kk = BK ? e % kMmaK : e / kTile;
      m = BK ? e / kMmaK : e % kTile;
      sm.b[m][kk] = float_to_bf16(k0 + kk < kdim ? lb(k0 + kk, m) : 0.f);
    }
    __syncthreads();
#pragma unroll
    for (int ks = 0; ks < kMmaK; ks += 16) {
      uint32_t a[4];
      a[0] = *(const uint32_t*)&sm.a[wr + g][ks + 2 * q];
      a[1] = *(const uint32_t*)&sm.a[wr + g + 8][ks + 2 * q];
      a[2] = *(const uint32_t*)&sm.a[wr + g][ks + 2 * q + 8];
      a[3] = *(const uint32_t*)&sm.a[wr + g + 8][ks + 2 * q + 8];
#pragma unroll
      for (int n8 = 0; n8 < 4; ++n8) {
        uint32_t b[2];
        b[0] = *(const uint32_t*)&sm.b[wc + 8 * n8 + g][ks + 2 * q];
        b[1] = *(const uint32_t*)&sm.b[wc + 8 * n8 + g][ks + 2 * q + 8];
        mma_bf16_16816(c[n8], a, b);
      }
    }
    __syncthreads();
  }
#pragma unroll
  for (int n8 = 0; n8 < 4; ++n8) {
    sm.out[wr + g][wc + 8 * n8 + 2 * q] = c[n8][0];
    sm.out[wr + g][wc + 8 * n8 + 2 * q + 1] = c[n8][1];
    sm.out[wr + g + 8][wc + 8 * n8 + 2 * q] = c[n8][2];
    sm.out[wr + g + 8][wc + 8 * n8 + 2 * q + 1] = c[n8][3];
  }
  __syncthreads();
  const int tx = tid % 16, ty = tid / 16;
#pragma unroll
  for (int i = 0; i < 4; ++i)
#pragma unroll
    for (int j = 0; j < 4; ++j) acc[i][j] += sm.out[ty + 16 * i][tx + 16 * j];
  __syncthreads();
}

__device__ __forceinline__ int tile_row(int i) { return threadIdx.x / 16 + 16 * i; }
__device__ __forceinline__ int tile_col(int j) { return threadIdx.x % 16 + 16 * j; }

__device__ __forceinline__ void zero(float (&acc)[4][4]) {
#pragma unroll
  for (int i = 0; i < 4; ++i)
#pragma unroll
    for (int j = 0; j < 4; ++j) acc[i][j] = 0.f;
}

// Sum over the 16 threads that share a tile row (one half warp).
__device__ __forceinline__ float row_sum16(float v) {
#pragma unroll
  for (int o = 8; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}

// Sum over the warp, valid in every lane.
__device__ __forceinline__ float warp_sum(float v) {
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
  float* dchunk_part;  // [NC][H][pass_parts] exp(alpha_L) <sigma, lambda> partial sums (one per warp)
  float* ddelta_part;  // [npt][NC][H][Q] <r_t, x_t> partial sums over P tiles
  float* dD_part;      // [NC][H][nqt][npt]
  float* w_part;       // [nnt][NC][H][Q] <dB_t (state part), B_t> partial sums over N tiles
  float* u_part;       // [nnt][NC][H][Q] <dC_t (state part), C_t>
  float* rowsum;       // [NC][H][nqt (j tile)][Q (i)] sum_{j in tile} M_ij
  float* wlocal;       // [NC][H][nqt (i tile)][Q (s)] sum_{i in tile, i >= s} sum_{j in tile(s), j < s} M_ij
  float* dA_part;      // [NC][H]
  float* dbias_part;   // [NC][H]
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
  w.dchunk_part = c.take<float>(nch * pass_parts(d));
  w.ddelta_part = c.take<float>(d.npt * nch * d.Q);
  w.dD_part = c.take<float>(nch * d.nqt * d.npt);
  w.w_part = c.take<float>(d.nnt * nch * d.Q);
  w.u_part = c.take<float>(d.nnt * nch * d.Q);
  w.rowsum = c.take<float>(nch * d.nqt * d.Q);
  w.wlocal = c.take<float>(nch * d.nqt * d.Q);
  w.dA_part = c.take<float>(nch);
  w.dbias_part = c.take<float>(nch);
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

// The forward stages up to and including state passing (the backward's recompute), and the output stage.
template <typename T, typename TD>
statex_status run_state_stages(const Dims& d, const In<T, TD>& in, const FwdWs& w, float* final_state,
                               cudaStream_t st);

}  // namespace ssd
}  // namespace statex
