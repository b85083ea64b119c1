/*
 * Counter-based random numbers (Philox-4x32-10): element i of a fill with (seed, offset) is a pure
 * function of (seed, offset + i), so CPU and CUDA draw the same values for the same seed.
 *   uniform: u = (w0 >> 8) * 2^-24 in [0, 1), value = a + (b - a) * u   (computed in fp32: bit-exact)
 *   normal : Box-Muller in double from w0, w1 (u1 = (w0 + 1) * 2^-32 in (0,1]), value = a + b * z,
 *            rounded to the dtype (CPU and CUDA libm may differ by one ulp of double before rounding)
 *   F64 (CPU only): normal as above, unrounded; uniform u = ((w0 << 32 | w1) >> 11) * 2^-53 in [0, 1),
 *            value = a + (b - a) * u in double (53 random bits, so not the F32 values widened)
 * w0..w3 = Philox4x32-10(key = {seed lo, seed hi}, counter = {(offset+i) lo, (offset+i) hi, 0, 0}).
 */
#ifndef STATEX_RANDOM_H
#define STATEX_RANDOM_H

#include "statex/core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum statex_distribution {
  STATEX_UNIFORM = 0,
  STATEX_NORMAL = 1
} statex_distribution;

STATEX_API statex_status statex_cpu_random(int dist, int dtype, int64_t n, void* dst, uint64_t seed,
                                           uint64_t offset, double a, double b);
STATEX_API statex_status statex_cuda_random(int dist, int dtype, int64_t n, void* dst, uint64_t seed,
                                            uint64_t offset, double a, double b, void* stream);

#ifdef __cplusplus
}
#endif
#endif
