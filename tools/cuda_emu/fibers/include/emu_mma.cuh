// Emulated mma.sync.m16n8k16 bf16 -> fp32 and ldmatrix .x4 (warp collectives), same fragment layouts as the PTX:
// the hooks that src/main/cuda/mma_bf16.cuh calls under STATEX_MMA_EMULATION.
#pragma once
#include <stdint.h>
#include <string.h>
#include "emu.h"

namespace emu {
inline float bf16_bits(uint32_t bits16) {
  uint32_t u = bits16 << 16;
  float f;
  memcpy(&f, &u, 4);
  return f;
}
inline void mma_16816(float (&c)[4], const uint32_t (&a)[4], const uint32_t (&b)[2]) {
  float mine[6];
  for (int i = 0; i < 4; ++i) memcpy(&mine[i], &a[i], 4);
  memcpy(&mine[4], &b[0], 4);
  memcpy(&mine[5], &b[1], 4);
  float all[32][6];
  emu::warp_exchange(mine, 6, &all[0][0]);
  float A[16][16], B[16][8];
  for (int lane = 0; lane < 32; ++lane) {
    const int g = lane >> 2, q = lane & 3;
    uint32_t ar[4], br[2];
    for (int i = 0; i < 4; ++i) memcpy(&ar[i], &all[lane][i], 4);
    memcpy(&br[0], &all[lane][4], 4);
    memcpy(&br[1], &all[lane][5], 4);
    const int rows[4] = {g, g + 8, g, g + 8}, cols[4] = {2 * q, 2 * q, 2 * q + 8, 2 * q + 8};
    for (int i = 0; i < 4; ++i) {
      A[rows[i]][cols[i]] = bf16_bits(ar[i] & 0xffff);
      A[rows[i]][cols[i] + 1] = bf16_bits(ar[i] >> 16);
    }
    B[2 * q][g] = bf16_bits(br[0] & 0xffff);
    B[2 * q + 1][g] = bf16_bits(br[0] >> 16);
    B[2 * q + 8][g] = bf16_bits(br[1] & 0xffff);
    B[2 * q + 9][g] = bf16_bits(br[1] >> 16);
  }
  const int lane = threadIdx.x & 31, g = lane >> 2, q = lane & 3;
  for (int r = 0; r < 4; ++r) {
    const int row = g + (r >> 1) * 8, col = 2 * q + (r & 1);
    float s = c[r];
    for (int kk = 0; kk < 16; ++kk) s += A[row][kk] * B[kk][col];
    c[r] = s;
  }
}
}  // namespace emu

inline void statex_emulated_mma_bf16_16816(float (&c)[4], const uint32_t (&a)[4], const uint32_t (&b)[2]) {
  emu::mma_16816(c, a, b);
}

// Emulated ldmatrix.sync.aligned.m8n8.x4 (.trans) on 16-bit elements (warp collective), from the PTX layout:
// lane l gives the address of row l % 8 of matrix l / 8; lane t receives, of each matrix, row t / 4, columns
// 2 (t % 4) and 2 (t % 4) + 1 (transposed: column t / 4 of rows 2 (t % 4) and 2 (t % 4) + 1).
inline void statex_emulated_ldmatrix_x4(uint32_t (&r)[4], const uint16_t* p, bool trans) {
  float mine[2];
  memcpy(mine, &p, sizeof p);
  float all[32][2];
  emu::warp_exchange(mine, 2, &all[0][0]);
  const int lane = threadIdx.x & 31;
  for (int m = 0; m < 4; ++m) {
    uint16_t e[2];
    for (int h = 0; h < 2; ++h) {
      const int row = trans ? 2 * (lane % 4) + h : lane / 4, col = trans ? lane / 4 : 2 * (lane % 4) + h;
      const uint16_t* rowp;
      memcpy(&rowp, all[8 * m + row], sizeof rowp);
      e[h] = rowp[col];
    }
    r[m] = (uint32_t)e[0] | ((uint32_t)e[1] << 16);
  }
}
