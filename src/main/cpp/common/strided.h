// Offsets of element `linear` (row-major over shape) in up to three strided operands.
#pragma once
#include <stdint.h>
#include "common/hd.h"
#include "statex/core.h"

namespace statex {

// Shape and strides packed by value (kernel argument on CUDA, plain struct on the CPU).
struct StridedND {
  int ndim;
  int64_t shape[STATEX_MAX_DIMS];
  int64_t stride[3][STATEX_MAX_DIMS];
};

inline StridedND make_strided(int ndim, const int64_t* shape, const int64_t* s0, const int64_t* s1,
                              const int64_t* s2) {
  StridedND nd{};
  nd.ndim = ndim;
  for (int d = 0; d < ndim; ++d) {
    nd.shape[d] = shape[d];
    nd.stride[0][d] = s0 ? s0[d] : 0;
    nd.stride[1][d] = s1 ? s1[d] : 0;
    nd.stride[2][d] = s2 ? s2[d] : 0;
  }
  return nd;
}

// Offsets (in elements) of the element with row-major index `linear` for each of the operands.
STX_HD void strided_offsets(const StridedND& nd, int64_t linear, int64_t* o0, int64_t* o1, int64_t* o2) {
  int64_t a = 0, b = 0, c = 0;
  for (int d = nd.ndim - 1; d >= 0; --d) {
    int64_t i = linear % nd.shape[d];
    linear /= nd.shape[d];
    a += i * nd.stride[0][d];
    b += i * nd.stride[1][d];
    c += i * nd.stride[2][d];
  }
  *o0 = a;
  *o1 = b;
  *o2 = c;
}

}  // namespace statex
