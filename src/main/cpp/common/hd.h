// Host/device qualifiers so that one definition of the math serves the CPU and the CUDA kernels.
#pragma once
#if defined(__CUDACC__)
#define STX_HD __host__ __device__ __forceinline__
#else
#define STX_HD inline
#endif
