// Definitions of the shared argument checks (common/check.h), compiled into both native libraries.
#include "common/check.h"
#include "statex/elementwise.h"
#include "statex/random.h"
#include "statex/reduce.h"

namespace statex {

statex_status check_unary(const char* op, int uop, int dtype, int ndim, const int64_t* shape,
                          const void* out, const int64_t* os, const void* x, const int64_t* xs, int64_t* numel) {
  STX_CHECK(uop >= 0 && uop < STATEX_UNARY_OP_COUNT, "%s: unknown unary op code %d", op, uop);
  STX_TRY(check_float_dtype(op, dtype));
  STX_TRY(check_strided(op, ndim, shape, numel));
  if (*numel > 0) {
    STX_TRY(check_ptr("unary out", out));
    STX_TRY(check_ptr("unary x", x));
    STX_CHECK(ndim == 0 || (os && xs), "%s: strides are null", op);
  }
  return STATEX_OK;
}

statex_status check_binary(int bop, int dtype, int ndim, const int64_t* shape, const void* out, const int64_t* os,
                           const void* a, const int64_t* as, const void* b, const int64_t* bs, int64_t* numel) {
  STX_CHECK(bop >= 0 && bop < STATEX_BINARY_OP_COUNT, "binary: unknown op code %d", bop);
  STX_TRY(check_float_dtype("binary", dtype));
  STX_TRY(check_strided("binary", ndim, shape, numel));
  if (*numel > 0) {
    STX_TRY(check_ptr("binary out", out));
    STX_TRY(check_ptr("binary a", a));
    STX_TRY(check_ptr("binary b", b));
    STX_CHECK(ndim == 0 || (os && as && bs), "binary: strides are null");
  }
  return STATEX_OK;
}

statex_status check_copy(int ndim, const int64_t* shape, const void* dst, int dst_dtype, const int64_t* ds,
                         const void* src, int src_dtype, const int64_t* ss, int64_t* numel) {
  STX_TRY(check_dtype("copy dst", dst_dtype));
  STX_TRY(check_dtype("copy src", src_dtype));
  STX_TRY(check_strided("copy", ndim, shape, numel));
  if (*numel > 0) {
    STX_TRY(check_ptr("copy dst", dst));
    STX_TRY(check_ptr("copy src", src));
    STX_CHECK(ndim == 0 || (ds && ss), "copy: strides are null");
  }
  return STATEX_OK;
}

statex_status check_reduce(int op, int dtype, int64_t outer, int64_t n, int64_t inner, const void* out,
                           const int64_t* argmax, const void* in) {
  STX_CHECK(op >= 0 && op < STATEX_REDUCE_OP_COUNT, "reduce: unknown op code %d", op);
  STX_TRY(check_float_dtype("reduce", dtype));
  STX_TRY(check_nonneg("reduce outer", outer));
  STX_TRY(check_positive("reduce n (the reduced axis)", n));
  STX_TRY(check_nonneg("reduce inner", inner));
  STX_CHECK(argmax == nullptr || op == STATEX_MAX || op == STATEX_MIN, "reduce: argmax is only for MAX and MIN");
  if (outer * inner > 0) {
    STX_TRY(check_ptr("reduce out", out));
    STX_TRY(check_ptr("reduce in", in));
  }
  return STATEX_OK;
}

statex_status check_rows(const char* op, int dtype, int64_t rows, int64_t n, const void* out, const void* in) {
  STX_TRY(check_float_dtype(op, dtype));
  STX_TRY(check_nonneg("rows", rows));
  STX_TRY(check_positive("row length n", n));
  if (rows > 0) {
    STX_TRY(check_ptr(op, out));
    STX_TRY(check_ptr(op, in));
  }
  return STATEX_OK;
}

statex_status check_embedding(const char* op, int dtype, int idx_dtype, int64_t n, int64_t dim, int64_t vocab,
                              const void* out, const void* table, const void* idx) {
  STX_TRY(check_float_dtype(op, dtype));
  STX_CHECK(idx_dtype == STATEX_I32 || idx_dtype == STATEX_I64,
            "%s: index dtype code %d is not an integer type (expected I32=2 or I64=3)", op, idx_dtype);
  STX_TRY(check_nonneg("embedding n", n));
  STX_TRY(check_positive("embedding dim", dim));
  STX_TRY(check_positive("embedding vocab", vocab));
  if (n > 0) {
    STX_TRY(check_ptr("embedding out", out));
    STX_TRY(check_ptr("embedding table", table));
    STX_TRY(check_ptr("embedding idx", idx));
  }
  return STATEX_OK;
}

statex_status check_random(int dist, int dtype, int64_t n, const void* dst, double a, double b) {
  STX_CHECK(dist == STATEX_UNIFORM || dist == STATEX_NORMAL, "random: unknown distribution code %d", dist);
  STX_TRY(check_float_dtype("random", dtype));
  STX_TRY(check_nonneg("random n", n));
  if (n > 0) STX_TRY(check_ptr("random dst", dst));
  STX_CHECK(dist != STATEX_NORMAL || b >= 0, "random: normal std must be >= 0, got %g", b);
  return STATEX_OK;
}

}  // namespace statex
