/*
 * CPU depthwise causal conv1d (statex/conv1d.h): the plain implementation CI runs.
 *
 *   pre[t, c] = bias[c] + sum_k weight[c, k] x[t - (W-1) + k, c],   out = silu(pre) or pre
 * Layouts: x, out [B, T, Ch] (channels last); weight [Ch, W]; final/decode state [S or B, W-1, Ch]. Taps never
 * reach before the start of the token's sequence (batch row, or cu_seqlens entry). fp32 accumulation, or double with
 * F64 data (then weight, bias and their gradients are F64 too: R = arith_t<T> below).
 * Forward parallel over (sequence, channel block); backward over channel blocks, which own their dweight/dbias.
 */
#include <math.h>

#include <algorithm>
#include <vector>

#include "common/conv1d_check.h"
#include "common/conv1d_math.h"
#include "common/dtype.h"
#include "cpu/dispatch.h"
#include "cpu/parallel.h"
#include "statex/conv1d.h"

namespace statex {
namespace {

constexpr int64_t kChannelBlock = 64;

inline void seq_range(const Conv1dShape& s, const int64_t* cu, int64_t q, int64_t* begin, int64_t* end) {
  *begin = cu ? cu[q] : q * s.seqlen;
  *end = cu ? cu[q + 1] : (q + 1) * s.seqlen;
}

template <typename T, typename R = arith_t<T>>
void conv_fwd(const Conv1dShape& s, T* out, T* final_state, const T* x, const R* weight, const R* bias,
              const int64_t* cu) {
  const int64_t Ch = s.channels, W = s.width, nb = (Ch + kChannelBlock - 1) / kChannelBlock;
  parallel_for(s.nseqs * nb, 1, [&](int64_t b0, int64_t e0) {
    for (int64_t it = b0; it < e0; ++it) {
      int64_t q = it / nb, c_lo = (it % nb) * kChannelBlock, c_hi = std::min(Ch, c_lo + kChannelBlock);
      int64_t begin, end;
      seq_range(s, cu, q, &begin, &end);
      for (int64_t t = begin; t < end; ++t)
        for (int64_t c = c_lo; c < c_hi; ++c) {
          R v = conv1d_pre(x, weight, bias, s.channels, (int)s.width, begin, t, c);
          store_f(out, t * Ch + c, s.silu ? silu(v) : v);
        }
      if (final_state)
        for (int64_t k = 0; k < W - 1; ++k) {
          int64_t src = end - (W - 1) + k;
          for (int64_t c = c_lo; c < c_hi; ++c)
            store_f(final_state, (q * (W - 1) + k) * Ch + c, src >= begin ? (R)load_f(x, src * Ch + c) : R(0));
        }
    }
  });
}

// The backward's channel blocks are narrower than the forward's so that even a few dozen channels
// spread over the cores; each block owns its dweight/dbias rows, so nothing is shared.
constexpr int64_t kBwdChannelBlock = 16;

template <typename T, typename R = arith_t<T>>
void conv_bwd(const Conv1dShape& s, T* dx, R* dweight, R* dbias, const T* dout, const T* x, const R* weight,
              const R* bias, const int64_t* cu) {
  const int64_t Ch = s.channels, W = s.width, nb = (Ch + kBwdChannelBlock - 1) / kBwdChannelBlock;
  parallel_for(nb, 1, [&](int64_t b0, int64_t e0) {
    std::vector<R> g;  // g[t, c] = dout[t, c] act'(pre[t, c]) for one sequence and channel block, computed once
    for (int64_t blk = b0; blk < e0; ++blk) {
      int64_t c_lo = blk * kBwdChannelBlock, c_hi = std::min(Ch, c_lo + kBwdChannelBlock), cw = c_hi - c_lo;
      for (int64_t c = c_lo; c < c_hi; ++c) {
        for (int64_t k = 0; k < W; ++k) dweight[c * W + k] = 0;
        if (dbias) dbias[c] = 0;
      }
      for (int64_t q = 0; q < s.nseqs; ++q) {
        int64_t begin, end;
        seq_range(s, cu, q, &begin, &end);
        g.resize((size_t)((end - begin) * cw));
        for (int64_t t = begin; t < end; ++t)
          for (int64_t c = c_lo; c < c_hi; ++c) {
            R go = load_f(dout, t * Ch + c);
            g[(t - begin) * cw + (c - c_lo)] =
                s.silu ? go * silu_grad(conv1d_pre(x, weight, bias, s.channels, (int)s.width, begin, t, c)) : go;
          }
        // dx[t] = sum_k weight[k] g[t + (W-1) - k];  dweight[k] += g[t] x[t - (W-1) + k]  (inside the sequence)
        for (int64_t t = begin; t < end; ++t)
          for (int64_t c = c_lo; c < c_hi; ++c) {
            R gt = g[(t - begin) * cw + (c - c_lo)], acc = 0;
            for (int64_t k = 0; k < W; ++k) {
              int64_t src = t - (W - 1) + k;
              if (src >= begin) dweight[c * W + k] += gt * (R)load_f(x, src * Ch + c);
              int64_t dst = t + (W - 1) - k;
              if (dst < end) acc += weight[c * W + k] * g[(dst - begin) * cw + (c - c_lo)];
            }
            if (dbias) dbias[c] += gt;
            store_f(dx, t * Ch + c, acc);
          }
      }
    }
  });
}

template <typename T, typename R = arith_t<T>>
void conv_step(T* out, T* state, const T* x, const R* weight, const R* bias, int64_t batch, int64_t Ch, int64_t W,
               int silu_on) {
  parallel_for(batch * Ch, 1024, [&](int64_t b0, int64_t e0) {
    for (int64_t bc = b0; bc < e0; ++bc) {
      int64_t b = bc / Ch, c = bc % Ch;
      R v = conv1d_step_one(state + b * (W - 1) * Ch + c, Ch, x[bc], weight + c * W, bias ? bias[c] : R(0), (int)W,
                            silu_on);
      store_f(out, bc, v);
    }
  });
}

}  // namespace
}  // namespace statex

using namespace statex;

extern "C" {

STATEX_API statex_status statex_cpu_causal_conv1d_fwd(void* out, void* final_state, const void* x, const void* weight,
                                                      const void* bias, const int64_t* cu_seqlens, int64_t batch,
                                                      int64_t seqlen, int64_t channels, int64_t width, int64_t nseq,
                                                      int dtype, int silu) {
  Conv1dShape s;
  STX_TRY(check_conv1d(&s, "causal_conv1d_fwd", out, x, weight, cu_seqlens, true, batch, seqlen, channels, width,
                       nseq, dtype, silu));
  with_float_type(dtype, [&](auto t) {
    using T = decltype(t);
    using R = arith_t<T>;
    conv_fwd(s, (T*)out, (T*)final_state, (const T*)x, (const R*)weight, (const R*)bias, cu_seqlens);
  });
  return STATEX_OK;
}

STATEX_API statex_status statex_cpu_causal_conv1d_bwd(void* dx, void* dweight, void* dbias, const void* dout,
                                                      const void* x, const void* weight, const void* bias,
                                                      const int64_t* cu_seqlens, int64_t batch, int64_t seqlen,
                                                      int64_t channels, int64_t width, int64_t nseq, int dtype,
                                                      int silu) {
  Conv1dShape s;
  STX_TRY(check_conv1d_bwd(&s, dx, dweight, dbias, dout, x, weight, bias, cu_seqlens, true, batch, seqlen, channels,
                           width, nseq, dtype, silu));
  with_float_type(dtype, [&](auto t) {
    using T = decltype(t);
    using R = arith_t<T>;
    conv_bwd(s, (T*)dx, (R*)dweight, (R*)dbias, (const T*)dout, (const T*)x, (const R*)weight, (const R*)bias,
             cu_seqlens);
  });
  return STATEX_OK;
}

STATEX_API statex_status statex_cpu_causal_conv1d_step(void* out, void* conv_state, const void* x, const void* weight,
                                                       const void* bias, int64_t batch, int64_t channels,
                                                       int64_t width, int dtype, int silu) {
  STX_TRY(check_conv1d_step(out, conv_state, x, weight, batch, channels, width, dtype, silu));
  with_float_type(dtype, [&](auto t) {
    using T = decltype(t);
    using R = arith_t<T>;
    conv_step((T*)out, (T*)conv_state, (const T*)x, (const R*)weight, (const R*)bias, batch, channels, width, silu);
  });
  return STATEX_OK;
}

}  // extern "C"
