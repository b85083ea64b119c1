/*
 * Elementwise ops over strided views: unary (with an optional scalar), binary with broadcasting,
 * casting copy, fill. One strided kernel covers contiguous tensors, views (transposed, sliced) and
 * broadcasting (stride 0) alike.
 *
 * Shapes: ndim <= STATEX_MAX_DIMS, shape[ndim] is the output shape; every operand has strides[ndim]
 * in elements (0 where it is broadcast). Float ops accept F32 and BF16 (computed in fp32, rounded to
 * nearest even on store) and, on the CPU, F64 (computed in double); out, a and b share one dtype.
 * ndim = 0 means one element.
 */
#ifndef STATEX_ELEMENTWISE_H
#define STATEX_ELEMENTWISE_H

#include "statex/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Unary ops. Those marked (s) use the scalar argument; the others ignore it. */
typedef enum statex_unary_op {
  STATEX_NEG = 0,
  STATEX_EXP = 1,
  STATEX_LOG = 2,
  STATEX_SIGMOID = 3,
  STATEX_SILU = 4,        /* x * sigmoid(x) (= swish) */
  STATEX_LOGSIGMOID = 5,  /* -softplus(-x), stable for large |x| */
  STATEX_SOFTPLUS = 6,    /* log(1 + e^x), identity above 20 (as PyTorch's threshold) */
  STATEX_TANH = 7,
  STATEX_SQRT = 8,
  STATEX_RSQRT = 9,
  STATEX_ABS = 10,
  STATEX_RELU = 11,
  STATEX_SQUARE = 12,
  STATEX_RECIPROCAL = 13,
  STATEX_ADD_SCALAR = 14, /* (s) x + s */
  STATEX_MUL_SCALAR = 15, /* (s) x * s */
  STATEX_POW_SCALAR = 16, /* (s) x ^ s */
  STATEX_RSUB_SCALAR = 17,/* (s) s - x */
  STATEX_CLAMP_MIN = 18,  /* (s) max(x, s) */
  STATEX_CLAMP_MAX = 19,  /* (s) min(x, s) */
  STATEX_UNARY_OP_COUNT = 20
} statex_unary_op;

typedef enum statex_binary_op {
  STATEX_ADD = 0,
  STATEX_SUB = 1,
  STATEX_MUL = 2,
  STATEX_DIV = 3,
  STATEX_MAXIMUM = 4,
  STATEX_MINIMUM = 5,
  STATEX_BINARY_OP_COUNT = 6
} statex_binary_op;

/* out = op(x, scalar) */
STATEX_API statex_status statex_cpu_unary(int op, int dtype, int ndim, const int64_t* shape,
                                          void* out, const int64_t* out_strides,
                                          const void* x, const int64_t* x_strides, double scalar);
/* dx = dy * d op(x)/dx, for every unary op (the scalar as in the forward). */
STATEX_API statex_status statex_cpu_unary_bwd(int op, int dtype, int ndim, const int64_t* shape,
                                              void* dx, const int64_t* dx_strides,
                                              const void* dy, const int64_t* dy_strides,
                                              const void* x, const int64_t* x_strides, double scalar);
/* out = a op b (a, b broadcast to shape through their strides). */
STATEX_API statex_status statex_cpu_binary(int op, int dtype, int ndim, const int64_t* shape,
                                           void* out, const int64_t* out_strides,
                                           const void* a, const int64_t* a_strides,
                                           const void* b, const int64_t* b_strides);
/* dst = (dst_dtype) src, any pair of the five dtypes (F64 on the CPU only), strided on both sides.
 * Float -> int truncates toward zero; F32 -> BF16, F64 -> F32 and F64 -> BF16 round once to nearest even
 * (NaN stays NaN). */
STATEX_API statex_status statex_cpu_copy(int ndim, const int64_t* shape,
                                         void* dst, int dst_dtype, const int64_t* dst_strides,
                                         const void* src, int src_dtype, const int64_t* src_strides);
/* dst[0..n) = value (converted to dtype), contiguous. */
STATEX_API statex_status statex_cpu_fill(int dtype, int64_t n, void* dst, double value);

STATEX_API statex_status statex_cuda_unary(int op, int dtype, int ndim, const int64_t* shape,
                                           void* out, const int64_t* out_strides,
                                           const void* x, const int64_t* x_strides, double scalar, void* stream);
STATEX_API statex_status statex_cuda_unary_bwd(int op, int dtype, int ndim, const int64_t* shape,
                                               void* dx, const int64_t* dx_strides,
                                               const void* dy, const int64_t* dy_strides,
                                               const void* x, const int64_t* x_strides, double scalar, void* stream);
STATEX_API statex_status statex_cuda_binary(int op, int dtype, int ndim, const int64_t* shape,
                                            void* out, const int64_t* out_strides,
                                            const void* a, const int64_t* a_strides,
                                            const void* b, const int64_t* b_strides, void* stream);
STATEX_API statex_status statex_cuda_copy(int ndim, const int64_t* shape,
                                          void* dst, int dst_dtype, const int64_t* dst_strides,
                                          const void* src, int src_dtype, const int64_t* src_strides, void* stream);
STATEX_API statex_status statex_cuda_fill(int dtype, int64_t n, void* dst, double value, void* stream);

#ifdef __cplusplus
}
#endif
#endif
