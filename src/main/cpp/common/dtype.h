// Loading and storing any ABI dtype as float/double, shared by the CPU and CUDA kernels.
#pragma once
#include <stdint.h>
#include "common/bf16.h"
#include "statex/core.h"

namespace statex {

STX_HD int dtype_size(int dtype) {
  switch (dtype) {
    case STATEX_F32: return 4;
    case STATEX_BF16: return 2;
    case STATEX_I32: return 4;
    case STATEX_I64: return 8;
    case STATEX_F64: return 8;
    default: return 0;
  }
}
STX_HD bool dtype_valid(int dtype) { return dtype >= STATEX_F32 && dtype <= STATEX_F64; }
STX_HD bool dtype_is_float(int dtype) {
  return dtype == STATEX_F32 || dtype == STATEX_BF16 || dtype == STATEX_F64;
}
// The dtype of the fp32 side tensors that go with data of `dtype` (states, statistics, parameters of the
// fused kernels, accumulated gradients): F64 with F64 data, so that a double computation is never rounded
// to fp32 on the way, and F32 otherwise.
STX_HD int wide_dtype(int dtype) { return dtype == STATEX_F64 ? STATEX_F64 : STATEX_F32; }

// Storage type per dtype for the templated float kernels.
struct F32 { using storage = float; };
struct BF16 { using storage = uint16_t; };
struct F64 { using storage = double; };

// The arithmetic type of a storage type: fp32 for F32 and BF16 (their code paths are unchanged by F64),
// double for F64.
template <typename S>
struct Arith {
  using type = float;
};
template <>
struct Arith<double> {
  using type = double;
};
template <typename S>
using arith_t = typename Arith<S>::type;

STX_HD float load_f(const float* p, int64_t i) { return p[i]; }
STX_HD float load_f(const uint16_t* p, int64_t i) { return bf16_to_float(p[i]); }
STX_HD double load_f(const double* p, int64_t i) { return p[i]; }
STX_HD void store_f(float* p, int64_t i, float v) { p[i] = v; }
STX_HD void store_f(uint16_t* p, int64_t i, float v) { p[i] = float_to_bf16(v); }
STX_HD void store_f(double* p, int64_t i, double v) { p[i] = v; }

// Generic (runtime dtype) load/store through double: used by the casting copy and fill, where
// I64 values beyond 2^53 are not expected (token ids, counts).
STX_HD double load_any(const void* p, int dtype, int64_t i) {
  switch (dtype) {
    case STATEX_F32: return ((const float*)p)[i];
    case STATEX_BF16: return bf16_to_float(((const uint16_t*)p)[i]);
    case STATEX_I32: return ((const int32_t*)p)[i];
    case STATEX_F64: return ((const double*)p)[i];
    default: return (double)((const int64_t*)p)[i];
  }
}
STX_HD void store_any(void* p, int dtype, int64_t i, double v) {
  switch (dtype) {
    case STATEX_F32: ((float*)p)[i] = (float)v; break;
    case STATEX_BF16: ((uint16_t*)p)[i] = double_to_bf16(v); break;
    case STATEX_I32: ((int32_t*)p)[i] = (int32_t)v; break;
    case STATEX_F64: ((double*)p)[i] = v; break;
    default: ((int64_t*)p)[i] = (int64_t)v; break;
  }
}

}  // namespace statex
