package io.statex.kernels;

/** The reduction catalogue on the CUDA library, against the same float64 oracle. */
@GpuTest
class ReduceKernelGpuTest extends ReduceKernelSuite {
  @Override
  BaseKernels kernels() {
    return BaseKernels.cuda();
  }
}
