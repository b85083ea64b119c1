// CPU emulation of the small CUDA subset the SSD and conv1d kernels use, for checking kernel logic without a GPU
// (never part of the product). Every block runs as blockDim OS threads, one block at a time; __shared__ becomes
// static (shared by the block's threads); __syncthreads is a barrier; threads that return early drop out of it;
// warp shuffles and the mma.m16n8k16 fragment exchange go through block-wide slots and barriers, so they must be
// called by every thread of the block together (true of these kernels). Not emulated: races that depend on
// GPU scheduling, memory coalescing, timing.
#pragma once
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <stdlib.h>
#include <barrier>
#include <functional>
#include <thread>
#include <vector>
#include <algorithm>
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __shared__ static
struct dim3 { unsigned x, y, z; dim3(unsigned a = 1, unsigned b = 1, unsigned c = 1) : x(a), y(b), z(c) {} };
typedef struct CUstream_st* cudaStream_t;
typedef int cudaError_t;
#define cudaSuccess 0
#define cudaErrorMemoryAllocation 2
inline cudaError_t cudaGetLastError() { return 0; }
inline const char* cudaGetErrorString(cudaError_t) { return "emu"; }
inline const char* cudaGetErrorName(cudaError_t) { return "emu"; }
extern thread_local dim3 threadIdx, blockIdx;
extern dim3 blockDim, gridDim;
extern std::barrier<>* emu_bar;
extern uint64_t emu_slots[1024];
inline void __syncthreads() { emu_bar->arrive_and_wait(); }
// Warp shuffles: every thread of the block publishes its value, then reads its source lane within its own warp
// (out-of-range sources return the thread's own value, as on the GPU).
template <class V>
inline V emu_shfl(V v, int src_lane) {
  static_assert(sizeof(V) <= 8, "shuffle of at most 8 bytes");
  memcpy(&emu_slots[threadIdx.x], &v, sizeof(V));
  emu_bar->arrive_and_wait();
  V r = v;
  if (src_lane >= 0 && src_lane < 32) memcpy(&r, &emu_slots[threadIdx.x - threadIdx.x % 32 + src_lane], sizeof(V));
  emu_bar->arrive_and_wait();
  return r;
}
template <class V> inline V __shfl_xor_sync(unsigned, V v, int o) { return emu_shfl(v, (int)(threadIdx.x % 32) ^ o); }
template <class V> inline V __shfl_up_sync(unsigned, V v, int o) {
  int l = (int)(threadIdx.x % 32) - o;
  return emu_shfl(v, l < 0 ? (int)(threadIdx.x % 32) : l);
}
template <class V> inline V __shfl_down_sync(unsigned, V v, int o) {
  int l = (int)(threadIdx.x % 32) + o;
  return emu_shfl(v, l > 31 ? (int)(threadIdx.x % 32) : l);
}
template <class V> inline V __shfl_sync(unsigned, V v, int l) { return emu_shfl(v, l % 32); }
struct float4 { float x, y, z, w; };
inline float4 make_float4(float x, float y, float z, float w) { return float4{x, y, z, w}; }
struct uint4 { unsigned x, y, z, w; };
inline uint4 make_uint4(unsigned x, unsigned y, unsigned z, unsigned w) { return uint4{x, y, z, w}; }
struct alignas(8) uint2 { unsigned x, y; };
template <class T> inline T min(T a, T b) { return a < b ? a : b; }
template <class T> inline T max(T a, T b) { return a > b ? a : b; }
inline void emu_launch(dim3 g, dim3 b, const std::function<void()>& fn) {
  gridDim = g;
  blockDim = b;
  unsigned nt = b.x * b.y * b.z;
  for (unsigned z = 0; z < g.z; ++z)
    for (unsigned y = 0; y < g.y; ++y)
      for (unsigned x = 0; x < g.x; ++x) {
        std::barrier<> bar(nt);
        emu_bar = &bar;
        std::vector<std::thread> th;
        for (unsigned t = 0; t < nt; ++t)
          th.emplace_back([&, t] {
            threadIdx = dim3(t, 0, 0);
            blockIdx = dim3(x, y, z);
            fn();
            emu_bar->arrive_and_drop();
          });
        for (auto& t : th) t.join();
      }
}
// Warp MMA m16n8k16 bf16 -> fp32, from the PTX fragment layout (every thread of the block must call it together).
extern uint32_t emu_frag[1024][6];
inline float emu_bf16(uint32_t h) { uint32_t u = h << 16; float f; memcpy(&f, &u, 4); return f; }
inline void statex_emulated_mma_bf16_16816(float (&c)[4], const uint32_t (&a)[4], const uint32_t (&b)[2]) {
  unsigned tid = threadIdx.x, lane = tid % 32, w0 = tid - lane;
  for (int r = 0; r < 4; ++r) emu_frag[tid][r] = a[r];
  emu_frag[tid][4] = b[0];
  emu_frag[tid][5] = b[1];
  emu_bar->arrive_and_wait();
  float A[16][16], B[16][8];
  for (unsigned L = 0; L < 32; ++L) {
    unsigned g = L / 4, q = L % 4;
    for (int i = 0; i < 8; ++i) {
      uint32_t v = (emu_frag[w0 + L][i / 2] >> (16 * (i % 2))) & 0xffff;
      unsigned row = (i < 2 || (i >= 4 && i < 6)) ? g : g + 8;
      unsigned col = q * 2 + (i & 1) + (i >= 4 ? 8 : 0);
      A[row][col] = emu_bf16(v);
    }
    for (int i = 0; i < 4; ++i) {
      uint32_t v = (emu_frag[w0 + L][4 + i / 2] >> (16 * (i % 2))) & 0xffff;
      unsigned row = q * 2 + (i & 1) + (i >= 2 ? 8 : 0);
      B[row][g] = emu_bf16(v);
    }
  }
  unsigned g = lane / 4, q = lane % 4;
  for (int r = 0; r < 4; ++r) {
    unsigned row = g + (r >= 2 ? 8 : 0), col = 2 * q + (r & 1);
    float s = 0.f;
    for (int k = 0; k < 16; ++k) s += A[row][k] * B[k][col];
    c[r] += s;
  }
  emu_bar->arrive_and_wait();
}
// ldmatrix .x4 (optionally .trans) from the PTX layout: lane l gives the address of row l % 8 of matrix l / 8; thread t
// receives, of each matrix, row t / 4, columns 2 (t % 4) and 2 (t % 4) + 1 (transposed: column t / 4 of those rows).
inline void statex_emulated_ldmatrix_x4(uint32_t (&r)[4], const uint16_t* p, bool trans) {
  unsigned tid = threadIdx.x, lane = tid % 32, w0 = tid - lane;
  emu_slots[tid] = (uint64_t)(uintptr_t)p;
  emu_bar->arrive_and_wait();
  for (int m = 0; m < 4; ++m) {
    uint16_t e[2];
    for (int h = 0; h < 2; ++h) {
      unsigned row = trans ? 2 * (lane % 4) + h : lane / 4, col = trans ? lane / 4 : 2 * (lane % 4) + h;
      e[h] = ((const uint16_t*)(uintptr_t)emu_slots[w0 + 8 * m + row])[col];
    }
    r[m] = (uint32_t)e[0] | ((uint32_t)e[1] << 16);
  }
  emu_bar->arrive_and_wait();
}
