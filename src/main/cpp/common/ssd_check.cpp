// Definitions of the SSD argument checks (common/ssd_check.h), compiled into both native libraries.
#include "common/ssd_check.h"

#include <math.h>

namespace statex {

namespace {
// Bounds that keep every flat index (tokens * H * P, NC * H * P * N, ...) far inside int64.
constexpr int64_t kMaxTokens = 1LL << 40;
constexpr int64_t kMaxDim = 1LL << 20;

statex_status check_dim(const char* what, int64_t v, int64_t hi) {
  STX_CHECK(v >= 1 && v <= hi, "ssd: %s must be in [1, %lld], got %lld", what, (long long)hi, (long long)v);
  return STATEX_OK;
}
}  // namespace

statex_status ssd_shape(SsdShape* s, int64_t batch, int64_t seqlen, int64_t heads, int64_t headdim, int64_t dstate,
                        int64_t groups, int64_t nseq, int64_t chunk_size) {
  STX_TRY(check_dim("batch", batch, kMaxTokens));
  STX_TRY(check_dim("seqlen (T)", seqlen, kMaxTokens));
  STX_CHECK(batch * seqlen <= kMaxTokens, "ssd: batch * seqlen = %lld exceeds %lld", (long long)(batch * seqlen),
            (long long)kMaxTokens);
  STX_TRY(check_dim("heads (H)", heads, 1 << 16));
  STX_TRY(check_dim("headdim (P)", headdim, kMaxDim));
  STX_TRY(check_dim("dstate (N)", dstate, kMaxDim));
  STX_TRY(check_dim("groups (G)", groups, 1 << 16));
  STX_CHECK(heads % groups == 0, "ssd: groups (G) = %lld must divide heads (H) = %lld", (long long)groups,
            (long long)heads);
  STX_CHECK(chunk_size == 64 || chunk_size == 128 || chunk_size == 256,
            "ssd: chunk_size must be 64, 128 or 256, got %lld", (long long)chunk_size);
  STX_CHECK(nseq >= 0 && nseq <= batch * seqlen + 1, "ssd: nseq must be in [0, T + 1], got %lld", (long long)nseq);
  s->batch = batch;
  s->seqlen = seqlen;
  s->heads = heads;
  s->headdim = headdim;
  s->dstate = dstate;
  s->groups = groups;
  s->nseq = nseq;
  s->nseqs = nseq > 0 ? nseq : batch;
  s->chunk = chunk_size;
  s->tokens = batch * seqlen;
  // Every sequence of length L has ceil(L/Q) chunks; summed over sequences that is at most T/Q + nseq.
  s->max_chunks = nseq > 0 ? seqlen / chunk_size + nseq : batch * ((seqlen + chunk_size - 1) / chunk_size);
  s->dtype = STATEX_F32;
  s->dt_dtype = STATEX_F32;
  s->dt_softplus = 0;
  s->dt_min = 0.f;
  s->dt_max = INFINITY;
  return STATEX_OK;
}

static statex_status check_options(int dtype, int dt_dtype, int dt_softplus, float dt_min, float dt_max) {
  STX_TRY(check_float_dtype("ssd dtype", dtype));
  STX_CHECK(dt_dtype == STATEX_F32 || dt_dtype == dtype,
            "ssd: dt_dtype must be F32 (0) or equal to dtype (%d), got %d", dtype, dt_dtype);
  STX_CHECK(dt_softplus == 0 || dt_softplus == 1, "ssd: dt_softplus must be 0 or 1, got %d", dt_softplus);
  STX_CHECK(!isnan(dt_min) && !isnan(dt_max) && dt_min <= dt_max,
            "ssd: dt limits must satisfy dt_min <= dt_max, got (%g, %g)", (double)dt_min, (double)dt_max);
  return STATEX_OK;
}

statex_status check_cu_seqlens(const char* op, const int64_t* cu, int64_t nseq, int64_t total) {
  STX_CHECK(cu[0] == 0, "%s: cu_seqlens[0] must be 0, got %lld", op, (long long)cu[0]);
  for (int64_t s = 0; s < nseq; ++s)
    STX_CHECK(cu[s + 1] >= cu[s], "%s: cu_seqlens must be non-decreasing, cu_seqlens[%lld] = %lld < cu_seqlens[%lld] = %lld",
              op, (long long)(s + 1), (long long)cu[s + 1], (long long)s, (long long)cu[s]);
  STX_CHECK(cu[nseq] == total, "%s: cu_seqlens[nseq = %lld] must equal T = %lld, got %lld", op, (long long)nseq,
            (long long)total, (long long)cu[nseq]);
  return STATEX_OK;
}

statex_status check_ssd_fwd(SsdShape* s, const void* y, const void* x, const void* dt, const void* A, const void* B,
                            const void* C, const int64_t* cu_seqlens, bool host_seqlens, int64_t batch,
                            int64_t seqlen, int64_t heads, int64_t headdim, int64_t dstate, int64_t groups,
                            int64_t nseq, int dtype, int dt_dtype, int64_t chunk_size, int dt_softplus, float dt_min,
                            float dt_max) {
  STX_TRY(ssd_shape(s, batch, seqlen, heads, headdim, dstate, groups, nseq, chunk_size));
  STX_TRY(check_options(dtype, dt_dtype, dt_softplus, dt_min, dt_max));
  s->dtype = dtype;
  s->dt_dtype = dt_dtype;
  s->dt_softplus = dt_softplus;
  s->dt_min = dt_min;
  s->dt_max = dt_max;
  STX_TRY(check_ptr("ssd y", y));
  STX_TRY(check_ptr("ssd x", x));
  STX_TRY(check_ptr("ssd dt", dt));
  STX_TRY(check_ptr("ssd A", A));
  STX_TRY(check_ptr("ssd B", B));
  STX_TRY(check_ptr("ssd C", C));
  if (cu_seqlens) {
    STX_CHECK(batch == 1, "ssd: cu_seqlens requires batch (B) = 1, got %lld", (long long)batch);
    STX_CHECK(nseq >= 1, "ssd: cu_seqlens given but nseq = %lld (expected >= 1)", (long long)nseq);
    if (host_seqlens) STX_TRY(check_cu_seqlens("ssd", cu_seqlens, nseq, seqlen));
  } else {
    STX_CHECK(nseq == 0, "ssd: nseq must be 0 without cu_seqlens, got %lld", (long long)nseq);
  }
  return STATEX_OK;
}

statex_status check_ssd_bwd(SsdShape* s, const void* dx, const void* ddt, const void* dA, const void* dB,
                            const void* dC, const void* dD, const void* ddt_bias, const void* dy, const void* x,
                            const void* dt, const void* dt_bias, const void* A, const void* B, const void* C,
                            const void* D, const int64_t* cu_seqlens, bool host_seqlens, int64_t batch,
                            int64_t seqlen, int64_t heads, int64_t headdim, int64_t dstate, int64_t groups,
                            int64_t nseq, int dtype, int dt_dtype, int64_t chunk_size, int dt_softplus, float dt_min,
                            float dt_max) {
  STX_TRY(check_ssd_fwd(s, dy, x, dt, A, B, C, cu_seqlens, host_seqlens, batch, seqlen, heads, headdim, dstate,
                        groups, nseq, dtype, dt_dtype, chunk_size, dt_softplus, dt_min, dt_max));
  STX_TRY(check_ptr("ssd dx", dx));
  STX_TRY(check_ptr("ssd ddt", ddt));
  STX_TRY(check_ptr("ssd dA", dA));
  STX_TRY(check_ptr("ssd dB", dB));
  STX_TRY(check_ptr("ssd dC", dC));
  STX_CHECK((D == nullptr) == (dD == nullptr), "ssd: dD must be given exactly when D is (D %s, dD %s)",
            D ? "given" : "null", dD ? "given" : "null");
  STX_CHECK((dt_bias == nullptr) == (ddt_bias == nullptr),
            "ssd: ddt_bias must be given exactly when dt_bias is (dt_bias %s, ddt_bias %s)", dt_bias ? "given" : "null",
            ddt_bias ? "given" : "null");
  return STATEX_OK;
}

statex_status check_ssd_step(const void* y, const void* state, const void* x, const void* dt, const void* A,
                             const void* B, const void* C, int64_t batch, int64_t heads, int64_t headdim,
                             int64_t dstate, int64_t groups, int dtype, int dt_dtype, float dt_min, float dt_max) {
  SsdShape s;
  STX_TRY(ssd_shape(&s, batch, 1, heads, headdim, dstate, groups, 0, 64));
  STX_TRY(check_options(dtype, dt_dtype, 0, dt_min, dt_max));
  STX_TRY(check_ptr("ssd_step y", y));
  STX_TRY(check_ptr("ssd_step state", state));
  STX_TRY(check_ptr("ssd_step x", x));
  STX_TRY(check_ptr("ssd_step dt", dt));
  STX_TRY(check_ptr("ssd_step A", A));
  STX_TRY(check_ptr("ssd_step B", B));
  STX_TRY(check_ptr("ssd_step C", C));
  return STATEX_OK;
}

statex_status check_workspace(const char* op, const void* workspace, int64_t have, int64_t need) {
  STX_CHECK(have >= need, "%s: workspace_bytes = %lld is smaller than the %lld bytes the workspace query gives", op,
            (long long)have, (long long)need);
  STX_CHECK(need == 0 || workspace != nullptr, "%s: workspace is null (%lld bytes needed)", op, (long long)need);
  return STATEX_OK;
}

}  // namespace statex
