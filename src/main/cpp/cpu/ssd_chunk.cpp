/*
 * CPU Mamba2 SSD chunked scan (statex/ssd.h): the plain implementation CI runs.
 *
 * Recurrence per head h, group g = h / (H/G):  s_t = exp(delta_t A_h) s_{t-1} + delta_t x_t B_t^T,  y_t = s_t C_t + D_h x_t.
 * Computed chunk by chunk (chunk length Q, chunks start at every sequence start) with the same stages as the CUDA
 * pipeline, so that a stage error shows up here first:
 *   alpha_t = sum_{s <= t in chunk} delta_s A                                    (chunk-local cumulative decay, fp64)
 *   y_t     = exp(alpha_t) sigma_c C_t + sum_{j <= t} (C_t . B_j) exp(alpha_t - alpha_j) delta_j x_j + D x_t
 *   sigma_{c+1} = exp(alpha_L) sigma_c + sum_t exp(alpha_L - alpha_t) delta_t x_t B_t^T
 * Layouts: x, y [B,T,H,P]; dt [B,T,H]; B, C [B,T,G,N]; states [S,H,P,N] fp32 (statex/ssd.h). Everything is
 * stored in fp32 (states, outputs); its dot products and sums run in double, so that this plain implementation
 * stays a tight check of the fp32 CUDA kernels and of long mixed-sign sums (dA, ddt_bias). bf16 is a storage type.
 *
 * Parallel over (sequence, head) items: each item walks its chunks in order and owns its outputs; in the backward
 * the per-head contributions to dB and dC go to fp32 scratch and a second pass sums the heads of each group.
 * Workspace (per item: one P x N state and a few length-Q vectors; the backward also keeps the state entering every
 * chunk, delta/alpha per token-head and the per-head dB/dC scratch) is laid out by ssd_cpu_layout below.
 */
#include <math.h>
#include <string.h>

#include <algorithm>

#include "common/dtype.h"
#include "common/ssd_check.h"
#include "common/ssd_math.h"
#include "cpu/parallel.h"
#include "statex/ssd.h"

namespace statex {
namespace {

// Carves the caller's workspace into aligned regions (sizes in elements).
struct Carver {
  char* base;
  int64_t used = 0;
  template <typename E>
  E* take(int64_t n) {
    E* p = base ? (E*)(base + used) : nullptr;
    used += (n * (int64_t)sizeof(E) + 63) / 64 * 64;
    return p;
  }
};

struct CpuFwdWs {
  float* scratch;    // per item: state [P*N], delta [Q]
  double* acc;       // per item: y accumulator [P], alpha [Q]
  int64_t item_floats;
};
struct CpuBwdWs {
  int64_t* chunk_off;  // [S+1] first chunk of each sequence in `states`
  float* states;       // [NC][H][P][N] state entering each chunk
  float* delta;        // [tokens][H]
  double* alpha;       // [tokens][H] chunk-local cumulative decay (double: see decay())
  float* dgrad;        // [tokens][H] d delta / d raw dt
  float* dBh;          // [tokens][H][N] per-head dB
  float* dCh;          // [tokens][H][N] per-head dC
  double* param;       // [3][S][H] per-item dA, dD, ddt_bias sums (double: long sums of mixed-sign terms)
  float* scratch;      // per item: lambda [P*N]
  double* dscratch;    // per item: r [P], da [Q], w [Q], u [Q], direct d delta [Q]
  int64_t item_doubles;
};

CpuFwdWs fwd_layout(const SsdShape& s, void* ws, int64_t* bytes) {
  Carver c{(char*)ws};
  CpuFwdWs w;
  w.item_floats = s.headdim * s.dstate + s.chunk;
  w.scratch = c.take<float>(s.nseqs * s.heads * w.item_floats);
  w.acc = c.take<double>(s.nseqs * s.heads * (s.headdim + s.chunk));
  *bytes = c.used;
  return w;
}

CpuBwdWs bwd_layout(const SsdShape& s, void* ws, int64_t* bytes) {
  Carver c{(char*)ws};
  CpuBwdWs w;
  int64_t th = s.tokens * s.heads;
  w.chunk_off = c.take<int64_t>(s.nseqs + 1);
  w.states = c.take<float>(s.max_chunks * s.heads * s.headdim * s.dstate);
  w.delta = c.take<float>(th);
  w.alpha = c.take<double>(th);
  w.dgrad = c.take<float>(th);
  w.dBh = c.take<float>(th * s.dstate);
  w.dCh = c.take<float>(th * s.dstate);
  w.param = c.take<double>(3 * s.nseqs * s.heads);
  w.scratch = c.take<float>(s.nseqs * s.heads * s.headdim * s.dstate);
  w.item_doubles = s.headdim + 4 * s.chunk;
  w.dscratch = c.take<double>(s.nseqs * s.heads * w.item_doubles);
  *bytes = c.used;
  return w;
}

// Token range [begin, end) of sequence q on the flat token axis.
inline void seq_range(const SsdShape& s, const int64_t* cu, int64_t q, int64_t* begin, int64_t* end) {
  if (cu) {
    *begin = cu[q];
    *end = cu[q + 1];
  } else {
    *begin = q * s.seqlen;
    *end = (q + 1) * s.seqlen;
  }
}

template <typename T, typename TD>
struct Ins {
  const T *x, *B, *C;
  const TD* dt;
  const float *dt_bias, *A, *D;
  const SsdShape* s;
  int64_t H, P, N, G;
  float xv(int64_t tok, int64_t h, int64_t p) const { return load_f(x, (tok * H + h) * P + p); }
  float Bv(int64_t tok, int64_t g, int64_t n) const { return load_f(B, (tok * G + g) * N + n); }
  float Cv(int64_t tok, int64_t g, int64_t n) const { return load_f(C, (tok * G + g) * N + n); }
  // C_i . B_j for group g
  float cb(int64_t ti, int64_t tj, int64_t g) const {
    double acc = 0;
    for (int64_t n = 0; n < N; ++n) acc += (double)Cv(ti, g, n) * Bv(tj, g, n);
    return (float)acc;
  }
  // delta of (tok, h) and alpha running sum; returns delta, gradient factor in *grad.
  float delta(int64_t tok, int64_t h, float* grad) const {
    return ssd_delta(load_f(dt, tok * H + h), dt_bias ? dt_bias[h] : 0.f, s->dt_softplus, s->dt_min, s->dt_max, grad);
  }
};

// sigma <- exp(alpha_L) sigma + sum_t exp(alpha_L - alpha_t) delta_t x_t B_t^T over one chunk [c0, c0 + L).
template <typename T, typename TD>
void state_update(const Ins<T, TD>& in, float* sigma, int64_t c0, int64_t L, int64_t h, int64_t g,
                  const float* delta, const double* alpha, int64_t stride) {
  const int64_t P = in.P, N = in.N;
  double aL = alpha[(L - 1) * stride];
  float eL = decay(aL);
  for (int64_t i = 0; i < P * N; ++i) sigma[i] *= eL;
  for (int64_t t = 0; t < L; ++t) {
    float w = decay(aL - alpha[t * stride]) * delta[t * stride];
    for (int64_t p = 0; p < P; ++p) {
      float xs = w * in.xv(c0 + t, h, p);
      float* row = sigma + p * N;
      for (int64_t n = 0; n < N; ++n) row[n] += xs * in.Bv(c0 + t, g, n);
    }
  }
}

template <typename T, typename TD>
void ssd_fwd(const SsdShape& s, T* y, float* final_state, const Ins<T, TD>& in, const float* initial_state,
             const int64_t* cu, const CpuFwdWs& ws) {
  const int64_t H = s.heads, P = s.headdim, N = s.dstate, Q = s.chunk, hpg = s.heads / s.groups;
  parallel_for(s.nseqs * H, 1, [&](int64_t b, int64_t e) {
    for (int64_t item = b; item < e; ++item) {
      int64_t q = item / H, h = item % H, g = h / hpg;
      float* sigma = ws.scratch + item * ws.item_floats;
      float* delta = sigma + P * N;
      double* acc = ws.acc + item * (P + Q);
      double* alpha = acc + P;
      if (initial_state) {
        memcpy(sigma, initial_state + item * P * N, sizeof(float) * P * N);
      } else {
        std::fill(sigma, sigma + P * N, 0.f);
      }
      int64_t begin, end;
      seq_range(s, cu, q, &begin, &end);
      for (int64_t c0 = begin; c0 < end; c0 += Q) {
        int64_t L = std::min(Q, end - c0);
        double run = 0;
        for (int64_t i = 0; i < L; ++i) {
          delta[i] = in.delta(c0 + i, h, nullptr);
          run += delta[i] * in.A[h];
          alpha[i] = run;
        }
        for (int64_t i = 0; i < L; ++i) {
          // inter-chunk term: exp(alpha_i) sigma C_i
          float ei = decay(alpha[i]);
          for (int64_t p = 0; p < P; ++p) {
            double dot = 0;
            for (int64_t n = 0; n < N; ++n) dot += (double)sigma[p * N + n] * in.Cv(c0 + i, g, n);
            acc[p] = ei * dot;
          }
          // intra-chunk term: sum_{j <= i} (C_i . B_j) exp(alpha_i - alpha_j) delta_j x_j
          for (int64_t j = 0; j <= i; ++j) {
            float w = in.cb(c0 + i, c0 + j, g) * decay(alpha[i] - alpha[j]) * delta[j];
            for (int64_t p = 0; p < P; ++p) acc[p] += w * in.xv(c0 + j, h, p);
          }
          float dh = in.D ? in.D[h] : 0.f;
          for (int64_t p = 0; p < P; ++p) store_f(y, ((c0 + i) * H + h) * P + p, (float)(acc[p] + dh * in.xv(c0 + i, h, p)));
        }
        state_update(in, sigma, c0, L, h, g, delta, alpha, 1);
      }
      if (final_state) memcpy(final_state + item * P * N, sigma, sizeof(float) * P * N);
    }
  });
}

template <typename T, typename TD>
void ssd_bwd(const SsdShape& s, T* dx, TD* ddt, float* dA, T* dB, T* dC, float* dD, float* ddt_bias,
             float* dinitial_state, const T* dy, const float* dfinal_state, const Ins<T, TD>& in,
             const float* initial_state, const int64_t* cu, const CpuBwdWs& ws) {
  const int64_t H = s.heads, P = s.headdim, N = s.dstate, Q = s.chunk, G = s.groups, hpg = s.heads / s.groups;
  const int64_t S = s.nseqs;
  auto dyv = [&](int64_t tok, int64_t h, int64_t p) { return load_f(dy, (tok * H + h) * P + p); };
  ws.chunk_off[0] = 0;
  for (int64_t q = 0; q < S; ++q) {
    int64_t begin, end;
    seq_range(s, cu, q, &begin, &end);
    ws.chunk_off[q + 1] = ws.chunk_off[q] + (end - begin + Q - 1) / Q;
  }
  parallel_for(S * H, 1, [&](int64_t b, int64_t e) {
    for (int64_t item = b; item < e; ++item) {
      int64_t q = item / H, h = item % H, g = h / hpg;
      float* lam = ws.scratch + item * P * N;
      double* r = ws.dscratch + item * ws.item_doubles;
      double *da = r + P, *wv = da + Q, *uv = wv + Q, *ddir = uv + Q;
      int64_t begin, end;
      seq_range(s, cu, q, &begin, &end);
      // Pass 1: delta, alpha per token and the state entering every chunk (recomputed, fp32).
      if (initial_state) {
        memcpy(lam, initial_state + item * P * N, sizeof(float) * P * N);
      } else {
        std::fill(lam, lam + P * N, 0.f);
      }
      for (int64_t c0 = begin, k = ws.chunk_off[q]; c0 < end; c0 += Q, ++k) {
        int64_t L = std::min(Q, end - c0);
        double run = 0;
        for (int64_t i = 0; i < L; ++i) {
          int64_t th = (c0 + i) * H + h;
          ws.delta[th] = in.delta(c0 + i, h, &ws.dgrad[th]);
          run += ws.delta[th] * in.A[h];
          ws.alpha[th] = run;
        }
        memcpy(ws.states + (k * H + h) * P * N, lam, sizeof(float) * P * N);
        state_update(in, lam, c0, L, h, g, ws.delta + c0 * H + h, ws.alpha + c0 * H + h, H);
      }
      // Pass 2, chunks in reverse; lambda = d loss / d (state at the end of the chunk).
      if (dfinal_state) {
        memcpy(lam, dfinal_state + item * P * N, sizeof(float) * P * N);
      } else {
        std::fill(lam, lam + P * N, 0.f);
      }
      double dA_acc = 0, dD_acc = 0, dbias_acc = 0;
      const float Ah = in.A[h], Dh = in.D ? in.D[h] : 0.f;
      int64_t nk = ws.chunk_off[q + 1] - ws.chunk_off[q];
      for (int64_t k = nk - 1; k >= 0; --k) {
        int64_t c0 = begin + k * Q, L = std::min(Q, end - c0);
        const float* sig = ws.states + ((ws.chunk_off[q] + k) * H + h) * P * N;
        auto al = [&](int64_t i) { return ws.alpha[(c0 + i) * H + h]; };
        auto de = [&](int64_t i) { return ws.delta[(c0 + i) * H + h]; };
        double aL = al(L - 1);
        // state passing: the whole chunk's decay gets exp(alpha_L) <sigma_c, lambda>
        double dchunk_sum = 0;
        for (int64_t i = 0; i < P * N; ++i) dchunk_sum += (double)sig[i] * lam[i];
        const float dchunk = (float)dchunk_sum * decay(aL);
        for (int64_t t = 0; t < L; ++t) {
          int64_t tok = c0 + t;
          // r_t = exp(alpha_L - alpha_t) lambda B_t + sum_{i >= t} (C_i . B_t) exp(alpha_i - alpha_t) dy_i
          float et = decay(aL - al(t));
          for (int64_t p = 0; p < P; ++p) {
            double dot = 0;
            for (int64_t n = 0; n < N; ++n) dot += (double)lam[p * N + n] * in.Bv(tok, g, n);
            r[p] = et * dot;
          }
          for (int64_t i = t; i < L; ++i) {
            float w = in.cb(c0 + i, tok, g) * decay(al(i) - al(t));
            for (int64_t p = 0; p < P; ++p) r[p] += w * dyv(c0 + i, h, p);
          }
          // dx_t = delta_t r_t + D dy_t; d delta_t (direct) = <r_t, x_t>; dD += <dy_t, x_t>
          double dd = 0;
          for (int64_t p = 0; p < P; ++p) {
            float xv = in.xv(tok, h, p), dyp = dyv(tok, h, p);
            store_f(dx, (tok * H + h) * P + p, (float)(de(t) * r[p] + Dh * dyp));
            dd += r[p] * xv;
            dD_acc += (double)dyp * xv;
          }
          ddir[t] = dd;
          // state parts: dB_t = delta_t exp(alpha_L - alpha_t) lambda^T x_t, dC_t = exp(alpha_t) sigma^T dy_t;
          // w_t = <dB_t, B_t> and u_t = <dC_t, C_t> are their decay gradients.
          float* dBt = ws.dBh + (tok * H + h) * N;
          float* dCt = ws.dCh + (tok * H + h) * N;
          double sb = (double)de(t) * et, sc = decay(al(t)), w = 0, u = 0;
          for (int64_t n = 0; n < N; ++n) {
            double db = 0, dc = 0;
            for (int64_t p = 0; p < P; ++p) {
              db += (double)lam[p * N + n] * in.xv(tok, h, p);
              dc += (double)sig[p * N + n] * dyv(tok, h, p);
            }
            dBt[n] = (float)(sb * db);
            dCt[n] = (float)(sc * dc);
            w += sb * db * in.Bv(tok, g, n);
            u += sc * dc * in.Cv(tok, g, n);
          }
          wv[t] = w;
          uv[t] = u;
          da[t] = 0.f;
        }
        // intra-chunk: dCB_ij = <dy_i, x_j> delta_j exp(alpha_i - alpha_j) (j <= i); dB_j += dCB_ij C_i,
        // dC_i += dCB_ij B_j. Its decay gradient, per step and without differences of cumulative sums:
        // da_s += sum_{i >= s} sum_{j < s} M_ij with M_ij = dCB_ij (C_i . B_j), a running row sum per i.
        for (int64_t i = 0; i < L; ++i) {
          double run = 0;
          for (int64_t j = 0; j <= i; ++j) {
            double gdot = 0;
            for (int64_t p = 0; p < P; ++p) gdot += (double)dyv(c0 + i, h, p) * in.xv(c0 + j, h, p);
            double dcb = gdot * de(j) * decay(al(i) - al(j));
            float* dBj = ws.dBh + ((c0 + j) * H + h) * N;
            float* dCi = ws.dCh + ((c0 + i) * H + h) * N;
            for (int64_t n = 0; n < N; ++n) {
              dBj[n] += dcb * in.Cv(c0 + i, g, n);
              dCi[n] += dcb * in.Bv(c0 + j, g, n);
            }
            da[j] += run;
            run += dcb * in.cb(c0 + i, c0 + j, g);
          }
        }
        // da_s += sum_{t < s} w_t (chunk state) + sum_{t >= s} u_t (inter output) + the chunk's state passing
        double wsum = 0, usum = 0;
        for (int64_t t = L - 1; t >= 0; --t) {
          usum += uv[t];
          da[t] += usum + dchunk;
        }
        for (int64_t t = 0; t < L; ++t) {
          da[t] += wsum;
          wsum += wv[t];
        }
        for (int64_t t = 0; t < L; ++t) {
          int64_t th = (c0 + t) * H + h;
          double draw = (ddir[t] + Ah * da[t]) * ws.dgrad[th];
          store_f(ddt, th, (float)draw);
          dA_acc += (double)de(t) * da[t];
          dbias_acc += draw;
        }
        // lambda <- exp(alpha_L) lambda + sum_t exp(alpha_t) dy_t C_t^T  (gradient of the state entering chunk)
        float eL = decay(aL);
        for (int64_t i = 0; i < P * N; ++i) lam[i] *= eL;
        for (int64_t t = 0; t < L; ++t) {
          float et = decay(al(t));
          for (int64_t p = 0; p < P; ++p) {
            float dyp = et * dyv(c0 + t, h, p);
            for (int64_t n = 0; n < N; ++n) lam[p * N + n] += dyp * in.Cv(c0 + t, g, n);
          }
        }
      }
      if (dinitial_state) memcpy(dinitial_state + item * P * N, lam, sizeof(float) * P * N);
      ws.param[(0 * S + q) * H + h] = dA_acc;
      ws.param[(1 * S + q) * H + h] = dD_acc;
      ws.param[(2 * S + q) * H + h] = dbias_acc;
    }
  });
  // dB, dC: sum the heads of each group.
  parallel_for(s.tokens * G, 64, [&](int64_t b, int64_t e) {
    for (int64_t tg = b; tg < e; ++tg) {
      int64_t tok = tg / G, g = tg % G;
      for (int64_t n = 0; n < N; ++n) {
        float db = 0.f, dc = 0.f;
        for (int64_t h = g * hpg; h < (g + 1) * hpg; ++h) {
          db += ws.dBh[(tok * H + h) * N + n];
          dc += ws.dCh[(tok * H + h) * N + n];
        }
        store_f(dB, tg * N + n, db);
        store_f(dC, tg * N + n, dc);
      }
    }
  });
  for (int64_t h = 0; h < H; ++h) {
    double a = 0, d = 0, bb = 0;
    for (int64_t q = 0; q < S; ++q) {
      a += ws.param[(0 * S + q) * H + h];
      d += ws.param[(1 * S + q) * H + h];
      bb += ws.param[(2 * S + q) * H + h];
    }
    dA[h] = (float)a;
    if (dD) dD[h] = (float)d;
    if (ddt_bias) ddt_bias[h] = (float)bb;
  }
}

template <typename T, typename TD>
void ssd_step(T* y, float* state, const T* x, const TD* dt, const float* dt_bias, const float* A, const T* B,
              const T* C, const float* D, int64_t batch, int64_t H, int64_t P, int64_t N, int64_t G, int softplus,
              float lo, float hi) {
  const int64_t hpg = H / G;
  parallel_for(batch * H, 1, [&](int64_t b0, int64_t e0) {
    for (int64_t bh = b0; bh < e0; ++bh) {
      int64_t b = bh / H, h = bh % H, g = h / hpg;
      float delta = ssd_delta(load_f(dt, bh), dt_bias ? dt_bias[h] : 0.f, softplus, lo, hi, nullptr);
      float da = decay(delta * A[h]);
      float* st = state + bh * P * N;
      const int64_t bg = (b * G + g) * N;
      for (int64_t p = 0; p < P; ++p) {
        float xv = load_f(x, bh * P + p), acc = 0.f;
        for (int64_t n = 0; n < N; ++n) {
          float v = da * st[p * N + n] + delta * xv * load_f(B, bg + n);
          st[p * N + n] = v;
          acc += v * load_f(C, bg + n);
        }
        store_f(y, bh * P + p, acc + (D ? D[h] : 0.f) * xv);
      }
    }
  });
}

// Calls fn.template operator()<T, TD>() for the (dtype, dt_dtype) pair (validated before).
template <typename Fn>
void dispatch(int dtype, int dt_dtype, Fn&& fn) {
  if (dtype == STATEX_F32) {
    fn(float(), float());
  } else if (dt_dtype == STATEX_F32) {
    fn(uint16_t(), float());
  } else {
    fn(uint16_t(), uint16_t());
  }
}

}  // namespace
}  // namespace statex

using namespace statex;

extern "C" {

STATEX_API statex_status statex_cpu_ssd_chunk_fwd_workspace_size(int64_t* bytes, int64_t batch, int64_t seqlen,
                                                                  int64_t heads, int64_t headdim, int64_t dstate,
                                                                  int64_t groups, int64_t nseq, int64_t chunk_size) {
  STX_TRY(check_ptr("ssd workspace size out", bytes));
  SsdShape s;
  STX_TRY(ssd_shape(&s, batch, seqlen, heads, headdim, dstate, groups, nseq, chunk_size));
  fwd_layout(s, nullptr, bytes);
  return STATEX_OK;
}

STATEX_API statex_status statex_cpu_ssd_chunk_bwd_workspace_size(int64_t* bytes, int64_t batch, int64_t seqlen,
                                                                  int64_t heads, int64_t headdim, int64_t dstate,
                                                                  int64_t groups, int64_t nseq, int64_t chunk_size) {
  STX_TRY(check_ptr("ssd workspace size out", bytes));
  SsdShape s;
  STX_TRY(ssd_shape(&s, batch, seqlen, heads, headdim, dstate, groups, nseq, chunk_size));
  bwd_layout(s, nullptr, bytes);
  return STATEX_OK;
}

STATEX_API statex_status statex_cpu_ssd_chunk_fwd(void* y, float* final_state, const void* x, const void* dt,
                                                  const float* dt_bias, const float* A, const void* B, const void* C,
                                                  const float* D, const float* initial_state,
                                                  const int64_t* cu_seqlens, int64_t batch, int64_t seqlen,
                                                  int64_t heads, int64_t headdim, int64_t dstate, int64_t groups,
                                                  int64_t nseq, int dtype, int dt_dtype, int64_t chunk_size,
                                                  int dt_softplus, float dt_min, float dt_max, void* workspace,
                                                  int64_t workspace_bytes) {
  SsdShape s;
  STX_TRY(check_ssd_fwd(&s, y, x, dt, A, B, C, cu_seqlens, true, batch, seqlen, heads, headdim, dstate, groups, nseq,
                        dtype, dt_dtype, chunk_size, dt_softplus, dt_min, dt_max));
  int64_t need;
  fwd_layout(s, nullptr, &need);
  STX_TRY(check_workspace("ssd_chunk_fwd", workspace, workspace_bytes, need));
  CpuFwdWs ws = fwd_layout(s, workspace, &need);
  dispatch(dtype, dt_dtype, [&](auto t, auto td) {
    using T = decltype(t);
    using TD = decltype(td);
    Ins<T, TD> in{(const T*)x, (const T*)B, (const T*)C, (const TD*)dt, dt_bias, A, D, &s, heads, headdim, dstate, groups};
    ssd_fwd<T, TD>(s, (T*)y, final_state, in, initial_state, cu_seqlens, ws);
  });
  return STATEX_OK;
}

STATEX_API statex_status statex_cpu_ssd_chunk_bwd(void* dx, void* ddt, float* dA, void* dB, void* dC, float* dD,
                                                  float* ddt_bias, float* dinitial_state, const void* dy,
                                                  const float* dfinal_state, const void* x, const void* dt,
                                                  const float* dt_bias, const float* A, const void* B, const void* C,
                                                  const float* D, const float* initial_state,
                                                  const int64_t* cu_seqlens, int64_t batch, int64_t seqlen,
                                                  int64_t heads, int64_t headdim, int64_t dstate, int64_t groups,
                                                  int64_t nseq, int dtype, int dt_dtype, int64_t chunk_size,
                                                  int dt_softplus, float dt_min, float dt_max, void* workspace,
                                                  int64_t workspace_bytes) {
  SsdShape s;
  STX_TRY(check_ssd_bwd(&s, dx, ddt, dA, dB, dC, dD, ddt_bias, dy, x, dt, dt_bias, A, B, C, D, cu_seqlens, true,
                        batch, seqlen, heads, headdim, dstate, groups, nseq, dtype, dt_dtype, chunk_size, dt_softplus,
                        dt_min, dt_max));
  int64_t need;
  bwd_layout(s, nullptr, &need);
  STX_TRY(check_workspace("ssd_chunk_bwd", workspace, workspace_bytes, need));
  CpuBwdWs ws = bwd_layout(s, workspace, &need);
  dispatch(dtype, dt_dtype, [&](auto t, auto td) {
    using T = decltype(t);
    using TD = decltype(td);
    Ins<T, TD> in{(const T*)x, (const T*)B, (const T*)C, (const TD*)dt, dt_bias, A, D, &s, heads, headdim, dstate, groups};
    ssd_bwd<T, TD>(s, (T*)dx, (TD*)ddt, dA, (T*)dB, (T*)dC, dD, ddt_bias, dinitial_state, (const T*)dy, dfinal_state,
                   in, initial_state, cu_seqlens, ws);
  });
  return STATEX_OK;
}

STATEX_API statex_status statex_cpu_ssd_step(void* y, float* state, const void* x, const void* dt,
                                             const float* dt_bias, const float* A, const void* B, const void* C,
                                             const float* D, int64_t batch, int64_t heads, int64_t headdim,
                                             int64_t dstate, int64_t groups, int dtype, int dt_dtype,
                                             int dt_softplus, float dt_min, float dt_max) {
  STX_TRY(check_ssd_step(y, state, x, dt, A, B, C, batch, heads, headdim, dstate, groups, dtype, dt_dtype, dt_min,
                         dt_max));
  STX_CHECK(dt_softplus == 0 || dt_softplus == 1, "ssd_step: dt_softplus must be 0 or 1, got %d", dt_softplus);
  dispatch(dtype, dt_dtype, [&](auto t, auto td) {
    using T = decltype(t);
    using TD = decltype(td);
    ssd_step<T, TD>((T*)y, state, (const T*)x, (const TD*)dt, dt_bias, A, (const T*)B, (const T*)C, D, batch, heads,
                    headdim, dstate, groups, dt_softplus, dt_min, dt_max);
  });
  return STATEX_OK;
}

}  // extern "C"
