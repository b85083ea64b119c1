// Argument validation for the GLA entries (statex/gla.h), shared by the CPU and CUDA libraries so
// that both reject exactly the same inputs with the same messages.
#pragma once
#include <stdint.h>

#include "common/check.h"

namespace statex {

// The sizes and element types of one chunked call.
struct GlaShape {
  int64_t B, T, H, K, V, N;
  int dtype, g_dtype;
  double scale;
  bool varlen;  // cu_seqlens given
};

// Smallest and largest head dimension K, V (multiples of 16).
constexpr int64_t kGlaMinDim = 16;
constexpr int64_t kGlaMaxDim = 4096;

// Sizes, dtypes, scale and the relation between B, N and cu_seqlens.
statex_status check_gla_shape(const char* op, const GlaShape& s);
statex_status check_gla_fwd(const GlaShape& s, const void* o, const void* q, const void* k, const void* v,
                            const void* g);
statex_status check_gla_bwd(const GlaShape& s, const void* dq, const void* dk, const void* dv, const void* dg,
                            const void* q, const void* k, const void* v, const void* g, const void* d_o);
// Contents of cu_seqlens (host memory only: the CPU entries call it).
statex_status check_gla_cu_seqlens(const char* op, const int64_t* cu_seqlens, int64_t N, int64_t T);
statex_status check_gla_step(int dtype, int g_dtype, double scale, int64_t N, int64_t H, int64_t K, int64_t V,
                             const void* o, const void* state, const void* q, const void* k, const void* v,
                             const void* g);

}  // namespace statex
