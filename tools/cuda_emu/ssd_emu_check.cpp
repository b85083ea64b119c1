// The CUDA SSD kernels (forward, backward) run under the CPU emulation, compared with the CPU implementation.
#include <stdio.h>
#include <random>
#include <vector>
#include "statex/ssd.h"
#include "common/bf16.h"
using namespace statex;
struct Case { int64_t B, T, H, P, N, G, Q; int dtype, dt_dtype; std::vector<int64_t> lens; bool D, bias, sp, lim, init, fin; };
static double rel(const std::vector<float>& a, const std::vector<float>& b) {
  double n = 0, d = 0; for (size_t i = 0; i < a.size(); ++i) { if (std::isnan(b[i]) || std::isnan(a[i])) return 1e9; n += (a[i]-b[i])*(a[i]-b[i]); d += a[i]*a[i]; }
  return sqrt(n) / (sqrt(d) + 1e-30);
}
struct Arr { std::vector<char> raw; int dtype; size_t n;
  Arr(size_t n_, int dt) : raw(n_ * (dt == 0 ? 4 : 2)), dtype(dt), n(n_) {}
  void* p() { return raw.data(); }
  void set(size_t i, float v) { if (dtype == 0) ((float*)p())[i] = v; else ((uint16_t*)p())[i] = float_to_bf16(v); }
  float get(size_t i) const { return dtype == 0 ? ((const float*)raw.data())[i] : bf16_to_float(((const uint16_t*)raw.data())[i]); }
  std::vector<float> vec() const { std::vector<float> v(n); for (size_t i = 0; i < n; ++i) v[i] = get(i); return v; }
  void poison() { memset(raw.data(), 0xFF, raw.size()); }
};
int run(const Case& c) {
  std::mt19937 rng(7); std::normal_distribution<float> nd; std::uniform_real_distribution<float> ud;
  int64_t tok = c.B * c.T, nseq = c.lens.size(), S = nseq ? nseq : c.B;
  std::vector<int64_t> cu; if (nseq) { cu.push_back(0); for (auto l : c.lens) cu.push_back(cu.back() + l); }
  Arr x(tok*c.H*c.P, c.dtype), dt(tok*c.H, c.dt_dtype), Bm(tok*c.G*c.N, c.dtype), Cm(tok*c.G*c.N, c.dtype), dy(tok*c.H*c.P, c.dtype);
  for (size_t i = 0; i < x.n; ++i) { x.set(i, nd(rng)); dy.set(i, nd(rng)); }
  for (size_t i = 0; i < dt.n; ++i) dt.set(i, c.sp ? nd(rng)*0.5f - 2.5f : 0.005f + 0.15f*ud(rng));
  for (size_t i = 0; i < Bm.n; ++i) { Bm.set(i, 0.5f*nd(rng)); Cm.set(i, 0.5f*nd(rng)); }
  std::vector<float> A(c.H), D(c.H), bias(c.H), init(S*c.H*c.P*c.N), dfin(init.size());
  for (auto& v : A) v = -(0.1f + 1.9f*ud(rng)); for (auto& v : D) v = nd(rng); for (auto& v : bias) v = ud(rng) - 0.5f;
  for (auto& v : init) v = 0.5f*nd(rng); for (auto& v : dfin) v = nd(rng);
  float lo = c.lim ? 0.03f : 0.f, hi = c.lim ? 0.2f : INFINITY;
  const float* Dp = c.D ? D.data() : nullptr; const float* bp = c.bias ? bias.data() : nullptr;
  const float* ip = c.init ? init.data() : nullptr; const int64_t* cp = nseq ? cu.data() : nullptr;
  int fails = 0;
  auto cmp = [&](const char* name, const std::vector<float>& a, const std::vector<float>& b) {
    double r = rel(a, b); bool bad = !(r < (c.dtype == 0 ? 2e-5 : 1e-2)); fails += bad;
    printf("  %-14s rel %.3e %s\n", name, r, bad ? "FAIL" : "");
  };
  // forward
  std::vector<float> y[2], fin[2];
  for (int be = 0; be < 2; ++be) {
    Arr yy(tok*c.H*c.P, c.dtype); yy.poison(); std::vector<float> ff(init.size(), NAN);
    int64_t ws;
    if (be == 0) statex_cpu_ssd_chunk_fwd_workspace_size(&ws, c.B, c.T, c.H, c.P, c.N, c.G, nseq, c.dtype, c.Q);
    else statex_cuda_ssd_chunk_fwd_workspace_size(&ws, c.B, c.T, c.H, c.P, c.N, c.G, nseq, c.Q);
    std::vector<char> w(ws); memset(w.data(), 0xFF, ws);
    int st;
    if (be == 0) st = statex_cpu_ssd_chunk_fwd(yy.p(), c.fin ? ff.data() : nullptr, x.p(), dt.p(), bp, A.data(), Bm.p(), Cm.p(), Dp, ip, cp, c.B, c.T, c.H, c.P, c.N, c.G, nseq, c.dtype, c.dt_dtype, c.Q, c.sp, lo, hi, w.data(), ws);
    else st = statex_cuda_ssd_chunk_fwd(yy.p(), c.fin ? ff.data() : nullptr, x.p(), dt.p(), bp, A.data(), Bm.p(), Cm.p(), Dp, ip, cp, c.B, c.T, c.H, c.P, c.N, c.G, nseq, c.dtype, c.dt_dtype, c.Q, c.sp, lo, hi, w.data(), ws, nullptr);
    if (st) { printf("status %d\n", st); return 1; }
    y[be] = yy.vec(); fin[be] = ff;
  }
  cmp("y", y[0], y[1]); if (c.fin) cmp("final", fin[0], fin[1]);
  std::vector<float> g[2][8];
  for (int be = 0; be < 2; ++be) {
    Arr dx(tok*c.H*c.P, c.dtype), ddt(tok*c.H, c.dt_dtype), dB(tok*c.G*c.N, c.dtype), dC(tok*c.G*c.N, c.dtype);
    dx.poison(); ddt.poison(); dB.poison(); dC.poison();
    std::vector<float> dA(c.H, NAN), dD(c.H, NAN), db(c.H, NAN), di(init.size(), NAN);
    int64_t ws;
    if (be == 0) statex_cpu_ssd_chunk_bwd_workspace_size(&ws, c.B, c.T, c.H, c.P, c.N, c.G, nseq, c.dtype, c.Q);
    else statex_cuda_ssd_chunk_bwd_workspace_size(&ws, c.B, c.T, c.H, c.P, c.N, c.G, nseq, c.Q);
    std::vector<char> w(ws); memset(w.data(), 0xFF, ws);
    int st;
    if (be == 0) st = statex_cpu_ssd_chunk_bwd(dx.p(), ddt.p(), dA.data(), dB.p(), dC.p(), c.D ? dD.data() : nullptr, c.bias ? db.data() : nullptr, di.data(), dy.p(), c.fin ? dfin.data() : nullptr, x.p(), dt.p(), bp, A.data(), Bm.p(), Cm.p(), Dp, ip, cp, c.B, c.T, c.H, c.P, c.N, c.G, nseq, c.dtype, c.dt_dtype, c.Q, c.sp, lo, hi, w.data(), ws);
    else st = statex_cuda_ssd_chunk_bwd(dx.p(), ddt.p(), dA.data(), dB.p(), dC.p(), c.D ? dD.data() : nullptr, c.bias ? db.data() : nullptr, di.data(), dy.p(), c.fin ? dfin.data() : nullptr, x.p(), dt.p(), bp, A.data(), Bm.p(), Cm.p(), Dp, ip, cp, c.B, c.T, c.H, c.P, c.N, c.G, nseq, c.dtype, c.dt_dtype, c.Q, c.sp, lo, hi, w.data(), ws, nullptr);
    if (st) { printf("bwd status %d\n", st); return 1; }
    g[be][0] = dx.vec(); g[be][1] = ddt.vec(); g[be][2] = dA; g[be][3] = dB.vec(); g[be][4] = dC.vec(); g[be][5] = dD; g[be][6] = db; g[be][7] = di;
  }
  const char* names[] = {"dx", "ddt", "dA", "dB", "dC", "dD", "ddt_bias", "dinit"};
  for (int k = 0; k < 8; ++k) { if ((k == 5 && !c.D) || (k == 6 && !c.bias)) continue; cmp(names[k], g[0][k], g[1][k]); }
  return fails;
}
int main() {
  std::vector<Case> cs = {
    {2, 130, 2, 8, 12, 1, 64, 0, 0, {}, true, true, true, false, true, true},
    {1, 300, 4, 70, 66, 2, 128, 0, 0, {}, true, true, true, true, true, true},
    {1, 301, 2, 8, 16, 1, 64, 0, 0, {37, 0, 200, 1, 63}, true, true, true, false, true, true},
    {1, 260, 2, 16, 24, 2, 256, 1, 1, {}, false, false, false, true, false, true},
    {3, 65, 1, 4, 8, 1, 64, 1, 0, {}, true, false, true, false, true, false},
    {1, 300, 4, 70, 66, 2, 128, 1, 0, {100, 200}, true, true, true, true, true, true},
    {1, 600, 3, 64, 128, 1, 256, 1, 0, {}, true, true, true, false, true, true},  // the Mamba2 tile sizes
    {1, 420, 2, 64, 128, 1, 256, 0, 0, {}, true, true, true, false, true, true},  // the same on the fp32 path
  };
  int fails = 0;
  for (auto& c : cs) { printf("case B%ld T%ld H%ld P%ld N%ld G%ld Q%ld dtype %d\n", c.B, c.T, c.H, c.P, c.N, c.G, c.Q, c.dtype); fails += run(c); }
  printf("%d failures\n", fails);
  return fails != 0;
}
