// Loading and storing any ABI dtype as float/double, shared by the CPU and CUDA kernels.
#pragma once
#include <stdint.h>
#include "common/bf16.h"
#include "statex/core.h"

namespace statex {

STX_HD int dtype_size(int dtype) {
  return dtype == STATEX_F32 ? 4 : dtype == STATEX_BF16 ? 2 : dtype == STATEX_I32 ? 4 : dtype == STATEX_I64 ? 8 : 0;
}
STX_HD bool dtype_valid(int dtype) { return dtype >= STATEX_F32 && dtype <= STATEX_I64; }
STX_HD bool dtype_is_float(int dtype) { return dtype == STATEX_F32 || dtype == STATEX_BF16; }

// Storage type per dtype for the templated float kernels.
struct F32 { using storage = float; };
struct BF16 { using storage = uint16_t; };

STX_HD float load_f(const float* p, int64_t i) { return p[i]; }
STX_HD float load_f(const uint16_t* p, int64_t i) { return bf16_to_float(p[i]); }
STX_HD void store_f(float* p, int64_t i, float v) { p[i] = v; }
STX_HD void store_f(uint16_t* p, int64_t i, float v) { p[i] = float_to_bf16(v); }

// Generic (runtime dtype) load/store through double: used by the casting copy and fill, where
// I64 values beyond 2^53 are not expected (token ids, counts).
STX_HD double load_any(const void* p, int dtype, int64_t i) {
  switch (dtype) {
    case STATEX_F32: return ((const float*)p)[i];
    case STATEX_BF16: return bf16_to_float(((const uint16_t*)p)[i]);
    case STATEX_I32: return ((const int32_t*)p)[i];
    default: return (double)((const int64_t*)p)[i];
  }
}
STX_HD void store_any(void* p, int dtype, int64_t i, double v) {
  switch (dtype) {
    case STATEX_F32: ((float*)p)[i] = (float)v; break;
    case STATEX_BF16: ((uint16_t*)p)[i] = float_to_bf16((float)v); break;
    case STATEX_I32: ((int32_t*)p)[i] = (int32_t)v; break;
    default: ((int64_t*)p)[i] = (int64_t)v; break;
  }
}

}  // namespace statex
