// SiLU and its derivative, shared by the CPU and CUDA conv1d kernels.
#pragma once
#include <math.h>
#include <stdint.h>
#include "common/dtype.h"
#include "common/fmath.h"
#include "common/hd.h"

namespace statex {

// R is the arithmetic type: float, or double for F64 data (CPU only).
template <typename R>
STX_HD R silu(R v) {
  return v / (R(1) + m_exp(-v));
}
// d silu / d v = sigma(v) (1 + v (1 - sigma(v)))
template <typename R>
STX_HD R silu_grad(R v) {
  R sg = R(1) / (R(1) + m_exp(-v));
  return sg * (R(1) + v * (R(1) - sg));
}

// Pre-activation at token t, channel c, of a sequence starting at token `begin` (x is [tokens, Ch]): taps before
// the sequence start read zeros. R (the weight's type) is the arithmetic type.
template <typename T, typename R>
STX_HD R conv1d_pre(const T* x, const R* weight, const R* bias, int64_t Ch, int W, int64_t begin, int64_t t,
                    int64_t c) {
  R acc = bias ? bias[c] : R(0);
  for (int k = 0; k < W; ++k) {
    int64_t src = t - (W - 1) + k;
    if (src >= begin) acc = m_fma(weight[c * W + k], (R)load_f(x, src * Ch + c), acc);
  }
  return acc;
}

// One decode step of one (row, channel): st[k * stride] holds the W-1 previous inputs, oldest first. Returns the
// output and shifts x into the state.
template <typename T, typename R>
STX_HD R conv1d_step_one(T* st, int64_t stride, T x, const R* w /* [W] */, R bias, int W, int silu_on) {
  R acc = bias;
  for (int k = 0; k < W - 1; ++k) acc = m_fma(w[k], (R)load_f(st, k * stride), acc);
  acc = m_fma(w[W - 1], (R)load_f(&x, 0), acc);
  for (int k = 0; k + 1 < W - 1; ++k) st[k * stride] = st[(k + 1) * stride];
  st[(W - 2) * stride] = x;
  return silu_on ? silu(acc) : acc;
}

}  // namespace statex
