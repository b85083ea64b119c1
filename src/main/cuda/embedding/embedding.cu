/*
 * Embedding gather and scatter-add (statex/embedding.h).
 *   forward:  out[p, :] = table[idx[p], :]
 *   backward: dtable[idx[p], :] += dout[p, :]          (dtable F32, accumulated into with atomicAdd)
 *
 * Layout: table [vocab, dim], out / dout [n, dim] (F32 or BF16), idx [n] (I32 or I64), dtable [vocab, dim].
 * A 32 x 4 block owns 4 positions, one warp each; the warp's lanes walk the row of dim (coalesced). The
 * forward copies rows as raw bytes, in 16-byte units when every row is 16-byte aligned. The backward adds
 * element by element in fp32; repeated indices meet in the atomics, so the order of their adds (the last
 * bits of dtable) may vary between runs.
 * An index outside [0, vocab) skips its row (out is left untouched there) and records its position in
 * *bad_pos with an unsigned atomicMin: the launcher first sets *bad_pos to all ones (-1 as int64, the
 * largest unsigned value), so afterwards it holds the smallest bad position, or -1 when there was none.
 * No shared memory; nothing is accumulated beyond the single fp32 add per element.
 */
#include "common/dtype.h"
#include "cuda_util.cuh"
#include "statex/embedding.h"

namespace statex {
namespace {

constexpr int kRowsPerBlock = 4;

__device__ __forceinline__ int64_t index_at(const void* idx, int idx_dtype, int64_t p) {
  return idx_dtype == STATEX_I32 ? (int64_t)((const int32_t*)idx)[p] : ((const int64_t*)idx)[p];
}

// The index at p when it is in range; otherwise records p in *bad_pos and returns -1.
__device__ __forceinline__ int64_t checked_index(const void* idx, int idx_dtype, int64_t p, int64_t vocab,
                                                 int64_t* bad_pos) {
  int64_t v = index_at(idx, idx_dtype, p);
  if (v >= 0 && v < vocab) return v;
  if (threadIdx.x == 0) atomicMin((unsigned long long*)bad_pos, (unsigned long long)p);
  return -1;
}

// Copies rows of `units` elements of U (a 16-byte vector or the element itself).
template <typename U>
__global__ void embedding_fwd_kernel(int64_t n, int64_t units, int64_t vocab, U* out, const U* table,
                                     const void* idx, int idx_dtype, int64_t* bad_pos) {
  for (int64_t p = (int64_t)blockIdx.x * kRowsPerBlock + threadIdx.y; p < n; p += (int64_t)gridDim.x * kRowsPerBlock) {
    int64_t v = checked_index(idx, idx_dtype, p, vocab, bad_pos);
    if (v < 0) continue;
    const U* src = table + v * units;
    U* dst = out + p * units;
    for (int64_t c = threadIdx.x; c < units; c += 32) dst[c] = src[c];
  }
}

template <typename T>
__global__ void embedding_bwd_kernel(int64_t n, int64_t dim, int64_t vocab, float* dtable, const T* dout,
                                     const void* idx, int idx_dtype, int64_t* bad_pos) {
  for (int64_t p = (int64_t)blockIdx.x * kRowsPerBlock + threadIdx.y; p < n; p += (int64_t)gridDim.x * kRowsPerBlock) {
    int64_t v = checked_index(idx, idx_dtype, p, vocab, bad_pos);
    if (v < 0) continue;
    float* dst = dtable + v * dim;
    const T* src = dout + p * dim;
    for (int64_t c = threadIdx.x; c < dim; c += 32) atomicAdd(dst + c, load_f(src, c));
  }
}

// *bad_pos = -1 (all bits set) before the kernel records bad positions with an unsigned atomicMin. With no
// positions bad_pos may be null (nothing to report).
statex_status reset_bad_pos(const char* op, int64_t n, int64_t* bad_pos, cudaStream_t st) {
  if (n == 0 && bad_pos == nullptr) return STATEX_OK;
  STX_CHECK(bad_pos != nullptr, "%s: bad_pos is a null pointer (the CUDA entries report bad indices through it)", op);
  STX_CUDA(cudaMemsetAsync(bad_pos, 0xFF, sizeof(int64_t), st));
  return STATEX_OK;
}

}  // namespace
}  // namespace statex

using namespace statex;

extern "C" {

STATEX_API statex_status statex_cuda_embedding_fwd(int dtype, int idx_dtype, int64_t n, int64_t dim, int64_t vocab,
                                                   void* out, const void* table, const void* idx, int64_t* bad_pos,
                                                   void* stream) {
  STX_TRY(check_cuda_dtype("embedding_fwd", dtype));
  STX_TRY(check_embedding_fwd(dtype, idx_dtype, n, dim, vocab, out, table, idx));
  cudaStream_t st = as_stream(stream);
  STX_TRY(reset_bad_pos("embedding_fwd", n, bad_pos, st));
  if (n == 0) return STATEX_OK;
  int64_t row_bytes = dim * dtype_size(dtype);
  dim3 block(32, kRowsPerBlock);
  unsigned grid = grid_for(n, kRowsPerBlock);
  if (row_bytes % 16 == 0 && ((uintptr_t)out & 15u) == 0 && ((uintptr_t)table & 15u) == 0)
    embedding_fwd_kernel<<<grid, block, 0, st>>>(n, row_bytes / 16, vocab, (uint4*)out, (const uint4*)table, idx,
                                                 idx_dtype, bad_pos);
  else if (dtype == STATEX_F32)
    embedding_fwd_kernel<<<grid, block, 0, st>>>(n, dim, vocab, (float*)out, (const float*)table, idx, idx_dtype,
                                                 bad_pos);
  else
    embedding_fwd_kernel<<<grid, block, 0, st>>>(n, dim, vocab, (uint16_t*)out, (const uint16_t*)table, idx,
                                                 idx_dtype, bad_pos);
  return check_launch("embedding_fwd_kernel");
}

STATEX_API statex_status statex_cuda_embedding_bwd(int dtype, int idx_dtype, int64_t n, int64_t dim, int64_t vocab,
                                                   float* dtable, const void* dout, const void* idx, int64_t* bad_pos,
                                                   void* stream) {
  STX_TRY(check_cuda_dtype("embedding_bwd", dtype));
  STX_TRY(check_embedding_bwd(dtype, idx_dtype, n, dim, vocab, dtable, dout, idx));
  cudaStream_t st = as_stream(stream);
  STX_TRY(reset_bad_pos("embedding_bwd", n, bad_pos, st));
  if (n == 0) return STATEX_OK;
  dim3 block(32, kRowsPerBlock);
  unsigned grid = grid_for(n, kRowsPerBlock);
  if (dtype == STATEX_F32)
    embedding_bwd_kernel<<<grid, block, 0, st>>>(n, dim, vocab, dtable, (const float*)dout, idx, idx_dtype, bad_pos);
  else
    embedding_bwd_kernel<<<grid, block, 0, st>>>(n, dim, vocab, dtable, (const uint16_t*)dout, idx, idx_dtype,
                                                 bad_pos);
  return check_launch("embedding_bwd_kernel");
}

}  // extern "C"
