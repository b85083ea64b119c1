// SiLU and its derivative, shared by the CPU and CUDA conv1d kernels.
#pragma once
#include <math.h>
#include <stdint.h>
#include "common/dtype.h"
#include "common/hd.h"

namespace statex {

STX_HD float silu(float v) { return v / (1.f + expf(-v)); }
// d silu / d v = sigma(v) (1 + v (1 - sigma(v)))
STX_HD float silu_grad(float v) {
  float sg = 1.f / (1.f + expf(-v));
  return sg * (1.f + v * (1.f - sg));
}

// Pre-activation at token t, channel c, of a sequence starting at token `begin` (x is [tokens, Ch]): taps before
// the sequence start read zeros.
template <typename T>
STX_HD float conv1d_pre(const T* x, const float* weight, const float* bias, int64_t Ch, int W, int64_t begin,
                        int64_t t, int64_t c) {
  float acc = bias ? bias[c] : 0.f;
  for (int k = 0; k < W; ++k) {
    int64_t src = t - (W - 1) + k;
    if (src >= begin) acc = fmaf(weight[c * W + k], load_f(x, src * Ch + c), acc);
  }
  return acc;
}

// One decode step of one (row, channel): st[k * stride] holds the W-1 previous inputs, oldest first. Returns the
// output and shifts x into the state.
template <typename T>
STX_HD float conv1d_step_one(T* st, int64_t stride, T x, const float* w /* [W] */, float bias, int W, int silu_on) {
  float acc = bias;
  for (int k = 0; k < W - 1; ++k) acc = fmaf(w[k], load_f(st, k * stride), acc);
  acc = fmaf(w[W - 1], load_f(&x, 0), acc);
  for (int k = 0; k + 1 < W - 1; ++k) st[k * stride] = st[(k + 1) * stride];
  st[(W - 2) * stride] = x;
  return silu_on ? silu(acc) : acc;
}

}  // namespace statex
