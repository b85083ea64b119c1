// Definitions of the GLA argument checks (common/gla_check.h), compiled into both native libraries.
#include "common/gla_check.h"

#include <math.h>

#include <initializer_list>

namespace statex {
namespace {

statex_status check_head_dim(const char* op, const char* name, int64_t d) {
  STX_CHECK(d >= kGlaMinDim && d <= kGlaMaxDim && d % 16 == 0,
            "%s: %s = %lld is not supported (expected a multiple of 16 in [%lld, %lld])", op, name, (long long)d,
            (long long)kGlaMinDim, (long long)kGlaMaxDim);
  return STATEX_OK;
}

statex_status check_dtypes(const char* op, int dtype, int g_dtype, double scale) {
  STX_CHECK(dtype == STATEX_F32 || dtype == STATEX_BF16 || dtype == STATEX_F64,
            "%s: dtype code %d is not supported (expected F32=0, BF16=1 or F64=4)", op, dtype);
  STX_CHECK(g_dtype == STATEX_F32 || g_dtype == dtype,
            "%s: g_dtype code %d is not supported (expected F32=0 or the input dtype %d)", op, g_dtype, dtype);
  STX_CHECK(isfinite(scale), "%s: scale = %g is not finite", op, scale);
  return STATEX_OK;
}

// Each size at most 2^31 and the largest tensor below 2^62 elements: no int64 index overflows.
statex_status check_extent(const char* op, const char* name, int64_t v) {
  STX_CHECK(v >= 1 && v <= (int64_t(1) << 31), "%s: %s = %lld is out of range (expected 1 <= %s <= 2^31)", op, name,
            (long long)v, name);
  return STATEX_OK;
}

struct NamedPtr {
  const char* name;
  const void* p;
};

statex_status check_ptrs(std::initializer_list<NamedPtr> ptrs) {
  for (const NamedPtr& n : ptrs) STX_TRY(check_ptr(n.name, n.p));
  return STATEX_OK;
}

}  // namespace

statex_status check_gla_shape(const char* op, const GlaShape& s) {
  STX_TRY(check_dtypes(op, s.dtype, s.g_dtype, s.scale));
  STX_TRY(check_extent(op, "B", s.B));
  STX_TRY(check_extent(op, "T", s.T));
  STX_TRY(check_extent(op, "H", s.H));
  STX_TRY(check_extent(op, "N", s.N));
  STX_TRY(check_head_dim(op, "K", s.K));
  STX_TRY(check_head_dim(op, "V", s.V));
  double elems = (double)s.B * s.T * s.H * (s.K > s.V ? s.K : s.V);
  STX_CHECK(elems < 4.6e18, "%s: B*T*H*max(K,V) = %.3g elements is too large", op, elems);
  if (s.varlen) {
    STX_CHECK(s.B == 1, "%s: B = %lld with cu_seqlens (expected B = 1: the sequences are packed along T)", op,
              (long long)s.B);
  } else {
    STX_CHECK(s.N == s.B, "%s: N = %lld without cu_seqlens (expected N = B = %lld)", op, (long long)s.N,
              (long long)s.B);
  }
  return STATEX_OK;
}

statex_status check_gla_fwd(const GlaShape& s, const void* o, const void* q, const void* k, const void* v,
                            const void* g) {
  STX_TRY(check_gla_shape("gla_chunk_fwd", s));
  return check_ptrs({{"gla_chunk_fwd o", o},
                     {"gla_chunk_fwd q", q},
                     {"gla_chunk_fwd k", k},
                     {"gla_chunk_fwd v", v},
                     {"gla_chunk_fwd g", g}});
}

statex_status check_gla_bwd(const GlaShape& s, const void* dq, const void* dk, const void* dv, const void* dg,
                            const void* q, const void* k, const void* v, const void* g, const void* d_o) {
  STX_TRY(check_gla_shape("gla_chunk_bwd", s));
  return check_ptrs({{"gla_chunk_bwd dq", dq},
                     {"gla_chunk_bwd dk", dk},
                     {"gla_chunk_bwd dv", dv},
                     {"gla_chunk_bwd dg", dg},
                     {"gla_chunk_bwd q", q},
                     {"gla_chunk_bwd k", k},
                     {"gla_chunk_bwd v", v},
                     {"gla_chunk_bwd g", g},
                     {"gla_chunk_bwd d_o", d_o}});
}

statex_status check_gla_cu_seqlens(const char* op, const int64_t* cu, int64_t N, int64_t T) {
  STX_CHECK(cu[0] == 0, "%s: cu_seqlens[0] = %lld (expected 0)", op, (long long)cu[0]);
  for (int64_t n = 0; n < N; ++n)
    STX_CHECK(cu[n + 1] >= cu[n], "%s: cu_seqlens[%lld] = %lld < cu_seqlens[%lld] = %lld (expected non-decreasing)",
              op, (long long)(n + 1), (long long)cu[n + 1], (long long)n, (long long)cu[n]);
  STX_CHECK(cu[N] == T, "%s: cu_seqlens[N = %lld] = %lld (expected T = %lld)", op, (long long)N, (long long)cu[N],
            (long long)T);
  return STATEX_OK;
}

statex_status check_gla_step(int dtype, int g_dtype, double scale, int64_t N, int64_t H, int64_t K, int64_t V,
                             const void* o, const void* state, const void* q, const void* k, const void* v,
                             const void* g) {
  const char* op = "gla_step";
  STX_TRY(check_dtypes(op, dtype, g_dtype, scale));
  STX_TRY(check_extent(op, "N", N));
  STX_TRY(check_extent(op, "H", H));
  STX_TRY(check_head_dim(op, "K", K));
  STX_TRY(check_head_dim(op, "V", V));
  return check_ptrs({{"gla_step o", o},
                     {"gla_step state", state},
                     {"gla_step q", q},
                     {"gla_step k", k},
                     {"gla_step v", v},
                     {"gla_step g", g}});
}

}  // namespace statex
