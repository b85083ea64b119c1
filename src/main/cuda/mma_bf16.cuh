// The tensor-core instructions the scan kernels use, kept apart so that the rest of the tile code is
// plain C++ (sm_80 and later): bf16 packing, the m16n8k16 product and the 8x8 shared-memory matrix
// load. With STATEX_MMA_EMULATION and no device compiler they call the CPU emulation's versions
// (tools/cuda_emu), which follow the same PTX fragment layouts.
#pragma once
#include <stdint.h>

#include "common/bf16.h"

namespace statex {

// Two floats -> packed bf16 pair (lo in the low half, the mma operand format), round to nearest even.
__device__ __forceinline__ uint32_t pack_bf16(float lo, float hi) {
#if defined(__CUDA_ARCH__)
  uint32_t r;
  asm("cvt.rn.bf16x2.f32 %0, %1, %2;" : "=r"(r) : "f"(hi), "f"(lo));
  return r;
#else
  return (uint32_t)float_to_bf16(lo) | ((uint32_t)float_to_bf16(hi) << 16);
#endif
}

// D = A B + C for a 16x8x16 tile, bf16 operands, fp32 accumulation. Fragments as mma.sync.m16n8k16.row.col
// lays them out over a warp (g = lane / 4, q = lane % 4; each 32-bit register holds two bf16 values, the
// lower column in the low half):
//   a[0]: A(g, 2q..2q+1)    a[1]: A(g+8, 2q..)    a[2]: A(g, 2q+8..)    a[3]: A(g+8, 2q+8..)
//   b[0]: B(2q..2q+1, g)    b[1]: B(2q+8.., g)
//   c[0..1]: C(g, 2q..2q+1) c[2..3]: C(g+8, 2q..2q+1)
// Not volatile: the instruction only reads and writes registers, so the compiler may interleave it with
// the surrounding loads.
__device__ __forceinline__ void mma_bf16_16x8x16(float (&c)[4], const uint32_t (&a)[4], const uint32_t (&b)[2]) {
#if defined(__CUDA_ARCH__)
  asm("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "
      "{%0, %1, %2, %3};\n"
      : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
      : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
#elif defined(STATEX_MMA_EMULATION)
  statex_emulated_mma_bf16_16816(c, a, b);
#endif
}

// Four 8 x 8 bf16 matrices from shared memory (ldmatrix .x4): lane l gives the address of row l % 8 of
// matrix l / 8 (16-byte aligned); lane t receives, of each matrix, row t / 4, columns 2 (t % 4) and
// 2 (t % 4) + 1, or with kTrans the matrix transposed. Volatile: it reads shared memory that the asm does
// not name, so it must stay between the barriers around it.
template <bool kTrans>
__device__ __forceinline__ void ldsm_x4(uint32_t (&r)[4], const uint16_t* p) {
#if defined(__CUDA_ARCH__)
  const uint32_t a = (uint32_t)__cvta_generic_to_shared(p);
  if (kTrans)
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0, %1, %2, %3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(a));
  else
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0, %1, %2, %3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(a));
#elif defined(STATEX_MMA_EMULATION)
  statex_emulated_ldmatrix_x4(r, p, kTrans);
#endif
}

}  // namespace statex
