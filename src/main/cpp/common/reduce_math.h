// Math shared by the CPU and CUDA reductions and row normalisations, so that both implementations make
// the same choices (which index an argmax reports, how the RMSNorm gradient is formed).
#pragma once
#include <stdint.h>
#include "common/hd.h"

namespace statex {

// MAX/MIN with argmax: should candidate (v, vi) replace the current best (b, bi)? NaN beats every
// number (the result of a row holding NaN is NaN, as in IEEE max propagation); among equal values,
// and among NaNs, the smaller index wins, so the answer does not depend on the order of combination.
template <typename R>
STX_HD bool reduce_prefer(bool is_max, R v, int64_t vi, R b, int64_t bi) {
  bool v_nan = v != v, b_nan = b != b;
  if (v_nan || b_nan) return v_nan && (!b_nan || vi < bi);
  if (v == b) return vi < bi;
  return is_max ? v > b : v < b;
}

// RMSNorm backward for one element, with c = rstd^2 * mean_j(w_j dy_j x_j) over the row:
//   dx = rstd * (w dy - x c)
template <typename A>
STX_HD A rmsnorm_dx(A dy, A x, A w, A rstd, A c) {
  return rstd * (w * dy - x * c);
}

}  // namespace statex
