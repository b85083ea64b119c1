// Helpers shared by the CUDA entries: error translation, launch checks, grid sizing.
#pragma once
#include <cuda_runtime.h>
#include <stdint.h>

#include "common/check.h"

namespace statex {

inline statex_status cuda_fail(cudaError_t err, const char* what) {
  return set_error(err == cudaErrorMemoryAllocation ? STATEX_ERR_OUT_OF_MEMORY : STATEX_ERR_CUDA,
                   "%s: %s (%s, code %d)", what, cudaGetErrorString(err), cudaGetErrorName(err), (int)err);
}

#define STX_CUDA(call)                                              \
  do {                                                              \
    cudaError_t stx_e_ = (call);                                    \
    if (stx_e_ != cudaSuccess) return ::statex::cuda_fail(stx_e_, #call); \
  } while (0)

// After a launch: report configuration errors (bad grid, too much shared memory) immediately.
inline statex_status check_launch(const char* kernel) {
  cudaError_t e = cudaGetLastError();
  return e == cudaSuccess ? STATEX_OK : cuda_fail(e, kernel);
}

inline cudaStream_t as_stream(void* s) { return (cudaStream_t)s; }

// Grid for a grid-stride loop over n items.
inline unsigned grid_for(int64_t n, int block) {
  int64_t g = (n + block - 1) / block;
  if (g > 65535LL * 32) g = 65535LL * 32;
  return (unsigned)(g < 1 ? 1 : g);
}

}  // namespace statex
