// CUDA elementwise kernels over strided views (statex/elementwise.h). Grid-stride loops over the
// flat index; contiguous operands take a path without the N-d offset arithmetic. The math is
// common/elementwise_math.h, the same code the CPU kernels run.
#include "common/dtype.h"
#include "common/elementwise_math.h"
#include "common/strided.h"
#include "cuda_util.cuh"
#include "statex/elementwise.h"

namespace statex {
namespace {

constexpr int kBlock = 256;

bool contiguous(int ndim, const int64_t* shape, const int64_t* strides) {
  if (!strides) return true;
  int64_t expect = 1;
  for (int d = ndim - 1; d >= 0; --d) {
    if (shape[d] != 1 && strides[d] != expect) return false;
    expect *= shape[d];
  }
  return true;
}

struct Offsets {
  StridedND nd;
  bool flat;
  __device__ void at(int64_t i, int64_t* a, int64_t* b, int64_t* c) const {
    if (flat) {
      *a = *b = *c = i;
    } else {
      strided_offsets(nd, i, a, b, c);
    }
  }
};

Offsets make_offsets(int ndim, const int64_t* shape, const int64_t* s0, const int64_t* s1, const int64_t* s2) {
  Offsets o;
  o.flat = ndim == 0 || (contiguous(ndim, shape, s0) && contiguous(ndim, shape, s1) && contiguous(ndim, shape, s2));
  o.nd = make_strided(ndim, shape, s0, s1, s2);
  return o;
}

template <typename T>
__global__ void unary_kernel(int op, Offsets off, int64_t n, T* out, const T* x, float s) {
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
    int64_t o, a, unused;
    off.at(i, &o, &a, &unused);
    store_f(out, o, unary_apply(op, load_f(x, a), s));
  }
}

template <typename T>
__global__ void unary_bwd_kernel(int op, Offsets off, int64_t n, T* dx, const T* dy, const T* x, float s) {
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
    int64_t o, g, a;
    off.at(i, &o, &g, &a);
    store_f(dx, o, load_f(dy, g) * unary_derivative(op, load_f(x, a), s));
  }
}

template <typename T>
__global__ void binary_kernel(int op, Offsets off, int64_t n, T* out, const T* a, const T* b) {
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
    int64_t o, ia, ib;
    off.at(i, &o, &ia, &ib);
    store_f(out, o, binary_apply(op, load_f(a, ia), load_f(b, ib)));
  }
}

template <typename T>
__global__ void copy_same_kernel(Offsets off, int64_t n, T* dst, const T* src) {
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
    int64_t o, a, unused;
    off.at(i, &o, &a, &unused);
    dst[o] = src[a];
  }
}

__global__ void copy_cast_kernel(Offsets off, int64_t n, void* dst, int dst_dtype, const void* src, int src_dtype) {
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
    int64_t o, a, unused;
    off.at(i, &o, &a, &unused);
    store_any(dst, dst_dtype, o, load_any(src, src_dtype, a));
  }
}

__global__ void fill_kernel(int64_t n, void* dst, int dtype, double value) {
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
    store_any(dst, dtype, i, value);
}

}  // namespace
}  // namespace statex

using namespace statex;

extern "C" {

STATEX_API statex_status statex_cuda_unary(int op, int dtype, int ndim, const int64_t* shape, void* out,
                                           const int64_t* os, const void* x, const int64_t* xs, double scalar,
                                           void* stream) {
  STX_TRY(check_cuda_dtype("unary", dtype));
  int64_t n;
  STX_TRY(check_unary("unary", op, dtype, ndim, shape, out, os, x, xs, &n));
  if (n == 0) return STATEX_OK;
  Offsets off = make_offsets(ndim, shape, os, xs, nullptr);
  if (dtype == STATEX_F32)
    unary_kernel<<<grid_for(n, kBlock), kBlock, 0, as_stream(stream)>>>(op, off, n, (float*)out, (const float*)x, (float)scalar);
  else
    unary_kernel<<<grid_for(n, kBlock), kBlock, 0, as_stream(stream)>>>(op, off, n, (uint16_t*)out, (const uint16_t*)x,
                                                                       (float)scalar);
  return check_launch("unary_kernel");
}

STATEX_API statex_status statex_cuda_unary_bwd(int op, int dtype, int ndim, const int64_t* shape, void* dx,
                                               const int64_t* dxs, const void* dy, const int64_t* dys, const void* x,
                                               const int64_t* xs, double scalar, void* stream) {
  STX_TRY(check_cuda_dtype("unary_bwd", dtype));
  int64_t n;
  STX_TRY(check_unary("unary_bwd", op, dtype, ndim, shape, dx, dxs, x, xs, &n));
  if (n == 0) return STATEX_OK;
  STX_TRY(check_ptr("unary_bwd dy", dy));
  STX_CHECK(ndim == 0 || dys, "unary_bwd: dy strides are null");
  Offsets off = make_offsets(ndim, shape, dxs, dys, xs);
  if (dtype == STATEX_F32)
    unary_bwd_kernel<<<grid_for(n, kBlock), kBlock, 0, as_stream(stream)>>>(op, off, n, (float*)dx, (const float*)dy,
                                                                           (const float*)x, (float)scalar);
  else
    unary_bwd_kernel<<<grid_for(n, kBlock), kBlock, 0, as_stream(stream)>>>(
        op, off, n, (uint16_t*)dx, (const uint16_t*)dy, (const uint16_t*)x, (float)scalar);
  return check_launch("unary_bwd_kernel");
}

STATEX_API statex_status statex_cuda_binary(int op, int dtype, int ndim, const int64_t* shape, void* out,
                                            const int64_t* os, const void* a, const int64_t* as, const void* b,
                                            const int64_t* bs, void* stream) {
  STX_TRY(check_cuda_dtype("binary", dtype));
  int64_t n;
  STX_TRY(check_binary(op, dtype, ndim, shape, out, os, a, as, b, bs, &n));
  if (n == 0) return STATEX_OK;
  Offsets off = make_offsets(ndim, shape, os, as, bs);
  if (dtype == STATEX_F32)
    binary_kernel<<<grid_for(n, kBlock), kBlock, 0, as_stream(stream)>>>(op, off, n, (float*)out, (const float*)a,
                                                                        (const float*)b);
  else
    binary_kernel<<<grid_for(n, kBlock), kBlock, 0, as_stream(stream)>>>(op, off, n, (uint16_t*)out,
                                                                        (const uint16_t*)a, (const uint16_t*)b);
  return check_launch("binary_kernel");
}

STATEX_API statex_status statex_cuda_copy(int ndim, const int64_t* shape, void* dst, int dst_dtype,
                                          const int64_t* ds, const void* src, int src_dtype, const int64_t* ss,
                                          void* stream) {
  STX_TRY(check_cuda_dtype("copy dst", dst_dtype));
  STX_TRY(check_cuda_dtype("copy src", src_dtype));
  int64_t n;
  STX_TRY(check_copy(ndim, shape, dst, dst_dtype, ds, src, src_dtype, ss, &n));
  if (n == 0) return STATEX_OK;
  Offsets off = make_offsets(ndim, shape, ds, ss, nullptr);
  cudaStream_t st = as_stream(stream);
  if (dst_dtype == src_dtype && off.flat) {
    STX_CUDA(cudaMemcpyAsync(dst, src, (size_t)(n * dtype_size(dst_dtype)), cudaMemcpyDeviceToDevice, st));
    return STATEX_OK;
  }
  unsigned g = grid_for(n, kBlock);
  if (dst_dtype == src_dtype) {
    switch (dtype_size(dst_dtype)) {
      case 2: copy_same_kernel<<<g, kBlock, 0, st>>>(off, n, (uint16_t*)dst, (const uint16_t*)src); break;
      case 4: copy_same_kernel<<<g, kBlock, 0, st>>>(off, n, (uint32_t*)dst, (const uint32_t*)src); break;
      default: copy_same_kernel<<<g, kBlock, 0, st>>>(off, n, (uint64_t*)dst, (const uint64_t*)src); break;
    }
  } else {
    copy_cast_kernel<<<g, kBlock, 0, st>>>(off, n, dst, dst_dtype, src, src_dtype);
  }
  return check_launch("copy_kernel");
}

STATEX_API statex_status statex_cuda_fill(int dtype, int64_t n, void* dst, double value, void* stream) {
  STX_TRY(check_cuda_dtype("fill", dtype));
  STX_TRY(check_dtype("fill", dtype));
  STX_TRY(check_nonneg("fill n", n));
  if (n == 0) return STATEX_OK;
  STX_TRY(check_ptr("fill dst", dst));
  fill_kernel<<<grid_for(n, kBlock), kBlock, 0, as_stream(stream)>>>(n, dst, dtype, value);
  return check_launch("fill_kernel");
}

}  // extern "C"
