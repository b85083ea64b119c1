// Argument validation shared by the CPU and CUDA entries: one function per op family, so both
// implementations reject exactly the same inputs with the same message. Each library provides
// statex::set_error (its own thread-local last-error buffer).
#pragma once
#include <stdarg.h>
#include <stdint.h>
#include "common/dtype.h"
#include "statex/core.h"

namespace statex {

// Formats the message into the calling library's thread-local buffer and returns status.
statex_status set_error(statex_status status, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
void clear_error();

#define STX_CHECK(cond, ...)                                                  \
  do {                                                                        \
    if (!(cond)) return ::statex::set_error(STATEX_ERR_INVALID_ARGUMENT, __VA_ARGS__); \
  } while (0)
#define STX_TRY(expr)                          \
  do {                                         \
    statex_status stx_s_ = (expr);             \
    if (stx_s_ != STATEX_OK) return stx_s_;    \
  } while (0)

inline statex_status check_dtype(const char* what, int dtype) {
  STX_CHECK(dtype_valid(dtype), "%s: unknown dtype code %d (expected 0=F32, 1=BF16, 2=I32, 3=I64, 4=F64)", what,
            dtype);
  return STATEX_OK;
}
inline statex_status check_float_dtype(const char* what, int dtype) {
  STX_CHECK(dtype_is_float(dtype), "%s: dtype code %d is not a float type (expected F32=0, BF16=1 or F64=4)", what,
            dtype);
  return STATEX_OK;
}
// Called first by every CUDA entry that takes a dtype: F64 exists for gradient checks and references on the
// CPU, and no CUDA kernel has an F64 path.
inline statex_status check_cuda_dtype(const char* what, int dtype) {
  STX_CHECK(dtype != STATEX_F64, "%s: F64 is supported on the CPU backend only (dtype code %d on a CUDA entry)", what,
            dtype);
  return STATEX_OK;
}
inline statex_status check_ptr(const char* what, const void* p) {
  STX_CHECK(p != nullptr, "%s: null pointer", what);
  return STATEX_OK;
}
inline statex_status check_nonneg(const char* what, int64_t v) {
  STX_CHECK(v >= 0, "%s must be >= 0, got %lld", what, (long long)v);
  return STATEX_OK;
}
inline statex_status check_positive(const char* what, int64_t v) {
  STX_CHECK(v > 0, "%s must be > 0, got %lld", what, (long long)v);
  return STATEX_OK;
}

// Strided entries: rank, shape and that every listed pointer is present (when the shape is non-empty).
inline statex_status check_strided(const char* op, int ndim, const int64_t* shape, int64_t* numel) {
  STX_CHECK(ndim >= 0 && ndim <= STATEX_MAX_DIMS, "%s: ndim %d outside [0, %d]", op, ndim, STATEX_MAX_DIMS);
  STX_CHECK(ndim == 0 || shape != nullptr, "%s: shape is null", op);
  int64_t n = 1;
  for (int d = 0; d < ndim; ++d) {
    STX_CHECK(shape[d] >= 0, "%s: shape[%d] = %lld is negative", op, d, (long long)shape[d]);
    n *= shape[d];
  }
  *numel = n;
  return STATEX_OK;
}

statex_status check_unary(const char* op, int uop, int dtype, int ndim, const int64_t* shape,
                          const void* out, const int64_t* os, const void* x, const int64_t* xs, int64_t* numel);
statex_status check_binary(int bop, int dtype, int ndim, const int64_t* shape, const void* out, const int64_t* os,
                           const void* a, const int64_t* as, const void* b, const int64_t* bs, int64_t* numel);
statex_status check_copy(int ndim, const int64_t* shape, const void* dst, int dst_dtype, const int64_t* ds,
                         const void* src, int src_dtype, const int64_t* ss, int64_t* numel);
// Reductions and row-wise normalisations (statex/reduce.h). Pointers that the header lets be NULL
// (argmax, rstd, w, dw) are not checked; the others must be present whenever there is work.
statex_status check_reduce(int op, int dtype, int64_t outer, int64_t n, int64_t inner, const void* out,
                           const int64_t* argmax, const void* in);
statex_status check_softmax(int dtype, int log, int64_t rows, int64_t n, const void* out, const void* in);
statex_status check_softmax_bwd(int dtype, int log, int64_t rows, int64_t n, const void* dx, const void* y,
                                const void* dy);
statex_status check_rmsnorm_fwd(int dtype, int64_t rows, int64_t n, double eps, const void* y, const void* x);
statex_status check_rmsnorm_bwd(int dtype, int64_t rows, int64_t n, const void* dx, const void* dy, const void* x,
                                const void* rstd);
// Embedding (statex/embedding.h). The index range itself is checked where the indices are readable:
// on the host by the CPU entries, in the kernel by the CUDA entries (reported through bad_pos).
statex_status check_embedding_fwd(int dtype, int idx_dtype, int64_t n, int64_t dim, int64_t vocab, const void* out,
                                  const void* table, const void* idx);
statex_status check_embedding_bwd(int dtype, int idx_dtype, int64_t n, int64_t dim, int64_t vocab,
                                  const void* dtable, const void* dout, const void* idx);
statex_status check_random(int dist, int dtype, int64_t n, const void* dst, double a, double b);

}  // namespace statex
