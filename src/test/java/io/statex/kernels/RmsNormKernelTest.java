package io.statex.kernels;

/** The RMSNorm catalogue on the CPU library. */
class RmsNormKernelTest extends RmsNormKernelSuite {
  @Override
  BaseKernels kernels() {
    return BaseKernels.cpu();
  }
}
