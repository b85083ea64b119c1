// The math of every unary and binary op, once, for the CPU and CUDA kernels. R is the arithmetic type:
// float for F32 and BF16 data (the fp32 libm calls, as fast as ever), double for F64 data (CPU only).
#pragma once
#include <math.h>
#include "common/fmath.h"
#include "common/hd.h"
#include "statex/elementwise.h"

namespace statex {

template <typename R>
STX_HD R sigmoid_(R x) {
  return R(1) / (R(1) + m_exp(-x));
}
// log(1 + e^x) with PyTorch's threshold: identity above 20, log1p(exp) below.
template <typename R>
STX_HD R softplus_(R x) {
  return x > R(20) ? x : m_log1p(m_exp(x));
}

template <typename R>
STX_HD R unary_apply(int op, R x, R s) {
  switch (op) {
    case STATEX_NEG: return -x;
    case STATEX_EXP: return m_exp(x);
    case STATEX_LOG: return m_log(x);
    case STATEX_SIGMOID: return sigmoid_(x);
    case STATEX_SILU: return x * sigmoid_(x);
    case STATEX_LOGSIGMOID: return -softplus_(-x);
    case STATEX_SOFTPLUS: return softplus_(x);
    case STATEX_TANH: return m_tanh(x);
    case STATEX_SQRT: return m_sqrt(x);
    case STATEX_RSQRT: return R(1) / m_sqrt(x);
    case STATEX_ABS: return m_fabs(x);
    case STATEX_RELU: return x > R(0) ? x : R(0);
    case STATEX_SQUARE: return x * x;
    case STATEX_RECIPROCAL: return R(1) / x;
    case STATEX_ADD_SCALAR: return x + s;
    case STATEX_MUL_SCALAR: return x * s;
    case STATEX_POW_SCALAR: return m_pow(x, s);
    case STATEX_RSUB_SCALAR: return s - x;
    case STATEX_CLAMP_MIN: return x < s ? s : x;  // NaN propagates
    case STATEX_CLAMP_MAX: return x > s ? s : x;
    default: return R(NAN);
  }
}

// d op(x) / dx (the backward multiplies by dy).
template <typename R>
STX_HD R unary_derivative(int op, R x, R s) {
  switch (op) {
    case STATEX_NEG: return R(-1);
    case STATEX_EXP: return m_exp(x);
    case STATEX_LOG: return R(1) / x;
    case STATEX_SIGMOID: { R y = sigmoid_(x); return y * (R(1) - y); }
    case STATEX_SILU: { R y = sigmoid_(x); return y * (R(1) + x * (R(1) - y)); }
    case STATEX_LOGSIGMOID: return sigmoid_(-x);
    case STATEX_SOFTPLUS: return x > R(20) ? R(1) : sigmoid_(x);
    case STATEX_TANH: { R y = m_tanh(x); return R(1) - y * y; }
    case STATEX_SQRT: return R(0.5) / m_sqrt(x);
    case STATEX_RSQRT: return R(-0.5) / (x * m_sqrt(x));
    case STATEX_ABS: return x > R(0) ? R(1) : (x < R(0) ? R(-1) : R(0));
    case STATEX_RELU: return x > R(0) ? R(1) : R(0);
    case STATEX_SQUARE: return R(2) * x;
    case STATEX_RECIPROCAL: return R(-1) / (x * x);
    case STATEX_ADD_SCALAR: return R(1);
    case STATEX_MUL_SCALAR: return s;
    case STATEX_POW_SCALAR: return s == R(0) ? R(0) : s * m_pow(x, s - R(1));
    case STATEX_RSUB_SCALAR: return R(-1);
    case STATEX_CLAMP_MIN: return x >= s ? R(1) : R(0);
    case STATEX_CLAMP_MAX: return x <= s ? R(1) : R(0);
    default: return R(NAN);
  }
}

template <typename R>
STX_HD R binary_apply(int op, R a, R b) {
  switch (op) {
    case STATEX_ADD: return a + b;
    case STATEX_SUB: return a - b;
    case STATEX_MUL: return a * b;
    case STATEX_DIV: return a / b;
    case STATEX_MAXIMUM: return (a != a || a > b) ? a : b;  // NaN propagates
    case STATEX_MINIMUM: return (a != a || a < b) ? a : b;
    default: return R(NAN);
  }
}

}  // namespace statex
