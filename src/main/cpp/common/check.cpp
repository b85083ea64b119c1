// Definitions of the shared argument checks (common/check.h), compiled into both native libraries.
#include "common/check.h"

#include <cmath>
#include <initializer_list>

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

namespace {

struct Named {
  const char* name;
  const void* ptr;
};

// Every listed pointer must be present; the message names the op and the argument.
statex_status check_present(const char* op, std::initializer_list<Named> args) {
  for (const Named& a : args) STX_CHECK(a.ptr != nullptr, "%s: %s is a null pointer", op, a.name);
  return STATEX_OK;
}

// a * b * c (all >= 0) must fit in int64: element offsets are computed in int64 everywhere.
statex_status check_product(const char* op, const char* what, int64_t a, int64_t b, int64_t c = 1) {
  int64_t ab = 0, abc = 0;
  STX_CHECK(!__builtin_mul_overflow(a, b, &ab) && !__builtin_mul_overflow(ab, c, &abc),
            "%s: %s = %lld x %lld x %lld overflows int64", op, what, (long long)a, (long long)b, (long long)c);
  return STATEX_OK;
}

// [rows, n] float data: the shape shared by softmax and RMSNorm.
statex_status check_rows(const char* op, int dtype, int64_t rows, int64_t n) {
  STX_TRY(check_float_dtype(op, dtype));
  STX_CHECK(rows >= 0, "%s: rows must be >= 0, got %lld", op, (long long)rows);
  STX_CHECK(n > 0, "%s: row length n must be > 0, got %lld", op, (long long)n);
  return check_product(op, "rows * n", rows, n);
}

statex_status check_log_flag(const char* op, int log) {
  STX_CHECK(log == 0 || log == 1, "%s: log must be 0 (softmax) or 1 (log_softmax), got %d", op, log);
  return STATEX_OK;
}

statex_status check_embedding_shape(const char* op, int dtype, int idx_dtype, int64_t n, int64_t dim, int64_t vocab) {
  STX_TRY(check_float_dtype(op, dtype));
  STX_CHECK(idx_dtype == STATEX_I32 || idx_dtype == STATEX_I64,
            "%s: index dtype code %d is not an integer type (expected I32=2 or I64=3)", op, idx_dtype);
  STX_CHECK(n >= 0, "%s: n (number of indices) must be >= 0, got %lld", op, (long long)n);
  STX_CHECK(dim > 0, "%s: dim must be > 0, got %lld", op, (long long)dim);
  STX_CHECK(vocab > 0, "%s: vocab must be > 0, got %lld", op, (long long)vocab);
  STX_TRY(check_product(op, "n * dim", n, dim));
  return check_product(op, "vocab * dim", vocab, dim);
}

}  // namespace

statex_status check_reduce(int op, int dtype, int64_t outer, int64_t n, int64_t inner, const void* out,
                           const int64_t* argmax, const void* in) {
  STX_CHECK(op >= 0 && op < STATEX_REDUCE_OP_COUNT, "reduce: unknown op code %d (expected 0=SUM, 1=MEAN, 2=MAX, 3=MIN)",
            op);
  STX_TRY(check_float_dtype("reduce", dtype));
  STX_TRY(check_nonneg("reduce outer", outer));
  STX_TRY(check_positive("reduce n (the reduced axis)", n));
  STX_TRY(check_nonneg("reduce inner", inner));
  STX_TRY(check_product("reduce", "outer * n * inner", outer, n, inner));
  STX_CHECK(argmax == nullptr || op == STATEX_MAX || op == STATEX_MIN,
            "reduce: argmax must be null for op %d (only MAX=2 and MIN=3 have an argmax)", op);
  if (outer * inner > 0) STX_TRY(check_present("reduce", {{"out", out}, {"in", in}}));
  return STATEX_OK;
}

statex_status check_softmax(int dtype, int log, int64_t rows, int64_t n, const void* out, const void* in) {
  STX_TRY(check_log_flag("softmax", log));
  STX_TRY(check_rows("softmax", dtype, rows, n));
  if (rows > 0) STX_TRY(check_present("softmax", {{"out", out}, {"in", in}}));
  return STATEX_OK;
}

statex_status check_softmax_bwd(int dtype, int log, int64_t rows, int64_t n, const void* dx, const void* y,
                                const void* dy) {
  STX_TRY(check_log_flag("softmax_bwd", log));
  STX_TRY(check_rows("softmax_bwd", dtype, rows, n));
  if (rows > 0) STX_TRY(check_present("softmax_bwd", {{"dx", dx}, {"y", y}, {"dy", dy}}));
  return STATEX_OK;
}

statex_status check_rmsnorm_fwd(int dtype, int64_t rows, int64_t n, double eps, const void* y, const void* x) {
  STX_TRY(check_rows("rmsnorm_fwd", dtype, rows, n));
  STX_CHECK(std::isfinite(eps) && eps >= 0, "rmsnorm_fwd: eps must be finite and >= 0, got %g", eps);
  if (rows > 0) STX_TRY(check_present("rmsnorm_fwd", {{"y", y}, {"x", x}}));
  return STATEX_OK;
}

statex_status check_rmsnorm_bwd(int dtype, int64_t rows, int64_t n, const void* dx, const void* dy, const void* x,
                                const void* rstd) {
  STX_TRY(check_rows("rmsnorm_bwd", dtype, rows, n));
  if (rows > 0) STX_TRY(check_present("rmsnorm_bwd", {{"dx", dx}, {"dy", dy}, {"x", x}, {"rstd", rstd}}));
  return STATEX_OK;
}

statex_status check_embedding_fwd(int dtype, int idx_dtype, int64_t n, int64_t dim, int64_t vocab, const void* out,
                                  const void* table, const void* idx) {
  STX_TRY(check_embedding_shape("embedding_fwd", dtype, idx_dtype, n, dim, vocab));
  if (n > 0) STX_TRY(check_present("embedding_fwd", {{"out", out}, {"table", table}, {"idx", idx}}));
  return STATEX_OK;
}

statex_status check_embedding_bwd(int dtype, int idx_dtype, int64_t n, int64_t dim, int64_t vocab,
                                  const void* dtable, const void* dout, const void* idx) {
  STX_TRY(check_embedding_shape("embedding_bwd", dtype, idx_dtype, n, dim, vocab));
  if (n > 0) STX_TRY(check_present("embedding_bwd", {{"dtable", dtable}, {"dout", dout}, {"idx", idx}}));
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
