// bfloat16 <-> float on host and device, bit-level so that CPU and CUDA round identically
// (round to nearest even; NaN stays a quiet NaN).
#pragma once
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "common/hd.h"

namespace statex {

STX_HD float bits_to_float(uint32_t u) {
#if defined(__CUDA_ARCH__)
  return __uint_as_float(u);
#else
  float f;
  memcpy(&f, &u, 4);
  return f;
#endif
}

STX_HD uint32_t float_to_bits(float f) {
#if defined(__CUDA_ARCH__)
  return __float_as_uint(f);
#else
  uint32_t u;
  memcpy(&u, &f, 4);
  return u;
#endif
}

STX_HD float bf16_to_float(uint16_t h) { return bits_to_float(((uint32_t)h) << 16); }

STX_HD uint16_t float_to_bf16(float f) {
  uint32_t u = float_to_bits(f);
  if ((u & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((u >> 16) | 0x0040u);  // quiet NaN
  u += 0x7fffu + ((u >> 16) & 1u);
  return (uint16_t)(u >> 16);
}

// double -> bfloat16 rounded once to nearest even: through fp32 rounded to odd (truncate, then set the last bit
// when inexact), which keeps enough bits for the second rounding to give the directly rounded result.
STX_HD uint16_t double_to_bf16(double v) {
  float f = (float)v;
  uint32_t u = float_to_bits(f);
  if ((double)f != v && isfinite(f) && !isnan(v)) {
    if (fabs((double)f) > fabs(v)) u -= 1;  // one step toward zero: the sign bit is untouched
    u |= 1u;
  }
  return float_to_bf16(bits_to_float(u));
}

}  // namespace statex
