/*
 * Warp-level tile products over shared memory, for the chunked scan kernels.
 *
 *   acc(m, n) += sum_{kd in [k0, k1)} A(m, kd) * B(n, kd)       m < 16 MI, n < 8 NI
 *
 * One warp owns a (16 MI) x (8 NI) fp32 accumulator in the register layout of mma.sync m16n8
 * (lane = 4 g + q owns rows g and g + 8 and columns 2q, 2q + 1 of every 16x8 block). Operands are
 * views that return A(m, kd) and B(n, kd) as float: plain shared-memory tiles in either orientation,
 * or tiles scaled on the fly (gated keys and queries). Two ways to multiply, chosen at compile time:
 *   - kTensorCores: operand pairs rounded to bf16, mma.sync m16n8k16 with fp32 accumulation; k0 and
 *     k1 must be multiples of 16, NI even. Each operand element is read once per warp product; plain
 *     bf16 tiles (RowView, ColView of uint16_t) by ldmatrix, one instruction per fragment.
 *   - otherwise fp32 multiply-adds on CUDA cores with the same accumulator layout, so that callers
 *     write one epilogue (WarpAcc::for_each) for both.
 */
#pragma once
#include <stdint.h>

#include "common/bf16.h"
#include "mma_bf16.cuh"

namespace statex {

__device__ __forceinline__ float to_float(float x) { return x; }
__device__ __forceinline__ float to_float(uint16_t x) { return bf16_to_float(x); }
template <typename T>
__device__ __forceinline__ T from_float(float x);
template <>
__device__ __forceinline__ float from_float<float>(float x) { return x; }
template <>
__device__ __forceinline__ uint16_t from_float<uint16_t>(float x) { return float_to_bf16(x); }

__device__ __forceinline__ int lane_id() { return threadIdx.x & 31; }

// Element (r, c) at p[r * ld + c].
template <typename T>
struct RowView {
  const T* p;
  int ld;
  __device__ float at(int r, int c) const { return to_float(p[r * ld + c]); }
};

// Element (r, c) at p[c * ld + r]: a row-major tile read transposed.
template <typename T>
struct ColView {
  const T* p;
  int ld;
  __device__ float at(int r, int c) const { return to_float(p[c * ld + r]); }
};

// Operand pair (r, c), (r, c + 1) as packed bf16: generic, and a single 32-bit load where the pair
// is already adjacent bf16 in shared memory (c is even and ld is even for every tile that uses it).
template <typename View>
__device__ __forceinline__ uint32_t operand_pair(const View& v, int r, int c) {
  return pack_bf16(v.at(r, c), v.at(r, c + 1));
}
__device__ __forceinline__ uint32_t operand_pair(const RowView<uint16_t>& v, int r, int c) {
  return *reinterpret_cast<const uint32_t*>(v.p + r * v.ld + c);
}
// A bf16 tile read transposed: the two bf16 words as stored, without a round trip through float.
__device__ __forceinline__ uint32_t operand_pair(const ColView<uint16_t>& v, int r, int c) {
  return (uint32_t)v.p[c * v.ld + r] | ((uint32_t)v.p[(c + 1) * v.ld + r] << 16);
}

// The A fragment of rows m0 .. m0 + 15, k kd .. kd + 15 (a[0..3] as mma_bf16_16x8x16 takes it), and
// the B fragments of two n8 blocks, columns n0 .. n0 + 15 (b[0..1] the first block, b[2..3] the
// second; the second only when `both`). Generic views go pair by pair through operand_pair; plain
// bf16 tiles in shared memory, either orientation, take one ldmatrix per fragment (rows 16-byte
// aligned: every bf16 tile has a leading dimension that is a multiple of 8 and an aligned base).
template <typename View>
__device__ __forceinline__ void fragment_a(uint32_t (&f)[4], const View& a, int m0, int kd) {
  const int g = lane_id() >> 2, q = lane_id() & 3;
  f[0] = operand_pair(a, m0 + g, kd + 2 * q);
  f[1] = operand_pair(a, m0 + g + 8, kd + 2 * q);
  f[2] = operand_pair(a, m0 + g, kd + 2 * q + 8);
  f[3] = operand_pair(a, m0 + g + 8, kd + 2 * q + 8);
}
// matrices (rows +0/+8) x (k +0/+8) in a[0..3] order: lanes 0-15 address rows, lanes 16-31 the k half
__device__ __forceinline__ void fragment_a(uint32_t (&f)[4], const RowView<uint16_t>& a, int m0, int kd) {
  const int l = lane_id();
  ldsm_x4<false>(f, a.p + (m0 + l % 16) * a.ld + kd + (l / 16) * 8);
}
__device__ __forceinline__ void fragment_a(uint32_t (&f)[4], const ColView<uint16_t>& a, int m0, int kd) {
  const int l = lane_id();
  ldsm_x4<true>(f, a.p + (kd + l % 8 + (l / 16) * 8) * a.ld + m0 + ((l / 8) % 2) * 8);
}
template <typename View>
__device__ __forceinline__ void fragment_b(uint32_t (&f)[4], const View& b, int n0, int kd, bool both) {
  const int g = lane_id() >> 2, q = lane_id() & 3;
  f[0] = operand_pair(b, n0 + g, kd + 2 * q);
  f[1] = operand_pair(b, n0 + g, kd + 2 * q + 8);
  if (both) {
    f[2] = operand_pair(b, n0 + 8 + g, kd + 2 * q);
    f[3] = operand_pair(b, n0 + 8 + g, kd + 2 * q + 8);
  }
}
// matrices (columns +0, k +0), (+0, +8), (+8, +0), (+8, +8); both blocks are loaded (the tile is NI * 8 wide)
__device__ __forceinline__ void fragment_b(uint32_t (&f)[4], const RowView<uint16_t>& b, int n0, int kd, bool) {
  const int l = lane_id();
  ldsm_x4<false>(f, b.p + (n0 + l % 8 + (l / 16) * 8) * b.ld + kd + ((l / 8) % 2) * 8);
}
__device__ __forceinline__ void fragment_b(uint32_t (&f)[4], const ColView<uint16_t>& b, int n0, int kd, bool) {
  const int l = lane_id();
  ldsm_x4<true>(f, b.p + (kd + l % 8 + ((l / 8) % 2) * 8) * b.ld + n0 + (l / 16) * 8);
}

template <int MI, int NI>
struct WarpAcc {
  float c[MI][NI][4];

  __device__ void fill(float v) {
#pragma unroll
    for (int i = 0; i < MI; ++i)
#pragma unroll
      for (int j = 0; j < NI; ++j)
#pragma unroll
        for (int r = 0; r < 4; ++r) c[i][j][r] = v;
  }

  // f(row, col, value&) for every element this lane owns.
  template <typename F>
  __device__ void for_each(F f) {
    each_index([&](int i, int j, int r, int row, int col) { f(row, col, c[i][j][r]); });
  }

  // f(i, j, r, row, col) for every element this lane owns (c[i][j][r] is at (row, col)): walks
  // several accumulators of one shape together.
  template <typename F>
  __device__ static void each_index(F f) {
    const int g = lane_id() >> 2, q = lane_id() & 3;
#pragma unroll
    for (int i = 0; i < MI; ++i)
#pragma unroll
      for (int j = 0; j < NI; ++j)
#pragma unroll
        for (int r = 0; r < 4; ++r) f(i, j, r, i * 16 + g + (r >> 1) * 8, j * 8 + 2 * q + (r & 1));
  }
};

// acc += A B^T over kd in [k0, k1), for the first ni_count of the NI column blocks.
template <bool kTensorCores, int MI, int NI, typename FA, typename FB>
__device__ void warp_gemm(WarpAcc<MI, NI>& acc, const FA& a, const FB& b, int k0, int k1, int ni_count = NI) {
  const int g = lane_id() >> 2, q = lane_id() & 3;
  if constexpr (kTensorCores) {
    static_assert(NI % 2 == 0, "column blocks are loaded in pairs");
    for (int kd = k0; kd < k1; kd += 16) {
      uint32_t af[MI][4];
#pragma unroll
      for (int i = 0; i < MI; ++i) fragment_a(af[i], a, i * 16, kd);
#pragma unroll
      for (int j = 0; j < NI; j += 2) {
        if (j >= ni_count) break;
        uint32_t bf[4];
        fragment_b(bf, b, j * 8, kd, j + 1 < ni_count);
#pragma unroll
        for (int i = 0; i < MI; ++i) {
          mma_bf16_16x8x16(acc.c[i][j], af[i], {bf[0], bf[1]});
          if (j + 1 < ni_count) mma_bf16_16x8x16(acc.c[i][j + 1], af[i], {bf[2], bf[3]});
        }
      }
    }
  } else {
    for (int kd = k0; kd < k1; ++kd) {
      float av[MI][2];
#pragma unroll
      for (int i = 0; i < MI; ++i) {
        av[i][0] = a.at(i * 16 + g, kd);
        av[i][1] = a.at(i * 16 + g + 8, kd);
      }
#pragma unroll
      for (int j = 0; j < NI; ++j) {
        if (j >= ni_count) break;
        const float b0 = b.at(j * 8 + 2 * q, kd), b1 = b.at(j * 8 + 2 * q + 1, kd);
#pragma unroll
        for (int i = 0; i < MI; ++i) {
          acc.c[i][j][0] += av[i][0] * b0;
          acc.c[i][j][1] += av[i][0] * b1;
          acc.c[i][j][2] += av[i][1] * b0;
          acc.c[i][j][3] += av[i][1] * b1;
        }
      }
    }
  }
}

}  // namespace statex
