package io.statex.kernels;

/** The RMSNorm catalogue on the CUDA library, against the same float64 oracle. */
@GpuTest
class RmsNormKernelGpuTest extends RmsNormKernelSuite {
  @Override
  BaseKernels kernels() {
    return BaseKernels.cuda();
  }
}
