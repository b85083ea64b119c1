// The CUDA conv1d kernels and the SSD decode step run under the CPU emulation, compared with the CPU implementation.
#include <stdio.h>
#include <random>
#include <vector>
#include "statex/ssd.h"
#include "statex/conv1d.h"
#include "common/bf16.h"
using namespace statex;
static double rel(const std::vector<float>& a, const std::vector<float>& b) {
  double n = 0, d = 0; for (size_t i = 0; i < a.size(); ++i) { if (std::isnan(b[i]) || std::isnan(a[i])) return 1e9; n += (a[i]-b[i])*(a[i]-b[i]); d += a[i]*a[i]; }
  return sqrt(n) / (sqrt(d) + 1e-30);
}
int fails = 0;
void cmp(const char* name, const std::vector<float>& a, const std::vector<float>& b) {
  double r = rel(a, b); bool bad = !(r < 2e-6); fails += bad; printf("  %-10s rel %.3e %s\n", name, r, bad ? "FAIL" : "");
}
void conv(int64_t B, int64_t T, int64_t Ch, int64_t W, std::vector<int64_t> lens, bool bias, bool silu) {
  printf("conv B%ld T%ld C%ld W%ld nseq %zu\n", B, T, Ch, W, lens.size());
  std::mt19937 rng(3); std::normal_distribution<float> nd;
  int64_t n = B*T*Ch, nseq = lens.size(), S = nseq ? nseq : B;
  std::vector<int64_t> cu; if (nseq) { cu.push_back(0); for (auto l : lens) cu.push_back(cu.back() + l); }
  std::vector<float> x(n), dout(n), w(Ch*W), b(Ch);
  for (auto& v : x) v = nd(rng); for (auto& v : dout) v = nd(rng); for (auto& v : w) v = nd(rng); for (auto& v : b) v = nd(rng);
  std::vector<float> out[2], fin[2], dx[2], dw[2], db[2];
  for (int be = 0; be < 2; ++be) {
    out[be].assign(n, NAN); fin[be].assign(S*(W-1)*Ch, NAN); dx[be].assign(n, NAN); dw[be].assign(Ch*W, NAN); db[be].assign(Ch, NAN);
    const int64_t* cp = nseq ? cu.data() : nullptr; const float* bp = bias ? b.data() : nullptr;
    if (be == 0) {
      statex_cpu_causal_conv1d_fwd(out[0].data(), fin[0].data(), x.data(), w.data(), bp, cp, B, T, Ch, W, nseq, 0, silu);
      statex_cpu_causal_conv1d_bwd(dx[0].data(), dw[0].data(), bias ? db[0].data() : nullptr, dout.data(), x.data(), w.data(), bp, cp, B, T, Ch, W, nseq, 0, silu);
    } else {
      statex_cuda_causal_conv1d_fwd(out[1].data(), fin[1].data(), x.data(), w.data(), bp, cp, B, T, Ch, W, nseq, 0, silu, nullptr);
      int64_t ws; statex_cuda_causal_conv1d_bwd_workspace_size(&ws, B, T, Ch, W); std::vector<char> wsb(ws); memset(wsb.data(), 0xff, ws);
      int st = statex_cuda_causal_conv1d_bwd(dx[1].data(), dw[1].data(), bias ? db[1].data() : nullptr, dout.data(), x.data(), w.data(), bp, cp, B, T, Ch, W, nseq, 0, silu, wsb.data(), ws, nullptr);
      if (st) printf("status %d\n", st);
    }
  }
  cmp("out", out[0], out[1]); cmp("fin", fin[0], fin[1]); cmp("dx", dx[0], dx[1]); cmp("dw", dw[0], dw[1]); if (bias) cmp("db", db[0], db[1]);
  // step
  std::vector<float> st[2] = {fin[0], fin[0]}, o[2] = {std::vector<float>(B*Ch), std::vector<float>(B*Ch)};
  if (!nseq) {
    std::vector<float> xs(B*Ch); for (auto& v : xs) v = nd(rng);
    statex_cpu_causal_conv1d_step(o[0].data(), st[0].data(), xs.data(), w.data(), bias ? b.data() : nullptr, B, Ch, W, 0, silu);
    statex_cuda_causal_conv1d_step(o[1].data(), st[1].data(), xs.data(), w.data(), bias ? b.data() : nullptr, B, Ch, W, 0, silu, nullptr);
    cmp("step out", o[0], o[1]); cmp("step st", st[0], st[1]);
  }
}
void step(int64_t B, int64_t H, int64_t P, int64_t N, int64_t G) {
  printf("ssd step B%ld H%ld P%ld N%ld G%ld\n", B, H, P, N, G);
  std::mt19937 rng(5); std::normal_distribution<float> nd;
  std::vector<float> x(B*H*P), dt(B*H), A(H), Bm(B*G*N), Cm(B*G*N), D(H), bias(H), s0(B*H*P*N);
  for (auto* v : {&x, &dt, &Bm, &Cm, &D, &bias, &s0}) for (auto& e : *v) e = nd(rng);
  for (auto& a : A) a = -1.f - fabsf(nd(rng));
  std::vector<float> y[2], s[2];
  for (int be = 0; be < 2; ++be) {
    y[be].assign(B*H*P, NAN); s[be] = s0;
    if (be == 0) statex_cpu_ssd_step(y[0].data(), s[0].data(), x.data(), dt.data(), bias.data(), A.data(), Bm.data(), Cm.data(), D.data(), B, H, P, N, G, 0, 0, 1, 0.f, INFINITY);
    else statex_cuda_ssd_step(y[1].data(), s[1].data(), x.data(), dt.data(), bias.data(), A.data(), Bm.data(), Cm.data(), D.data(), B, H, P, N, G, 0, 0, 1, 0.f, INFINITY, nullptr);
  }
  cmp("y", y[0], y[1]); cmp("state", s[0], s[1]);
}
int main() {
  conv(2, 37, 5, 4, {}, true, true);
  conv(1, 133, 300, 3, {5, 0, 1, 120, 7}, true, true);
  conv(3, 9, 70, 2, {}, false, false);
  step(2, 4, 12, 40, 2);
  step(1, 2, 9, 70, 1);
  printf("%d failures\n", fails);
  return fails != 0;
}
