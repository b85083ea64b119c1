// CPU reductions along one axis (statex/reduce.h): in [outer, n, inner] -> out [outer, inner].
// Work is split into tasks of one outer index and a tile of up to kTile inner indices; a task walks
// the reduced axis once, reading kTile contiguous elements per step, so that inner > 1 stays
// cache-friendly. Sums accumulate in double, MAX/MIN compare in the data's arithmetic type (fp32, or
// double for F64: exact for any input).
#include <algorithm>

#include "common/check.h"
#include "common/dtype.h"
#include "common/reduce_math.h"
#include "cpu/dispatch.h"
#include "cpu/parallel.h"
#include "statex/reduce.h"

namespace statex {
namespace {

constexpr int64_t kTile = 64;         // inner indices per task
constexpr int64_t kGrain = 1 << 15;   // elements read per thread hand-off, at least

template <typename T>
void sum_tile(const T* in, int64_t n, int64_t inner, int64_t width, double divisor, T* out) {
  double acc[kTile] = {};
  for (int64_t k = 0; k < n; ++k) {
    const T* row = in + k * inner;
    for (int64_t i = 0; i < width; ++i) acc[i] += load_f(row, i);
  }
  for (int64_t i = 0; i < width; ++i) store_f(out, i, (arith_t<T>)(acc[i] / divisor));
}

template <typename T>
void extreme_tile(bool is_max, const T* in, int64_t n, int64_t inner, int64_t width, T* out, int64_t* argmax) {
  arith_t<T> best[kTile];
  int64_t arg[kTile];
  for (int64_t i = 0; i < width; ++i) best[i] = load_f(in, i), arg[i] = 0;
  for (int64_t k = 1; k < n; ++k) {
    const T* row = in + k * inner;
    for (int64_t i = 0; i < width; ++i) {
      arith_t<T> v = load_f(row, i);
      if (reduce_prefer(is_max, v, k, best[i], arg[i])) best[i] = v, arg[i] = k;
    }
  }
  for (int64_t i = 0; i < width; ++i) store_f(out, i, best[i]);
  if (argmax)
    for (int64_t i = 0; i < width; ++i) argmax[i] = arg[i];
}

template <typename T>
void reduce_kernel(int op, int64_t outer, int64_t n, int64_t inner, T* out, int64_t* argmax, const T* in) {
  int64_t tiles = (inner + kTile - 1) / kTile;
  int64_t grain = std::max<int64_t>(1, kGrain / (n * std::min(inner, kTile)));
  parallel_for(outer * tiles, grain, [&](int64_t b, int64_t e) {
    for (int64_t task = b; task < e; ++task) {
      int64_t o = task / tiles, i0 = (task % tiles) * kTile, width = std::min(kTile, inner - i0);
      const T* src = in + o * n * inner + i0;
      int64_t dst = o * inner + i0;
      if (op == STATEX_SUM || op == STATEX_MEAN)
        sum_tile(src, n, inner, width, op == STATEX_MEAN ? (double)n : 1.0, out + dst);
      else
        extreme_tile(op == STATEX_MAX, src, n, inner, width, out + dst, argmax ? argmax + dst : nullptr);
    }
  });
}

}  // namespace
}  // namespace statex

using namespace statex;

extern "C" STATEX_API statex_status statex_cpu_reduce(int op, int dtype, int64_t outer, int64_t n, int64_t inner,
                                                      void* out, int64_t* argmax, const void* in) {
  STX_TRY(check_reduce(op, dtype, outer, n, inner, out, argmax, in));
  if (outer * inner == 0) return STATEX_OK;
  with_float_type(dtype, [&](auto t) {
    using T = decltype(t);
    reduce_kernel(op, outer, n, inner, (T*)out, argmax, (const T*)in);
  });
  return STATEX_OK;
}
