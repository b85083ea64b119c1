// Argument validation of the depthwise causal conv1d (statex/conv1d.h), shared by the CPU and CUDA entries.
#pragma once
#include <stdint.h>
#include "common/check.h"

namespace statex {

struct Conv1dShape {
  int64_t batch, seqlen, channels, width, nseq;
  int64_t nseqs;   // S: nseq with cu_seqlens, else batch
  int64_t tokens;  // batch * seqlen
  int dtype, silu;
};

// Forward (out required, final_state optional) and backward (out = dx; dweight required, dbias exactly when bias).
statex_status check_conv1d(Conv1dShape* s, const char* op, const void* out, const void* x, const void* weight,
                           const int64_t* cu_seqlens, bool host_seqlens, int64_t batch, int64_t seqlen,
                           int64_t channels, int64_t width, int64_t nseq, int dtype, int silu);
statex_status check_conv1d_bwd(Conv1dShape* s, const void* dx, const void* dweight, const void* dbias,
                               const void* dout, const void* x, const void* weight, const void* bias,
                               const int64_t* cu_seqlens, bool host_seqlens, int64_t batch, int64_t seqlen,
                               int64_t channels, int64_t width, int64_t nseq, int dtype, int silu);
statex_status check_conv1d_step(const void* out, const void* conv_state, const void* x, const void* weight,
                                int64_t batch, int64_t channels, int64_t width, int dtype, int silu);

}  // namespace statex
