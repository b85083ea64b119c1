// The math of every unary and binary op, once, for the CPU and CUDA kernels (fp32 in, fp32 out).
#pragma once
#include <math.h>
#include "common/hd.h"
#include "statex/elementwise.h"

namespace statex {

STX_HD float sigmoidf_(float x) { return 1.0f / (1.0f + expf(-x)); }
// log(1 + e^x) with PyTorch's threshold: identity above 20, log1p(exp) below.
STX_HD float softplusf_(float x) { return x > 20.0f ? x : log1pf(expf(x)); }

STX_HD float unary_apply(int op, float x, float s) {
  switch (op) {
    case STATEX_NEG: return -x;
    case STATEX_EXP: return expf(x);
    case STATEX_LOG: return logf(x);
    case STATEX_SIGMOID: return sigmoidf_(x);
    case STATEX_SILU: return x * sigmoidf_(x);
    case STATEX_LOGSIGMOID: return -softplusf_(-x);
    case STATEX_SOFTPLUS: return softplusf_(x);
    case STATEX_TANH: return tanhf(x);
    case STATEX_SQRT: return sqrtf(x);
    case STATEX_RSQRT: return 1.0f / sqrtf(x);
    case STATEX_ABS: return fabsf(x);
    case STATEX_RELU: return x > 0.0f ? x : 0.0f;
    case STATEX_SQUARE: return x * x;
    case STATEX_RECIPROCAL: return 1.0f / x;
    case STATEX_ADD_SCALAR: return x + s;
    case STATEX_MUL_SCALAR: return x * s;
    case STATEX_POW_SCALAR: return powf(x, s);
    case STATEX_RSUB_SCALAR: return s - x;
    case STATEX_CLAMP_MIN: return x < s ? s : x;  // NaN propagates
    case STATEX_CLAMP_MAX: return x > s ? s : x;
    default: return NAN;
  }
}

// d op(x) / dx (the backward multiplies by dy).
STX_HD float unary_derivative(int op, float x, float s) {
  switch (op) {
    case STATEX_NEG: return -1.0f;
    case STATEX_EXP: return expf(x);
    case STATEX_LOG: return 1.0f / x;
    case STATEX_SIGMOID: { float y = sigmoidf_(x); return y * (1.0f - y); }
    case STATEX_SILU: { float y = sigmoidf_(x); return y * (1.0f + x * (1.0f - y)); }
    case STATEX_LOGSIGMOID: return sigmoidf_(-x);
    case STATEX_SOFTPLUS: return x > 20.0f ? 1.0f : sigmoidf_(x);
    case STATEX_TANH: { float y = tanhf(x); return 1.0f - y * y; }
    case STATEX_SQRT: return 0.5f / sqrtf(x);
    case STATEX_RSQRT: return -0.5f / (x * sqrtf(x));
    case STATEX_ABS: return x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : 0.0f);
    case STATEX_RELU: return x > 0.0f ? 1.0f : 0.0f;
    case STATEX_SQUARE: return 2.0f * x;
    case STATEX_RECIPROCAL: return -1.0f / (x * x);
    case STATEX_ADD_SCALAR: return 1.0f;
    case STATEX_MUL_SCALAR: return s;
    case STATEX_POW_SCALAR: return s == 0.0f ? 0.0f : s * powf(x, s - 1.0f);
    case STATEX_RSUB_SCALAR: return -1.0f;
    case STATEX_CLAMP_MIN: return x >= s ? 1.0f : 0.0f;
    case STATEX_CLAMP_MAX: return x <= s ? 1.0f : 0.0f;
    default: return NAN;
  }
}

STX_HD float binary_apply(int op, float a, float b) {
  switch (op) {
    case STATEX_ADD: return a + b;
    case STATEX_SUB: return a - b;
    case STATEX_MUL: return a * b;
    case STATEX_DIV: return a / b;
    case STATEX_MAXIMUM: return (a != a || a > b) ? a : b;  // NaN propagates
    case STATEX_MINIMUM: return (a != a || a < b) ? a : b;
    default: return NAN;
  }
}

}  // namespace statex
