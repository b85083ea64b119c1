// CPU counter-based random fill (statex/random.h).
#include "common/check.h"
#include "common/dtype.h"
#include "common/philox.h"
#include "cpu/parallel.h"
#include "statex/random.h"

using namespace statex;

extern "C" STATEX_API statex_status statex_cpu_random(int dist, int dtype, int64_t n, void* dst, uint64_t seed,
                                                      uint64_t offset, double a, double b) {
  STX_TRY(check_random(dist, dtype, n, dst, a, b));
  parallel_for(n, 1 << 14, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      uint64_t index = offset + (uint64_t)i;
      double v = dist == STATEX_NORMAL   ? philox_normal(index, seed, a, b)
                 : dtype == STATEX_F64 ? philox_uniform_double(index, seed, a, b)
                                       : (double)philox_uniform(index, seed, (float)a, (float)b);
      store_any(dst, dtype, i, v);
    }
  });
  return STATEX_OK;
}
