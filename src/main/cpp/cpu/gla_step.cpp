/*
 * The GLA decode step on the CPU (statex/gla.h): one token per sequence, state updated in place.
 *     S <- diag(e^{g}) S + k v^T,    o = scale S^T q
 * Layouts: q, k, g [N, H, K]; v, o [N, H, V]; S [N, H, K, V] fp32 (F64 with F64 inputs). Double arithmetic;
 * the state is rounded to its storage type once per step, o is read from the unrounded update.
 */
#include <math.h>

#include <algorithm>

#include "common/check.h"
#include "common/dtype.h"
#include "common/gla_check.h"
#include "cpu/parallel.h"
#include "statex/gla.h"

namespace statex {
namespace {

// S is the state's storage type: float, or double with F64 inputs.
template <typename S>
void step(void* o, S* state, const void* q, const void* k, const void* v, const void* g, int dtype, int g_dtype,
          double scale, int64_t N, int64_t H, int64_t K, int64_t V) {
  parallel_for(N * H, 1, [&](int64_t b, int64_t e) {
    double out[kGlaMaxDim];  // V <= kGlaMaxDim; no allocation inside the pool's threads
    for (int64_t i = b; i < e; ++i) {  // i = n * H + h
      S* st = state + i * K * V;
      std::fill(out, out + V, 0.0);
      for (int64_t c = 0; c < K; ++c) {
        const double decay = exp(load_any(g, g_dtype, i * K + c));
        const double kc = load_any(k, dtype, i * K + c), qc = scale * load_any(q, dtype, i * K + c);
        S* row = st + c * V;
        for (int64_t x = 0; x < V; ++x) {
          const double s = decay * row[x] + kc * load_any(v, dtype, i * V + x);
          row[x] = (S)s;
          out[x] += qc * s;
        }
      }
      for (int64_t x = 0; x < V; ++x) store_any(o, dtype, i * V + x, out[x]);
    }
  });
}

}  // namespace
}  // namespace statex

using namespace statex;

extern "C" {

STATEX_API statex_status statex_cpu_gla_step(void* o, void* state, const void* q, const void* k, const void* v,
                                             const void* g, int dtype, int g_dtype, double scale, int64_t N,
                                             int64_t H, int64_t K, int64_t V) {
  STX_TRY(check_gla_step(dtype, g_dtype, scale, N, H, K, V, o, state, q, k, v, g));
  if (dtype == STATEX_F64)
    step(o, (double*)state, q, k, v, g, dtype, g_dtype, scale, N, H, K, V);
  else
    step(o, (float*)state, q, k, v, g, dtype, g_dtype, scale, N, H, K, V);
  return STATEX_OK;
}

}  // extern "C"
