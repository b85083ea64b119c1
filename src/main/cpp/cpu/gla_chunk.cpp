/*
 * Chunked gated linear attention on the CPU (statex/gla.h): the plain, exact implementation that CI
 * runs. One task per (sequence, head), in double arithmetic. States (h0, hT, dht, dh0) are F32, or F64 when the
 * inputs are F64 (wide_dtype), so that an F64 call is double from end to end.
 *
 * Inside chunk n (rows t = 0..L-1, L <= 64) with G the chunk-local inclusive cumsum of g and h the
 * state entering the chunk:
 *     o_t   = scale (q_t . e^{G_t})^T h + sum_{j<=t} A_tj v_j,   A_tj = scale sum_k q_tk k_jk e^{G_tk - G_jk}
 *     h'    = diag(e^{G_last}) h + sum_j (k_j . e^{G_last - G_j}) v_j^T
 * With g <= 0 every exponent here (G_t, G_t - G_j for j <= t, G_last - G_j) is <= 0. The exact factor
 * e^{G_tk - G_jk} is used for every (t, j, k): this file is the reference for the fast kernels, so it
 * takes no shortcut.
 *
 * Backward, chunks in reverse, with d the gradient of the state leaving the chunk (dht at the end):
 *     dA_tj = scale d_o_t . v_j                                               (j <= t)
 *     dv_j  = sum_{t>=j} A_tj d_o_t + (k_j . e^{G_last - G_j})^T d
 *     dq_t  = scale e^{G_t} . (h d_o_t) + sum_{j<=t} dA_tj k_j . e^{G_t - G_j}
 *     dk_j  = e^{G_last - G_j} . (d v_j) + sum_{t>=j} dA_tj q_t . e^{G_t - G_j}
 *     dg_s  = sum_{t>=s} (q_t . dq_t - k_t . dk_t) + rowsum(h' . d)           (within the chunk)
 *     d    <- diag(e^{G_last}) d + scale sum_t (q_t . e^{G_t}) d_o_t^T        (d of the state entering)
 * The last term of dg_s is the gradient through G_last: every term of h' carries e^{G_last}, so
 * d h'/d G_last is h' itself, row by row. The d left after the first chunk is dh0.
 */
#include <math.h>

#include <algorithm>
#include <atomic>
#include <new>
#include <vector>

#include "common/check.h"
#include "common/dtype.h"
#include "common/gla_check.h"
#include "cpu/parallel.h"
#include "statex/gla.h"

namespace statex {
namespace {

constexpr int kChunk = STATEX_GLA_CHUNK;

struct Seq {
  int64_t bos, len;  // tokens [bos, bos + len) of the flattened B*T axis
};

Seq sequence(const GlaShape& s, const int64_t* cu, int64_t n) {
  return cu ? Seq{cu[n], cu[n + 1] - cu[n]} : Seq{n * s.T, s.T};
}

// rows [tok0, tok0 + L) of head h of a [tokens, H, D] tensor, as double [L][D]
void load_rows(double* dst, const void* src, int dtype, int64_t tok0, int L, int64_t H, int64_t h, int64_t D) {
  for (int t = 0; t < L; ++t)
    for (int64_t c = 0; c < D; ++c) dst[t * D + c] = load_any(src, dtype, ((tok0 + t) * H + h) * D + c);
}

void store_rows(void* dst, int dtype, const double* src, int64_t tok0, int L, int64_t H, int64_t h, int64_t D) {
  for (int t = 0; t < L; ++t)
    for (int64_t c = 0; c < D; ++c) store_any(dst, dtype, ((tok0 + t) * H + h) * D + c, src[t * D + c]);
}

// The inputs of one chunk of one (sequence, head) in double, and the chunk-local cumulative gate.
struct Chunk {
  const GlaShape& s;
  int L = 0;
  std::vector<double> q, k, v, G, d_o;

  explicit Chunk(const GlaShape& shape)
      : s(shape), q(kChunk * s.K), k(kChunk * s.K), v(kChunk * s.V), G(kChunk * s.K), d_o(kChunk * s.V) {}

  void load(const void* qp, const void* kp, const void* vp, const void* gp, const void* dop, int64_t tok0, int len,
            int64_t h) {
    L = len;
    load_rows(q.data(), qp, s.dtype, tok0, L, s.H, h, s.K);
    load_rows(k.data(), kp, s.dtype, tok0, L, s.H, h, s.K);
    load_rows(v.data(), vp, s.dtype, tok0, L, s.H, h, s.V);
    load_rows(G.data(), gp, s.g_dtype, tok0, L, s.H, h, s.K);
    for (int t = 1; t < L; ++t)
      for (int64_t c = 0; c < s.K; ++c) G[t * s.K + c] += G[(t - 1) * s.K + c];
    if (dop) load_rows(d_o.data(), dop, s.dtype, tok0, L, s.H, h, s.V);
  }
  const double* Glast() const { return &G[(L - 1) * s.K]; }

  // A_tj = scale sum_k q_tk k_jk e^{G_tk - G_jk}, for j <= t
  double score(int t, int j) const {
    double a = 0;
    for (int64_t c = 0; c < s.K; ++c) a += q[t * s.K + c] * k[j * s.K + c] * exp(G[t * s.K + c] - G[j * s.K + c]);
    return s.scale * a;
  }

  // h <- diag(e^{G_last}) h + sum_j (k_j . e^{G_last - G_j}) v_j^T
  void advance(std::vector<double>& h) const {
    const int64_t K = s.K, V = s.V;
    for (int64_t c = 0; c < K; ++c) {
      double* row = &h[c * V];
      const double decay = exp(Glast()[c]);
      for (int64_t x = 0; x < V; ++x) row[x] *= decay;
      for (int j = 0; j < L; ++j) {
        const double kj = k[j * K + c] * exp(Glast()[c] - G[j * K + c]);
        for (int64_t x = 0; x < V; ++x) row[x] += kj * v[j * V + x];
      }
    }
  }
};

void load_state(std::vector<double>& h, const void* src, const GlaShape& s, int64_t n, int64_t head) {
  const int64_t KV = s.K * s.V;
  if (!src) {
    std::fill(h.begin(), h.end(), 0.0);
    return;
  }
  const int64_t base = (n * s.H + head) * KV;
  const int sd = wide_dtype(s.dtype);
  for (int64_t i = 0; i < KV; ++i) h[i] = load_any(src, sd, base + i);
}

void store_state(void* dst, const std::vector<double>& h, const GlaShape& s, int64_t n, int64_t head) {
  const int64_t base = (n * s.H + head) * s.K * s.V;
  const int sd = wide_dtype(s.dtype);
  for (int64_t i = 0; i < s.K * s.V; ++i) store_any(dst, sd, base + i, h[i]);
}

struct FwdArgs {
  void* o;
  void* ht;
  const void *q, *k, *v, *g;
  const void* h0;
  const int64_t* cu;
};

void forward_task(const GlaShape& s, const FwdArgs& a, int64_t n, int64_t head) {
  const int64_t K = s.K, V = s.V;
  const Seq seq = sequence(s, a.cu, n);
  std::vector<double> h(K * V), out(kChunk * V);
  load_state(h, a.h0, s, n, head);
  Chunk ch(s);
  for (int64_t c0 = 0; c0 < seq.len; c0 += kChunk) {
    const int L = (int)std::min<int64_t>(kChunk, seq.len - c0);
    ch.load(a.q, a.k, a.v, a.g, nullptr, seq.bos + c0, L, head);
    for (int t = 0; t < L; ++t) {
      double* ot = &out[t * V];
      // inter: scale (q_t . e^{G_t})^T h
      std::fill(ot, ot + V, 0.0);
      for (int64_t c = 0; c < K; ++c) {
        const double qc = s.scale * ch.q[t * K + c] * exp(ch.G[t * K + c]);
        for (int64_t x = 0; x < V; ++x) ot[x] += qc * h[c * V + x];
      }
      // intra: sum_{j<=t} A_tj v_j
      for (int j = 0; j <= t; ++j) {
        const double A = ch.score(t, j);
        for (int64_t x = 0; x < V; ++x) ot[x] += A * ch.v[j * V + x];
      }
    }
    store_rows(a.o, s.dtype, out.data(), seq.bos + c0, L, s.H, head, V);
    ch.advance(h);
  }
  if (a.ht) store_state(a.ht, h, s, n, head);
}

struct BwdArgs {
  void *dq, *dk, *dv, *dg;
  void* dh0;
  const void *q, *k, *v, *g;
  const void* h0;
  const void* d_o;
  const void* dht;
  const int64_t* cu;
};

void backward_task(const GlaShape& s, const BwdArgs& a, int64_t n, int64_t head) {
  const int64_t K = s.K, V = s.V;
  const Seq seq = sequence(s, a.cu, n);
  const int64_t nchunks = (seq.len + kChunk - 1) / kChunk;
  Chunk ch(s);

  // states[c] enters chunk c; states[nchunks] is the final state
  std::vector<std::vector<double>> states(nchunks + 1, std::vector<double>(K * V));
  load_state(states[0], a.h0, s, n, head);
  for (int64_t c = 0; c < nchunks; ++c) {
    const int L = (int)std::min<int64_t>(kChunk, seq.len - c * kChunk);
    ch.load(a.q, a.k, a.v, a.g, nullptr, seq.bos + c * kChunk, L, head);
    states[c + 1] = states[c];
    ch.advance(states[c + 1]);
  }

  std::vector<double> d(K * V), dA(kChunk * kChunk), A(kChunk * kChunk);
  std::vector<double> dq(kChunk * K), dk(kChunk * K), dv(kChunk * V), dg(kChunk * K);
  load_state(d, a.dht, s, n, head);
  for (int64_t c = nchunks - 1; c >= 0; --c) {
    const int L = (int)std::min<int64_t>(kChunk, seq.len - c * kChunk);
    const int64_t tok0 = seq.bos + c * kChunk;
    ch.load(a.q, a.k, a.v, a.g, a.d_o, tok0, L, head);
    const std::vector<double>& h = states[c];
    const std::vector<double>& h_next = states[c + 1];
    const double* Gl = ch.Glast();

    for (int t = 0; t < L; ++t)
      for (int j = 0; j <= t; ++j) {
        A[t * kChunk + j] = ch.score(t, j);
        double dot = 0;
        for (int64_t x = 0; x < V; ++x) dot += ch.d_o[t * V + x] * ch.v[j * V + x];
        dA[t * kChunk + j] = s.scale * dot;
      }

    // dv_j = sum_{t>=j} A_tj d_o_t + (k_j . e^{G_last - G_j})^T d
    for (int j = 0; j < L; ++j) {
      double* dvj = &dv[j * V];
      std::fill(dvj, dvj + V, 0.0);
      for (int t = j; t < L; ++t)
        for (int64_t x = 0; x < V; ++x) dvj[x] += A[t * kChunk + j] * ch.d_o[t * V + x];
      for (int64_t c2 = 0; c2 < K; ++c2) {
        const double kt = ch.k[j * K + c2] * exp(Gl[c2] - ch.G[j * K + c2]);
        for (int64_t x = 0; x < V; ++x) dvj[x] += kt * d[c2 * V + x];
      }
    }

    for (int t = 0; t < L; ++t)
      for (int64_t c2 = 0; c2 < K; ++c2) {
        double hd = 0, dvv = 0;  // (h d_o_t)[c2], (d v_t)[c2]
        for (int64_t x = 0; x < V; ++x) {
          hd += h[c2 * V + x] * ch.d_o[t * V + x];
          dvv += d[c2 * V + x] * ch.v[t * V + x];
        }
        const double Gt = ch.G[t * K + c2];
        double q_acc = s.scale * exp(Gt) * hd, k_acc = exp(Gl[c2] - Gt) * dvv;
        for (int j = 0; j <= t; ++j)
          q_acc += dA[t * kChunk + j] * ch.k[j * K + c2] * exp(Gt - ch.G[j * K + c2]);
        for (int u = t; u < L; ++u)
          k_acc += dA[u * kChunk + t] * ch.q[u * K + c2] * exp(ch.G[u * K + c2] - Gt);
        dq[t * K + c2] = q_acc;
        dk[t * K + c2] = k_acc;
      }

    // dg_s = sum_{t>=s} (q_t . dq_t - k_t . dk_t) + rowsum(h' . d)
    for (int64_t c2 = 0; c2 < K; ++c2) {
      double acc = 0;
      for (int64_t x = 0; x < V; ++x) acc += h_next[c2 * V + x] * d[c2 * V + x];
      for (int t = L - 1; t >= 0; --t) {
        acc += ch.q[t * K + c2] * dq[t * K + c2] - ch.k[t * K + c2] * dk[t * K + c2];
        dg[t * K + c2] = acc;
      }
    }

    // d <- diag(e^{G_last}) d + scale sum_t (q_t . e^{G_t}) d_o_t^T
    for (int64_t c2 = 0; c2 < K; ++c2) {
      double* row = &d[c2 * V];
      const double decay = exp(Gl[c2]);
      for (int64_t x = 0; x < V; ++x) row[x] *= decay;
      for (int t = 0; t < L; ++t) {
        const double qt = s.scale * ch.q[t * K + c2] * exp(ch.G[t * K + c2]);
        for (int64_t x = 0; x < V; ++x) row[x] += qt * ch.d_o[t * V + x];
      }
    }

    store_rows(a.dq, s.dtype, dq.data(), tok0, L, s.H, head, K);
    store_rows(a.dk, s.dtype, dk.data(), tok0, L, s.H, head, K);
    store_rows(a.dv, s.dtype, dv.data(), tok0, L, s.H, head, V);
    store_rows(a.dg, s.g_dtype, dg.data(), tok0, L, s.H, head, K);
  }
  if (a.dh0) store_state(a.dh0, d, s, n, head);
}

// Runs task(n, head) for every (sequence, head) on the thread pool; allocation failures inside a
// task become STATEX_ERR_OUT_OF_MEMORY (nothing may escape into the pool's threads).
template <typename Task>
statex_status for_each_sequence_head(const char* op, const GlaShape& s, Task task) {
  std::atomic<bool> oom{false};
  parallel_for(s.N * s.H, 1, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e && !oom.load(); ++i) {
      try {
        task(i / s.H, i % s.H);
      } catch (const std::bad_alloc&) {
        oom = true;
      }
    }
  });
  if (oom) return set_error(STATEX_ERR_OUT_OF_MEMORY, "%s: host scratch allocation failed (K = %lld, V = %lld)", op,
                            (long long)s.K, (long long)s.V);
  return STATEX_OK;
}

}  // namespace
}  // namespace statex

using namespace statex;

extern "C" {

STATEX_API statex_status statex_cpu_gla_chunk_fwd(void* o, void* ht, const void* q, const void* k, const void* v,
                                                  const void* g, const void* h0, const int64_t* cu_seqlens,
                                                  int dtype, int g_dtype, double scale, int64_t B, int64_t T,
                                                  int64_t H, int64_t K, int64_t V, int64_t N) {
  const GlaShape s{B, T, H, K, V, N, dtype, g_dtype, scale, cu_seqlens != nullptr};
  STX_TRY(check_gla_fwd(s, o, q, k, v, g));
  if (cu_seqlens) STX_TRY(check_gla_cu_seqlens("gla_chunk_fwd", cu_seqlens, N, T));
  const FwdArgs a{o, ht, q, k, v, g, h0, cu_seqlens};
  return for_each_sequence_head("gla_chunk_fwd", s, [&](int64_t n, int64_t h) { forward_task(s, a, n, h); });
}

STATEX_API statex_status statex_cpu_gla_chunk_bwd(void* dq, void* dk, void* dv, void* dg, void* dh0, const void* q,
                                                  const void* k, const void* v, const void* g, const void* h0,
                                                  const void* d_o, const void* dht, const int64_t* cu_seqlens,
                                                  int dtype, int g_dtype, double scale, int64_t B, int64_t T,
                                                  int64_t H, int64_t K, int64_t V, int64_t N) {
  const GlaShape s{B, T, H, K, V, N, dtype, g_dtype, scale, cu_seqlens != nullptr};
  STX_TRY(check_gla_bwd(s, dq, dk, dv, dg, q, k, v, g, d_o));
  if (cu_seqlens) STX_TRY(check_gla_cu_seqlens("gla_chunk_bwd", cu_seqlens, N, T));
  const BwdArgs a{dq, dk, dv, dg, dh0, q, k, v, g, h0, d_o, dht, cu_seqlens};
  return for_each_sequence_head("gla_chunk_bwd", s, [&](int64_t n, int64_t h) { backward_task(s, a, n, h); });
}

STATEX_API statex_status statex_cpu_gla_check_cu_seqlens(const int64_t* cu_seqlens, int64_t N, int64_t T) {
  STX_TRY(check_ptr("gla cu_seqlens", cu_seqlens));
  STX_TRY(check_positive("gla N", N));
  return check_gla_cu_seqlens("gla", cu_seqlens, N, T);
}

}  // extern "C"
