// CPU embedding gather and scatter-add (statex/embedding.h).
//   forward:  out[p, :] = table[idx[p], :]
//   backward: dtable[idx[p], :] += dout[p, :]     (F32 dtable, F64 with F64 data; accumulated into)
// Every index is checked before anything is written, so a bad call leaves out / dtable untouched. The
// forward is parallel over positions; the backward runs positions in order (two positions may hit the
// same row) and splits the columns of dim across threads instead, which keeps it deterministic.
#include <string.h>

#include <algorithm>

#include "common/check.h"
#include "common/dtype.h"
#include "cpu/dispatch.h"
#include "cpu/parallel.h"
#include "statex/embedding.h"

namespace statex {
namespace {

constexpr int64_t kGrain = 1 << 14;  // elements copied per thread hand-off, at least

int64_t index_at(const void* idx, int idx_dtype, int64_t p) {
  return idx_dtype == STATEX_I32 ? (int64_t)((const int32_t*)idx)[p] : ((const int64_t*)idx)[p];
}

statex_status check_indices(const char* op, const void* idx, int idx_dtype, int64_t n, int64_t vocab) {
  for (int64_t p = 0; p < n; ++p) {
    int64_t v = index_at(idx, idx_dtype, p);
    STX_CHECK(v >= 0 && v < vocab, "%s: idx[%lld] = %lld is outside [0, %lld) (the vocab rows of table)", op,
              (long long)p, (long long)v, (long long)vocab);
  }
  return STATEX_OK;
}

template <typename T>
void scatter_add(int64_t n, int64_t dim, arith_t<T>* dtable, const T* dout, const void* idx, int idx_dtype) {
  parallel_for(dim, std::max<int64_t>(1, kGrain / n), [&](int64_t c0, int64_t c1) {
    for (int64_t p = 0; p < n; ++p) {
      arith_t<T>* dst = dtable + index_at(idx, idx_dtype, p) * dim;
      const T* src = dout + p * dim;
      for (int64_t c = c0; c < c1; ++c) dst[c] += load_f(src, c);
    }
  });
}

}  // namespace
}  // namespace statex

using namespace statex;

extern "C" {

STATEX_API statex_status statex_cpu_embedding_fwd(int dtype, int idx_dtype, int64_t n, int64_t dim, int64_t vocab,
                                                  void* out, const void* table, const void* idx) {
  STX_TRY(check_embedding_fwd(dtype, idx_dtype, n, dim, vocab, out, table, idx));
  STX_TRY(check_indices("embedding_fwd", idx, idx_dtype, n, vocab));
  size_t row_bytes = (size_t)(dim * dtype_size(dtype));
  parallel_for(n, std::max<int64_t>(1, kGrain / dim), [&](int64_t b, int64_t e) {
    for (int64_t p = b; p < e; ++p)
      memcpy((char*)out + p * row_bytes, (const char*)table + index_at(idx, idx_dtype, p) * row_bytes, row_bytes);
  });
  return STATEX_OK;
}

STATEX_API statex_status statex_cpu_embedding_bwd(int dtype, int idx_dtype, int64_t n, int64_t dim, int64_t vocab,
                                                  void* dtable, const void* dout, const void* idx) {
  STX_TRY(check_embedding_bwd(dtype, idx_dtype, n, dim, vocab, dtable, dout, idx));
  STX_TRY(check_indices("embedding_bwd", idx, idx_dtype, n, vocab));
  if (n == 0) return STATEX_OK;
  with_float_type(dtype, [&](auto t) {
    using T = decltype(t);
    scatter_add(n, dim, (arith_t<T>*)dtable, (const T*)dout, idx, idx_dtype);
  });
  return STATEX_OK;
}

}  // extern "C"
