// Philox-4x32-10 (Salmon et al., SC'11), host and device, and the value mapping of statex/random.h.
#pragma once
#include <math.h>
#include <stdint.h>
#include "common/hd.h"

namespace statex {

struct Philox4 { uint32_t w[4]; };

STX_HD uint32_t mulhilo32(uint32_t a, uint32_t b, uint32_t* hi) {
  uint64_t p = (uint64_t)a * (uint64_t)b;
  *hi = (uint32_t)(p >> 32);
  return (uint32_t)p;
}

STX_HD Philox4 philox4x32_10(uint64_t counter, uint64_t seed) {
  const uint32_t M0 = 0xD2511F53u, M1 = 0xCD9E8D57u, W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;
  uint32_t c0 = (uint32_t)counter, c1 = (uint32_t)(counter >> 32), c2 = 0, c3 = 0;
  uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
  for (int r = 0; r < 10; ++r) {
    uint32_t hi0, hi1;
    uint32_t lo0 = mulhilo32(M0, c0, &hi0);
    uint32_t lo1 = mulhilo32(M1, c2, &hi1);
    uint32_t n0 = hi1 ^ c1 ^ k0, n1 = lo1, n2 = hi0 ^ c3 ^ k1, n3 = lo0;
    c0 = n0; c1 = n1; c2 = n2; c3 = n3;
    k0 += W0; k1 += W1;
  }
  Philox4 out = {{c0, c1, c2, c3}};
  return out;
}

// Uniform in [a, b): exact in fp32 (24 random bits), so CPU and CUDA agree bit for bit.
STX_HD float philox_uniform(uint64_t index, uint64_t seed, float a, float b) {
  Philox4 r = philox4x32_10(index, seed);
  float u = (float)(r.w[0] >> 8) * (1.0f / 16777216.0f);
  return a + (b - a) * u;
}

// Uniform in [a, b) in double for F64 fills: 53 random bits from w0 (high) and w1, mapped in double.
STX_HD double philox_uniform_double(uint64_t index, uint64_t seed, double a, double b) {
  Philox4 r = philox4x32_10(index, seed);
  uint64_t bits = ((((uint64_t)r.w[0]) << 32) | r.w[1]) >> 11;
  double u = (double)bits * (1.0 / 9007199254740992.0);  // 2^-53
  return a + (b - a) * u;
}

// Normal(mean, std) by Box-Muller in double.
STX_HD double philox_normal(uint64_t index, uint64_t seed, double mean, double std) {
  Philox4 r = philox4x32_10(index, seed);
  double u1 = ((double)r.w[0] + 1.0) * (1.0 / 4294967296.0);  // (0, 1]
  double u2 = (double)r.w[1] * (1.0 / 4294967296.0);          // [0, 1)
  double z = sqrt(-2.0 * log(u1)) * cos(6.283185307179586476925 * u2);
  return mean + std * z;
}

}  // namespace statex
