package io.statex.kernels;

/** The reduction catalogue on the CPU library. */
class ReduceKernelTest extends ReduceKernelSuite {
  @Override
  BaseKernels kernels() {
    return BaseKernels.cpu();
  }
}
