/*
 * Reductions along one axis and row-wise normalisations. Inputs are contiguous and viewed as
 * [outer, n, inner] (reduce) or [rows, n] (softmax, RMSNorm); the Java side makes them so.
 * F32 and BF16 data; accumulation in fp32 (sums use pairwise/Kahan-free fp32 on CUDA, double on CPU).
 * The CPU entries also take F64 data (computed in double; the CUDA entries reject it).
 */
#ifndef STATEX_REDUCE_H
#define STATEX_REDUCE_H

#include "statex/core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum statex_reduce_op {
  STATEX_SUM = 0,
  STATEX_MEAN = 1,
  STATEX_MAX = 2, /* the first index of the maximum goes to argmax when given (I64); NaN wins */
  STATEX_MIN = 3,
  STATEX_REDUCE_OP_COUNT = 4
} statex_reduce_op;

/* out[o, i] = reduce_k in[o, k, i]; argmax may be NULL (MAX/MIN only). n >= 1. */
STATEX_API statex_status statex_cpu_reduce(int op, int dtype, int64_t outer, int64_t n, int64_t inner,
                                           void* out, int64_t* argmax, const void* in);
/* out = softmax(in) or log_softmax(in) over each row of n. */
STATEX_API statex_status statex_cpu_softmax(int dtype, int log, int64_t rows, int64_t n, void* out, const void* in);
/* dx from y (the forward output) and dy. softmax: dx = y * (dy - sum(dy*y)); log: dx = dy - e^y sum(dy). */
STATEX_API statex_status statex_cpu_softmax_bwd(int dtype, int log, int64_t rows, int64_t n,
                                                void* dx, const void* y, const void* dy);
/* y = x * rsqrt(mean(x^2) + eps) * w (w may be NULL = ones); rstd ([rows], may be NULL) keeps
 * 1/rms for the backward. y, x, w share dtype. rstd is F32, or F64 when dtype is F64 (CPU only). */
STATEX_API statex_status statex_cpu_rmsnorm_fwd(int dtype, int64_t rows, int64_t n, double eps,
                                                void* y, void* rstd, const void* x, const void* w);
/* dx (dtype) and dw ([n], accumulated into: dw += ..., may be NULL) from dy, x, w, rstd. dw and rstd
 * are F32, or F64 when dtype is F64. */
STATEX_API statex_status statex_cpu_rmsnorm_bwd(int dtype, int64_t rows, int64_t n,
                                                void* dx, void* dw, const void* dy, const void* x,
                                                const void* w, const void* rstd);

STATEX_API statex_status statex_cuda_reduce(int op, int dtype, int64_t outer, int64_t n, int64_t inner,
                                            void* out, int64_t* argmax, const void* in, void* stream);
STATEX_API statex_status statex_cuda_softmax(int dtype, int log, int64_t rows, int64_t n, void* out,
                                             const void* in, void* stream);
STATEX_API statex_status statex_cuda_softmax_bwd(int dtype, int log, int64_t rows, int64_t n,
                                                 void* dx, const void* y, const void* dy, void* stream);
STATEX_API statex_status statex_cuda_rmsnorm_fwd(int dtype, int64_t rows, int64_t n, double eps,
                                                 void* y, float* rstd, const void* x, const void* w, void* stream);
STATEX_API statex_status statex_cuda_rmsnorm_bwd(int dtype, int64_t rows, int64_t n,
                                                 void* dx, float* dw, const void* dy, const void* x,
                                                 const void* w, const float* rstd, void* stream);

#ifdef __cplusplus
}
#endif
#endif
