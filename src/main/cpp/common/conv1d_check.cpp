// Definitions of the conv1d argument checks (common/conv1d_check.h), compiled into both native libraries.
#include "common/conv1d_check.h"

#include "common/ssd_check.h"

namespace statex {

namespace {
statex_status check_sizes(const char* op, int64_t batch, int64_t seqlen, int64_t channels, int64_t width, int dtype,
                          int silu) {
  STX_CHECK(batch >= 1, "%s: batch must be >= 1, got %lld", op, (long long)batch);
  STX_CHECK(seqlen >= 1, "%s: seqlen (T) must be >= 1, got %lld", op, (long long)seqlen);
  STX_CHECK(batch <= (1LL << 40) / seqlen, "%s: batch * seqlen exceeds 2^40", op);
  STX_CHECK(channels >= 1 && channels <= (1LL << 24), "%s: channels must be in [1, 2^24], got %lld", op,
            (long long)channels);
  STX_CHECK(width >= 2 && width <= 4, "%s: width (W) must be in 2..4, got %lld", op, (long long)width);
  STX_CHECK(dtype == STATEX_F32 || dtype == STATEX_BF16 || dtype == STATEX_F64,
            "%s: dtype must be F32 (0), BF16 (1) or F64 (4), got %d", op, dtype);
  STX_CHECK(silu == 0 || silu == 1, "%s: silu must be 0 or 1, got %d", op, silu);
  return STATEX_OK;
}
}  // namespace

statex_status check_conv1d(Conv1dShape* s, const char* op, const void* out, const void* x, const void* weight,
                           const int64_t* cu_seqlens, bool host_seqlens, int64_t batch, int64_t seqlen,
                           int64_t channels, int64_t width, int64_t nseq, int dtype, int silu) {
  STX_TRY(check_sizes(op, batch, seqlen, channels, width, dtype, silu));
  STX_CHECK(out != nullptr, "%s: the output (out, or dx in the backward) is a null pointer", op);
  STX_TRY(check_ptr("conv1d x", x));
  STX_TRY(check_ptr("conv1d weight", weight));
  if (cu_seqlens) {
    STX_CHECK(batch == 1, "%s: cu_seqlens requires batch (B) = 1, got %lld", op, (long long)batch);
    STX_CHECK(nseq >= 1 && nseq <= seqlen + 1, "%s: nseq must be in [1, T + 1] with cu_seqlens, got %lld", op,
              (long long)nseq);
    if (host_seqlens) STX_TRY(check_cu_seqlens(op, cu_seqlens, nseq, seqlen));
  } else {
    STX_CHECK(nseq == 0, "%s: nseq must be 0 without cu_seqlens, got %lld", op, (long long)nseq);
  }
  s->batch = batch;
  s->seqlen = seqlen;
  s->channels = channels;
  s->width = width;
  s->nseq = nseq;
  s->nseqs = nseq > 0 ? nseq : batch;
  s->tokens = batch * seqlen;
  s->dtype = dtype;
  s->silu = silu;
  return STATEX_OK;
}

statex_status check_conv1d_bwd(Conv1dShape* s, const void* dx, const void* dweight, const void* dbias,
                               const void* dout, const void* x, const void* weight, const void* bias,
                               const int64_t* cu_seqlens, bool host_seqlens, int64_t batch, int64_t seqlen,
                               int64_t channels, int64_t width, int64_t nseq, int dtype, int silu) {
  STX_TRY(check_conv1d(s, "causal_conv1d_bwd", dx, x, weight, cu_seqlens, host_seqlens, batch, seqlen, channels,
                       width, nseq, dtype, silu));
  STX_TRY(check_ptr("conv1d dout", dout));
  STX_TRY(check_ptr("conv1d dweight", dweight));
  STX_CHECK((bias == nullptr) == (dbias == nullptr),
            "causal_conv1d_bwd: dbias must be given exactly when bias is (bias %s, dbias %s)", bias ? "given" : "null",
            dbias ? "given" : "null");
  return STATEX_OK;
}

statex_status check_conv1d_step(const void* out, const void* conv_state, const void* x, const void* weight,
                                int64_t batch, int64_t channels, int64_t width, int dtype, int silu) {
  STX_TRY(check_sizes("causal_conv1d_step", batch, 1, channels, width, dtype, silu));
  STX_TRY(check_ptr("conv1d_step out", out));
  STX_TRY(check_ptr("conv1d_step conv_state", conv_state));
  STX_TRY(check_ptr("conv1d_step x", x));
  STX_TRY(check_ptr("conv1d_step weight", weight));
  return STATEX_OK;
}

}  // namespace statex
