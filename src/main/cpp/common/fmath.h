// libm at the precision of the argument (expf for float, exp for double, ...), host and device, so that one
// templated definition of the math serves fp32 data (the fp32 calls, as fast as ever) and F64 data (double).
#pragma once
#include <math.h>
#include "common/hd.h"

namespace statex {

STX_HD float m_exp(float x) { return expf(x); }
STX_HD double m_exp(double x) { return exp(x); }
STX_HD float m_log(float x) { return logf(x); }
STX_HD double m_log(double x) { return log(x); }
STX_HD float m_log1p(float x) { return log1pf(x); }
STX_HD double m_log1p(double x) { return log1p(x); }
STX_HD float m_tanh(float x) { return tanhf(x); }
STX_HD double m_tanh(double x) { return tanh(x); }
STX_HD float m_sqrt(float x) { return sqrtf(x); }
STX_HD double m_sqrt(double x) { return sqrt(x); }
STX_HD float m_fabs(float x) { return fabsf(x); }
STX_HD double m_fabs(double x) { return fabs(x); }
STX_HD float m_pow(float x, float y) { return powf(x, y); }
STX_HD double m_pow(double x, double y) { return pow(x, y); }
STX_HD float m_fma(float a, float b, float c) { return fmaf(a, b, c); }
STX_HD double m_fma(double a, double b, double c) { return fma(a, b, c); }

}  // namespace statex
