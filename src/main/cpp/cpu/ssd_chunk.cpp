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
 * With F64 data the same code runs with R = double in place of fp32 (arith_t): states, parameters, scratch and
 * every product are double, and so are A, dt_bias, D, the states and all their gradients (statex/ssd.h).
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

// R is the arithmetic type of the data (float, or double for F64): it sizes the R regions.
template <typename R>
struct CpuFwdWs {
  R* scratch;        // per item: state [P*N], delta [Q]
  double* acc;       // per item: y accumulator [P], alpha [Q]
  int64_t item_floats;
};
template <typename R>
struct CpuBwdWs {
  int64_t* chunk_off;  // [S+1] first chunk of each sequence in `states`
  R* states;           // [NC][H][P][N] state entering each chunk
  R* delta;            // [tokens][H]
  double* alpha;       // [tokens][H] chunk-local cumulative decay (double: see decay())
  R* dgrad;            // [tokens][H] d delta / d raw dt
  R* dBh;              // [tokens][H][N] per-head dB
  R* dCh;              // [tokens][H][N] per-head dC
  double* param;       // [3][S][H] per-item dA, dD, ddt_bias sums (double: long sums of mixed-sign terms)
  R* scratch;          // per item: lambda [P*N]
  double* dscratch;    // per item: r [P], da [Q], w [Q], u [Q], direct d delta [Q]
  int64_t item_doubles;
};

template <typename R>
CpuFwdWs<R> fwd_layout(const SsdShape& s, void* ws, int64_t* bytes) {
  Carver c{(char*)ws};
  CpuFwdWs<R> w;
  w.item_floats = s.headdim * s.dstate + s.chunk;
  w.scratch = c.take<R>(s.nseqs * s.heads * w.item_floats);
  w.acc = c.take<double>(s.nseqs * s.heads * (s.headdim + s.chunk));
  *bytes = c.used;
  return w;
}

template <typename R>
CpuBwdWs<R> bwd_layout(const SsdShape& s, void* ws, int64_t* bytes) {
  Carver c{(char*)ws};
  CpuBwdWs<R> w;
  int64_t th = s.tokens * s.heads;
  w.chunk_off = c.take<int64_t>(s.nseqs + 1);
  w.states = c.take<R>(s.max_chunks * s.heads * s.headdim * s.dstate);
  w.delta = c.take<R>(th);
  w.alpha = c.take<double>(th);
  w.dgrad = c.take<R>(th);
  w.dBh = c.take<R>(th * s.dstate);
  w.dCh = c.take<R>(th * s.dstate);
  w.param = c.take<double>(3 * s.nseqs * s.heads);
  w.scratch = c.take<R>(s.nseqs * s.heads * s.headdim * s.dstate);
  w.item_doubles = s.headdim + 4 * s.chunk;
  w.dscratch = c.take<double>(s.nseqs * s.heads * w.item_doubles);
  *bytes = c.used;
  return w;
}

template <typename R>
int64_t layout_bytes(const SsdShape& s, bool backward) {
  int64_t bytes = 0;
  if (backward) {
    bwd_layout<R>(s, nullptr, &bytes);
  } else {
    fwd_layout<R>(s, nullptr, &bytes);
  }
  return bytes;
}

// Workspace bytes for a dtype: the R regions are twice as large for F64.
int64_t required_bytes(const SsdShape& s, int dtype, bool backward) {
  return dtype == STATEX_F64 ? layout_bytes<double>(s, backward) : layout_bytes<float>(s, backward);
}

// decay() (ssd_math.h) in the arithmetic type.
template <typename R>
R decay_as(double log_decay);
template <>
float decay_as<float>(double log_decay) {
  return decay(log_decay);
}
template <>
double decay_as<double>(double log_decay) {
  return decay_f64(log_decay);
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

// The inputs of one call; R = arith_t<T> is the type of the parameters and of every fp32 value below.
template <typename T, typename TD>
struct Ins {
  using R = arith_t<T>;
  const T *x, *B, *C;
  const TD* dt;
  const R *dt_bias, *A, *D;
  const SsdShape* s;
  int64_t H, P, N, G;
  R xv(int64_t tok, int64_t h, int64_t p) const { return load_f(x, (tok * H + h) * P + p); }
  R Bv(int64_t tok, int64_t g, int64_t n) const { return load_f(B, (tok * G + g) * N + n); }
  R Cv(int64_t tok, int64_t g, int64_t n) const { return load_f(C, (tok * G + g) * N + n); }
  // C_i . B_j for group g
  R cb(int64_t ti, int64_t tj, int64_t g) const {
    double acc = 0;
    for (int64_t n = 0; n < N; ++n) acc += (double)Cv(ti, g, n) * Bv(tj, g, n);
    return (R)acc;
  }
  // delta of (tok, h) and alpha running sum; returns delta, gradient factor in *grad.
  R delta(int64_t tok, int64_t h, R* grad) const {
    return ssd_delta_as<R>(load_f(dt, tok * H + h), dt_bias ? dt_bias[h] : R(0), s->dt_softplus, s->dt_min, s->dt_max,
                           grad);
  }
};

// sigma <- exp(alpha_L) sigma + sum_t exp(alpha_L - alpha_t) delta_t x_t B_t^T over one chunk [c0, c0 + L).
template <typename T, typename TD, typename R = arith_t<T>>
void state_update(const Ins<T, TD>& in, R* sigma, int64_t c0, int64_t L, int64_t h, int64_t g, const R* delta,
                  const double* alpha, int64_t stride) {
  const int64_t P = in.P, N = in.N;
  double aL = alpha[(L - 1) * stride];
  R eL = decay_as<R>(aL);
  for (int64_t i = 0; i < P * N; ++i) sigma[i] *= eL;
  for (int64_t t = 0; t < L; ++t) {
    R w = decay_as<R>(aL - alpha[t * stride]) * delta[t * stride];
    for (int64_t p = 0; p < P; ++p) {
      R xs = w * in.xv(c0 + t, h, p);
      R* row = sigma + p * N;
      for (int64_t n = 0; n < N; ++n) row[n] += xs * in.Bv(c0 + t, g, n);
    }
  }
}

template <typename T, typename TD, typename R = arith_t<T>>
void ssd_fwd(const SsdShape& s, T* y, R* final_state, const Ins<T, TD>& in, const R* initial_state, const int64_t* cu,
             const CpuFwdWs<R>& ws) {
  const int64_t H = s.heads, P = s.headdim, N = s.dstate, Q = s.chunk, hpg = s.heads / s.groups;
  parallel_for(s.nseqs * H, 1, [&](int64_t b, int64_t e) {
    for (int64_t item = b; item < e; ++item) {
      int64_t q = item / H, h = item % H, g = h / hpg;
      R* sigma = ws.scratch + item * ws.item_floats;
      R* delta = sigma + P * N;
      double* acc = ws.acc + item * (P + Q);
      double* alpha = acc + P;
      if (initial_state) {
        memcpy(sigma, initial_state + item * P * N, sizeof(R) * P * N);
      } else {
        std::fill(sigma, sigma + P * N, R(0));
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
          R ei = decay_as<R>(alpha[i]);
          for (int64_t p = 0; p < P; ++p) {
            double dot = 0;
            for (int64_t n = 0; n < N; ++n) dot += (double)sigma[p * N + n] * in.Cv(c0 + i, g, n);
            acc[p] = ei * dot;
          }
          // intra-chunk term: sum_{j <= i} (C_i . B_j) exp(alpha_i - alpha_j) delta_j x_j
          for (int64_t j = 0; j <= i; ++j) {
            R w = in.cb(c0 + i, c0 + j, g) * decay_as<R>(alpha[i] - alpha[j]) * delta[j];
            for (int64_t p = 0; p < P; ++p) acc[p] += w * in.xv(c0 + j, h, p);
          }
          R dh = in.D ? in.D[h] : R(0);
          for (int64_t p = 0; p < P; ++p) store_f(y, ((c0 + i) * H + h) * P + p, (R)(acc[p] + dh * in.xv(c0 + i, h, p)));
        }
        state_update(in, sigma, c0, L, h, g, delta, alpha, 1);
      }
      if (final_state) memcpy(final_state + item * P * N, sigma, sizeof(R) * P * N);
    }
  });
}

template <typename T, typename TD, typename R = arith_t<T>>
void ssd_bwd(const SsdShape& s, T* dx, TD* ddt, R* dA, T* dB, T* dC, R* dD, R* ddt_bias, R* dinitial_state,
             const T* dy, const R* dfinal_state, const Ins<T, TD>& in, const R* initial_state, const int64_t* cu,
             const CpuBwdWs<R>& ws) {
  const int64_t H = s.heads, P = s.headdim, N = s.dstate, Q = s.chunk, G = s.groups, hpg = s.heads / s.groups;
  const int64_t S = s.nseqs;
  auto dyv = [&](int64_t tok, int64_t h, int64_t p) -> R { return load_f(dy, (tok * H + h) * P + p); };
  ws.chunk_off[0] = 0;
  for (int64_t q = 0; q < S; ++q) {
    int64_t begin, end;
    seq_range(s, cu, q, &begin, &end);
    ws.chunk_off[q + 1] = ws.chunk_off[q] + (end - begin + Q - 1) / Q;
  }
  parallel_for(S * H, 1, [&](int64_t b, int64_t e) {
    for (int64_t item = b; item < e; ++item) {
      int64_t q = item / H, h = item % H, g = h / hpg;
      R* lam = ws.scratch + item * P * N;
      double* r = ws.dscratch + item * ws.item_doubles;
      double *da = r + P, *wv = da + Q, *uv = wv + Q, *ddir = uv + Q;
      int64_t begin, end;
      seq_range(s, cu, q, &begin, &end);
      // Pass 1: delta, alpha per token and the state entering every chunk (recomputed, fp32).
      if (initial_state) {
        memcpy(lam, initial_state + item * P * N, sizeof(R) * P * N);
      } else {
        std::fill(lam, lam + P * N, R(0));
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
        memcpy(ws.states + (k * H + h) * P * N, lam, sizeof(R) * P * N);
        state_update(in, lam, c0, L, h, g, ws.delta + c0 * H + h, ws.alpha + c0 * H + h, H);
      }
      // Pass 2, chunks in reverse; lambda = d loss / d (state at the end of the chunk).
      if (dfinal_state) {
        memcpy(lam, dfinal_state + item * P * N, sizeof(R) * P * N);
      } else {
        std::fill(lam, lam + P * N, R(0));
      }
      double dA_acc = 0, dD_acc = 0, dbias_acc = 0;
      const R Ah = in.A[h], Dh = in.D ? in.D[h] : R(0);
      int64_t nk = ws.chunk_off[q + 1] - ws.chunk_off[q];
      for (int64_t k = nk - 1; k >= 0; --k) {
        int64_t c0 = begin + k * Q, L = std::min(Q, end - c0);
        const R* sig = ws.states + ((ws.chunk_off[q] + k) * H + h) * P * N;
        auto al = [&](int64_t i) { return ws.alpha[(c0 + i) * H + h]; };
        auto de = [&](int64_t i) { return ws.delta[(c0 + i) * H + h]; };
        double aL = al(L - 1);
        // state passing: the whole chunk's decay gets exp(alpha_L) <sigma_c, lambda>
        double dchunk_sum = 0;
        for (int64_t i = 0; i < P * N; ++i) dchunk_sum += (double)sig[i] * lam[i];
        const R dchunk = (R)dchunk_sum * decay_as<R>(aL);
        for (int64_t t = 0; t < L; ++t) {
          int64_t tok = c0 + t;
          // r_t = exp(alpha_L - alpha_t) lambda B_t + sum_{i >= t} (C_i . B_t) exp(alpha_i - alpha_t) dy_i
          R et = decay_as<R>(aL - al(t));
          for (int64_t p = 0; p < P; ++p) {
            double dot = 0;
            for (int64_t n = 0; n < N; ++n) dot += (double)lam[p * N + n] * in.Bv(tok, g, n);
            r[p] = et * dot;
          }
          for (int64_t i = t; i < L; ++i) {
            R w = in.cb(c0 + i, tok, g) * decay_as<R>(al(i) - al(t));
            for (int64_t p = 0; p < P; ++p) r[p] += w * dyv(c0 + i, h, p);
          }
          // dx_t = delta_t r_t + D dy_t; d delta_t (direct) = <r_t, x_t>; dD += <dy_t, x_t>
          double dd = 0;
          for (int64_t p = 0; p < P; ++p) {
            R xv = in.xv(tok, h, p), dyp = dyv(tok, h, p);
            store_f(dx, (tok * H + h) * P + p, (R)(de(t) * r[p] + Dh * dyp));
            dd += r[p] * xv;
            dD_acc += (double)dyp * xv;
          }
          ddir[t] = dd;
          // state parts: dB_t = delta_t exp(alpha_L - alpha_t) lambda^T x_t, dC_t = exp(alpha_t) sigma^T dy_t;
          // w_t = <dB_t, B_t> and u_t = <dC_t, C_t> are their decay gradients.
          R* dBt = ws.dBh + (tok * H + h) * N;
          R* dCt = ws.dCh + (tok * H + h) * N;
          double sb = (double)de(t) * et, sc = decay_as<R>(al(t)), w = 0, u = 0;
          for (int64_t n = 0; n < N; ++n) {
            double db = 0, dc = 0;
            for (int64_t p = 0; p < P; ++p) {
              db += (double)lam[p * N + n] * in.xv(tok, h, p);
              dc += (double)sig[p * N + n] * dyv(tok, h, p);
            }
            dBt[n] = (R)(sb * db);
            dCt[n] = (R)(sc * dc);
            w += sb * db * in.Bv(tok, g, n);
            u += sc * dc * in.Cv(tok, g, n);
          }
          wv[t] = w;
          uv[t] = u;
          da[t] = 0;
        }
        // intra-chunk: dCB_ij = <dy_i, x_j> delta_j exp(alpha_i - alpha_j) (j <= i); dB_j += dCB_ij C_i,
        // dC_i += dCB_ij B_j. Its decay gradient, per step and without differences of cumulative sums:
        // da_s += sum_{i >= s} sum_{j < s} M_ij with M_ij = dCB_ij (C_i . B_j), a running row sum per i.
        for (int64_t i = 0; i < L; ++i) {
          double run = 0;
          for (int64_t j = 0; j <= i; ++j) {
            double gdot = 0;
            for (int64_t p = 0; p < P; ++p) gdot += (double)dyv(c0 + i, h, p) * in.xv(c0 + j, h, p);
            double dcb = gdot * de(j) * decay_as<R>(al(i) - al(j));
            R* dBj = ws.dBh + ((c0 + j) * H + h) * N;
            R* dCi = ws.dCh + ((c0 + i) * H + h) * N;
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
          store_f(ddt, th, (arith_t<TD>)draw);
          dA_acc += (double)de(t) * da[t];
          dbias_acc += draw;
        }
        // lambda <- exp(alpha_L) lambda + sum_t exp(alpha_t) dy_t C_t^T  (gradient of the state entering chunk)
        R eL = decay_as<R>(aL);
        for (int64_t i = 0; i < P * N; ++i) lam[i] *= eL;
        for (int64_t t = 0; t < L; ++t) {
          R et = decay_as<R>(al(t));
          for (int64_t p = 0; p < P; ++p) {
            R dyp = et * dyv(c0 + t, h, p);
            for (int64_t n = 0; n < N; ++n) lam[p * N + n] += dyp * in.Cv(c0 + t, g, n);
          }
        }
      }
      if (dinitial_state) memcpy(dinitial_state + item * P * N, lam, sizeof(R) * P * N);
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
        R db = 0, dc = 0;
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
    dA[h] = (R)a;
    if (dD) dD[h] = (R)d;
    if (ddt_bias) ddt_bias[h] = (R)bb;
  }
}

template <typename T, typename TD, typename R = arith_t<T>>
void ssd_step(T* y, R* state, const T* x, const TD* dt, const R* dt_bias, const R* A, const T* B, const T* C,
              const R* D, int64_t batch, int64_t H, int64_t P, int64_t N, int64_t G, int softplus, R lo, R hi) {
  const int64_t hpg = H / G;
  parallel_for(batch * H, 1, [&](int64_t b0, int64_t e0) {
    for (int64_t bh = b0; bh < e0; ++bh) {
      int64_t b = bh / H, h = bh % H, g = h / hpg;
      R delta = ssd_delta_as<R>(load_f(dt, bh), dt_bias ? dt_bias[h] : R(0), softplus, lo, hi, nullptr);
      R da = decay_as<R>(delta * A[h]);
      R* st = state + bh * P * N;
      const int64_t bg = (b * G + g) * N;
      for (int64_t p = 0; p < P; ++p) {
        R xv = load_f(x, bh * P + p), acc = 0;
        for (int64_t n = 0; n < N; ++n) {
          R v = da * st[p * N + n] + delta * xv * load_f(B, bg + n);
          st[p * N + n] = v;
          acc += v * load_f(C, bg + n);
        }
        store_f(y, bh * P + p, acc + (D ? D[h] : R(0)) * xv);
      }
    }
  });
}

// Calls fn(T(), TD()) with the storage types of the (dtype, dt_dtype) pair (validated before: dt_dtype is F32 or
// dtype).
template <typename Fn>
void dispatch(int dtype, int dt_dtype, Fn&& fn) {
  if (dtype == STATEX_F32) {
    fn(float(), float());
  } else if (dtype == STATEX_F64) {
    if (dt_dtype == STATEX_F64) {
      fn(double(), double());
    } else {
      fn(double(), float());
    }
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
                                                                  int64_t groups, int64_t nseq, int dtype,
                                                                  int64_t chunk_size) {
  STX_TRY(check_ptr("ssd workspace size out", bytes));
  STX_TRY(check_float_dtype("ssd workspace size dtype", dtype));
  SsdShape s;
  STX_TRY(ssd_shape(&s, batch, seqlen, heads, headdim, dstate, groups, nseq, chunk_size));
  *bytes = required_bytes(s, dtype, false);
  return STATEX_OK;
}

STATEX_API statex_status statex_cpu_ssd_chunk_bwd_workspace_size(int64_t* bytes, int64_t batch, int64_t seqlen,
                                                                  int64_t heads, int64_t headdim, int64_t dstate,
                                                                  int64_t groups, int64_t nseq, int dtype,
                                                                  int64_t chunk_size) {
  STX_TRY(check_ptr("ssd workspace size out", bytes));
  STX_TRY(check_float_dtype("ssd workspace size dtype", dtype));
  SsdShape s;
  STX_TRY(ssd_shape(&s, batch, seqlen, heads, headdim, dstate, groups, nseq, chunk_size));
  *bytes = required_bytes(s, dtype, true);
  return STATEX_OK;
}

STATEX_API statex_status statex_cpu_ssd_chunk_fwd(void* y, void* final_state, const void* x, const void* dt,
                                                  const void* dt_bias, const void* A, const void* B, const void* C,
                                                  const void* D, const void* initial_state,
                                                  const int64_t* cu_seqlens, int64_t batch, int64_t seqlen,
                                                  int64_t heads, int64_t headdim, int64_t dstate, int64_t groups,
                                                  int64_t nseq, int dtype, int dt_dtype, int64_t chunk_size,
                                                  int dt_softplus, float dt_min, float dt_max, void* workspace,
                                                  int64_t workspace_bytes) {
  SsdShape s;
  STX_TRY(check_ssd_fwd(&s, y, x, dt, A, B, C, cu_seqlens, true, batch, seqlen, heads, headdim, dstate, groups, nseq,
                        dtype, dt_dtype, chunk_size, dt_softplus, dt_min, dt_max));
  STX_TRY(check_workspace("ssd_chunk_fwd", workspace, workspace_bytes, required_bytes(s, dtype, false)));
  dispatch(dtype, dt_dtype, [&](auto t, auto td) {
    using T = decltype(t);
    using TD = decltype(td);
    using R = arith_t<T>;
    int64_t used;
    CpuFwdWs<R> ws = fwd_layout<R>(s, workspace, &used);
    Ins<T, TD> in{(const T*)x, (const T*)B, (const T*)C, (const TD*)dt, (const R*)dt_bias, (const R*)A, (const R*)D,
                  &s, heads, headdim, dstate, groups};
    ssd_fwd<T, TD>(s, (T*)y, (R*)final_state, in, (const R*)initial_state, cu_seqlens, ws);
  });
  return STATEX_OK;
}

STATEX_API statex_status statex_cpu_ssd_chunk_bwd(void* dx, void* ddt, void* dA, void* dB, void* dC, void* dD,
                                                  void* ddt_bias, void* dinitial_state, const void* dy,
                                                  const void* dfinal_state, const void* x, const void* dt,
                                                  const void* dt_bias, const void* A, const void* B, const void* C,
                                                  const void* D, const void* initial_state,
                                                  const int64_t* cu_seqlens, int64_t batch, int64_t seqlen,
                                                  int64_t heads, int64_t headdim, int64_t dstate, int64_t groups,
                                                  int64_t nseq, int dtype, int dt_dtype, int64_t chunk_size,
                                                  int dt_softplus, float dt_min, float dt_max, void* workspace,
                                                  int64_t workspace_bytes) {
  SsdShape s;
  STX_TRY(check_ssd_bwd(&s, dx, ddt, dA, dB, dC, dD, ddt_bias, dy, x, dt, dt_bias, A, B, C, D, cu_seqlens, true,
                        batch, seqlen, heads, headdim, dstate, groups, nseq, dtype, dt_dtype, chunk_size, dt_softplus,
                        dt_min, dt_max));
  STX_TRY(check_workspace("ssd_chunk_bwd", workspace, workspace_bytes, required_bytes(s, dtype, true)));
  dispatch(dtype, dt_dtype, [&](auto t, auto td) {
    using T = decltype(t);
    using TD = decltype(td);
    using R = arith_t<T>;
    int64_t used;
    CpuBwdWs<R> ws = bwd_layout<R>(s, workspace, &used);
    Ins<T, TD> in{(const T*)x, (const T*)B, (const T*)C, (const TD*)dt, (const R*)dt_bias, (const R*)A, (const R*)D,
                  &s, heads, headdim, dstate, groups};
    ssd_bwd<T, TD>(s, (T*)dx, (TD*)ddt, (R*)dA, (T*)dB, (T*)dC, (R*)dD, (R*)ddt_bias, (R*)dinitial_state,
                   (const T*)dy, (const R*)dfinal_state, in, (const R*)initial_state, cu_seqlens, ws);
  });
  return STATEX_OK;
}

STATEX_API statex_status statex_cpu_ssd_step(void* y, void* state, const void* x, const void* dt, const void* dt_bias,
                                             const void* A, const void* B, const void* C, const void* D,
                                             int64_t batch, int64_t heads, int64_t headdim, int64_t dstate,
                                             int64_t groups, int dtype, int dt_dtype, int dt_softplus, float dt_min,
                                             float dt_max) {
  STX_TRY(check_ssd_step(y, state, x, dt, A, B, C, batch, heads, headdim, dstate, groups, dtype, dt_dtype, dt_min,
                         dt_max));
  STX_CHECK(dt_softplus == 0 || dt_softplus == 1, "ssd_step: dt_softplus must be 0 or 1, got %d", dt_softplus);
  dispatch(dtype, dt_dtype, [&](auto t, auto td) {
    using T = decltype(t);
    using TD = decltype(td);
    using R = arith_t<T>;
    ssd_step<T, TD>((T*)y, (R*)state, (const T*)x, (const TD*)dt, (const R*)dt_bias, (const R*)A, (const T*)B,
                    (const T*)C, (const R*)D, batch, heads, headdim, dstate, groups, dt_softplus, (R)dt_min,
                    (R)dt_max);
  });
  return STATEX_OK;
}

}  // extern "C"
