// SiLU and its derivative, shared by the CPU and CUDA conv1d kernels.
#pragma once
#include <math.h>
#include "common/hd.h"

namespace statex {

STX_HD float silu(float v) { return v / (1.f + expf(-v)); }
// d silu / d v = sigma(v) (1 + v (1 - sigma(v)))
STX_HD float silu_grad(float v) {
  float sg = 1.f / (1.f + expf(-v));
  return sg * (1.f + v * (1.f - sg));
}

}  // namespace statex
