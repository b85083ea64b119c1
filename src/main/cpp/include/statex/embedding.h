/*
 * Embedding gather and its backward (scatter-add). table [vocab, dim] (F32/BF16; F64 on the CPU), idx [n] (I32/I64),
 * out [n, dim] in table's dtype; all contiguous. An index outside [0, vocab) is an error:
 *   CPU: STATEX_ERR_INVALID_ARGUMENT naming the position and value.
 *   CUDA: the kernel writes the first bad position into *bad_pos (device int64, set to -1 by the
 *         launcher before the kernel) and leaves that row of out (dtable) untouched; the caller reads it
 *         back. bad_pos may be NULL only when n = 0.
 */
#ifndef STATEX_EMBEDDING_H
#define STATEX_EMBEDDING_H

#include "statex/core.h"

#ifdef __cplusplus
extern "C" {
#endif

STATEX_API statex_status statex_cpu_embedding_fwd(int dtype, int idx_dtype, int64_t n, int64_t dim, int64_t vocab,
                                                  void* out, const void* table, const void* idx);
/* dtable ([vocab, dim], F32, or F64 when dtype is F64) += scatter of dout (dtype [n, dim]) by idx. */
STATEX_API statex_status statex_cpu_embedding_bwd(int dtype, int idx_dtype, int64_t n, int64_t dim, int64_t vocab,
                                                  void* dtable, const void* dout, const void* idx);

STATEX_API statex_status statex_cuda_embedding_fwd(int dtype, int idx_dtype, int64_t n, int64_t dim, int64_t vocab,
                                                   void* out, const void* table, const void* idx,
                                                   int64_t* bad_pos, void* stream);
STATEX_API statex_status statex_cuda_embedding_bwd(int dtype, int idx_dtype, int64_t n, int64_t dim, int64_t vocab,
                                                   float* dtable, const void* dout, const void* idx,
                                                   int64_t* bad_pos, void* stream);

#ifdef __cplusplus
}
#endif
#endif
