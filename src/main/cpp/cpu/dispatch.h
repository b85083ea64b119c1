// Runtime dtype to storage type for the templated CPU kernels.
#pragma once
#include <stdint.h>

#include "statex/core.h"

namespace statex {

// Calls fn(T()) with the storage type T of a float dtype that the caller has validated: float (F32),
// uint16_t (BF16) or double (F64).
template <typename Fn>
void with_float_type(int dtype, Fn&& fn) {
  if (dtype == STATEX_F32) {
    fn(float());
  } else if (dtype == STATEX_F64) {
    fn(double());
  } else {
    fn(uint16_t());
  }
}

}  // namespace statex
