/*
 * StateX C ABI: status codes, dtypes and the conventions every other header follows.
 *
 * Conventions (one calling convention everywhere):
 *   - Functions return a statex_status; on failure a message for the calling thread is available from
 *     statex_cpu_last_error() / statex_cuda_last_error() (the library that failed). Nothing aborts,
 *     exits or prints.
 *   - Outputs first, then inputs, then sizes (int64_t), then workspace, then the stream.
 *   - Tensors are raw pointers to the first element plus, where views are allowed, int64 strides in
 *     elements. Shapes use the dimension letters of the README glossary.
 *   - CPU entries are named statex_cpu_<op>, CUDA entries statex_cuda_<op>; both validate their
 *     arguments through one shared check and have identical semantics. CUDA entries take a
 *     cudaStream_t passed as void* so that this header needs no CUDA include.
 *   - Reduced-precision inputs (bf16) are accumulated in fp32.
 *   - F64 is a CPU-only dtype for gradient checks and references: every CPU entry that takes F32 data
 *     also takes F64 data and then computes in double; the fp32 side tensors of an entry (states,
 *     statistics, parameters of the fused kernels, accumulated gradients) are then F64 as well, as each
 *     header says. Every CUDA entry rejects F64 with STATEX_ERR_INVALID_ARGUMENT.
 */
#ifndef STATEX_CORE_H
#define STATEX_CORE_H

#include <stdint.h>

#if defined(STATEX_BUILDING)
#define STATEX_API __attribute__((visibility("default")))
#else
#define STATEX_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* 2: STATEX_F64; CPU state/statistic pointers became void*; the CPU SSD workspace queries take dtype. */
#define STATEX_ABI_VERSION 2
/* Largest rank accepted by the strided (view-aware) entries. */
#define STATEX_MAX_DIMS 8

typedef enum statex_status {
  STATEX_OK = 0,
  STATEX_ERR_INVALID_ARGUMENT = 1, /* a shape, dtype, pointer or value is wrong: the message names it */
  STATEX_ERR_UNSUPPORTED = 2,      /* valid, but this implementation does not cover it */
  STATEX_ERR_CUDA = 3,             /* the CUDA runtime reported an error */
  STATEX_ERR_OUT_OF_MEMORY = 4,
  STATEX_ERR_INTERNAL = 5
} statex_status;

/* Element types. The numbers are part of the ABI (Java's DType uses the same codes). */
typedef enum statex_dtype {
  STATEX_F32 = 0,
  STATEX_BF16 = 1,
  STATEX_I32 = 2,
  STATEX_I64 = 3,
  STATEX_F64 = 4 /* IEEE double; CPU entries only (gradient checks, references) */
} statex_dtype;

/* ABI version of the loaded library (STATEX_ABI_VERSION when it was built). */
STATEX_API int statex_cpu_abi_version(void);
/* Message of the last failure on this thread in libstatex ("" if none). Valid until the next call. */
STATEX_API const char* statex_cpu_last_error(void);
/* The C library's version string as reported at run time (glibc: gnu_get_libc_version). */
STATEX_API const char* statex_cpu_libc_version(void);
/* Number of threads the CPU kernels use (STATEX_NUM_THREADS or the hardware concurrency). */
STATEX_API int statex_cpu_num_threads(void);
STATEX_API void statex_cpu_set_num_threads(int n);

#ifdef __cplusplus
}
#endif
#endif
