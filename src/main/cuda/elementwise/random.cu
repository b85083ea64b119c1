// CUDA counter-based random fill (statex/random.h): the same Philox stream as the CPU.
#include "common/dtype.h"
#include "common/philox.h"
#include "cuda_util.cuh"
#include "statex/random.h"

namespace statex {
namespace {
__global__ void random_kernel(int dist, int dtype, int64_t n, void* dst, uint64_t seed, uint64_t offset, double a,
                              double b) {
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
    uint64_t index = offset + (uint64_t)i;
    double v = dist == STATEX_UNIFORM ? (double)philox_uniform(index, seed, (float)a, (float)b)
                                      : philox_normal(index, seed, a, b);
    store_any(dst, dtype, i, v);
  }
}
}  // namespace
}  // namespace statex

using namespace statex;

extern "C" STATEX_API statex_status statex_cuda_random(int dist, int dtype, int64_t n, void* dst, uint64_t seed,
                                                       uint64_t offset, double a, double b, void* stream) {
  STX_TRY(check_cuda_dtype("random", dtype));
  STX_TRY(check_random(dist, dtype, n, dst, a, b));
  if (n == 0) return STATEX_OK;
  random_kernel<<<grid_for(n, 256), 256, 0, as_stream(stream)>>>(dist, dtype, n, dst, seed, offset, a, b);
  return check_launch("random_kernel");
}
