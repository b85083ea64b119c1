// CPU softmax / log_softmax over rows of n (statex/reduce.h), parallel over rows.
//   softmax:     y_j = e^(x_j - m) / s            with m = max_j x_j, s = sum_j e^(x_j - m)
//   log_softmax: y_j = x_j - m - log s
//   backward:    softmax dx_j = y_j (dy_j - sum_k dy_k y_k); log dx_j = dy_j - e^(y_j) sum_k dy_k
// Subtracting the row max keeps every exponent <= 0 (no overflow); s and the backward sums are double.
// A row holding NaN gives NaN everywhere, as does a row whose max is infinite (x - m is then NaN).
#include <algorithm>
#include <cmath>

#include "common/check.h"
#include "common/dtype.h"
#include "cpu/dispatch.h"
#include "cpu/rows.h"
#include "statex/reduce.h"

namespace statex {
namespace {

template <typename T>
void softmax_kernel(bool log, int64_t rows, int64_t n, T* out, const T* in) {
  for_each_row(rows, n, [&](int64_t r) {
    const T* x = in + r * n;
    T* y = out + r * n;
    arith_t<T> m = -INFINITY;
    for (int64_t j = 0; j < n; ++j) m = std::max(m, load_f(x, j));
    double s = 0;
    for (int64_t j = 0; j < n; ++j) s += std::exp((double)load_f(x, j) - m);
    double log_s = std::log(s);
    for (int64_t j = 0; j < n; ++j) {
      double z = (double)load_f(x, j) - m;
      store_f(y, j, (arith_t<T>)(log ? z - log_s : std::exp(z) / s));
    }
  });
}

template <typename T>
void softmax_bwd_kernel(bool log, int64_t rows, int64_t n, T* dx, const T* y, const T* dy) {
  for_each_row(rows, n, [&](int64_t r) {
    const T* yr = y + r * n;
    const T* gr = dy + r * n;
    T* dr = dx + r * n;
    double dot = 0;  // softmax: sum dy*y; log_softmax: sum dy
    for (int64_t j = 0; j < n; ++j) dot += (double)load_f(gr, j) * (log ? 1.0 : (double)load_f(yr, j));
    for (int64_t j = 0; j < n; ++j) {
      double g = load_f(gr, j), v = load_f(yr, j);
      store_f(dr, j, (arith_t<T>)(log ? g - std::exp(v) * dot : v * (g - dot)));
    }
  });
}

}  // namespace
}  // namespace statex

using namespace statex;

extern "C" {

STATEX_API statex_status statex_cpu_softmax(int dtype, int log, int64_t rows, int64_t n, void* out, const void* in) {
  STX_TRY(check_softmax(dtype, log, rows, n, out, in));
  with_float_type(dtype, [&](auto t) {
    using T = decltype(t);
    softmax_kernel(log, rows, n, (T*)out, (const T*)in);
  });
  return STATEX_OK;
}

STATEX_API statex_status statex_cpu_softmax_bwd(int dtype, int log, int64_t rows, int64_t n, void* dx, const void* y,
                                                const void* dy) {
  STX_TRY(check_softmax_bwd(dtype, log, rows, n, dx, y, dy));
  with_float_type(dtype, [&](auto t) {
    using T = decltype(t);
    softmax_bwd_kernel(log, rows, n, (T*)dx, (const T*)y, (const T*)dy);
  });
  return STATEX_OK;
}

}  // extern "C"
