package io.statex.kernels;

/** The softmax catalogue on the CUDA library, against the same float64 oracle. */
@GpuTest
class SoftmaxKernelGpuTest extends SoftmaxKernelSuite {
  @Override
  BaseKernels kernels() {
    return BaseKernels.cuda();
  }
}
