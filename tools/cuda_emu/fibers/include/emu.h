// The CUDA subset the kernels of this repository use, on the CPU (README.md): qualifiers as no-ops,
// __shared__ as static (blocks run one at a time), thread indices as globals set by the scheduler,
// barriers and warp collectives as fiber switches, and a synchronous single-device runtime API.
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <functional>

struct dim3 {
  unsigned x, y, z;
  dim3(unsigned x_ = 1, unsigned y_ = 1, unsigned z_ = 1) : x(x_), y(y_), z(z_) {}
};
typedef int cudaError_t;
enum { cudaSuccess = 0, cudaErrorMemoryAllocation = 2 };
typedef void* cudaStream_t;
inline const char* cudaGetErrorString(cudaError_t) { return "emulated error"; }
inline const char* cudaGetErrorName(cudaError_t) { return "cudaErrorEmu"; }
cudaError_t cudaGetLastError();
enum cudaFuncAttribute { cudaFuncAttributeMaxDynamicSharedMemorySize = 8 };
template <typename F>
cudaError_t cudaFuncSetAttribute(F, cudaFuncAttribute, int) { return 0; }

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __shared__ static
#define __align__(n) __attribute__((aligned(n)))

extern dim3 threadIdx, blockIdx, blockDim, gridDim;

namespace emu {
void syncthreads();
void syncwarp();
void run(dim3 grid, dim3 block, size_t smem, std::function<void()> body);
unsigned char* dynamic_smem();
template <typename F>
void launch(dim3 grid, dim3 block, size_t smem, cudaStream_t, F f) {
  run(grid, block, smem, std::function<void()>(f));
}
// Warp-collective exchange: every lane publishes `in` (n <= 8 floats), then all lanes read everything.
void warp_exchange(const float* in, int n, float* all /* [32][n] */);
}  // namespace emu

template <typename T>
inline T min(T a, T b) { return a < b ? a : b; }
template <typename T>
inline T max(T a, T b) { return a > b ? a : b; }

#define __syncthreads() emu::syncthreads()
#define __syncwarp() emu::syncwarp()

// ---- runtime API on the host (synchronous; one emulated device) ----
#include <stdlib.h>
#include <string.h>
#include <chrono>
enum cudaMemcpyKind { cudaMemcpyHostToHost, cudaMemcpyHostToDevice, cudaMemcpyDeviceToHost, cudaMemcpyDeviceToDevice, cudaMemcpyDefault };
enum { cudaStreamNonBlocking = 1 };
struct cudaDeviceProp {
  char name[256];
  size_t totalGlobalMem;
  int multiProcessorCount, major, minor, l2CacheSize;
  size_t sharedMemPerBlockOptin;
};
typedef void* cudaEvent_t;
inline cudaError_t cudaGetDeviceCount(int* n) { *n = 1; return 0; }
inline cudaError_t cudaRuntimeGetVersion(int* v) { *v = 13000; return 0; }
inline cudaError_t cudaDriverGetVersion(int* v) { *v = 13000; return 0; }
inline cudaError_t cudaGetDeviceProperties(cudaDeviceProp* p, int) {
  memset(p, 0, sizeof *p);
  strcpy(p->name, "CPU emulation");
  p->totalGlobalMem = (size_t)16 << 30; p->multiProcessorCount = 1; p->major = 9; p->minor = 0;
  p->l2CacheSize = 1 << 20; p->sharedMemPerBlockOptin = 227 * 1024;
  return 0;
}
inline cudaError_t cudaSetDevice(int) { return 0; }
inline cudaError_t cudaMemGetInfo(size_t* f, size_t* t) { *f = (size_t)8 << 30; *t = (size_t)16 << 30; return 0; }
inline cudaError_t cudaMalloc(void** p, size_t n) { *p = aligned_alloc(256, (n + 255) / 256 * 256); return *p ? 0 : cudaErrorMemoryAllocation; }
inline cudaError_t cudaFree(void* p) { free(p); return 0; }
inline cudaError_t cudaMemcpyAsync(void* d, const void* s, size_t n, cudaMemcpyKind, cudaStream_t) { memmove(d, s, n); return 0; }
inline cudaError_t cudaMemsetAsync(void* d, int v, size_t n, cudaStream_t) { memset(d, v, n); return 0; }
inline cudaError_t cudaStreamCreateWithFlags(cudaStream_t* s, unsigned) { *s = malloc(1); return 0; }
inline cudaError_t cudaStreamDestroy(cudaStream_t s) { free(s); return 0; }
inline cudaError_t cudaStreamSynchronize(cudaStream_t) { return 0; }
inline cudaError_t cudaDeviceSynchronize() { return 0; }
inline cudaError_t cudaEventCreate(cudaEvent_t* e) { *e = calloc(1, sizeof(double)); return 0; }
inline cudaError_t cudaEventDestroy(cudaEvent_t e) { free(e); return 0; }
inline cudaError_t cudaEventRecord(cudaEvent_t e, cudaStream_t) {
  *(double*)e = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
  return 0;
}
inline cudaError_t cudaEventSynchronize(cudaEvent_t) { return 0; }
inline cudaError_t cudaStreamWaitEvent(cudaStream_t, cudaEvent_t, unsigned) { return 0; }
inline cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t a, cudaEvent_t b) { *ms = (float)(*(double*)b - *(double*)a); return 0; }

namespace emu {
void warp_exchange_bytes(const void* in, int n, int src_lane, void* out);
}
template <typename T>
T __shfl_xor_sync(unsigned, T v, int lane_mask) {
  T r;
  emu::warp_exchange_bytes(&v, (int)sizeof(T), (threadIdx.x & 31) ^ lane_mask, &r);
  return r;
}
// Shuffles whose source lane falls outside the warp return the caller's own value, as on the GPU.
template <typename T>
T __shfl_sync(unsigned, T v, int src_lane) {
  T r;
  emu::warp_exchange_bytes(&v, (int)sizeof(T), src_lane & 31, &r);
  return r;
}
template <typename T>
T __shfl_up_sync(unsigned, T v, unsigned delta) {
  const int lane = threadIdx.x & 31, src = lane - (int)delta;
  T r;
  emu::warp_exchange_bytes(&v, (int)sizeof(T), src < 0 ? lane : src, &r);
  return r;
}
template <typename T>
T __shfl_down_sync(unsigned, T v, unsigned delta) {
  const int lane = threadIdx.x & 31, src = lane + (int)delta;
  T r;
  emu::warp_exchange_bytes(&v, (int)sizeof(T), src > 31 ? lane : src, &r);
  return r;
}
template <typename T>
T atomicAdd(T* p, T v) { T old = *p; *p = old + v; return old; }
template <typename T>
T atomicMin(T* p, T v) { T old = *p; if (v < old) *p = v; return old; }
struct __attribute__((aligned(16))) uint4 { unsigned x, y, z, w; };
struct __attribute__((aligned(16))) float4 { float x, y, z, w; };
struct __attribute__((aligned(8))) float2 { float x, y; };
struct __attribute__((aligned(8))) uint2 { unsigned x, y; };
inline float4 make_float4(float x, float y, float z, float w) { return float4{x, y, z, w}; }
inline uint4 make_uint4(unsigned x, unsigned y, unsigned z, unsigned w) { return uint4{x, y, z, w}; }
