#include "cuda_runtime.h"
thread_local dim3 threadIdx, blockIdx;
dim3 blockDim, gridDim;
std::barrier<>* emu_bar;
uint64_t emu_slots[1024];
uint32_t emu_frag[1024][6];
