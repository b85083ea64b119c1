// One tensor-core instruction, kept apart so that the rest of the tile code is plain C++:
// D = A B + C for a 16x8x16 tile, bf16 operands, fp32 accumulation (sm_80 and later).
#pragma once
#include <stdint.h>

namespace statex {

// Fragments as mma.sync.m16n8k16.row.col lays them out over a warp (g = lane / 4, q = lane % 4;
// each 32-bit register holds two bf16 values, the lower column in the low half):
//   a[0]: A(g, 2q..2q+1)    a[1]: A(g+8, 2q..)    a[2]: A(g, 2q+8..)    a[3]: A(g+8, 2q+8..)
//   b[0]: B(2q..2q+1, g)    b[1]: B(2q+8.., g)
//   c[0..1]: C(g, 2q..2q+1) c[2..3]: C(g+8, 2q..2q+1)
__device__ __forceinline__ void mma_bf16_16x8x16(float (&c)[4], const uint32_t (&a)[4], const uint32_t (&b)[2]) {
  asm volatile(
      "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "
      "{%0, %1, %2, %3};\n"
      : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
      : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
}

}  // namespace statex
