// Argument validation of the SSD scan (statex/ssd.h), shared by the CPU and CUDA entries so that both reject the
// same inputs with the same message, plus the sizes derived from the arguments.
#pragma once
#include <stdint.h>
#include "common/check.h"

namespace statex {

// Sizes and options of one chunked SSD call, validated.
struct SsdShape {
  int64_t batch, seqlen, heads, headdim, dstate, groups, nseq;
  int64_t nseqs;       // S: sequences (nseq with cu_seqlens, else batch)
  int64_t chunk;       // Q
  int64_t max_chunks;  // NC: upper bound of the chunk count (chunks never straddle a sequence start)
  int64_t tokens;      // batch * seqlen, the flat token axis
  int dtype, dt_dtype, dt_softplus;
  float dt_min, dt_max;
};

// Sizes and chunk size only (what the workspace queries take).
statex_status ssd_shape(SsdShape* s, int64_t batch, int64_t seqlen, int64_t heads, int64_t headdim, int64_t dstate,
                        int64_t groups, int64_t nseq, int64_t chunk_size);

// Every argument of the forward; host_seqlens: cu_seqlens is host memory whose values can be checked.
statex_status check_ssd_fwd(SsdShape* s, const void* y, const void* x, const void* dt, const void* A, const void* B,
                            const void* C, const int64_t* cu_seqlens, bool host_seqlens, int64_t batch,
                            int64_t seqlen, int64_t heads, int64_t headdim, int64_t dstate, int64_t groups,
                            int64_t nseq, int dtype, int dt_dtype, int64_t chunk_size, int dt_softplus, float dt_min,
                            float dt_max);

// The forward's checks plus the gradients' presence rules.
statex_status check_ssd_bwd(SsdShape* s, const void* dx, const void* ddt, const void* dA, const void* dB,
                            const void* dC, const void* dD, const void* ddt_bias, const void* dy, const void* x,
                            const void* dt, const void* dt_bias, const void* A, const void* B, const void* C,
                            const void* D, const int64_t* cu_seqlens, bool host_seqlens, int64_t batch,
                            int64_t seqlen, int64_t heads, int64_t headdim, int64_t dstate, int64_t groups,
                            int64_t nseq, int dtype, int dt_dtype, int64_t chunk_size, int dt_softplus, float dt_min,
                            float dt_max);

statex_status check_ssd_step(const void* y, const void* state, const void* x, const void* dt, const void* A,
                             const void* B, const void* C, int64_t batch, int64_t heads, int64_t headdim,
                             int64_t dstate, int64_t groups, int dtype, int dt_dtype, float dt_min, float dt_max);

// The caller's workspace holds at least `need` bytes.
statex_status check_workspace(const char* op, const void* workspace, int64_t have, int64_t need);

// Checks the values of a host cu_seqlens: cu[0] = 0, non-decreasing, cu[nseq] = total.
statex_status check_cu_seqlens(const char* op, const int64_t* cu_seqlens, int64_t nseq, int64_t total);

}  // namespace statex
