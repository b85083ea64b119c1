// Per-token math of the SSD scan shared by the CPU and CUDA kernels: the discretisation step delta from the raw
// dt, and its derivative. One definition so that both backends clamp and threshold identically.
#pragma once
#include <math.h>
#include "common/hd.h"

namespace statex {

// Softplus as Mamba2 computes it: log(1 + e^v), and v itself above 20 (where the two agree to fp32 precision).
constexpr float kSoftplusThreshold = 20.f;

// delta = clamp(softplus?(raw + bias), lo, hi); *grad = d delta / d raw, zero where the clamp was active.
STX_HD float ssd_delta(float raw, float bias, int softplus, float lo, float hi, float* grad) {
  float v = raw + bias, d, g;
  if (softplus && v <= kSoftplusThreshold) {
    d = log1pf(expf(v));
    g = 1.f / (1.f + expf(-v));
  } else {
    d = v;
    g = 1.f;
  }
  if (d < lo) {
    d = lo;
    g = 0.f;
  } else if (d > hi) {
    d = hi;
    g = 0.f;
  }
  if (grad) *grad = g;
  return d;
}

// exp of a decay exponent that is <= 0 by construction (A <= 0, delta >= 0); the min keeps masked or padded
// entries from turning into exp(+large) = inf and then inf * 0 = NaN.
STX_HD float decay(float log_decay) { return expf(fminf(log_decay, 0.f)); }

// The CUDA pipeline keeps cumulative decays in log2 units (alpha * log2 e, scaled once in the cumsum stage), so
// each decay is one exp2 (the hardware ex2) instead of exp's extra multiply.
constexpr float kLog2e = 1.4426950408889634f;
STX_HD float decay2(float log2_decay) { return exp2f(fminf(log2_decay, 0.f)); }

}  // namespace statex
