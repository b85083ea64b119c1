// CPU RMSNorm over rows of n (statex/reduce.h).
//   forward:  rstd = 1 / sqrt(mean_j x_j^2 + eps),  y_j = x_j rstd w_j   (w = ones when NULL)
//   backward: c = rstd^2 mean_j(w_j dy_j x_j),  dx_j = rstd (w_j dy_j - x_j c),
//             dw_j += sum_rows dy_j x_j rstd
// dx is parallel over rows; dw is a second pass parallel over column tiles, each summing every row in
// double, so it needs no atomics or per-thread copies and is deterministic. Sums are double. rstd and dw
// have the data's arithmetic type: F32 for F32/BF16 data, F64 for F64 data.
#include <algorithm>
#include <cmath>

#include "common/check.h"
#include "common/dtype.h"
#include "common/reduce_math.h"
#include "cpu/dispatch.h"
#include "cpu/parallel.h"
#include "cpu/rows.h"
#include "statex/reduce.h"

namespace statex {
namespace {

constexpr int64_t kColTile = 256;  // dw columns per task

template <typename T>
double weight(const T* w, int64_t j) {
  return w ? (double)load_f(w, j) : 1.0;
}

template <typename T>
void rmsnorm_fwd_kernel(int64_t rows, int64_t n, double eps, T* y, arith_t<T>* rstd, const T* x, const T* w) {
  for_each_row(rows, n, [&](int64_t r) {
    const T* xr = x + r * n;
    T* yr = y + r * n;
    double ss = 0;
    for (int64_t j = 0; j < n; ++j) {
      double v = load_f(xr, j);
      ss += v * v;
    }
    double rs = 1.0 / std::sqrt(ss / (double)n + eps);
    for (int64_t j = 0; j < n; ++j) store_f(yr, j, (arith_t<T>)((double)load_f(xr, j) * rs * weight(w, j)));
    if (rstd) rstd[r] = (arith_t<T>)rs;
  });
}

template <typename T>
void rmsnorm_dx_kernel(int64_t rows, int64_t n, T* dx, const T* dy, const T* x, const T* w,
                       const arith_t<T>* rstd) {
  for_each_row(rows, n, [&](int64_t r) {
    const T* xr = x + r * n;
    const T* gr = dy + r * n;
    T* dr = dx + r * n;
    double rs = rstd[r], dot = 0;
    for (int64_t j = 0; j < n; ++j) dot += weight(w, j) * load_f(gr, j) * load_f(xr, j);
    double c = rs * rs * dot / (double)n;
    for (int64_t j = 0; j < n; ++j)
      store_f(dr, j, (arith_t<T>)rmsnorm_dx<double>(load_f(gr, j), load_f(xr, j), weight(w, j), rs, c));
  });
}

template <typename T>
void rmsnorm_dw_kernel(int64_t rows, int64_t n, arith_t<T>* dw, const T* dy, const T* x, const arith_t<T>* rstd) {
  int64_t tiles = (n + kColTile - 1) / kColTile;
  parallel_for(tiles, std::max<int64_t>(1, (int64_t(1) << 15) / (rows * kColTile + 1)), [&](int64_t b, int64_t e) {
    for (int64_t t = b; t < e; ++t) {
      int64_t j0 = t * kColTile, width = std::min(kColTile, n - j0);
      double acc[kColTile] = {};
      for (int64_t r = 0; r < rows; ++r) {
        const T* gr = dy + r * n + j0;
        const T* xr = x + r * n + j0;
        double rs = rstd[r];
        for (int64_t j = 0; j < width; ++j) acc[j] += (double)load_f(gr, j) * load_f(xr, j) * rs;
      }
      for (int64_t j = 0; j < width; ++j) dw[j0 + j] += (arith_t<T>)acc[j];
    }
  });
}

}  // namespace
}  // namespace statex

using namespace statex;

extern "C" {

STATEX_API statex_status statex_cpu_rmsnorm_fwd(int dtype, int64_t rows, int64_t n, double eps, void* y, void* rstd,
                                                const void* x, const void* w) {
  STX_TRY(check_rmsnorm_fwd(dtype, rows, n, eps, y, x));
  with_float_type(dtype, [&](auto t) {
    using T = decltype(t);
    rmsnorm_fwd_kernel(rows, n, eps, (T*)y, (arith_t<T>*)rstd, (const T*)x, (const T*)w);
  });
  return STATEX_OK;
}

STATEX_API statex_status statex_cpu_rmsnorm_bwd(int dtype, int64_t rows, int64_t n, void* dx, void* dw,
                                                const void* dy, const void* x, const void* w, const void* rstd) {
  STX_TRY(check_rmsnorm_bwd(dtype, rows, n, dx, dy, x, rstd));
  if (rows == 0) return STATEX_OK;
  with_float_type(dtype, [&](auto t) {
    using T = decltype(t);
    using W = arith_t<T>;
    rmsnorm_dx_kernel(rows, n, (T*)dx, (const T*)dy, (const T*)x, (const T*)w, (const W*)rstd);
    if (dw) rmsnorm_dw_kernel(rows, n, (W*)dw, (const T*)dy, (const T*)x, (const W*)rstd);
  });
  return STATEX_OK;
}

}  // extern "C"
