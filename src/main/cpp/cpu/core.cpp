// libstatex basics: ABI version, last error, C library version, threads, host memory.
#include <gnu/libc-version.h>
#include <stdlib.h>
#include <string.h>

#include "common/check.h"
#include "cpu/parallel.h"
#include "statex/memory.h"

namespace statex {
const char* last_error();
}

extern "C" {

STATEX_API int statex_cpu_abi_version(void) { return STATEX_ABI_VERSION; }
STATEX_API const char* statex_cpu_last_error(void) { return statex::last_error(); }
STATEX_API const char* statex_cpu_libc_version(void) { return gnu_get_libc_version(); }
STATEX_API int statex_cpu_num_threads(void) { return statex::cpu_threads(); }
STATEX_API void statex_cpu_set_num_threads(int n) { statex::set_cpu_threads(n); }

STATEX_API statex_status statex_cpu_alloc(void** out, int64_t bytes) {
  STX_TRY(statex::check_ptr("alloc out", out));
  STX_TRY(statex::check_nonneg("alloc bytes", bytes));
  // 64-byte alignment (cache line, AVX-512); aligned_alloc needs a multiple of the alignment.
  size_t size = (size_t)((bytes + 63) / 64 * 64);
  void* p = aligned_alloc(64, size == 0 ? 64 : size);
  if (!p) return statex::set_error(STATEX_ERR_OUT_OF_MEMORY, "host allocation of %lld bytes failed", (long long)bytes);
  *out = p;
  return STATEX_OK;
}

STATEX_API statex_status statex_cpu_free(void* ptr) {
  free(ptr);
  return STATEX_OK;
}

STATEX_API statex_status statex_cpu_memcpy(void* dst, const void* src, int64_t bytes) {
  STX_TRY(statex::check_nonneg("memcpy bytes", bytes));
  if (bytes == 0) return STATEX_OK;
  STX_TRY(statex::check_ptr("memcpy dst", dst));
  STX_TRY(statex::check_ptr("memcpy src", src));
  memcpy(dst, src, (size_t)bytes);
  return STATEX_OK;
}

}  // extern "C"
