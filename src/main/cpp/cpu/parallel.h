// A small persistent thread pool for the CPU kernels: parallel_for splits [0, n) into contiguous
// ranges; work below the grain runs inline on the caller (no thread hand-off for small tensors).
#pragma once
#include <stdint.h>
#include <functional>

namespace statex {

int cpu_threads();
void set_cpu_threads(int n);
// fn(begin, end) over disjoint ranges covering [0, n); at least `grain` items per range.
void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

}  // namespace statex
