package io.statex.kernels;

/** The softmax catalogue on the CPU library. */
class SoftmaxKernelTest extends SoftmaxKernelSuite {
  @Override
  BaseKernels kernels() {
    return BaseKernels.cpu();
  }
}
