// The thread-local last-error message. Compiled into each native library separately, so libstatex and
// libstatex_cuda each keep their own (read through statex_cpu_last_error / statex_cuda_last_error).
#include <stdio.h>
#include "common/check.h"

namespace statex {

static thread_local char g_last_error[1024] = "";

statex_status set_error(statex_status status, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  vsnprintf(g_last_error, sizeof g_last_error, fmt, args);
  va_end(args);
  return status;
}

void clear_error() { g_last_error[0] = '\0'; }

const char* last_error() { return g_last_error; }

}  // namespace statex
