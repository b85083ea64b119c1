// CPU elementwise kernels over strided views (statex/elementwise.h): plain loops, parallel over the
// flat index, with a fast path when every operand is contiguous.
#include "common/check.h"
#include "common/dtype.h"
#include "common/elementwise_math.h"
#include "common/strided.h"
#include "cpu/dispatch.h"
#include "cpu/parallel.h"
#include "statex/elementwise.h"

namespace statex {
namespace {

constexpr int64_t kGrain = 1 << 15;

bool contiguous(int ndim, const int64_t* shape, const int64_t* strides) {
  int64_t expect = 1;
  for (int d = ndim - 1; d >= 0; --d) {
    if (shape[d] != 1 && strides[d] != expect) return false;
    expect *= shape[d];
  }
  return true;
}

// fn(out_offset, in0_offset, in1_offset) for every element, in parallel.
template <typename Fn>
void for_each_strided(int ndim, const int64_t* shape, const int64_t* s0, const int64_t* s1, const int64_t* s2,
                      int64_t n, Fn fn) {
  bool flat = contiguous(ndim, shape, s0) && (!s1 || contiguous(ndim, shape, s1)) && (!s2 || contiguous(ndim, shape, s2));
  if (flat || ndim == 0) {
    parallel_for(n, kGrain, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) fn(i, i, i);
    });
    return;
  }
  StridedND nd = make_strided(ndim, shape, s0, s1, s2);
  parallel_for(n, kGrain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      int64_t o0, o1, o2;
      strided_offsets(nd, i, &o0, &o1, &o2);
      fn(o0, o1, o2);
    }
  });
}

template <typename T>
void unary_kernel(int op, int ndim, const int64_t* shape, T* out, const int64_t* os, const T* x, const int64_t* xs,
                  arith_t<T> s, int64_t n) {
  for_each_strided(ndim, shape, os, xs, nullptr, n,
                   [&](int64_t o, int64_t i, int64_t) { store_f(out, o, unary_apply(op, load_f(x, i), s)); });
}

template <typename T>
void unary_bwd_kernel(int op, int ndim, const int64_t* shape, T* dx, const int64_t* dxs, const T* dy,
                      const int64_t* dys, const T* x, const int64_t* xs, arith_t<T> s, int64_t n) {
  for_each_strided(ndim, shape, dxs, dys, xs, n, [&](int64_t o, int64_t g, int64_t i) {
    store_f(dx, o, load_f(dy, g) * unary_derivative(op, load_f(x, i), s));
  });
}

template <typename T>
void binary_kernel(int op, int ndim, const int64_t* shape, T* out, const int64_t* os, const T* a, const int64_t* as,
                   const T* b, const int64_t* bs, int64_t n) {
  for_each_strided(ndim, shape, os, as, bs, n, [&](int64_t o, int64_t i, int64_t j) {
    store_f(out, o, binary_apply(op, load_f(a, i), load_f(b, j)));
  });
}

}  // namespace
}  // namespace statex

using namespace statex;

extern "C" {

STATEX_API statex_status statex_cpu_unary(int op, int dtype, int ndim, const int64_t* shape, void* out,
                                          const int64_t* os, const void* x, const int64_t* xs, double scalar) {
  int64_t n;
  STX_TRY(check_unary("unary", op, dtype, ndim, shape, out, os, x, xs, &n));
  if (n == 0) return STATEX_OK;
  with_float_type(dtype, [&](auto t) {
    using T = decltype(t);
    unary_kernel(op, ndim, shape, (T*)out, os, (const T*)x, xs, (arith_t<T>)scalar, n);
  });
  return STATEX_OK;
}

STATEX_API statex_status statex_cpu_unary_bwd(int op, int dtype, int ndim, const int64_t* shape, void* dx,
                                              const int64_t* dxs, const void* dy, const int64_t* dys, const void* x,
                                              const int64_t* xs, double scalar) {
  int64_t n;
  STX_TRY(check_unary("unary_bwd", op, dtype, ndim, shape, dx, dxs, x, xs, &n));
  if (n == 0) return STATEX_OK;
  STX_TRY(check_ptr("unary_bwd dy", dy));
  STX_CHECK(ndim == 0 || dys, "unary_bwd: dy strides are null");
  with_float_type(dtype, [&](auto t) {
    using T = decltype(t);
    unary_bwd_kernel(op, ndim, shape, (T*)dx, dxs, (const T*)dy, dys, (const T*)x, xs, (arith_t<T>)scalar, n);
  });
  return STATEX_OK;
}

STATEX_API statex_status statex_cpu_binary(int op, int dtype, int ndim, const int64_t* shape, void* out,
                                           const int64_t* os, const void* a, const int64_t* as, const void* b,
                                           const int64_t* bs) {
  int64_t n;
  STX_TRY(check_binary(op, dtype, ndim, shape, out, os, a, as, b, bs, &n));
  if (n == 0) return STATEX_OK;
  with_float_type(dtype, [&](auto t) {
    using T = decltype(t);
    binary_kernel(op, ndim, shape, (T*)out, os, (const T*)a, as, (const T*)b, bs, n);
  });
  return STATEX_OK;
}

STATEX_API statex_status statex_cpu_copy(int ndim, const int64_t* shape, void* dst, int dst_dtype,
                                         const int64_t* ds, const void* src, int src_dtype, const int64_t* ss) {
  int64_t n;
  STX_TRY(check_copy(ndim, shape, dst, dst_dtype, ds, src, src_dtype, ss, &n));
  if (n == 0) return STATEX_OK;
  if (dst_dtype == src_dtype && dst_dtype == STATEX_F32) {
    for_each_strided(ndim, shape, ds, ss, nullptr, n,
                     [&](int64_t o, int64_t i, int64_t) { ((float*)dst)[o] = ((const float*)src)[i]; });
  } else if (dst_dtype == src_dtype && dtype_size(dst_dtype) == 2) {
    for_each_strided(ndim, shape, ds, ss, nullptr, n,
                     [&](int64_t o, int64_t i, int64_t) { ((uint16_t*)dst)[o] = ((const uint16_t*)src)[i]; });
  } else if (dst_dtype == src_dtype && dtype_size(dst_dtype) == 8) {  // I64, F64: a bit copy
    for_each_strided(ndim, shape, ds, ss, nullptr, n,
                     [&](int64_t o, int64_t i, int64_t) { ((int64_t*)dst)[o] = ((const int64_t*)src)[i]; });
  } else if (dst_dtype == src_dtype) {  // I32
    for_each_strided(ndim, shape, ds, ss, nullptr, n,
                     [&](int64_t o, int64_t i, int64_t) { ((int32_t*)dst)[o] = ((const int32_t*)src)[i]; });
  } else {
    for_each_strided(ndim, shape, ds, ss, nullptr, n, [&](int64_t o, int64_t i, int64_t) {
      store_any(dst, dst_dtype, o, load_any(src, src_dtype, i));
    });
  }
  return STATEX_OK;
}

STATEX_API statex_status statex_cpu_fill(int dtype, int64_t n, void* dst, double value) {
  STX_TRY(check_dtype("fill", dtype));
  STX_TRY(check_nonneg("fill n", n));
  if (n == 0) return STATEX_OK;
  STX_TRY(check_ptr("fill dst", dst));
  parallel_for(n, kGrain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) store_any(dst, dtype, i, value);
  });
  return STATEX_OK;
}

}  // extern "C"
