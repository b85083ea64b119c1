// Cooperative-fiber emulation of CUDA thread blocks: one ucontext fiber per thread, blocks run one
// after another. Barriers (__syncthreads, __syncwarp, the warp-collective mma) switch fibers; the
// fibers of a phase run in a random order so that a missing barrier shows up as a wrong result.
#include "emu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <ucontext.h>

#include <algorithm>
#include <random>
#include <vector>

dim3 threadIdx, blockIdx, blockDim, gridDim;
cudaError_t cudaGetLastError() { return cudaSuccess; }

namespace emu {
namespace {
enum Wait { RUN, BLOCK_BAR, WARP_BAR, DONE };
struct Fiber {
  ucontext_t ctx;
  jmp_buf jb;
  bool started = false;
  char* stack = nullptr;
  Wait wait = DONE;
};
jmp_buf sched_jb;
constexpr size_t kStack = 512 * 1024;
std::vector<Fiber> fibers;
ucontext_t sched;
int current = -1;
std::function<void()>* body_fn;
std::mt19937 rng(getenv("EMU_SEED") ? atoi(getenv("EMU_SEED")) : 1234);
std::vector<float> xbuf;  // [warps][32][8]

// Switches without signal-mask system calls: ucontext only to enter a fiber the first time.
void fiber_main() {
  (*body_fn)();
  fibers[current].wait = DONE;
  _longjmp(sched_jb, 1);
}

void yield(Wait w) {
  fibers[current].wait = w;
  if (!_setjmp(fibers[current].jb)) _longjmp(sched_jb, 1);
}

void resume(int idx) {
  if (_setjmp(sched_jb)) return;
  Fiber& f = fibers[idx];
  if (!f.started) {
    f.started = true;
    setcontext(&f.ctx);
  }
  _longjmp(f.jb, 1);
}
}  // namespace

void syncthreads() { yield(BLOCK_BAR); }
void syncwarp() { yield(WARP_BAR); }

void warp_exchange(const float* in, int n, float* all) {
  const int lane = current & 31, warp = current >> 5;
  float* slot = &xbuf[(warp * 32) * 8];
  memcpy(slot + lane * 8, in, n * sizeof(float));  // bit copies: callers pass packed integers and addresses too
  syncwarp();
  for (int l = 0; l < 32; ++l) memcpy(all + l * n, slot + l * 8, n * sizeof(float));
  syncwarp();
}

static std::vector<unsigned char> dyn;
unsigned char* dynamic_smem() { return dyn.data(); }

void warp_exchange_bytes(const void* in, int n, int src_lane, void* out) {
  const int lane = current & 31, warp = current >> 5;
  unsigned char* slot = reinterpret_cast<unsigned char*>(&xbuf[(warp * 32) * 8]);
  memcpy(slot + lane * 32, in, n);
  syncwarp();
  memcpy(out, slot + src_lane * 32, n);
  syncwarp();
}

void run(dim3 grid3, dim3 block3, size_t smem, std::function<void()> body) {
  dyn.assign(smem + 1, 0xff);  // exact size: ASan sees an overrun
  body_fn = &body;
  gridDim = grid3;
  blockDim = block3;
  const unsigned block = block3.x * block3.y * block3.z;
  const unsigned long long grid = (unsigned long long)grid3.x * grid3.y * grid3.z;
  if (fibers.size() < block) fibers.resize(block);
  if (xbuf.size() < (block / 32 + 1) * 32 * 8) xbuf.resize((block / 32 + 1) * 32 * 8);
  std::vector<int> order(block);
  for (unsigned long long b = 0; b < grid; ++b) {
    blockIdx = dim3((unsigned)(b % grid3.x), (unsigned)((b / grid3.x) % grid3.y), (unsigned)(b / grid3.x / grid3.y));
    for (unsigned t = 0; t < block; ++t) {
      Fiber& f = fibers[t];
      if (!f.stack) f.stack = (char*)malloc(kStack);
      getcontext(&f.ctx);
      f.ctx.uc_stack.ss_sp = f.stack;
      f.ctx.uc_stack.ss_size = kStack;
      f.ctx.uc_link = nullptr;
      makecontext(&f.ctx, fiber_main, 0);
      f.wait = RUN;
      f.started = false;
    }
    for (;;) {
      for (unsigned t = 0; t < block; ++t) order[t] = t;
      std::shuffle(order.begin(), order.end(), rng);
      for (int idx : order) {
        if (fibers[idx].wait != RUN) continue;
        current = idx;
        threadIdx = dim3(idx % block3.x, (idx / block3.x) % block3.y, idx / block3.x / block3.y);
        resume(idx);
      }
      bool all_done = true, any_block = false, released = false;
      for (unsigned t = 0; t < block; ++t) {
        all_done &= fibers[t].wait == DONE;
        any_block |= fibers[t].wait == BLOCK_BAR;
      }
      if (all_done) break;
      for (unsigned w0 = 0; w0 < block; w0 += 32) {  // a warp barrier opens when the whole warp is there
        bool any = false, ok = true;
        for (unsigned t = w0; t < w0 + 32 && t < block; ++t) {
          any |= fibers[t].wait == WARP_BAR;
          ok &= fibers[t].wait == WARP_BAR || fibers[t].wait == DONE;
        }
        if (any && ok) {
          for (unsigned t = w0; t < w0 + 32 && t < block; ++t)
            if (fibers[t].wait == WARP_BAR) fibers[t].wait = RUN;
          released = true;
        }
      }
      if (!released && any_block) {
        bool ok = true;
        for (unsigned t = 0; t < block; ++t) ok &= fibers[t].wait == BLOCK_BAR || fibers[t].wait == DONE;
        if (ok) {
          for (unsigned t = 0; t < block; ++t)
            if (fibers[t].wait == BLOCK_BAR) fibers[t].wait = RUN;
          released = true;
        }
      }
      if (!released) {
        fprintf(stderr, "emu: deadlock in block %llu:", b);
        for (unsigned t = 0; t < block; ++t) fprintf(stderr, " %d", fibers[t].wait);
        fprintf(stderr, "\n");
        abort();
      }
    }
  }
}
}  // namespace emu
