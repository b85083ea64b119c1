// Per-token math of the SSD scan shared by the CPU and CUDA kernels: the discretisation step delta from the raw
// dt, and its derivative. One definition so that both backends clamp and threshold identically.
#pragma once
#include <math.h>
#include "common/fmath.h"
#include "common/hd.h"

namespace statex {

// Softplus as Mamba2 computes it: log(1 + e^v), and v itself above 20 (where the two agree to fp32 precision).
constexpr float kSoftplusThreshold = 20.f;

// delta = clamp(softplus?(raw + bias), lo, hi); *grad = d delta / d raw, zero where the clamp was active. R is
// the arithmetic type, named by the caller: float, or double for F64 data (CPU only).
template <typename R>
STX_HD R ssd_delta_as(R raw, R bias, int softplus, R lo, R hi, R* grad) {
  R v = raw + bias, d, g;
  if (softplus && v <= R(kSoftplusThreshold)) {
    d = m_log1p(m_exp(v));
    g = R(1) / (R(1) + m_exp(-v));
  } else {
    d = v;
    g = R(1);
  }
  if (d < lo) {
    d = lo;
    g = R(0);
  } else if (d > hi) {
    d = hi;
    g = R(0);
  }
  if (grad) *grad = g;
  return d;
}
STX_HD float ssd_delta(float raw, float bias, int softplus, float lo, float hi, float* grad) {
  return ssd_delta_as<float>(raw, bias, softplus, lo, hi, grad);
}

// exp of a decay exponent that is <= 0 by construction (A <= 0, delta >= 0); the min keeps masked or padded
// entries from turning into exp(+large) = inf and then inf * 0 = NaN. Exponents arrive as differences of cumulative
// sums kept in double: in fp32 a sum of magnitude 25 carries an absolute error near 1.5e-6, which would become the
// relative error of every decay between neighbouring tokens late in a chunk.
STX_HD float decay(double log_decay) { return expf((float)fmin(log_decay, 0.0)); }
// The same in double, for F64 data (CPU only).
STX_HD double decay_f64(double log_decay) { return exp(fmin(log_decay, 0.0)); }

// The CUDA pipeline keeps cumulative decays in log2 units (alpha * log2 e, scaled once in the cumsum stage), so
// each decay is one exp2 (the hardware ex2) instead of exp's extra multiply.
constexpr double kLog2e = 1.4426950408889634;
STX_HD float decay2(double log2_decay) { return exp2f((float)fmin(log2_decay, 0.0)); }

}  // namespace statex
