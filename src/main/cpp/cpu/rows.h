// Row-parallel loops for the CPU kernels over [rows, n] data (softmax, RMSNorm).
#pragma once
#include <stdint.h>

#include <algorithm>

#include "cpu/parallel.h"

namespace statex {

// fn(r) for every row r in [0, rows), in parallel; a thread takes at least ~16K elements of rows.
template <typename Fn>
void for_each_row(int64_t rows, int64_t n, Fn fn) {
  parallel_for(rows, std::max<int64_t>(1, (int64_t(1) << 14) / n), [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) fn(r);
  });
}

}  // namespace statex
