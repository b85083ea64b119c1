// The GLA CUDA entries, run on the CPU emulation, against the CPU entries (the exact implementation
// the Java tests check against the float64 reference) on random inputs: every output and the
// workspace start as NaN; fp32 within 1e-5, bf16 within 1e-2 (relative to the norm and, for fp32, to
// the largest element). EMU_SHIFT=1 offsets every buffer by one element (unaligned pointers),
// EMU_SEED changes the thread order at barriers, EMU_DETAIL=1 lists the worst elements of a failure.
// An all-zero reference (case 0's dg: one token, no states) is compared in absolute terms.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "common/bf16.h"
#include "statex/gla.h"

namespace statex { const char* last_error(); }

struct Case {
  int B, T, H, K, V;
  std::vector<int> lens;  // empty: dense
  int dtype, gdtype;
  bool h0, hT;
  int gate;  // 0 weak, 1 strong, 2 mixed
};

static std::mt19937_64 rng(7);
static double gauss() { return std::normal_distribution<double>(0, 1)(rng); }
static double unif() { return std::uniform_real_distribution<double>(0, 1)(rng); }
static double logsig(double x) { return -log1p(exp(-x)); }

static int g_shift = 0;  // elements by which every buffer is offset (misaligned pointers)
struct Buf {
  std::vector<unsigned char> raw;
  unsigned char* base;
  int dtype;
  size_t n;
  Buf(size_t n_, int dt) : raw((n_ + 1) * (dt == STATEX_F32 ? 4 : 2) + 1), dtype(dt), n(n_) {
    base = raw.data() + g_shift * (dt == STATEX_F32 ? 4 : 2);
  }
  void set(size_t i, double x) {
    if (dtype == STATEX_F32) ((float*)base)[i] = (float)x;
    else ((uint16_t*)base)[i] = statex::float_to_bf16((float)x);
  }
  double get(size_t i) const {
    return dtype == STATEX_F32 ? ((const float*)base)[i] : statex::bf16_to_float(((const uint16_t*)base)[i]);
  }
  void poison() { memset(base, 0xff, n * (dtype == STATEX_F32 ? 4 : 2)); }
  void* p() { return base; }
};

static int failures = 0;
static void compare(const char* what, const Case& c, const Buf& got, const Buf& ref, double tol) {
  double e2 = 0, r2 = 0, emax = 0, rmax = 0;
  size_t worst = 0;
  for (size_t i = 0; i < ref.n; ++i) {
    double a = got.get(i), b = ref.get(i);
    if (!std::isfinite(a)) { e2 = INFINITY; worst = i; break; }
    double e = fabs(a - b);
    e2 += e * e; r2 += b * b;
    if (e > emax) { emax = e; worst = i; }
    rmax = fmax(rmax, fabs(b));
  }
  double rel = r2 > 0 ? sqrt(e2 / r2) : sqrt(e2);
  double relmax = rmax > 0 ? emax / rmax : emax;
  bool ok = rel <= tol && (c.dtype != STATEX_F32 || relmax <= tol);
  if (rmax < 1e-12) ok = emax < 1e-9;  // an all-zero reference (up to the CPU's rounding) wants zeros
  if (!ok) failures++;
  printf("  %-4s %-4s rel %.2e max %.2e%s", ok ? "ok" : "FAIL", what, rel, relmax,
         ok ? "\n" : "");
  if (!ok) {
    printf("  worst %zu got %.7g want %.7g\n", worst, got.get(worst), ref.get(worst));
    if (getenv("EMU_DETAIL")) {
      std::vector<std::pair<double, size_t>> errs;
      for (size_t i = 0; i < ref.n; ++i) errs.push_back({fabs(got.get(i) - ref.get(i)), i});
      std::sort(errs.rbegin(), errs.rend());
      for (int j = 0; j < 12 && j < (int)errs.size(); ++j)
        printf("    idx %zu err %.3g got %.7g want %.7g\n", errs[j].second, errs[j].first, got.get(errs[j].second), ref.get(errs[j].second));
    }
  }
}

static void check(statex_status s, const char* what) {
  if (s != STATEX_OK) { printf("%s failed (%d): %s\n", what, s, statex::last_error()); exit(1); }
}

static void run(const Case& c) {
  const bool varlen = !c.lens.empty();
  int N = varlen ? (int)c.lens.size() : c.B;
  int T = c.T;
  std::vector<int64_t> cu;
  if (varlen) { cu.push_back(0); for (int l : c.lens) cu.push_back(cu.back() + l); T = (int)cu.back(); }
  const size_t tk = (size_t)c.B * T * c.H * c.K, tv = (size_t)c.B * T * c.H * c.V, st = (size_t)N * c.H * c.K * c.V;
  Buf q(tk, c.dtype), k(tk, c.dtype), v(tv, c.dtype), g(tk, c.gdtype), dO(tv, c.dtype);
  Buf h0(st, STATEX_F32), dht(st, STATEX_F32);
  for (size_t i = 0; i < tk; ++i) { q.set(i, gauss()); k.set(i, gauss()); }
  for (size_t i = 0; i < tv; ++i) { v.set(i, gauss()); dO.set(i, gauss()); }
  for (size_t i = 0; i < tk; ++i)
    g.set(i, c.gate == 0 ? logsig(gauss()) / 16 : c.gate == 1 ? logsig(unif()) / 0.1 : logsig(2 * gauss()));
  for (size_t i = 0; i < st; ++i) { h0.set(i, gauss()); dht.set(i, gauss()); }
  const double scale = 1 / sqrt((double)c.K);
  const float* h0p = c.h0 ? (const float*)h0.p() : nullptr;
  const float* dhtp = c.hT ? (const float*)dht.p() : nullptr;
  const int64_t* cup = varlen ? cu.data() : nullptr;
  printf("B%d T%d H%d K%d V%d %s g%s%s%s gate%d", c.B, T, c.H, c.K, c.V, c.dtype ? "bf16" : "f32",
         c.gdtype ? "bf16" : "f32", c.h0 ? " h0" : "", c.hT ? " hT" : "", c.gate);
  if (varlen) { printf(" lens"); for (int l : c.lens) printf(" %d", l); }
  printf("\n");
  const double tol = c.dtype == STATEX_F32 ? 1e-5 : 1e-2;

  // forward
  Buf o_ref(tv, c.dtype), ht_ref(st, STATEX_F32), o(tv, c.dtype), ht(st, STATEX_F32);
  check(statex_cpu_gla_chunk_fwd(o_ref.p(), c.hT ? (float*)ht_ref.p() : nullptr, q.p(), k.p(), v.p(), g.p(), h0p, cup,
                                 c.dtype, c.gdtype, scale, c.B, T, c.H, c.K, c.V, N), "cpu fwd");
  int64_t wsb;
  check(statex_cuda_gla_chunk_bwd_workspace_size(&wsb, c.dtype, c.B, T, c.H, c.K, c.V, N, varlen), "ws");
  void* ws = aligned_alloc(256, (wsb + 255) / 256 * 256);
  memset(ws, 0xff, wsb);
  o.poison(); ht.poison();
  int64_t wsf;
  check(statex_cuda_gla_chunk_fwd_workspace_size(&wsf, c.dtype, c.B, T, c.H, c.K, c.V, N, varlen), "wsf");
  check(statex_cuda_gla_chunk_fwd(o.p(), c.hT ? (float*)ht.p() : nullptr, q.p(), k.p(), v.p(), g.p(), h0p, cup, c.dtype,
                                  c.gdtype, scale, c.B, T, c.H, c.K, c.V, N, ws, wsf, nullptr), "cuda fwd");
  compare("o", c, o, o_ref, tol);
  if (c.hT) compare("hT", c, ht, ht_ref, tol);

  // backward
  Buf dq_r(tk, c.dtype), dk_r(tk, c.dtype), dv_r(tv, c.dtype), dg_r(tk, c.gdtype), dh0_r(st, STATEX_F32);
  Buf dq(tk, c.dtype), dk(tk, c.dtype), dv(tv, c.dtype), dg(tk, c.gdtype), dh0(st, STATEX_F32);
  check(statex_cpu_gla_chunk_bwd(dq_r.p(), dk_r.p(), dv_r.p(), dg_r.p(), (float*)dh0_r.p(), q.p(), k.p(), v.p(), g.p(),
                                 h0p, dO.p(), dhtp, cup, c.dtype, c.gdtype, scale, c.B, T, c.H, c.K, c.V, N), "cpu bwd");
  memset(ws, 0xff, wsb);
  dq.poison(); dk.poison(); dv.poison(); dg.poison(); dh0.poison();
  check(statex_cuda_gla_chunk_bwd(dq.p(), dk.p(), dv.p(), dg.p(), (float*)dh0.p(), q.p(), k.p(), v.p(), g.p(), h0p, dO.p(),
                                  dhtp, cup, c.dtype, c.gdtype, scale, c.B, T, c.H, c.K, c.V, N, ws, wsb, nullptr),
        "cuda bwd");
  compare("dq", c, dq, dq_r, tol);
  compare("dk", c, dk, dk_r, tol);
  compare("dv", c, dv, dv_r, tol);
  compare("dg", c, dg, dg_r, tol);
  compare("dh0", c, dh0, dh0_r, tol);
  free(ws);

  // decode step over the first sequence's layout: N = B rows of token 0
  if (!varlen) {
    const size_t sk = (size_t)c.B * c.H * c.K, sv = (size_t)c.B * c.H * c.V;
    Buf s1(st, STATEX_F32), s2(st, STATEX_F32), o1(sv, c.dtype), o2(sv, c.dtype);
    for (size_t i = 0; i < st; ++i) { s1.set(i, h0.get(i)); s2.set(i, h0.get(i)); }
    o2.poison();
    // token 0 of each batch row: q[b, 0] is contiguous [H, K] at offset b*T*H*K
    Buf qs(sk, c.dtype), ks(sk, c.dtype), gs(sk, c.gdtype), vs(sv, c.dtype);
    for (int b = 0; b < c.B; ++b) {
      for (int i = 0; i < c.H * c.K; ++i) {
        size_t src = (size_t)b * T * c.H * c.K + i, dst = (size_t)b * c.H * c.K + i;
        qs.set(dst, q.get(src)); ks.set(dst, k.get(src)); gs.set(dst, g.get(src));
      }
      for (int i = 0; i < c.H * c.V; ++i) vs.set((size_t)b * c.H * c.V + i, v.get((size_t)b * T * c.H * c.V + i));
    }
    check(statex_cpu_gla_step(o1.p(), (float*)s1.p(), qs.p(), ks.p(), vs.p(), gs.p(), c.dtype, c.gdtype, scale, c.B, c.H,
                              c.K, c.V), "cpu step");
    check(statex_cuda_gla_step(o2.p(), (float*)s2.p(), qs.p(), ks.p(), vs.p(), gs.p(), c.dtype, c.gdtype, scale, c.B, c.H,
                               c.K, c.V, nullptr), "cuda step");
    compare("so", c, o2, o1, tol);
    compare("ss", c, s2, s1, tol);
  }
}

int main(int argc, char** argv) {
  const int F = STATEX_F32, BF = STATEX_BF16;
  std::vector<Case> cases = {
      {1, 1, 1, 16, 16, {}, F, F, false, false, 0},
      {1, 1, 2, 32, 16, {}, BF, BF, true, true, 0},
      {2, 63, 2, 32, 48, {}, F, F, true, true, 0},
      {1, 64, 1, 16, 32, {}, F, F, false, true, 1},
      {3, 65, 2, 48, 80, {}, BF, BF, true, true, 0},
      {3, 65, 2, 48, 80, {}, F, F, true, true, 1},
      {2, 130, 3, 32, 16, {}, BF, F, true, false, 1},
      {1, 129, 1, 64, 16, {}, F, F, true, true, 2},
      {1, 200, 1, 96, 80, {}, F, F, true, true, 2},
      {1, 200, 1, 96, 80, {}, BF, F, true, true, 2},
      {1, 0, 2, 16, 32, {1, 63, 1, 135}, F, F, true, true, 0},
      {1, 0, 1, 32, 16, {0, 70, 1, 64, 2}, BF, F, true, true, 2},
      {1, 0, 3, 16, 48, {65, 1, 17}, BF, BF, true, false, 1},
      {1, 300, 1, 144, 160, {}, F, F, true, true, 0},
      {1, 256, 1, 1024, 2048, {}, F, F, true, true, 0},
      {1, 4096, 1, 32, 16, {}, F, F, true, true, 1},
      {1, 1000, 4, 256, 512, {}, F, F, true, true, 2},
      {1, 256, 1, 1024, 2048, {}, BF, BF, true, true, 0},
  };
  int only = argc > 1 ? atoi(argv[1]) : -1;
  if (getenv("EMU_SHIFT")) g_shift = atoi(getenv("EMU_SHIFT"));
  for (size_t i = 0; i < cases.size(); ++i)
    if (only < 0 || (int)i == only) { printf("[%zu] ", i); run(cases[i]); }
  printf(failures ? "%d FAILURES\n" : "all ok\n", failures);
  return failures != 0;
}
